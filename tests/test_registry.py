"""The registry of named implementations: complete on first use from many threads, never seen
half-loaded, no deadlock between loading and registration, pointed errors for unknown names."""

from __future__ import annotations

import importlib
import sys
import textwrap
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from syndicate import destinations, formats
from syndicate.errors import ConfigError, UnsupportedFormat
from syndicate.registry import Registry
from syndicate.translate import TranslationSettings, get_engine

THREADS = 16
#: long enough for a deadlock or a lost wake-up to show, short enough to fail rather than hang
TIMEOUT = 10.0


class Plugins:
    """A throwaway package of plugin modules on sys.path, as the codec packages are built:
    its ``__init__`` holds the registry, each module registers itself when imported."""

    def __init__(self, root: Path) -> None:
        self.package = f"plugins_{uuid.uuid4().hex[:10]}"
        self.folder = root / self.package
        self.folder.mkdir()

    def write_registry(self, modules: str) -> None:
        """``modules``: the Python expression of the registry's modules (names are relative)."""
        (self.folder / "__init__.py").write_text(textwrap.dedent(f"""\
            import threading
            from syndicate.errors import UnsupportedFormat
            from syndicate.registry import Registry

            P = __name__ + "."
            STARTED = threading.Event()  # set by a module that waits for PROCEED
            PROCEED = threading.Event()
            REGISTRY = Registry("widget", {modules}, error=UnsupportedFormat,
                                unknown="unknown widget {{name!r}}; known widgets: {{known}}")
        """))

    def write_module(self, name: str, *, sleep: float = 0.0, wait: bool = False) -> None:
        """A module that registers ``name``; ``sleep`` or ``wait`` (for PROCEED) before that, so
        that other threads get to run while it is half imported."""
        (self.folder / f"{name}.py").write_text(textwrap.dedent(f"""\
            import time
            from {self.package} import PROCEED, REGISTRY, STARTED

            if {wait!r}:
                STARTED.set()
                assert PROCEED.wait({TIMEOUT})
            time.sleep({sleep})
            REGISTRY.register({name!r}, {name!r}.upper())
        """))

    def load(self) -> ModuleType:
        return importlib.import_module(self.package)

    def registry(self) -> Registry[str]:
        reg: Registry[str] = self.load().REGISTRY
        return reg


@pytest.fixture
def plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Plugins]:
    monkeypatch.syspath_prepend(str(tmp_path))
    p = Plugins(tmp_path)
    try:
        yield p
    finally:
        for name in [m for m in sys.modules if m == p.package or m.startswith(p.package + ".")]:
            del sys.modules[name]


def run_at_once(n: int, work: object) -> list[object]:
    """Run ``work()`` in ``n`` threads released together; their results (or exceptions)."""
    assert callable(work)
    barrier = threading.Barrier(n)
    results: list[object] = [None] * n

    def one(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work()
        except Exception as exc:  # reported by the assertion, with the others' results
            results[i] = exc

    threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT)
    assert not any(t.is_alive() for t in threads), "threads still blocked: a deadlock"
    return results


def test_many_threads_at_first_use_all_see_every_entry(plugins: Plugins) -> None:
    names = ["a", "b", "c", "d"]
    plugins.write_registry(repr(tuple(f"{plugins.package}.{n}" for n in names)))
    for n in names:
        plugins.write_module(n, sleep=0.02)
    registry = plugins.registry()

    seen = run_at_once(THREADS, lambda: sorted(registry.entries().values()))

    assert seen == [["A", "B", "C", "D"]] * THREADS


def test_many_threads_looking_up_one_name_each_find_it(plugins: Plugins) -> None:
    names = ["a", "b", "c", "d"]
    plugins.write_registry(repr(tuple(f"{plugins.package}.{n}" for n in names)))
    for n in names:
        plugins.write_module(n, sleep=0.02)
    registry = plugins.registry()
    counter = iter(range(THREADS))
    lock = threading.Lock()

    def look_up() -> str:
        with lock:
            name = names[next(counter) % len(names)]
        return registry.get(name)

    found = run_at_once(THREADS, look_up)

    assert sorted(map(str, found)) == sorted(n.upper() for n in names for _ in range(THREADS // 4))


def test_a_lookup_during_another_threads_load_waits_for_the_whole_registry(
    plugins: Plugins,
) -> None:
    plugins.write_registry("(P + 'first', P + 'slow', P + 'last')")
    plugins.write_module("first")
    plugins.write_module("slow", wait=True)
    plugins.write_module("last")
    package = plugins.load()
    registry = plugins.registry()
    loader = threading.Thread(target=registry.names, daemon=True)
    loader.start()
    assert package.STARTED.wait(TIMEOUT)  # the loader is inside "slow"; "first" is registered

    seen: list[object] = []
    reader = threading.Thread(target=lambda: seen.append(sorted(registry.entries())), daemon=True)
    reader.start()
    reader.join(0.3)
    assert seen == [], "a reader was given the registry while it was still being loaded"

    package.PROCEED.set()
    reader.join(TIMEOUT)
    loader.join(TIMEOUT)
    assert seen == [["first", "last", "slow"]]


def test_registration_from_a_direct_import_during_another_threads_load_does_not_deadlock(
    plugins: Plugins,
) -> None:
    plugins.write_registry("(P + 'shared', P + 'other')")
    plugins.write_module("shared", wait=True)
    plugins.write_module("other")
    package = plugins.load()
    registry = plugins.registry()
    # one thread imports "shared" directly (as `from codecs import shared` would) ...
    importer = threading.Thread(
        target=importlib.import_module, args=(f"{plugins.package}.shared",), daemon=True
    )
    importer.start()
    assert package.STARTED.wait(TIMEOUT)
    # ... while another loads the registry, which waits for that same import to finish
    seen: list[object] = []
    loader = threading.Thread(target=lambda: seen.append(sorted(registry.names())), daemon=True)
    loader.start()
    time.sleep(0.2)

    package.PROCEED.set()  # "shared" now registers, while the loader holds the load lock
    importer.join(TIMEOUT)
    loader.join(TIMEOUT)

    assert not importer.is_alive() and not loader.is_alive(), "registration deadlocked with loading"
    assert seen == [["other", "shared"]]


def test_a_named_module_is_imported_only_when_its_name_is_asked_for(plugins: Plugins) -> None:
    plugins.write_registry("{'a': P + 'a', 'b': P + 'b'}")
    plugins.write_module("a")
    plugins.write_module("b")
    registry = plugins.registry()

    assert registry.names() == ["a", "b"]
    assert registry.get("a") == "A"
    assert f"{plugins.package}.a" in sys.modules
    assert f"{plugins.package}.b" not in sys.modules


def test_an_entry_registered_at_run_time_is_found_and_named(plugins: Plugins) -> None:
    plugins.write_registry("{'a': P + 'a'}")
    plugins.write_module("a")
    registry = plugins.registry()

    registry.register("extra", "EXTRA")

    assert registry.get("extra") == "EXTRA"
    assert registry.names() == ["a", "extra"]


def test_an_unknown_name_gets_the_registrys_error_naming_what_is_known(plugins: Plugins) -> None:
    plugins.write_registry("(P + 'a', P + 'b')")
    plugins.write_module("a")
    plugins.write_module("b")

    with pytest.raises(UnsupportedFormat, match=r"unknown widget 'zz'; known widgets: a, b$"):
        plugins.registry().get("zz")


def test_an_unknown_name_is_a_config_error_by_default() -> None:
    registry: Registry[int] = Registry("source type", {"inbox": "syndicate.sources.inbox"})

    with pytest.raises(ConfigError, match=r"^unknown source type 'ftp'; known: inbox$"):
        registry.get("ftp")


def test_unknown_formats_destinations_and_engines_keep_their_pointed_messages() -> None:
    with pytest.raises(UnsupportedFormat, match=r"unknown format 'docx'; known formats: .*newsmlg2"):
        formats.get("docx")
    with pytest.raises(ConfigError, match=r"unknown destination type 'ftp'; known: directory, "):
        destinations.create("ftp", {})
    with pytest.raises(ConfigError, match=r"unknown translation engine 'deepl'; known: .*apertium"):
        get_engine("deepl", TranslationSettings())
