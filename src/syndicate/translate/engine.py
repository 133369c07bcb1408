"""The Engine protocol, the registry of engines by name, and the choice of route per pair.

An engine translates a batch of sentences between two languages. A route is one engine call
per hop: direct (``en->es``) or through the pivot language (``es->en->de``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from syndicate.errors import MissingLanguagePair, TranslationError
from syndicate.registry import Registry
from syndicate.translate.config import TranslationSettings
from syndicate.translate.segment import Placeholders


@runtime_checkable
class Engine(Protocol):
    """A machine translation engine. Sentences in, sentences out, same order and count."""

    name: str

    def translate_batch(self, sentences: Sequence[str], source: str, target: str) -> list[str]:
        """Translate every sentence in one go; placeholders like ``[3]`` should be kept.

        An engine whose placeholders say ``Edges.WORD_BLANKS`` translates a sentence as it
        would without its markup edges (``[[n]]`` and ``[[/]]``) and writes them back around
        the words that translate the run between them.
        """
        ...

    def supports(self, source: str, target: str) -> bool: ...

    def pairs(self) -> list[tuple[str, str]]:
        """The installed (source, target) pairs, as BCP 47 primary language codes."""
        ...

    def model_version(self, source: str, target: str) -> str: ...

    def placeholders(self, source: str, target: str) -> Placeholders:
        """The stand-ins for protected tokens that this engine translates around as it would
        around the tokens themselves, and how it takes markup edges (``BRACKETS`` when it
        knows neither)."""
        ...


EngineFactory = Callable[[TranslationSettings], Engine]

# each engine's module registers it when imported; only the module of the engine asked for is
# imported, so naming one engine never loads another's dependencies
_factories: Registry[EngineFactory] = Registry(
    "translation engine",
    {"argos": "syndicate.translate.argos", "apertium": "syndicate.translate.apertium"},
)
#: True while routine copy is translated: an engine that starts processes starts them at a
#: lower CPU priority, so an urgent translation running beside it gets the processor first
_background: ContextVar[bool] = ContextVar("syndicate_translate_background", default=False)


@contextmanager
def background(on: bool = True) -> Iterator[None]:
    """Translate routine copy at a lower CPU priority (engines that run processes)."""
    token = _background.set(on)
    try:
        yield
    finally:
        _background.reset(token)


def in_background() -> bool:
    return _background.get()


_instances: dict[tuple[str, int], Engine] = {}
_lock = threading.Lock()


def register_engine(name: str, factory: EngineFactory) -> None:
    """Make an engine available under ``name`` (the name used in configuration)."""
    _factories.register(name, factory)


def engine_names() -> list[str]:
    return _factories.names()


def get_engine(name: str, settings: TranslationSettings) -> Engine:
    """The engine registered under ``name``, one instance per process and settings."""
    factory = _factories.get(name)
    key = (name, hash(settings.model_dump_json()))
    with _lock:
        engine = _instances.get(key)
        if engine is None:
            engine = factory(settings)
            _instances[key] = engine
        return engine


def reset_engines() -> None:
    """Forget engine instances (after installing packages, so discovery runs again)."""
    with _lock:
        _instances.clear()


def primary_language(tag: str) -> str:
    """The primary subtag of a BCP 47 tag, lower case: ``en-US`` -> ``en``."""
    return tag.replace("_", "-").split("-", 1)[0].strip().lower()


@dataclass(frozen=True, slots=True)
class Hop:
    """One engine call of a route."""

    engine: str
    source: str
    target: str
    model_version: str


@dataclass(frozen=True, slots=True)
class Route:
    """How one language pair is translated: one hop, or two through the pivot language."""

    source: str
    target: str
    hops: tuple[Hop, ...]

    @property
    def engine(self) -> str:
        names: list[str] = []
        for hop in self.hops:
            if hop.engine not in names:
                names.append(hop.engine)
        return "+".join(names)

    def placeholders(self, settings: TranslationSettings) -> Placeholders:
        """The stand-ins every engine of the route keeps: the text goes through all hops."""
        schemes = [get_engine(h.engine, settings).placeholders(h.source, h.target) for h in self.hops]
        common = schemes[0]
        for other in schemes[1:]:
            common = common.common(other)
        return common

    @property
    def model_version(self) -> str:
        if len(self.hops) == 1:
            return self.hops[0].model_version
        return " ".join(f"{h.source}->{h.target}:{h.engine}/{h.model_version}" for h in self.hops)


def _install_hint(source: str, target: str, engine: str | None = None) -> str:
    from syndicate.translate.apertium import iso639_3

    argos = (
        f"install an Argos package with `syndicate models install {source} {target}` "
        f"or from a .argosmodel file with `syndicate models install FILE.argosmodel`"
    )
    a, b = iso639_3(source), iso639_3(target)
    apertium = f"Debian's apertium-{a}-{b} if it exists" if a and b else ""
    if engine == "argos":
        return argos
    if engine == "apertium":
        # the other engine's packages would not help while this one is forced
        return (f"install {apertium}" if apertium else
                f"Apertium has no code for {source} or {target}") + (
                "; or do not force apertium, so that an Argos package may be used")
    return f"{argos}, or {apertium}" if apertium else argos


def _direct(source: str, target: str, settings: TranslationSettings, engine: str | None) -> Hop | None:
    if source == target:
        return None
    configured = settings.engine_for(source, target)
    candidates = [engine] if engine else ([configured] if configured else list(settings.prefer))
    for name in candidates:
        eng = get_engine(name, settings)
        if eng.supports(source, target):
            return Hop(name, source, target, eng.model_version(source, target))
    return None


def plan_route(source: str, target: str, settings: TranslationSettings, engine: str | None = None) -> Route:
    """Choose the engine(s) for ``source -> target``; raise MissingLanguagePair naming what to install."""
    src, tgt = primary_language(source), primary_language(target)
    if src == tgt:
        raise TranslationError(f"the item is already in {target}: nothing to translate")
    hop = _direct(src, tgt, settings, engine)
    if hop:
        return Route(src, tgt, (hop,))
    pivot = primary_language(settings.pivot) if settings.pivot else ""
    if pivot and pivot not in (src, tgt):
        first = _direct(src, pivot, settings, engine)
        second = _direct(pivot, tgt, settings, engine)
        if first and second:
            return Route(src, tgt, (first, second))
    using = f" with engine {engine!r}" if engine else ""
    via = f" (directly or through {pivot})" if pivot and pivot not in (src, tgt) else ""
    raise MissingLanguagePair(
        f"no engine translates {src}->{tgt}{using}{via}: {_install_hint(src, tgt, engine)}")


@dataclass(frozen=True, slots=True)
class InstalledPair:
    """A language pair an engine can translate, with the model version that does it."""

    engine: str
    source: str
    target: str
    model_version: str


def installed_pairs(settings: TranslationSettings) -> list[InstalledPair]:
    """Every installed pair of every registered engine."""
    out: list[InstalledPair] = []
    for name in engine_names():
        eng = get_engine(name, settings)
        out += [InstalledPair(name, s, t, eng.model_version(s, t)) for s, t in eng.pairs()]
    return out
