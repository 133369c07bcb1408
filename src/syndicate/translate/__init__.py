"""Machine translation of news items: engines by name, news-aware segmentation, a sentence cache.

Public API::

    translate_item(item, "es", settings=s)   # one NewsItem -> its Spanish translation
    translate_items(items, "de", settings=s) # several, their sentences batched together
    preload("en", "es", s)                   # load the models of a route (worker start-up)

``s`` is a :class:`TranslationSettings`: the configuration's ``translation:`` section (the
package reads no file and no environment; without settings the built-in defaults apply).
``open_cache(s.cache, redis_url)`` is the sentence cache in the deployment's Redis (the state
store's), passed as ``cache=``; without one, each process keeps its own.
"""

from __future__ import annotations

from syndicate.translate.cache import SentenceCache, open_cache
from syndicate.translate.config import TranslationSettings
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
    TranslationStats,
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
    "SentenceCache",
    "TranslationSettings",
    "TranslationStats",
    "engine_names",
    "engine_sentences",
    "get_engine",
    "installed_pairs",
    "open_cache",
    "plan_route",
    "preload",
    "register_engine",
    "reset_engines",
    "split_sentences",
    "translate_item",
    "translate_items",
    "translated_guid",
]
