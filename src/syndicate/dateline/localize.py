"""Write a dateline in a partner's language and house style: exonym, CLDR date, localized source.

"MOSCOW, October 22. /TASS/." becomes "MOSKAU, 22. Oktober /TASS/." in German or
"МОСКВА, 22 октября. /ТАСС/." in Russian. House styles are data (:mod:`syndicate.dateline.styles`);
city names come from the exonym table (:mod:`syndicate.dateline.places`) and CLDR; dates from
CLDR via Babel.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton

from syndicate import numbers
from syndicate.dateline import places
from syndicate.dateline.styles import FIELD_RE, LOCAL_STYLE, Style, StyleBook, load_styles
from syndicate.errors import ConfigError
from syndicate.item import Block, BlockKind, Dateline, NewsItem, Place, Span, lead_index

# Directional marks and embeddings: right-to-left text is kept as the language writes it,
# with nothing inserted and nothing reordered.
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


# --------------------------------------------------------------------------- pieces


def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError) as exc:
        raise ConfigError(f"unknown language {language!r} for a dateline") from exc


def upper(text: str, language: str, book: StyleBook | None = None) -> str:
    """Upper case as the language writes it ("İSTANBUL" in Turkish); caseless scripts untouched."""
    rules = (book or load_styles()).rules(language)
    if rules.caseless:
        return text
    for lower_ch, upper_ch in rules.upper_map:
        text = text.replace(lower_ch, upper_ch)
    return text.upper()


def _apply_case(text: str, case: str, language: str, book: StyleBook) -> str:
    if case == "upper":
        return upper(text, language, book)
    if case == "title" and not book.rules(language).caseless:
        return text.title()
    return text


def format_date(
    date: dt.date,
    language: str,
    skeleton: str = "MMMMd",
    *,
    months: tuple[str, ...] = (),
) -> str:
    """The date as ``language`` writes it in datelines: "22. Oktober", "22 октября" (genitive,
    CLDR's format context), "10月22日", "22 de octubre", "22 أكتوبر".

    ``months`` replaces CLDR's month names (a style's own abbreviations); the day and order
    then follow the skeleton's English-like "{month} {day}".
    """
    if months:
        text = f"{months[date.month - 1]} {date.day}"
        return f"{text}, {date.year}" if "y" in skeleton else text
    text = format_skeleton(skeleton, date, locale=_locale(language))
    return _BIDI_CONTROLS.sub("", text)


def source_name(source: str | None, language: str, book: StyleBook | None = None) -> str | None:
    """The credited source as ``language`` writes it (TASS -> ТАСС in Russian, Xinhua -> 新华社)."""
    if not source:
        return None
    agency = (book or load_styles()).agency(source)
    return agency.name_in(language) if agency else source


def country_name(code: str, language: str) -> str | None:
    """CLDR's name of a country in ``language`` ("RU" -> "Russland")."""
    try:
        name = Locale.parse(language.replace("-", "_")).territories.get(code)
    except (UnknownLocaleError, ValueError):
        return None
    return str(name) if name else None


def _resolve_entry(dateline: Dateline, table: places.PlaceTable) -> places.PlaceEntry | None:
    place: Place | None = dateline.place
    if place is not None and place.key:
        entry = table.get(place.key)
        if entry is not None:
            return entry
    if not dateline.city:
        return None
    return table.resolve(
        dateline.city, region=dateline.region, country=dateline.country, language=dateline.language
    )


def _table(exonyms: places.PlaceTable | str | os.PathLike[str] | None) -> places.PlaceTable:
    if isinstance(exonyms, places.PlaceTable):
        return exonyms
    if exonyms is None:
        return places.default_table()
    return places.load_table(exonyms)


def _pick_style(dateline: Dateline, style: str | None, book: StyleBook) -> Style:
    if style:
        return book.style(style)  # a partner's explicit choice: unknown names are errors
    if dateline.style and dateline.style.lower() in book.styles:
        return book.styles[dateline.style.lower()]
    agency = book.agency(dateline.source)
    if agency and agency.style and agency.style in book.styles:
        return book.styles[agency.style]
    return book.styles[LOCAL_STYLE]


def _drop_field(pattern: str, name: str) -> str:
    """Remove a field that has no value, with the brackets or separator that frame it."""
    if name == "source":
        return re.sub(r"\s*[(（/\[［【]?\{source\}[)）/\]］】]?", "", pattern)
    field_re = r"\{" + name + r"\}"
    # "{city}, {date}" loses the separator after the city; "{city}, {date}." the one before the date
    if re.search(field_re + r"[,，、،]", pattern):
        return re.sub(field_re + r"[,，、،]\s*", "", pattern)
    return re.sub(r"[,，、،]?\s*" + field_re, "", pattern)


def _tidy(text: str) -> str:
    text = re.sub(r"\s+([.,])", r"\1", text)
    text = re.sub(r"\.{2,}", ".", text)
    text = re.sub(r"[ \t]{2,}", " ", text)
    # a field dropped at the start leaves its separator behind
    return text.strip().lstrip("-–—,，、، ").strip()


@dataclass(frozen=True, slots=True)
class _Parts:
    city: str
    region: str | None
    country: str | None


def _parts(dateline: Dateline, entry: places.PlaceEntry | None, language: str) -> _Parts:
    city = (places.city_name(entry, language) if entry else None) or dateline.city or ""
    # wire copy whose language the parser did not record is English in practice
    same_language = places.base_language(dateline.language or "en") == places.base_language(language)
    region = dateline.region
    if region and not same_language:
        # AP's "Pa." means nothing to a French reader: write the subdivision's name, as the
        # target language writes it ("Pensilvania", "Pennsylvanie"). The subdivision is looked
        # for in the place's country (else the country the dateline names): "PA" is Pará in
        # Brazil; the region text alone picks no country where two share a spelling.
        home = entry.country if entry else None
        if home is None and dateline.country:
            home = places.resolve_country(dateline.country)
        subs = places.resolve_region(region, home)
        if len(subs) == 1:
            region = subs[0].name_in(language)
    country = dateline.country
    if country and not same_language:
        code = (entry.country if entry else None) or places.resolve_country(country)
        country = (country_name(code, language) if code else None) or country
    return _Parts(city, region, country)


def format_dateline(
    dateline: Dateline,
    language: str,
    style: str | None = None,
    *,
    exonyms: places.PlaceTable | str | os.PathLike[str] | None = None,
    styles: StyleBook | None = None,
) -> str:
    """The dateline's text in ``language`` and house ``style`` (see :func:`localize_dateline`)."""
    return _render(dateline, language, style, exonyms=exonyms, styles=styles).text


@dataclass(frozen=True, slots=True)
class _Rendered:
    text: str
    parts: _Parts
    style: Style
    source: str | None


def _render(
    dateline: Dateline,
    language: str,
    style: str | None,
    *,
    exonyms: places.PlaceTable | str | os.PathLike[str] | None,
    styles: StyleBook | None,
) -> _Rendered:
    book = styles or load_styles()
    chosen = _pick_style(dateline, style, book)
    template = chosen.template(language)
    if template is None:
        chosen = book.styles[LOCAL_STYLE]
        template = chosen.template(language)
    assert template is not None  # parse_styles guarantees a "*" template in the local style
    _locale(language)  # an unknown language is a configuration error, not an English dateline

    entry = _resolve_entry(dateline, _table(exonyms))
    parts = _parts(dateline, entry, language)
    rules = book.rules(language)
    city = _apply_case(parts.city, template.city_case, language, book)
    pattern = template.pattern
    fields = set(FIELD_RE.findall(pattern))
    qualified = city
    if "region" not in fields and "country" not in fields:
        qualified = rules.separator.join(x for x in (city, parts.region, parts.country) if x)

    values: dict[str, str | None] = {
        "city": qualified,
        "region": parts.region,
        "country": parts.country,
        "source": source_name(dateline.source, language, book),
    }
    if dateline.date is not None:
        d = dateline.date
        date_text = format_date(d, language, template.date or "MMMMd", months=template.months)
        values["date"] = _apply_case(date_text, template.date_case, language, book)
        values["day"] = str(d.day)
        values["year"] = str(d.year)
        month = (
            template.months[d.month - 1]
            if template.months
            else format_skeleton("MMMM", d, locale=_locale(language))
        )
        values["month"] = _apply_case(month, template.date_case, language, book)
    for name in fields:
        if not values.get(name):
            pattern = _drop_field(pattern, name)
    text = _tidy(FIELD_RE.sub(lambda m: values.get(m.group(1)) or "", pattern))
    if not values["source"]:
        # the closing dash announces the credit; without one it would dangle
        text = re.sub(r"\s*(?:[-–—]+|\.-)$", "", text)
    return _Rendered(text, parts, chosen, values["source"])


def localize_dateline(
    dateline: Dateline,
    language: str,
    style: str | None = None,
    *,
    exonyms: places.PlaceTable | str | os.PathLike[str] | None = None,
    styles: StyleBook | None = None,
) -> Dateline:
    """A new Dateline written in ``language``: ``raw`` is the localized text, ``city`` the
    localized city (before any upper-casing of the style), ``region``/``country`` as the target
    language writes them, ``source`` the localized source, ``style`` the style used; ``place``
    and ``date`` are unchanged, so a translation's ``<located>`` keeps the machine-readable
    place.

    The style is ``style`` if given (unknown names raise ConfigError naming the known ones),
    else the style the dateline was written in, else the credited agency's own, else the
    language's ``local`` style. An unknown city is kept as written; its date and source are
    still localized.
    """
    out = _render(dateline, language, style, exonyms=exonyms, styles=styles)
    return dataclasses.replace(
        dateline,
        raw=out.text,
        city=out.parts.city or dateline.city,
        region=out.parts.region,
        country=out.parts.country,
        source=out.source,
        style=out.style.name,
        language=language,
    )


# --------------------------------------------------------------------------- per-partner export


def default_style(language: str, *, styles: StyleBook | None = None) -> str:
    """The house style of a partner in ``language`` whose configuration names none
    (``partner_defaults`` in the styles file: each language's ``local`` convention)."""
    return (styles or load_styles()).default_style(language)


def _replace_lead(body: tuple[Block, ...], old: str, new: str) -> tuple[Block, ...]:
    """The body with the dateline ``old`` at the head of its first block written as ``new``;
    unchanged when the body does not start with it (formats that carry the dateline apart)."""
    old = old.strip()
    at = lead_index(body)
    if at is None or not old or not new.strip():
        return body
    first = body[at]
    text = first.text
    lead = len(text) - len(text.lstrip())
    if not text[lead:].startswith(old):
        return body
    cut = lead + len(old)
    spans: list[Span] = []
    head: Span | None = None
    pos = 0
    for s in first.spans:
        end = pos + len(s.text)
        if head is None and end > lead:
            head = s  # the dateline keeps the markup it was written in (a bold dateline stays bold)
        if end > cut:
            spans.append(Span(s.text[max(cut - pos, 0):], s.bold, s.italic, s.href))
        pos = end
    assert head is not None  # the block holds the dateline, so some span covers it
    new_head = Span(text[:lead] + new.strip(), head.bold, head.italic, head.href)
    spans_out = tuple(x for x in (new_head, *spans) if x.text)
    return (*body[:at], dataclasses.replace(first, spans=spans_out), *body[at + 1:])


def localize_item(
    item: NewsItem,
    language: str,
    style: str | None = None,
    *,
    exonyms: places.PlaceTable | str | os.PathLike[str] | None = None,
    styles: StyleBook | None = None,
) -> NewsItem:
    """The item as a partner reading ``language`` in house ``style`` receives it.

    The dateline is written in ``style`` (None: the language's default, :func:`default_style`),
    whichever agency wrote the story, both in ``item.dateline`` and where it heads the first
    paragraph. Decimal and thousands separators in the headline, summary and body follow
    ``language`` (:func:`syndicate.numbers.localize_numbers`). Pure: the stored item is left as
    it is, so one translation per language serves every partner of that language, each in its
    own style. Unknown style names raise ConfigError naming the known ones.
    """
    book = styles or load_styles()
    chosen = style or book.default_style(language)
    book.style(chosen)  # a misconfigured style fails even for an item without a dateline
    dateline = item.dateline
    if dateline is not None:
        out = localize_dateline(dateline, language, chosen, exonyms=exonyms, styles=book)
        item = item.replace(dateline=out, body=_replace_lead(item.body, dateline.raw, out.raw))
    return _localize_numbers(item, language)


def _localize_numbers(item: NewsItem, language: str) -> NewsItem:
    # Translation keeps numbers as the source wrote them (they are masked from the engine),
    # so the source language's separators are the ones to read.
    source = item.translation.source_language if item.translation else item.language
    if numbers.symbols(source) == numbers.symbols(language):
        return item

    def text(value: str) -> str:
        return numbers.localize_numbers(value, source, language)

    def spans(run: tuple[Span, ...]) -> tuple[Span, ...]:
        return tuple(dataclasses.replace(s, text=text(s.text)) for s in run)

    # agate is kept as written; a table's cells and a figure's caption are copy like any other
    body = tuple(
        block if block.kind == BlockKind.PREFORMATTED
        else dataclasses.replace(
            block, spans=spans(block.spans),
            rows=tuple(tuple(dataclasses.replace(c, spans=spans(c.spans)) for c in row)
                       for row in block.rows),
        ) if block.rows
        else dataclasses.replace(block, spans=spans(block.spans))
        for block in item.body
    )
    return item.replace(
        headline=text(item.headline),
        summary=text(item.summary) if item.summary else item.summary,
        descriptions=tuple(dataclasses.replace(d, text=text(d.text)) for d in item.descriptions),
        body=body,
    )
