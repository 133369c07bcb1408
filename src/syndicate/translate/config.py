"""Translation settings: engines, engine choice per language pair, protected terms, the cache.

Read from ``configs/translation.yaml`` (or the file named by ``SYNDICATE_TRANSLATION_CONFIG``)
and validated with pydantic; without a file the built-in defaults apply: Argos where a package
is installed, else Apertium, pivoting through English when no direct pair exists.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from syndicate.errors import ConfigError

ENV_CONFIG = "SYNDICATE_TRANSLATION_CONFIG"
PROJECT_CONFIG = Path("configs") / "translation.yaml"

_PAIR = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]+)*->[a-z]{2,3}(?:-[A-Za-z0-9]+)*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ArgosSettings(_Strict):
    """CTranslate2 settings for the Argos engine, tuned for a translate worker on a small host."""

    #: where Argos packages are installed; unset means ARGOS_PACKAGES_DIR or Argos' own default
    packages_dir: Path | None = None
    #: batches decoded in parallel (one per core is right for a dedicated worker)
    inter_threads: int = Field(default=2, ge=1, le=64)
    #: threads inside one batch; more than one slowed decoding on 2-core hosts
    intra_threads: int = Field(default=1, ge=0, le=64)
    beam_size: int = Field(default=4, ge=1, le=16)
    max_batch_size: int = Field(default=16, ge=1, le=4096)
    batch_type: Literal["examples", "tokens"] = "examples"
    compute_type: str = "int8"
    #: upper bound of output tokens per sentence; the engine also caps it by the input length
    max_decoding_length: int = Field(default=256, ge=8, le=4096)
    length_penalty: float = 0.2
    device: Literal["cpu", "cuda", "auto"] = "cpu"


class ApertiumSettings(_Strict):
    """How to run Apertium: the command and where its installed modes are listed."""

    command: str = "apertium"
    #: directories holding ``*.mode`` files; Debian installs them in /usr/share/apertium/modes
    modes_dirs: tuple[Path, ...] = (Path("/usr/share/apertium/modes"),)
    #: keep Apertium's '*', '#', '@' marks on unknown or untranslatable words (off: the marks
    #: would reach partners; unknown words, mostly names, come through as written)
    mark_unknown: bool = False
    #: seconds one batch may take before the process is killed
    timeout: float = Field(default=300.0, gt=0)


class CacheSettings(_Strict):
    """The sentence cache: Redis when SYNDICATE_REDIS_URL is set, else in-process memory."""

    enabled: bool = True
    #: overrides SYNDICATE_REDIS_URL; "" forces the in-process cache
    redis_url: str | None = None
    prefix: str = "syndicate:mt:"
    #: seconds a cached translation lives in Redis (30 days)
    ttl: int = Field(default=30 * 24 * 3600, ge=1)
    #: entries kept by the in-process cache before the oldest are dropped
    max_entries: int = Field(default=200_000, ge=1)


class ProtectSettings(_Strict):
    """What segmentation masks so the engine cannot change it."""

    numbers: bool = True
    urls: bool = True
    emails: bool = True
    handles: bool = True
    tickers: bool = True
    agency_tags: bool = True
    #: terms that must come through unchanged (brand names, programme titles ...)
    do_not_translate: tuple[str, ...] = ()


class TranslationSettings(_Strict):
    """The whole translation configuration."""

    #: engines tried in this order for a pair that ``pairs`` does not name
    prefer: tuple[str, ...] = ("argos", "apertium")
    #: engine per language pair, e.g. ``{"en->es": "apertium"}``
    pairs: dict[str, str] = Field(default_factory=dict)
    #: language to pivot through when no engine has a direct pair ("" disables pivoting)
    pivot: str = "en"
    argos: ArgosSettings = ArgosSettings()
    apertium: ApertiumSettings = ApertiumSettings()
    cache: CacheSettings = CacheSettings()
    protect: ProtectSettings = ProtectSettings()

    @field_validator("pairs")
    @classmethod
    def _pair_keys(cls, value: dict[str, str]) -> dict[str, str]:
        for key in value:
            if not _PAIR.match(key):
                raise ValueError(
                    f"pair {key!r} is not written as SOURCE->TARGET with BCP 47 codes (for example 'en->es')"
                )
        return value

    def engine_for(self, source: str, target: str) -> str | None:
        return self.pairs.get(f"{source}->{target}")


def _describe(exc: ValidationError, path: Path | str) -> str:
    lines = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        lines.append(f"  {where}: {err['msg']}")
    return f"invalid translation configuration in {path}:\n" + "\n".join(lines)


def parse_settings(text: str, source: str = "<string>") -> TranslationSettings:
    """Validate YAML text as translation settings; errors name the file and the field."""
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{source} must hold a mapping of settings, not {type(data).__name__}")
    # the file may hold the settings at top level or under a "translation:" key
    if set(data) == {"translation"} and isinstance(data["translation"], dict):
        data = data["translation"]
    try:
        return TranslationSettings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, source)) from None


def config_path() -> Path | None:
    """The configuration file in effect: the environment's, else the project's, else none."""
    env = os.environ.get(ENV_CONFIG)
    if env:
        path = Path(env)
        if not path.is_file():
            raise ConfigError(f"{ENV_CONFIG} names {path}, which is not a readable file")
        return path
    return PROJECT_CONFIG if PROJECT_CONFIG.is_file() else None


def load_settings(path: Path | None = None) -> TranslationSettings:
    """Load and validate the translation settings (built-in defaults when there is no file)."""
    path = path or config_path()
    if path is None:
        return TranslationSettings()
    return _load_file(path.resolve(), path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _load_file(path: Path, _mtime: int) -> TranslationSettings:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read the translation configuration {path}: {exc}") from None
    return parse_settings(text, str(path))
