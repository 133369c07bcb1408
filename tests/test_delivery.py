"""A delivery carries its document rendered, or the item to render when a destination first
reads the bytes: a destination that takes the item (the feed store) costs no rendering."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline_support import sample_item
from syndicate import formats
from syndicate.destinations import Delivery, create
from syndicate.item import NewsItem
from syndicate.store import ItemRef, SqliteBackend, Store


def carrying(item: NewsItem, fmt: str = "ninjs") -> Delivery:
    return Delivery("acme", "es", item.guid, item.version, fmt, item=item)


def test_a_delivery_carrying_its_item_gives_the_rendered_document() -> None:
    item = sample_item(language="es")
    assert carrying(item).content == formats.renderer("ninjs").render(item)


def test_the_item_is_rendered_once_however_often_the_bytes_are_read(
        monkeypatch: pytest.MonkeyPatch) -> None:
    codec = formats.renderer("ninjs")
    calls: list[NewsItem] = []
    render = type(codec).render

    def counting(self: object, item: NewsItem) -> bytes:
        calls.append(item)
        return render(codec, item)

    monkeypatch.setattr(type(codec), "render", counting)
    delivery = carrying(sample_item(language="es"))
    assert delivery.content is delivery.content
    assert len(calls) == 1


def test_a_delivery_with_neither_bytes_nor_item_is_refused() -> None:
    with pytest.raises(ValueError, match="neither its bytes"):
        Delivery("acme", "es", "story-1", 1, "ninjs")


def test_a_directory_writes_the_rendered_item(tmp_path: Path) -> None:
    item = sample_item(language="es")
    where = Path(create("directory", {"path": str(tmp_path)}).deliver(carrying(item, "newsmlg2")))
    assert where.read_bytes() == formats.renderer("newsmlg2").render(item)


def test_the_feed_store_takes_the_item_without_rendering_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(SqliteBackend(tmp_path / "state.sqlite3"))
    item = sample_item(language="es")
    store.put_item(ItemRef(item.guid, item.version, "es"), item)

    def refuse(self: object, item: NewsItem) -> bytes:
        raise AssertionError("the feed store rendered the item")

    monkeypatch.setattr(type(formats.renderer("newsmlg2")), "render", refuse)
    create("feed", {}, store).deliver(carrying(item, "newsmlg2"))
    entry = store.feed_entry("acme", "es", item.guid)
    assert entry is not None and entry.version == item.version
