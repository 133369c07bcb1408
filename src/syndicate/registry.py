"""Named implementations (codecs, destinations, sources, engines) registered by the modules that
define them, and imported on first use; safe when many threads make that first use at once.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Mapping
from types import MappingProxyType
from typing import Generic, TypeVar

from syndicate.errors import ConfigError, SyndicateError

T = TypeVar("T")


class Registry(Generic[T]):
    """Entries by name, filled by modules that call :meth:`register` when imported.

    ``modules`` is either a mapping of name -> module that registers it (only the module of
    the name asked for is imported, so naming ``s3`` never loads a webhook's dependencies) or
    a tuple of modules that are all imported before the first look-up (codecs, which
    :meth:`entries` compares against each other).
    """

    def __init__(
        self,
        kind: str,
        modules: Mapping[str, str] | tuple[str, ...],
        *,
        error: type[SyndicateError] = ConfigError,
        unknown: str = "unknown {kind} {name!r}; known: {known}",
    ) -> None:
        self.kind = kind
        self._by_name: Mapping[str, str] = dict(modules) if isinstance(modules, Mapping) else {}
        self._all: tuple[str, ...] = (
            tuple(self._by_name.values()) if isinstance(modules, Mapping) else tuple(modules)
        )
        self._error = error
        self._unknown = unknown
        # Readers take this reference and use it without a lock: it is replaced by a new,
        # complete mapping on every registration and never changed in place.
        self._entries: Mapping[str, T] = MappingProxyType({})
        self._imported: frozenset[str] = frozenset()
        # Two locks: register() runs inside module imports, and a thread importing a codec
        # module directly must be able to register while another thread holds the load lock
        # waiting for that same import to finish.
        self._register_lock = threading.Lock()
        # Re-entrant so that a module that looks something up while it is being imported
        # (by the thread holding this lock) does not wait for itself.
        self._load_lock = threading.RLock()
        self._importing: set[str] = set()

    def register(self, name: str, entry: T) -> T:
        with self._register_lock:
            self._entries = MappingProxyType({**self._entries, name: entry})
        return entry

    def get(self, name: str) -> T:
        """The entry registered as ``name``, importing its module first if need be."""
        module = self._by_name.get(name)
        self._load(self._all if not self._by_name else (module,) if module else ())
        entry = self._entries.get(name)
        if entry is None:
            raise self._error(self._unknown.format(kind=self.kind, name=name, known=", ".join(self.names())))
        return entry

    def names(self) -> list[str]:
        """Every name that can be asked for (for a mapping, without importing anything)."""
        if self._by_name:
            return sorted({*self._by_name, *self._entries})
        self._load(self._all)
        return sorted(self._entries)

    def entries(self) -> Mapping[str, T]:
        """Every entry, after importing every module: an immutable snapshot."""
        self._load(self._all)
        return self._entries

    def _load(self, modules: tuple[str, ...]) -> None:
        if self._imported.issuperset(modules):
            return
        with self._load_lock:
            for module in modules:
                # a module this thread is importing right now counts as loading, not loaded
                if module in self._imported or module in self._importing:
                    continue
                self._importing.add(module)
                try:
                    importlib.import_module(module)
                finally:
                    self._importing.discard(module)
                # published only now, when the module has run (and registered) to its end
                self._imported = self._imported | {module}
