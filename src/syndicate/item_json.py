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

from syndicate.item import Block, ItemClass, NewsItem

#: fields added after items were first stored, written only when they are set: a block that
#: uses none of them is the JSON it always was, so what the store holds (and the digest of an
#: item's content) does not change with the model; a missing field loads as its default
_SINCE_FIRST_STORED: dict[type, dict[str, Any]] = {
    Block: {"rows": (), "src": None, "credit": None},
    NewsItem: {"item_class": ItemClass.TEXT, "renditions": ()},
}
_ALWAYS = object()


@functools.cache
def _written(cls: type) -> tuple[tuple[str, Any], ...]:
    """Each field of ``cls`` with the value it is left out at (``_ALWAYS``: written always)."""
    optional = _SINCE_FIRST_STORED.get(cls, {})
    return tuple((f.name, optional.get(f.name, _ALWAYS)) for f in dataclasses.fields(cls))


def _to_jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {}
        for name, default in _written(type(value)):
            v = getattr(value, name)
            if default is _ALWAYS or v != default:
                out[name] = _to_jsonable(v)
        return out
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
    return json.dumps(_to_jsonable(item), ensure_ascii=False, separators=(",", ":"))


def decode_item(text: str) -> NewsItem:
    item = _from_jsonable(NewsItem, json.loads(text))
    assert isinstance(item, NewsItem)
    return item
