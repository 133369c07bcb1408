"""Translation settings: engines, engine choice per language pair, protected terms, the cache.

These are the ``translation:`` section of the pipeline configuration file (the pipeline's
model extends :class:`TranslationSettings` with its own keys); the translate package reads no
file and no environment: callers pass the settings in, and ``TranslationSettings()`` gives the
built-in defaults: Argos where a package is installed, else Apertium, pivoting through English
when no direct pair exists.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

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
    #: most sentences per batch; a call is shared out in batches every thread gets (batch_size)
    max_batch_size: int = Field(default=32, ge=1, le=4096)
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
    #: keep one Apertium pipeline running per process and pair, in its null-flush mode (``-z``,
    #: the way Apertium's own HTTP server keeps pipelines alive); off: a new pipeline per batch
    warm: bool = True


class CacheSettings(_Strict):
    """The sentence cache: in the deployment's Redis (the state store's) when it has one, else
    in-process memory."""

    enabled: bool = True
    #: overrides the state store's Redis; "" forces the in-process cache
    redis_url: str | None = None
    prefix: str = "syndicate:mt:"
    #: seconds a cached translation lives in Redis (30 days)
    ttl: int = Field(default=30 * 24 * 3600, ge=1)
    #: seconds a worker waits for a sentence another worker is translating before it
    #: translates the sentence itself (Redis only; 0: workers never wait for each other)
    inflight_wait: float = Field(default=30.0, ge=0, le=3600)
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
    #: (term, rendering) pairs: each term is kept away from the engine like the ones above and
    #: comes back as its rendering (a partner's glossary for one language pair)
    glossary: tuple[tuple[str, str], ...] = ()


class TranslationSettings(_Strict):
    """The whole translation configuration, as the translate package sees it."""

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
