"""The four times of an item kept apart (first created, version created, content created and
modified) through every codec that carries them, and through the store."""

from __future__ import annotations

import datetime as dt
import json

from syndicate.item import NewsItem
from syndicate.item_json import decode_item, encode_item

T1 = dt.datetime(2026, 11, 27, 9, 15, tzinfo=dt.UTC)
T2 = dt.datetime(2026, 11, 27, 10, 15, tzinfo=dt.timezone(dt.timedelta(hours=1)))
T3 = dt.datetime(2026, 11, 27, 4, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
T4 = dt.datetime(2026, 11, 27, 19, 30, tzinfo=dt.timezone(dt.timedelta(hours=9)))


def _item(**times: dt.datetime | None) -> NewsItem:
    return NewsItem(guid="urn:test:times", headline="Times", language="en", **times)


# -- the model and the store -----------------------------------------------------------------


def test_the_store_keeps_the_four_times() -> None:
    item = _item(first_created=T1, version_created=T2, created=T3, modified=T4)
    assert decode_item(encode_item(item)) == item


def test_an_item_stored_before_the_item_times_existed_still_loads() -> None:
    old = json.loads(encode_item(_item(created=T3, modified=T4)))
    del old["first_created"], old["version_created"]
    back = decode_item(json.dumps(old))
    assert (back.created, back.modified, back.first_created, back.version_created) == (T3, T4, None, None)


def test_the_version_time_is_the_version_created_else_the_latest_the_item_knows() -> None:
    assert _item(version_created=T2, modified=T4).version_time == T2
    assert _item(modified=T4, created=T3).version_time == T4
    assert _item(first_created=T1, created=T3).version_time == T1
    assert _item(created=T3).version_time == T3
    assert _item().version_time is None
