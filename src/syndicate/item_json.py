"""A :class:`~syndicate.item.NewsItem` as compact JSON and back: how the state store keeps items.

Tasks pass keys, the store keeps the items themselves; this codec is what it keeps them as.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import json
import types
import typing
from typing import Any

from syndicate.item import ItemClass, NewsItem

#: fields the model gained after items were first stored, with their defaults: left out while
#: they hold them, so a text story is stored (and its content digest, which dedupes arrivals,
#: computed) exactly as before; an item stored without them reads back with the defaults
_LATER_FIELDS: dict[str, Any] = {"item_class": ItemClass.TEXT, "renditions": ()}


def _to_jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_to_jsonable(v) for v in value]
    return value


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    # resolving string annotations compiles code each time: once per class is enough
    return typing.get_type_hints(cls)


@functools.cache
def _fields(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _from_jsonable(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        return _from_jsonable(options[0], value) if len(options) == 1 else value
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_from_jsonable(args[0], v) for v in value)
        return tuple(_from_jsonable(a, v) for a, v in zip(args, value, strict=True))
    if isinstance(tp, type):
        if dataclasses.is_dataclass(tp):
            hints = _hints(tp)
            kwargs = {
                name: _from_jsonable(hints[name], value[name])
                for name in _fields(tp)
                if name in value
            }
            return tp(**kwargs)
        if issubclass(tp, enum.Enum):
            return tp(value)
        if tp is dt.datetime:
            return dt.datetime.fromisoformat(value)
        if tp is dt.date:
            return dt.date.fromisoformat(value)
        if tp is float and isinstance(value, int):
            return float(value)  # JSON writes 30.0 as 30
    return value


def encode_item(item: NewsItem) -> str:
    doc = _to_jsonable(item)
    for name, default in _LATER_FIELDS.items():
        if getattr(item, name) == default:
            del doc[name]
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def decode_item(text: str) -> NewsItem:
    item = _from_jsonable(NewsItem, json.loads(text))
    assert isinstance(item, NewsItem)
    return item
