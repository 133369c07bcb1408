"""Destinations by ``type``: a destination knows where bytes go, never what format they are in.

Each destination module registers a factory here; a partner's configuration names it
(``type: directory``). Adding a kind (s3, webhook, feed store) is one module plus one
entry in ``_MODULES``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from syndicate import formats
from syndicate.item import NewsItem, guid_slug
from syndicate.registry import Registry

if TYPE_CHECKING:
    from syndicate.store import Store

#: type name -> module that registers it on import
_MODULES: dict[str, str] = {
    "directory": "syndicate.destinations.directory",
    "s3": "syndicate.destinations.s3",
    "webhook": "syndicate.destinations.webhook",
    "sftp": "syndicate.destinations.sftp",
    "feed": "syndicate.destinations.feed",
}


@dataclass(frozen=True, slots=True)
class Delivery:
    """One item for one partner: the deterministic key and the document, in ``format``.

    ``guid`` is the guid of the item the partner receives, the one its document carries (a
    translation's own, not its source's): every destination names and labels the delivery by
    it, so the file, the object, the feed entry and a later kill all agree.

    The document comes either rendered (``data``) or as the ``item`` to render: then it is
    rendered the first time a destination reads :attr:`content`, so a destination that takes
    the item and not the bytes (the feed store) costs no rendering.
    """

    partner: str
    language: str
    guid: str
    version: int
    format: str
    #: the rendered document; None when ``item`` is given instead
    data: bytes | None = None
    pub_status: str = "usable"
    #: for a translation: the guid of the item it was translated from (None for source copy)
    source_guid: str | None = None
    #: the item as the partner receives it, rendered only when the bytes are asked for
    item: NewsItem | None = None
    #: how the partner has ``format`` written (its charset ...): the bytes and the media type
    options: formats.RenderOptions = field(default_factory=formats.RenderOptions)
    _rendered: bytes | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.data is None and self.item is None:
            raise ValueError(f"the delivery of {self.guid} v{self.version} to {self.partner} "
                             "carries neither its bytes (data) nor its item")

    @property
    def content(self) -> bytes:
        """The document's bytes: ``data``, or ``item`` rendered in ``format`` (once)."""
        if self.data is not None:
            return self.data
        rendered = self._rendered
        if rendered is None:
            assert self.item is not None  # checked at construction
            rendered = formats.renderer(self.format, self.options).render(self.item)
            # frozen: the cache is the one field set after construction
            object.__setattr__(self, "_rendered", rendered)
        return rendered

    @property
    def key(self) -> str:
        """partner/language/guid-slug/version.format: the same delivery always gets the same key."""
        return f"{self.partner}/{self.relative_key}"

    @property
    def relative_key(self) -> str:
        """The key without the partner (for destinations that are already per partner)."""
        return relative_key(self.language, self.guid, self.version, self.format)

    @property
    def media_type(self) -> str:
        """The Content-Type of the bytes, as the renderer of ``format`` declares it."""
        return formats.renderer(self.format, self.options).media_type


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


@dataclass(frozen=True, slots=True)
class _Kind:
    """A registered destination type: exactly one of the two kinds of factory."""

    factory: Factory | None = None
    store_factory: StoreFactory | None = None


_kinds: Registry[_Kind] = Registry("destination type", _MODULES)


def register(type_name: str) -> Callable[[Factory], Factory]:
    def deco(factory: Factory) -> Factory:
        _kinds.register(type_name, _Kind(factory=factory))
        return factory

    return deco


def register_with_store(type_name: str) -> Callable[[StoreFactory], StoreFactory]:
    """Register a destination whose factory also takes the pipeline's state store."""

    def deco(factory: StoreFactory) -> StoreFactory:
        _kinds.register(type_name, _Kind(store_factory=factory))
        return factory

    return deco


def names() -> list[str]:
    return _kinds.names()


def create(type_name: str, options: dict[str, object], store: Store | None = None
           ) -> Destination:
    """The destination ``type_name`` configured with ``options`` (ConfigError if unknown/bad).

    ``store`` is the pipeline's state store, for destinations that keep their data there
    (without it they open the one this process's settings name).
    """
    kind = _kinds.get(type_name)
    if kind.store_factory is not None:
        if store is None:
            from syndicate.settings import get_settings
            from syndicate.store import open_store

            s = get_settings()
            store = open_store(s.state_url, s.prefix, s.sqlite_path)
        return kind.store_factory(options, store)
    assert kind.factory is not None
    return kind.factory(options)


def relative_key(language: str, guid: str, version: int, fmt: str) -> str:
    """``<language>/<guid-slug>/v<N>.<format>.<ext>``: where one version of one item in one
    format is written, by the pipeline's destinations and by the one-off commands alike."""
    # the language comes from the input too: it gets the guid's treatment, so that no tag
    # can climb out of the folder (a well-formed BCP 47 tag is left as it is)
    folder = guid_slug(language) if language else "und"
    extension = formats.renderer(fmt).extension
    return f"{folder}/{guid_slug(guid)}/v{version}.{fmt}.{extension}"
