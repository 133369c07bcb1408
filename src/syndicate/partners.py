"""The pipeline configuration: partners (languages, formats, item classes, destinations), sources,
translation.

Loaded from YAML and validated with pydantic; a bad file fails at start-up with a message
that names the file and the offending field.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from syndicate.errors import ConfigError
from syndicate.item import ItemClass
from syndicate.timeparse import time_zone
from syndicate.translate.config import TranslationSettings


def _lang(value: str) -> str:
    # BCP 47 subtags compare case-insensitively; we keep the primary subtag lower case
    value = value.strip().replace("_", "-")
    if not value or not all(part.isalnum() for part in value.split("-")):
        raise ValueError(f"{value!r} is not a BCP 47 language tag")
    head, _, rest = value.partition("-")
    return head.lower() + (f"-{rest}" if rest else "")


def _zone_name(value: str | None) -> str | None:
    if value is None:
        return None
    time_zone(value)  # an unknown zone is a ValueError naming it
    return value.strip()


class DestinationConfig(BaseModel):
    """One place a partner's copy goes; the options beside ``type`` belong to that destination."""

    model_config = ConfigDict(extra="allow", frozen=True)

    type: str
    #: stable name of this destination within the partner (defaults to its position)
    id: str | None = None

    def options(self) -> dict[str, object]:
        return dict(self.model_extra or {})


class PartnerConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    languages: tuple[str, ...]
    formats: tuple[str, ...] = ("newsmlg2",)
    destinations: tuple[DestinationConfig, ...] = ()
    #: house style of this partner's datelines (None: its language's default), applied at export
    style: str | None = None
    #: the environment variable holding this partner's feed token (bearer token or API key)
    feed_token_env: str | None = Field(default=None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    #: the classes of item this partner takes: text stories only, unless it names pictures,
    #: graphics, video or audio as well
    item_classes: tuple[ItemClass, ...] = (ItemClass.TEXT,)

    @field_validator("languages")
    @classmethod
    def _langs(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("name at least one language")
        return tuple(_lang(v) for v in value)

    @field_validator("item_classes", mode="before")
    @classmethod
    def _classes(cls, value: object) -> tuple[ItemClass, ...]:
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list | tuple) or not names:
            raise ValueError("name at least one item class (text, picture, graphic, video, audio)")
        classes: list[ItemClass] = []
        for name in names:
            found = name if isinstance(name, ItemClass) else None
            if found is None and isinstance(name, str):
                found = next((c for c in ItemClass if c.value == name.strip().lower()), None)
            if found is None:
                raise ValueError(
                    f"{name!r} is not an item class; name text, picture, graphic, video or audio"
                )
            if found not in classes:
                classes.append(found)
        return tuple(classes)

    def takes(self, item_class: ItemClass) -> bool:
        """True when this partner takes items of ``item_class``."""
        return item_class in self.item_classes

    @model_validator(mode="after")
    def _feed_needs_token(self) -> PartnerConfig:
        if self.has_feed and self.feed_token_env is None:
            raise ValueError(
                f"partner {self.id!r} has a feed destination but no feed_token_env: name the "
                "environment variable that holds the token it pulls its feed with "
                "(feed_token_env: ACME_FEED_TOKEN)"
            )
        ids = self.destination_ids()
        if len(set(ids)) != len(ids):
            raise ValueError(f"partner {self.id!r} names two destinations with the same id")
        return self

    @property
    def has_feed(self) -> bool:
        """True when the partner pulls a feed from ``syndicate serve``."""
        return any(d.type == "feed" for d in self.destinations)

    def destination_ids(self) -> list[str]:
        return [d.id or str(i) for i, d in enumerate(self.destinations)]

    def destination(self, dest_id: str) -> DestinationConfig:
        for did, dest in zip(self.destination_ids(), self.destinations, strict=True):
            if did == dest_id:
                return dest
        raise ConfigError(f"partner {self.id!r} has no destination {dest_id!r}")


class SourceConfig(BaseModel):
    """One place wire copy arrives from; options beside ``type`` belong to that source kind."""

    model_config = ConfigDict(extra="allow", frozen=True)

    type: str
    name: str | None = None
    #: IANA zone of the times this source writes without one (None: the ``ingest:`` default)
    timezone: str | None = None
    #: the source's e-mails are forms: labelled fields (``Headline:``, ``Byline:``, ``Body:``)
    #: that win over the Subject and From
    email_form: bool = False

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        return _zone_name(value)

    def options(self) -> dict[str, object]:
        return dict(self.model_extra or {})

    def key(self, index: int) -> str:
        return self.name or f"{self.type}-{index}"


class TranslationConfig(TranslationSettings):
    """The ``translation:`` section: every setting of the translate package (engines per pair,
    pivot, Argos and Apertium, the sentence cache, protected terms), which it is given as is,
    and the pipeline's own choices below."""

    #: engine name for ``syndicate.translate`` (None: its own default choice per pair)
    engine: str | None = None
    #: house style of the translated datelines (None: the target language's default)
    style: str | None = None
    #: language pairs ("en-es") that get a queue of their own, ``translate.en-es``
    dedicated_queues: tuple[str, ...] = ()


class IngestConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    #: assumed when the input does not say (e.g. a plain-text wire story)
    language: str | None = None
    provider: str | None = None
    format: str = "auto"
    #: IANA zone of times written without one, for HTTP push and every source that names none
    #: (None: UTC, or a codec's own better guess such as the dateline city's zone)
    timezone: str | None = None

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        return _zone_name(value)


class PipelineConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    partners: tuple[PartnerConfig, ...] = ()
    sources: tuple[SourceConfig, ...] = ()
    translation: TranslationConfig = TranslationConfig()
    ingest: IngestConfig = IngestConfig()
    #: the folder ``syndicate run`` watches when no --inbox is given (relative to the data dir)
    inbox: Path | None = None

    @field_validator("partners")
    @classmethod
    def _unique_ids(cls, value: tuple[PartnerConfig, ...]) -> tuple[PartnerConfig, ...]:
        seen: set[str] = set()
        for p in value:
            if p.id in seen:
                raise ValueError(f"partner id {p.id!r} appears twice")
            seen.add(p.id)
        return value

    def source_timezone(self, source: str | None) -> dt.tzinfo | None:
        """The zone times without one are read in for input from ``source`` (a source's key, or
        "push"): the source's own ``timezone``, else ``ingest.timezone``, else None."""
        name = self.ingest.timezone
        for index, cfg in enumerate(self.sources):
            if cfg.key(index) == source and cfg.timezone:
                name = cfg.timezone
        return time_zone(name) if name else None

    def source_email_form(self, source: str | None) -> bool:
        """Whether e-mail from ``source`` (a source's key) is a form of labelled fields."""
        return any(cfg.key(index) == source and cfg.email_form for index, cfg in enumerate(self.sources))

    def partner(self, partner_id: str) -> PartnerConfig:
        for p in self.partners:
            if p.id == partner_id:
                return p
        raise ConfigError(f"no partner {partner_id!r} in the configuration")

    def target_languages(self, source_language: str, item_class: ItemClass | None = None
                         ) -> list[str]:
        """Languages some partner wants that differ from the item's own, in config order; with
        ``item_class``, only partners that take items of that class count."""
        src = _lang(source_language)
        out: list[str] = []
        for p in self.partners:
            if item_class is not None and not p.takes(item_class):
                continue
            for lang in p.languages:
                if not same_language(lang, src) and lang not in out:
                    out.append(lang)
        return out

    def partners_for(self, language: str, source_language: str,
                     item_class: ItemClass | None = None) -> list[PartnerConfig]:
        """Partners that receive copy in ``language`` for an item written in ``source_language``;
        with ``item_class``, only those that take items of that class."""
        out = []
        for p in self.partners:
            if item_class is not None and not p.takes(item_class):
                continue
            for lang in p.languages:
                if same_language(language, source_language):
                    if same_language(lang, source_language):
                        out.append(p)
                        break
                elif lang == language:
                    out.append(p)
                    break
        return out


def same_language(a: str, b: str) -> bool:
    """Primary subtags match: an item in "en-GB" serves a partner asking for "en"."""
    return _lang(a).split("-")[0] == _lang(b).split("-")[0]


def parse_config(text: str, origin: str = "<config>") -> PipelineConfig:
    try:
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{origin}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{origin}: expected a mapping at the top level")
    try:
        return PipelineConfig.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigError(f"{origin}: {problems}") from None


def load_config(path: Path) -> PipelineConfig:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"configuration file {path} not found (set SYNDICATE_CONFIG or pass --config)"
        ) from None
    return parse_config(text, str(path))


@functools.cache
def cached_config(path: str) -> PipelineConfig:
    """The configuration at ``path``, read once per process (workers call this per task)."""
    return load_config(Path(path))
