"""The pipeline configuration: partners (languages, formats, item classes, destinations), sources,
translation.

Loaded from YAML and validated with pydantic; a bad file fails at start-up with a message
that names the file and the offending field.
"""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import re
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

from syndicate.contracts import PartnerFilter, item_classes
from syndicate.errors import ConfigError
from syndicate.formats import RenderOptions
from syndicate.item import ItemClass, NewsItem
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


class FormatOptions(BaseModel):
    """How one format is written for a partner (``format_options: {iptc7901: {charset: ...}}``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: the character set of a text format; what it cannot hold is transliterated
    charset: str | None = None

    @field_validator("charset")
    @classmethod
    def _charset(cls, value: str | None) -> str | None:
        if value is None:
            return None
        name = value.strip().lower()
        try:
            codecs.lookup(name)
        except LookupError:
            raise ValueError(
                f"{value!r} is not a character set Python knows (iso-8859-1, windows-1252, "
                "koi8-r, windows-1251, utf-8 ...)"
            ) from None
        return name

    def render_options(self) -> RenderOptions:
        return RenderOptions(charset=self.charset)


class RetentionConfig(BaseModel):
    """How long a partner's history is kept: its feed entries (with their items) and its
    delivery ledger older than ``days``, and its feed entries beyond the newest ``entries`` of
    each language, are pruned."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    days: float | None = Field(default=None, gt=0)
    entries: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _something(self) -> RetentionConfig:
        if self.days is None and self.entries is None:
            raise ValueError("a retention with neither days nor entries prunes nothing: give "
                             "days, entries or both (retention: {days: 30, entries: 5000}), or "
                             "leave retention out to keep everything")
        return self


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
    #: while a token is replaced: the variable holding the next one; both are accepted as long
    #: as it is set (unset or empty: only the current one)
    feed_token_next_env: str | None = Field(default=None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    #: the classes of item this partner takes: text stories only, unless it names pictures,
    #: graphics, video or audio as well (also ``filter: item_classes:``)
    item_classes: tuple[ItemClass, ...] = (ItemClass.TEXT,)
    #: what its contract lets it receive (agencies, subjects, urgency, countries)
    filter: PartnerFilter = PartnerFilter()
    #: per language pair ("en-es"), terms translated this partner's way: {"Baltic": "Báltico"}
    glossary: dict[str, dict[str, str]] = Field(default_factory=dict)
    #: terms that reach this partner as written, in every language
    do_not_translate: tuple[str, ...] = ()
    #: how some of its formats are written, by format name (a charset for iptc7901)
    format_options: dict[str, FormatOptions] = Field(default_factory=dict)
    #: a correction or an update opens with an editor's note to readers, in every format
    visible_corrections: bool = False
    #: how much of its history is kept (None: all of it)
    retention: RetentionConfig | None = None

    @model_validator(mode="before")
    @classmethod
    def _filter_classes(cls, data: object) -> object:
        # the classes may be named at the partner or in its filter, not differently in both
        if isinstance(data, dict) and isinstance(data.get("filter"), dict) and \
                data["filter"].get("item_classes") is not None:
            inner = item_classes(data["filter"]["item_classes"])
            if "item_classes" in data and item_classes(data["item_classes"]) != inner:
                raise ValueError("item_classes is given twice (at the partner and in its "
                                 "filter) with different classes: name them once")
            data = {**data, "item_classes": inner}
        return data

    @field_validator("glossary")
    @classmethod
    def _glossary(cls, value: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        for pair, terms in value.items():
            source, sep, target = pair.replace("->", "-").partition("-")
            if not sep or not all(len(c) in (2, 3) and c.isalpha() and c.isascii()
                                  for c in (source, target)):
                raise ValueError(f"glossary pair {pair!r} is not written SOURCE-TARGET with "
                                 "two language codes (en-es)")
            empty = [k for k, v in terms.items() if not k.strip() or not v.strip()]
            if empty:
                raise ValueError(f"glossary {pair}: empty term {empty[0]!r}")
            out[f"{source.lower()}-{target.lower()}"] = {k.strip(): v.strip()
                                                        for k, v in terms.items()}
        return out

    @field_validator("do_not_translate")
    @classmethod
    def _terms(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(t.strip() for t in value if t.strip())

    @field_validator("languages")
    @classmethod
    def _langs(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("name at least one language")
        return tuple(_lang(v) for v in value)

    @field_validator("item_classes", mode="before")
    @classmethod
    def _classes(cls, value: object) -> tuple[ItemClass, ...]:
        return item_classes(value)

    @model_validator(mode="after")
    def _options_name_formats(self) -> PartnerConfig:
        stray = [name for name in self.format_options if name not in self.formats]
        if stray:
            raise ValueError(
                f"partner {self.id!r} has format_options for {', '.join(map(repr, stray))}, "
                f"which it does not take (formats: {', '.join(self.formats)})"
            )
        return self

    def render_options(self, fmt: str) -> RenderOptions:
        """How this partner gets format ``fmt`` written (the defaults when it says nothing)."""
        options = self.format_options.get(fmt)
        return options.render_options() if options is not None else RenderOptions()

    def takes(self, item_class: ItemClass) -> bool:
        """True when this partner takes items of ``item_class``."""
        return item_class in self.item_classes

    def refusal(self, item: NewsItem) -> str | None:
        """Why its contract keeps ``item`` from this partner, or None when it may have it.
        A kill or a hold is never refused: it goes wherever the story went."""
        if item.pub_status.withdraws:
            return None
        if not self.takes(item.item_class):
            return f"item class {item.item_class.value} is not taken"
        return self.filter.refusal(item)

    def accepts(self, item: NewsItem) -> bool:
        return self.refusal(item) is None

    def glossary_for(self, source: str, target: str) -> dict[str, str]:
        """This partner's glossary for ``source`` -> ``target`` (primary language subtags)."""
        return self.glossary.get(f"{_lang(source).split('-')[0]}-{_lang(target).split('-')[0]}",
                                 {})

    def translation_settings(self, base: TranslationConfig, source: str, target: str
                             ) -> TranslationConfig:
        """``base`` with this partner's kept terms and its glossary for the pair added to what
        the translation stage protects (a glossary term reaches the engine as a stand-in and
        comes back as the partner's rendering, so the sentence cache holds no partner's terms)."""
        protect = base.protect.model_copy(update={
            "do_not_translate": (*base.protect.do_not_translate, *self.do_not_translate),
            "glossary": tuple(sorted(self.glossary_for(source, target).items())),
        })
        return base.model_copy(update={"protect": protect})

    def translates_own_way(self, source: str, target: str) -> bool:
        """True when copy translated for this partner differs from everyone's (a glossary for
        the pair, or terms kept as written): it gets a translation of its own."""
        return bool(self.do_not_translate or self.glossary_for(source, target))

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


DEFAULT_QUIET_AFTER = 30 * 60.0
_DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(value: object) -> float:
    """Seconds from a number or from "90s", "30m", "2h", "1h30m", "1d"; ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError("a duration is seconds or text such as 30m or 2h, not true/false")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        text = str(value).strip().lower()
        parts = re.findall(r"(\d+(?:\.\d+)?)\s*([smhd])", text)
        if re.fullmatch(r"\d+(?:\.\d+)?", text):
            seconds = float(text)
        elif parts and re.fullmatch(r"(?:\s*\d+(?:\.\d+)?\s*[smhd])+\s*", text):
            seconds = sum(float(n) * _DURATION_UNITS[u] for n, u in parts)
        else:
            raise ValueError(f"{value!r} is not a duration: write seconds, or e.g. 30m, 2h, 1h30m")
    if seconds <= 0:
        raise ValueError(f"{value!r}: a duration must be longer than zero")
    return seconds


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
    #: seconds without an arrival after which the source counts as quiet (`syndicate status`,
    #: /ops); written as seconds or as a duration such as "30m", "2h", "1h30m"
    quiet_after: float = DEFAULT_QUIET_AFTER

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        return _zone_name(value)

    @field_validator("quiet_after", mode="before")
    @classmethod
    def _duration(cls, value: object) -> float:
        return parse_duration(value)

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
