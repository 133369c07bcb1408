"""The feed store: partners pull their copy from ``syndicate serve`` instead of receiving it.

A delivery here records the item as the newest entry of the partner's feed in that language;
the feed server renders Atom, ninjs and NewsML-G2 from it on request. This destination takes
the item, not the bytes: it never reads the delivery's ``content``, so a delivery that carries
its item is never rendered for it. The entries live in the pipeline's state store (Redis when
configured, else SQLite under the data directory).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pydantic import BaseModel, ConfigDict

from syndicate.destinations import Delivery, register_with_store
from syndicate.destinations._options import OptionProblem, validate
from syndicate.errors import DeliveryFailed
from syndicate.item import NewsItem
from syndicate.store import FeedEntry, ItemRef, Store


class FeedOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _iso(value: dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="seconds")


def feed_entry(item: NewsItem, language: str, delivered_at: dt.datetime,
               source_guid: str | None = None) -> FeedEntry:
    """The feed entry of ``item`` (already in ``language``) delivered at ``delivered_at``;
    ``source_guid`` is that of the item a translation was made from."""
    return FeedEntry(
        guid=item.guid, version=item.version, language=language,
        pub_status=str(item.pub_status),
        updated=_iso(item.version_time or delivered_at),
        embargo=_iso(item.embargo) if item.embargo is not None else None,
        source_guid=source_guid if source_guid != item.guid else None,
    )


class FeedDestination:
    type = "feed"

    def __init__(self, store: Store,
                 clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)) -> None:
        self.store = store
        self.clock = clock

    def check(self) -> list[OptionProblem]:
        """Nothing to check here: the entries go to the state store, and the token the partner
        pulls with is the feed server's concern (``syndicate check --role serve``)."""
        return []

    def deliver(self, delivery: Delivery) -> str:
        # the item as this partner gets it (its house style) when the pipeline hands it over;
        # else the stored one (kept under its source's guid; the feed lists it under its own)
        stored = delivery.source_guid or delivery.guid
        item = delivery.item or self.store.get_item(
            ItemRef(stored, delivery.version, delivery.language))
        if item is None:
            raise DeliveryFailed(
                f"item {stored} v{delivery.version} ({delivery.language}) is not in the "
                "state store, so it cannot be put in the feed"
            )
        delivered_at = self.clock()
        current = self.store.feed_entry(delivery.partner, delivery.language, item.guid)
        if current is not None and current.version == delivery.version:
            # the same version again (another format, a retry): its place in the feed holds
            delivered_at = dt.datetime.fromisoformat(current.updated)
        entry = feed_entry(item, delivery.language, delivered_at, delivery.source_guid)
        self.store.put_feed_entry(delivery.partner, entry, item)
        return f"feed:{delivery.partner}/{delivery.language}/{item.guid}@v{delivery.version}"


@register_with_store("feed")
def _factory(options: dict[str, object], store: Store) -> FeedDestination:
    validate(FeedOptions, "feed", options)
    return FeedDestination(store)
