"""The house-style book: each style's templates per language, language rules and agency credits.

House styles are data (``data/dateline_styles.yaml``), the agencies and their credits come
from the agency table (:mod:`syndicate.dateline.agencies`); both are validated and loaded once.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from syndicate.dateline import places
from syndicate.dateline.agencies import Agency, load_agencies, parse_agencies
from syndicate.errors import ConfigError

#: the style that holds each language's own convention; every other style falls back to it
LOCAL_STYLE = "local"
_ANY = "*"
_CASES = ("upper", "title", "keep")
_FIELDS = frozenset({"city", "date", "day", "month", "year", "source", "region", "country"})
#: a field of a template pattern ("{city}")
FIELD_RE = re.compile(r"\{(\w+)\}")

# --------------------------------------------------------------------------- style data


@dataclass(frozen=True, slots=True)
class Template:
    """How one style writes a dateline in one language."""

    pattern: str
    city_case: str = "keep"
    #: CLDR date skeleton for {date}; None where the style writes no date
    date: str | None = None
    date_case: str = "keep"
    #: twelve month names replacing CLDR's (AP abbreviations); empty for CLDR's own
    months: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Style:
    name: str
    description: str
    #: (language, template) pairs; "*" matches any language
    templates: tuple[tuple[str, Template], ...]

    def template(self, language: str) -> Template | None:
        table = dict(self.templates)
        for lang in (*places._language_chain(language), _ANY):
            if lang in table:
                return table[lang]
        return None

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(lang for lang, _ in self.templates)


@dataclass(frozen=True, slots=True)
class LanguageRules:
    separator: str = ", "
    caseless: bool = False
    #: letters whose upper case differs in this language (Turkish dotted and dotless i)
    upper_map: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class StyleBook:
    """Every house style, per-language rules and the agencies whose credit is localized."""

    styles: Mapping[str, Style]
    languages: Mapping[str, LanguageRules]
    agencies: tuple[Agency, ...]
    #: (language, style) pairs: the style of a partner that names none; "*" for any language
    partner_defaults: tuple[tuple[str, str], ...] = ((_ANY, LOCAL_STYLE),)

    def default_style(self, language: str) -> str:
        """The style a partner in ``language`` gets when its configuration names none."""
        table = dict(self.partner_defaults)
        for lang in (*places._language_chain(language), _ANY):
            if lang in table:
                return table[lang]
        return LOCAL_STYLE

    def style(self, name: str) -> Style:
        key = name.strip().lower()
        if key not in self.styles:
            raise ConfigError(
                f"unknown dateline style {name!r}; known styles: {', '.join(sorted(self.styles))}"
            )
        return self.styles[key]

    def rules(self, language: str) -> LanguageRules:
        for lang in places._language_chain(language):
            if lang in self.languages:
                return self.languages[lang]
        return LanguageRules()

    @functools.cached_property
    def _agency_index(self) -> dict[str, Agency]:
        index: dict[str, Agency] = {}
        for a in self.agencies:
            for name in (a.name, *a.aliases, *dict(a.names).values()):
                index.setdefault(places.normalize_name(name), a)
        return index

    def agency(self, source: str | None) -> Agency | None:
        """The agency a credited source names, in any of its spellings ("ТАСС" is TASS)."""
        return self._agency_index.get(places.normalize_name(source)) if source else None


def _fail(where: str, what: str) -> ConfigError:
    return ConfigError(f"dateline styles {where}: {what}")


def _template(where: str, raw: Any) -> Template:
    if isinstance(raw, str):
        raw = {"pattern": raw}
    if not isinstance(raw, dict) or not isinstance(raw.get("pattern"), str):
        raise _fail(where, "a template needs a 'pattern' string")
    unknown = set(raw) - {"pattern", "city_case", "date", "date_case", "months"}
    if unknown:
        raise _fail(where, f"unknown template options {sorted(unknown)}")
    bad = set(FIELD_RE.findall(raw["pattern"])) - _FIELDS
    if bad:
        raise _fail(where, f"unknown fields {sorted(bad)}; fields are {sorted(_FIELDS)}")
    for opt in ("city_case", "date_case"):
        if raw.get(opt, "keep") not in _CASES:
            raise _fail(where, f"{opt} must be one of {', '.join(_CASES)}")
    months = tuple(str(m) for m in raw.get("months") or ())
    if months and len(months) != 12:
        raise _fail(where, "months must list twelve names")
    return Template(
        pattern=raw["pattern"],
        city_case=raw.get("city_case", "keep"),
        date=str(raw["date"]) if raw.get("date") else None,
        date_case=raw.get("date_case", "keep"),
        months=months,
    )


def parse_styles(data: Any, where: str = "<data>") -> StyleBook:
    """Validate the YAML document of house styles and build the StyleBook."""
    if not isinstance(data, dict) or not isinstance(data.get("styles"), dict):
        raise _fail(where, "expected a mapping with a 'styles' section")
    styles: dict[str, Style] = {}
    for name, body in data["styles"].items():
        if not isinstance(body, dict) or not isinstance(body.get("templates"), dict):
            raise _fail(f"{where} style {name!r}", "needs a 'templates' mapping")
        templates = tuple(
            (str(lang), _template(f"{where} style {name!r} language {lang!r}", raw))
            for lang, raw in body["templates"].items()
        )
        styles[str(name).lower()] = Style(str(name).lower(), str(body.get("description", "")), templates)
    if LOCAL_STYLE not in styles or styles[LOCAL_STYLE].template("xx") is None:
        raise _fail(where, f"the {LOCAL_STYLE!r} style must exist and have a '*' template")
    langs: dict[str, LanguageRules] = {}
    for lang, body in (data.get("languages") or {}).items():
        body = body or {}
        langs[str(lang)] = LanguageRules(
            separator=str(body.get("separator", ", ")),
            caseless=bool(body.get("caseless", False)),
            upper_map=tuple((str(k), str(v)) for k, v in (body.get("upper_map") or {}).items()),
        )
    # a style document may carry its own agencies, in the agency table's form; else the table
    if "sources" in data:
        agencies = parse_agencies(data["sources"] or {}, where)
        for a in agencies:
            if a.style is not None and a.style not in styles:
                raise _fail(f"{where} source {a.name!r}", f"names unknown style {a.style!r}")
    else:
        agencies = load_agencies()
    defaults: list[tuple[str, str]] = []
    for lang, name in (data.get("partner_defaults") or {_ANY: LOCAL_STYLE}).items():
        if str(name).lower() not in styles:
            raise _fail(f"{where} partner_defaults {lang!r}", f"names unknown style {name!r}")
        defaults.append((str(lang).lower(), str(name).lower()))
    return StyleBook(styles, langs, tuple(a for a in agencies if a.localized), tuple(defaults))


@functools.lru_cache(maxsize=8)
def _load_styles(path: str) -> StyleBook:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read dateline styles {path}: {exc.strerror}") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"dateline styles {path} is not valid YAML: {exc}") from exc
    return parse_styles(data, path)


def load_styles(path: str | os.PathLike[str] | None = None) -> StyleBook:
    """The house styles shipped with syndicate, or those in ``path`` (loaded once)."""
    if path is None:
        path = str(resources.files("syndicate").joinpath("data", "dateline_styles.yaml"))
    return _load_styles(os.fspath(path))


def known_styles() -> tuple[str, ...]:
    return tuple(sorted(load_styles().styles))


