"""Retention: a partner's history (feed entries with their items, the delivery ledger) kept no
longer than its ``retention`` says, pruned a bounded amount at a time from the beat's round."""

from __future__ import annotations

import logging

from syndicate.partners import PipelineConfig
from syndicate.store import Pruned, Store

log = logging.getLogger("syndicate.retention")

#: a partner's history is pruned at most this often (seconds), however many beats run
EVERY = 60
#: records of each kind forgotten per partner and pass: a backlog (retention just set on a
#: long history) drains over several passes instead of holding up one beat round
BUDGET = 1000


def prune(store: Store, config: PipelineConfig, now: float | None = None,
          force: bool = False) -> dict[str, Pruned]:
    """One pass over the partners with a retention (each at most once per EVERY seconds
    unless ``force``); what was pruned, by partner."""
    out: dict[str, Pruned] = {}
    for p in config.partners:
        r = p.retention
        if r is None:
            continue
        if not force and not store.first_sighting("retention", p.id, ttl=EVERY):
            continue
        done = store.prune_partner(p.id, days=r.days, entries=r.entries, now=now, budget=BUDGET)
        out[p.id] = done
        if done.feed_entries or done.deliveries or done.stories:
            log.info("retention: pruned %d feed entries, %d delivery records and %d received "
                     "stories of %s", done.feed_entries, done.deliveries, done.stories, p.id,
                     extra={"partner": p.id})
    return out
