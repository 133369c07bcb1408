"""Fixtures for the translation tests: tiny real Argos packages installed in a temp folder."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import argos_tiny
from syndicate.translate.argos import ArgosEngine, install_package_file
from syndicate.translate.config import (
    ArgosSettings,
    CacheSettings,
    TranslationSettings,
)
from syndicate.translate.engine import register_engine
from syndicate.translate.segment import Placeholders

#: the packages folder, built once per test session however many modules use the fixture
_built: list[Path] = []


@pytest.fixture(scope="session")
def argos_packages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An Argos packages folder holding tiny real en->es and en->de packages."""
    if not _built:
        build = tmp_path_factory.mktemp("argos-build")
        dest = tmp_path_factory.mktemp("argos-packages")
        install_package_file(argos_tiny.build_package(build, "en", "es", seed=5), dest)
        install_package_file(argos_tiny.build_package(build, "en", "de", package_version="1.1", seed=6), dest)
        _built.append(dest)
    return _built[0]


def tiny_settings(packages: Path, **changes: object) -> TranslationSettings:
    """Settings for the tiny model: small beams and short outputs keep the tests fast."""
    base = TranslationSettings(
        argos=ArgosSettings(packages_dir=packages, beam_size=2, max_decoding_length=24, inter_threads=1),
        cache=CacheSettings(enabled=False),
    )
    return base.model_copy(update=changes)


@pytest.fixture()
def argos_settings(argos_packages: Path) -> TranslationSettings:
    return tiny_settings(argos_packages)


class CountingEngine:
    """The real Argos engine, counting the sentences it is asked to translate."""

    name = "counted"

    def __init__(self, inner: ArgosEngine) -> None:
        self.inner = inner
        self.calls: list[list[str]] = []

    def translate_batch(self, sentences: Sequence[str], source: str, target: str) -> list[str]:
        self.calls.append(list(sentences))
        return self.inner.translate_batch(sentences, source, target)

    def supports(self, source: str, target: str) -> bool:
        return self.inner.supports(source, target)

    def pairs(self) -> list[tuple[str, str]]:
        return self.inner.pairs()

    def model_version(self, source: str, target: str) -> str:
        return self.inner.model_version(source, target)

    def placeholders(self, source: str, target: str) -> Placeholders:
        return self.inner.placeholders(source, target)

    @property
    def sentences(self) -> int:
        return sum(len(c) for c in self.calls)


@pytest.fixture()
def counted(argos_settings: TranslationSettings) -> CountingEngine:
    """A counting wrapper registered as engine "counted" (a fresh one per test)."""
    from syndicate.translate.engine import reset_engines

    engine = CountingEngine(ArgosEngine(argos_settings.argos))
    register_engine("counted", lambda _settings: engine)
    reset_engines()
    return engine
