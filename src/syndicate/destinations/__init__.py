"""Destinations by ``type``: a destination knows where bytes go, never what format they are in.

Each destination module registers a factory here; a partner's configuration names it
(``type: directory``). Adding a kind (s3, webhook, feed store) is one module plus one
entry in ``_MODULES``.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from syndicate.errors import ConfigError

if TYPE_CHECKING:
    from syndicate.store import Store

#: type name -> module that registers it on import
_MODULES: dict[str, str] = {
    "directory": "syndicate.destinations.directory",
    "s3": "syndicate.destinations.s3",
    "webhook": "syndicate.destinations.webhook",
    "feed": "syndicate.destinations.feed",
}

#: file extension per output format, for destinations that name files
EXTENSIONS: dict[str, str] = {
    "newsmlg2": "xml",
    "ninjs": "json",
    "nitf": "xml",
    "atom": "xml",
    "iptc7901": "txt",
    "wiretext": "txt",
}


@dataclass(frozen=True, slots=True)
class Delivery:
    """One rendered item for one partner: the deterministic key and the bytes."""

    partner: str
    language: str
    guid: str
    version: int
    format: str
    data: bytes
    pub_status: str = "usable"

    @property
    def key(self) -> str:
        """partner/language/guid-slug/version.format: the same delivery always gets the same key."""
        return (
            f"{self.partner}/{self.language}/{guid_slug(self.guid)}/"
            f"v{self.version}.{self.format}.{EXTENSIONS.get(self.format, 'dat')}"
        )

    @property
    def relative_key(self) -> str:
        """The key without the partner (for destinations that are already per partner)."""
        return self.key.split("/", 1)[1]


@runtime_checkable
class Destination(Protocol):
    #: the registry name (``directory``)
    type: str

    def deliver(self, delivery: Delivery) -> str:
        """Write the delivery idempotently; return where it went. Raise DeliveryFailed."""
        ...


Factory = Callable[[dict[str, object]], Destination]
#: for destinations that keep their data in the pipeline's state store (the feed store)
StoreFactory = Callable[[dict[str, object], "Store"], Destination]
_registry: dict[str, Factory] = {}
_store_registry: dict[str, StoreFactory] = {}


def register(type_name: str) -> Callable[[Factory], Factory]:
    def deco(factory: Factory) -> Factory:
        _registry[type_name] = factory
        return factory

    return deco


def register_with_store(type_name: str) -> Callable[[StoreFactory], StoreFactory]:
    """Register a destination whose factory also takes the pipeline's state store."""

    def deco(factory: StoreFactory) -> StoreFactory:
        _store_registry[type_name] = factory
        return factory

    return deco


def names() -> list[str]:
    return sorted(_MODULES)


def create(type_name: str, options: dict[str, object], store: Store | None = None
           ) -> Destination:
    """The destination ``type_name`` configured with ``options`` (ConfigError if unknown/bad).

    ``store`` is the pipeline's state store, for destinations that keep their data there
    (without it they open the one this process's settings name).
    """
    if type_name not in _registry and type_name not in _store_registry:
        mod = _MODULES.get(type_name)
        if mod is None:
            raise ConfigError(
                f"unknown destination type {type_name!r}; known: {', '.join(names())}"
            )
        importlib.import_module(mod)
    if type_name in _store_registry:
        if store is None:
            from syndicate.settings import get_settings
            from syndicate.store import open_store

            s = get_settings()
            store = open_store(s.state_url, s.prefix, s.sqlite_path)
        return _store_registry[type_name](options, store)
    return _registry[type_name](options)


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def guid_slug(guid: str) -> str:
    """A file-name-safe, readable, collision-free form of a guid."""
    import hashlib

    slug = _UNSAFE.sub("_", guid).strip("._") or "item"
    if len(slug) > 120 or slug != guid:
        # two guids can differ only in characters the slug drops; a short hash keeps them apart
        slug = f"{slug[:100]}-{hashlib.sha256(guid.encode()).hexdigest()[:8]}"
    return slug
