"""Machine translation of news items: engines by name, news-aware segmentation, a sentence cache.

Public API::

    translate_item(item, "es")            # one NewsItem -> its Spanish translation
    translate_items(items, "de")          # several, their sentences batched together
    preload("en", "es")                   # load the models of a route (worker start-up)
"""

from __future__ import annotations

from syndicate.translate.config import TranslationSettings, load_settings
from syndicate.translate.engine import (
    Engine,
    InstalledPair,
    Route,
    engine_names,
    get_engine,
    installed_pairs,
    plan_route,
    register_engine,
    reset_engines,
)
from syndicate.translate.news import (
    TRANSLATED_FROM,
    engine_sentences,
    preload,
    translate_item,
    translate_items,
    translated_guid,
)
from syndicate.translate.segment import split_sentences

__all__ = [
    "TRANSLATED_FROM",
    "Engine",
    "InstalledPair",
    "Route",
    "TranslationSettings",
    "engine_names",
    "engine_sentences",
    "get_engine",
    "installed_pairs",
    "load_settings",
    "plan_route",
    "preload",
    "register_engine",
    "reset_engines",
    "split_sentences",
    "translate_item",
    "translate_items",
    "translated_guid",
]
