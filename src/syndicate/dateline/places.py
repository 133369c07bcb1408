"""Resolve a dateline city as written, in any language or script, to a canonical Place.

The curated exonym table (``data/places.tsv``) is the source of truth; a newsroom file named by
``SYNDICATE_EXONYMS`` (or passed explicitly) overrides or adds rows. CLDR exemplar cities (Babel)
fill languages the table lacks, but only for places that *are* their time zone's exemplar city.
"""

from __future__ import annotations

import csv
import functools
import os
import re
import unicodedata
import zoneinfo
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

from babel import Locale, UnknownLocaleError

from syndicate.errors import ConfigError
from syndicate.item import Place

#: languages the curated table carries a column for (every row fills every one of them)
TABLE_LANGUAGES: tuple[str, ...] = (
    "en", "de", "fr", "es", "it", "pt", "ru", "uk", "pl", "zh", "ja", "ar", "tr",
)  # fmt: skip
#: columns of places.tsv before the language columns
BASE_COLUMNS: tuple[str, ...] = (
    "key", "name", "country", "region", "timezone", "geonames_id", "aliases",
)  # fmt: skip
COLUMNS: tuple[str, ...] = BASE_COLUMNS + TABLE_LANGUAGES
#: regional columns of the curated table, filled only where the spelling differs from the
#: language's column ("pt-BR" Moscou where "pt" has Moscovo); a lookup tries the exact tag first
REGIONAL_LANGUAGES: tuple[str, ...] = ("pt-BR",)
#: environment variable naming a newsroom override file (same TSV columns, partial rows allowed)
OVERRIDES_ENV = "SYNDICATE_EXONYMS"

_KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


# --------------------------------------------------------------------------- normalization

# Letters that NFD does not decompose but that wire copy routinely writes without the mark.
_FOLD = str.maketrans({"ø": "o", "đ": "d", "ł": "l", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"})
# Abbreviations that datelines use interchangeably with the full word ("ST. PETERSBURG").
_TOKEN_EQUIV = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount"}
_APOSTROPHES = re.compile(r"['’ʼ`´‘ʹ]")


def _strip_marks(text: str) -> str:
    """Drop accents on Latin, Greek, Cyrillic and Arabic letters; keep marks that carry meaning
    elsewhere (kana voicing marks, Indic vowel signs)."""
    out: list[str] = []
    base = ""
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch):
            cp = ord(base) if base else 0
            if cp <= 0x024F or 0x1E00 <= cp <= 0x1EFF or 0x0370 <= cp <= 0x06FF:
                continue
        else:
            base = ch
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


@functools.lru_cache(maxsize=65536)
def normalize_name(text: str) -> str:
    """The matching key of a name: NFKC, casefolded, accents and punctuation ignored,
    "St."/"Saint"/"St" (and Ft./Mt.) treated alike, spaces and hyphens ignored.

    ``normalize_name("ST. PETERSBURG") == normalize_name("Saint-Pétersburg")`` is false only
    because the words differ; ``normalize_name("St Petersburg") == normalize_name("Saint
    Petersburg")`` holds.
    """
    s = unicodedata.normalize("NFKC", text).casefold()
    s = _strip_marks(s).translate(_FOLD)
    s = _APOSTROPHES.sub("", s)
    s = "".join(" " if unicodedata.category(c)[0] in "PSZ" else c for c in s)
    tokens = [_TOKEN_EQUIV.get(t, t) for t in s.split()]
    return "".join(tokens)


# --------------------------------------------------------------------------- data model


@dataclass(frozen=True, slots=True)
class PlaceEntry:
    """One row of the exonym table."""

    key: str
    name: str
    country: str
    timezone: str
    region: str | None = None
    geonames_id: int | None = None
    aliases: tuple[str, ...] = ()
    #: (language, name) pairs: the exonym used in that language
    exonyms: tuple[tuple[str, str], ...] = ()

    def exonym(self, language: str) -> str | None:
        """The table's name for the place in ``language`` (BCP 47; "pt-BR" falls back to "pt")."""
        for lang in _language_chain(language):
            for code, value in self.exonyms:
                if code == lang:
                    return value
        return None

    @property
    def iso_region(self) -> str | None:
        """ISO 3166-2 code of the region ("US-PA"), if the row names one."""
        return f"{self.country}-{self.region}" if self.region else None

    @property
    def place(self) -> Place:
        return Place(
            name=self.name,
            country=self.country,
            timezone=self.timezone,
            region=self.iso_region,
            key=self.key,
            geonames_id=self.geonames_id,
        )

    def names(self) -> Iterator[str]:
        """Every spelling that identifies this place: name, aliases and all exonyms."""
        yield self.name
        yield from self.aliases
        for _, value in self.exonyms:
            yield value


@dataclass(frozen=True, slots=True)
class Region:
    """A first-level subdivision as datelines write it ("Pa.", "Calif.", "Ont.")."""

    country: str
    code: str
    name: str
    aliases: tuple[str, ...] = ()
    #: (language, name) pairs: the subdivision's name in each language's press
    names: tuple[tuple[str, str], ...] = ()

    @property
    def iso(self) -> str:
        return f"{self.country}-{self.code}"

    def name_in(self, language: str) -> str:
        """The name ``language`` writes ("Pensilvania" in Spanish); the exact tag first
        ("pt-BR"), then its language; English (``name``) where the table has none."""
        table = dict(self.names)
        for lang in _language_chain(language):
            if table.get(lang):
                return table[lang]
        return self.name


def _language_chain(language: str) -> tuple[str, ...]:
    """ "zh-Hant-TW" -> ("zh-hant-tw", "zh-hant", "zh"): most specific first."""
    parts = language.replace("_", "-").lower().split("-")
    return tuple("-".join(parts[:i]) for i in range(len(parts), 0, -1))


def base_language(language: str) -> str:
    """The primary language subtag: "pt-BR" -> "pt", "zh_Hans" -> "zh"."""
    return _language_chain(language)[-1]


# --------------------------------------------------------------------------- reading the table


def _valid_timezone(tz: str) -> bool:
    try:
        zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


@functools.lru_cache(maxsize=1)
def _territories() -> frozenset[str]:
    codes = (str(k) for k in Locale.parse("en").territories)
    return frozenset(k for k in codes if len(k) == 2 and k.isalpha())


def _split_aliases(cell: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in cell.split("|") if a.strip())


def _is_language_column(name: str) -> bool:
    """Columns beyond the thirteen may name any language CLDR knows ("pt-BR", "nl", "ko")."""
    try:
        Locale.parse(name.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return False
    return True


def _read_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        fh = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise ConfigError(f"cannot read place table {path}: {exc.strerror}") from exc
    with fh:
        lines = (ln for ln in fh if ln.strip() and not ln.lstrip().startswith("#"))
        reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = reader.fieldnames or []
        unknown = [c for c in header if c not in COLUMNS and not _is_language_column(c)]
        if unknown or "key" not in header:
            raise ConfigError(
                f"{path}: header must hold 'key' and only known columns "
                f"({', '.join(COLUMNS)}, or a language tag such as pt-BR); "
                f"unknown: {', '.join(unknown) or 'none'}"
            )
        for n, row in enumerate(reader, start=2):
            if None in row:
                raise ConfigError(f"{path}: row {n} has more cells than the header")
            yield n, {k: (v or "").strip() for k, v in row.items() if k is not None}


def _entry_from_row(path: Path, n: int, row: Mapping[str, str], base: PlaceEntry | None) -> PlaceEntry:
    where = f"{path}: row {n}"
    key = row.get("key", "")
    if not _KEY_RE.match(key):
        raise ConfigError(f"{where}: key {key!r} must be lower-case words joined by '-'")

    def pick(col: str, old: str | None) -> str | None:
        return row.get(col) or old

    name = pick("name", base.name if base else None)
    country = pick("country", base.country if base else None)
    tz = pick("timezone", base.timezone if base else None)
    if not (name and country and tz):
        raise ConfigError(f"{where}: new place {key!r} needs name, country and timezone")
    country = country.upper()
    if country not in _territories():
        raise ConfigError(f"{where}: {country!r} is not an ISO 3166-1 alpha-2 country code")
    if not _valid_timezone(tz):
        raise ConfigError(f"{where}: {tz!r} is not an IANA time zone")
    gid_cell = row.get("geonames_id", "")
    geonames_id = base.geonames_id if base else None
    if gid_cell:
        if not gid_cell.isdigit():
            raise ConfigError(f"{where}: geonames_id {gid_cell!r} must be a number")
        geonames_id = int(gid_cell)
    region = pick("region", base.region if base else None)

    exonyms = dict(base.exonyms) if base else {}
    aliases = list(base.aliases) if base else []
    replaced: list[str] = []
    extra = sorted(c for c in row if c not in COLUMNS)
    for column in (*TABLE_LANGUAGES, *extra):
        value = row.get(column, "")
        lang = column.replace("_", "-").lower()
        if value:
            old = exonyms.get(lang)
            if old and old != value:
                replaced.append(old)  # an overridden spelling must still resolve
            exonyms[lang] = value
    if base and name != base.name:
        replaced.append(base.name)
    for alias in [*_split_aliases(row.get("aliases", "")), *replaced]:
        if alias not in aliases:
            aliases.append(alias)
    return PlaceEntry(
        key=key,
        name=name,
        country=country,
        timezone=tz,
        region=region.upper() if region else None,
        geonames_id=geonames_id,
        aliases=tuple(aliases),
        exonyms=tuple(sorted(exonyms.items(), key=lambda kv: _language_order(kv[0]))),
    )


def _language_order(lang: str) -> tuple[int, str]:
    return (TABLE_LANGUAGES.index(lang), "") if lang in TABLE_LANGUAGES else (99, lang)


def read_entries(
    path: str | os.PathLike[str], base: Mapping[str, PlaceEntry] | None = None
) -> dict[str, PlaceEntry]:
    """Read a place table; rows whose key is in ``base`` are merged onto it (partial rows)."""
    p = Path(path)
    out: dict[str, PlaceEntry] = {}
    for n, row in _read_rows(p):
        key = row.get("key", "")
        if key in out:
            raise ConfigError(f"{p}: row {n}: duplicate key {key!r}")
        prior = base.get(key) if base else None
        out[key] = _entry_from_row(p, n, row, prior)
    return out


def _builtin_path(name: str) -> Path:
    return Path(str(resources.files("syndicate").joinpath("data", name)))


def builtin_table_path() -> Path:
    """Path of the curated table shipped with syndicate."""
    return _builtin_path("places.tsv")


@functools.lru_cache(maxsize=1)
def regions() -> tuple[Region, ...]:
    """First-level subdivisions as written in datelines (US states with AP abbreviations,
    Canadian provinces, Australian states, German Länder, Brazilian and Mexican states ...),
    with their names per language, from ``data/regions.tsv`` (same language columns as the
    place table; an empty cell falls back to English)."""
    out = []
    with _builtin_path("regions.tsv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            cells = {k: (v or "").strip() for k, v in row.items() if k is not None}
            names = tuple(
                (col.lower(), value) for col, value in cells.items()
                if col not in _REGION_COLUMNS and value
            )
            out.append(
                Region(
                    country=cells["country"],
                    code=cells["code"],
                    name=cells["name"],
                    aliases=_split_aliases(cells.get("aliases", "")),
                    names=names,
                )
            )
    return tuple(out)


_REGION_COLUMNS = frozenset({"country", "code", "name", "aliases"})

#: countries whose datelines write a subdivision by its bare code ("PARIS, TX", "LONDON, ON",
#: "PERTH, WA"): such a code is read whatever the place. Any other country's code (Brazil's
#: "PA" or "ES", Germany's "BE", Switzerland's "GE") names a subdivision only of a place known
#: to lie in that country, so that it never turns "MADRID, ES" into Espírito Santo nor
#: "PHILADELPHIA, PA" into Pará.
BARE_CODE_COUNTRIES: frozenset[str] = frozenset({"US", "CA", "AU"})


@functools.lru_cache(maxsize=1)
def _region_index() -> dict[str, tuple[Region, ...]]:
    """Normalized spelling -> subdivisions: names, aliases and localized names of every
    subdivision, and the bare codes of those of :data:`BARE_CODE_COUNTRIES`."""
    idx: dict[str, list[Region]] = {}
    for r in regions():
        # the localized names too: a translated dateline ("Pensilvania") still resolves
        spellings = [r.name, *r.aliases, *(n for _, n in r.names)]
        if r.country in BARE_CODE_COUNTRIES:
            spellings.append(r.code)
        for norm in {normalize_name(n) for n in spellings}:
            idx.setdefault(norm, []).append(r)
    return {k: tuple(v) for k, v in idx.items()}


@functools.lru_cache(maxsize=1)
def _region_code_index() -> dict[tuple[str, str], Region]:
    """(country, normalized ISO code) -> subdivision, for every country."""
    return {(r.country, normalize_name(r.code)): r for r in regions()}


def resolve_region(text: str, country: str | None = None) -> tuple[Region, ...]:
    """Subdivisions a dateline's region text may mean ("Pa." -> Pennsylvania; "WA" -> two).

    Without ``country`` the text is read by name in any language (``Bavaria``, ``Bayern``,
    ``Baviera``) or as the bare code of a US state or Canadian or Australian province, and may
    name subdivisions of several countries; a caller picks by the place's country, never by
    the region text alone. With ``country`` (ISO 3166-1) only that country's subdivisions are
    given, and its ISO 3166-2 codes count too: ``"PA"`` is Pará in Brazil and Pennsylvania in
    the United States.
    """
    norm = normalize_name(text)
    found = _region_index().get(norm, ())
    if country is None:
        return found
    country = country.upper()
    found = tuple(r for r in found if r.country == country)
    coded = _region_code_index().get((country, norm))
    if coded is not None and coded not in found:
        found = (*found, coded)
    return found


# Short forms wire copy uses for countries that CLDR does not list as names.
_COUNTRY_EXTRA = {
    "us": "US", "usa": "US", "u s": "US", "u s a": "US", "america": "US",
    "uk": "GB", "u k": "GB", "britain": "GB", "great britain": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "northern ireland": "GB", "uae": "AE", "drc": "CD",
    "holland": "NL", "russian federation": "RU", "korea": "KR", "north korea": "KP",
    "south korea": "KR", "czech republic": "CZ", "ivory coast": "CI", "turkey": "TR",
    "burma": "MM", "vatican": "VA", "palestinian territories": "PS", "gaza strip": "PS",
    "west bank": "PS",
}  # fmt: skip

_COUNTRY_LOCALES = ("en", "de", "fr", "es", "it", "pt", "ru", "uk", "pl", "zh", "ja", "ar", "tr")


@functools.lru_cache(maxsize=1)
def _country_index() -> dict[str, str]:
    idx: dict[str, str] = {}
    for loc in _COUNTRY_LOCALES:
        for code, name in Locale.parse(loc).territories.items():
            if isinstance(code, str) and len(code) == 2 and code.isalpha():
                idx.setdefault(normalize_name(str(name)), code)
    for code in _territories():
        idx.setdefault(normalize_name(code), code)
    for name, code in _COUNTRY_EXTRA.items():
        idx[normalize_name(name)] = code
    return idx


def resolve_country(text: str) -> str | None:
    """ISO 3166-1 alpha-2 code for a country as written ("Russia", "Russland", "RU", "U.S.")."""
    return _country_index().get(normalize_name(text))


# --------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class PlaceTable:
    """The exonym table with its look-up index (built once per table)."""

    entries: Mapping[str, PlaceEntry]
    _index: Mapping[str, tuple[str, ...]] = field(repr=False, compare=False, default_factory=dict)
    #: resolve() answers: wire copy names the same few cities all day. Made with the table
    #: rather than on first use, so that threads starting together fill one dict, not each
    #: their own.
    _resolved: dict[tuple[str, str | None, str | None, str | None], Place | None] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    @classmethod
    def build(cls, entries: Iterable[PlaceEntry]) -> PlaceTable:
        ents = {e.key: e for e in entries}
        idx: dict[str, list[str]] = {}
        for e in ents.values():
            for name in e.names():
                bucket = idx.setdefault(normalize_name(name), [])
                if e.key not in bucket:
                    bucket.append(e.key)
            key_words = normalize_name(e.key.replace("-", " "))
            bucket = idx.setdefault(key_words, [])
            if e.key not in bucket:
                bucket.append(e.key)
        return cls(ents, {k: tuple(v) for k, v in idx.items() if k})

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[PlaceEntry]:
        return iter(self.entries.values())

    def get(self, key: str) -> PlaceEntry | None:
        return self.entries.get(key)

    @functools.cached_property
    def _zone_cities(self) -> dict[str, tuple[PlaceEntry, ...]]:
        by_zone: dict[str, list[PlaceEntry]] = {}
        for e in self.entries.values():
            if is_zone_city(e):
                by_zone.setdefault(e.timezone, []).append(e)
        return {k: tuple(v) for k, v in by_zone.items()}

    def _cldr_candidates(self, city: str, language: str) -> tuple[PlaceEntry, ...]:
        """Places CLDR names ``city`` in ``language`` (Dutch "Moskou"), for languages the
        table has no column for; only zone exemplar cities can match."""
        zones = _cldr_city_index(language).get(normalize_name(city), ())
        return tuple(e for z in zones for e in self._zone_cities.get(z, ()))

    def candidates(self, city: str) -> tuple[PlaceEntry, ...]:
        """Every entry one of whose spellings matches ``city`` (before disambiguation)."""
        return tuple(self.entries[k] for k in self._index.get(normalize_name(city), ()))

    def resolve(
        self,
        city: str,
        *,
        region: str | None = None,
        country: str | None = None,
        language: str | None = None,
    ) -> PlaceEntry | None:
        """The one entry ``city`` (with its region/country as written) names, or None.

        Ambiguity is never guessed away: if the region or country does not single out one
        entry, or contradicts the only one, the answer is None.
        """
        cands = list(self.candidates(city))
        if not cands and language:
            cands = list(self._cldr_candidates(city, language))
        if not cands:
            return None
        if country:
            code = resolve_country(country)
            if code is None:
                # an unrecognised country might still be a region ("LONDON, Ontario")
                region = region or country
            else:
                cands = [c for c in cands if c.country == code]
        if region:
            cands = _filter_by_region(cands, region)
        if len(cands) > 1 and language:
            # prefer the entry that spells the city this way in the text's own language
            norm = normalize_name(city)
            own = [c for c in cands if (x := c.exonym(language)) and normalize_name(x) == norm]
            if len(own) == 1:
                cands = own
        return cands[0] if len(cands) == 1 else None


def _filter_by_region(cands: list[PlaceEntry], region: str) -> list[PlaceEntry]:
    """The candidates the region text allows. Each is checked against its own country's
    subdivisions, so a code shared by two countries ("PA": Pennsylvania and Pará) means the one
    of the place's country; a place whose row names no region (a Munich, a newsroom's new
    town) is not contradicted by a subdivision of its own country."""
    in_region: list[PlaceEntry] = []
    for c in cands:
        subs = resolve_region(region, c.country)
        if subs and (c.region is None or any(r.code == c.region for r in subs)):
            in_region.append(c)
    if in_region:
        return in_region
    named = bool(resolve_region(region)) or any(resolve_region(region, c.country) for c in cands)
    code = resolve_country(region)
    if code is not None:
        by_country = [c for c in cands if c.country == code]
        if by_country or not named:
            return by_country
    if named:
        return []  # a known subdivision that none of the candidates lies in
    return cands  # a region we cannot check neither confirms nor rules out


def _table_from_paths(paths: tuple[str, ...]) -> PlaceTable:
    entries = read_entries(builtin_table_path())
    for p in paths:
        entries = {**entries, **read_entries(p, base=entries)}
    return PlaceTable.build(entries.values())


@functools.lru_cache(maxsize=16)
def _cached_table(paths: tuple[str, ...], stamps: tuple[float, ...]) -> PlaceTable:
    del stamps  # part of the cache key only: an edited override file is read again
    return _table_from_paths(paths)


PathLike = str | os.PathLike[str]


def load_table(overrides: PathLike | Iterable[PathLike] | None = None) -> PlaceTable:
    """The curated table merged with newsroom override files (in order; later ones win).

    Built once per distinct set of files (and re-read when a file changes).
    """
    if overrides is None:
        paths: tuple[str, ...] = ()
    elif isinstance(overrides, (str, os.PathLike)):
        paths = (os.fspath(overrides),)
    else:
        paths = tuple(os.fspath(p) for p in overrides)
    stamps = []
    for p in paths:
        try:
            stamps.append(os.stat(p).st_mtime)
        except OSError as exc:
            raise ConfigError(f"exonym override file {p} cannot be read: {exc.strerror}") from exc
    return _cached_table(paths, tuple(stamps))


def default_table() -> PlaceTable:
    """The table in force: the curated one plus the file ``SYNDICATE_EXONYMS`` names, if set."""
    env = os.environ.get(OVERRIDES_ENV, "").strip()
    if not env:
        return _cached_table((), ())  # the curated table alone: load_table(None), asked per item
    return load_table([p for p in env.split(os.pathsep) if p])


def resolve(
    city: str,
    *,
    region: str | None = None,
    country: str | None = None,
    language: str | None = None,
    table: PlaceTable | None = None,
) -> Place | None:
    """Resolve a dateline city as written to a Place, or None if it is unknown or ambiguous.

    >>> resolve("ST. PETERSBURG").timezone
    'Europe/Moscow'
    """
    if not city or not city.strip():
        return None
    table = table or default_table()
    key = (city, region, country, language)
    cache = table._resolved
    try:
        # one look-up, not `in` then `[]`: another thread may clear the cache in between
        return cache[key]
    except KeyError:
        pass
    place = _resolve_in(table, city, region, country, language)
    if len(cache) >= _RESOLVED_MAX:
        cache.clear()  # a bound on what untrusted input can make it hold
    cache[key] = place
    return place


_RESOLVED_MAX = 4096


def _resolve_in(
    table: PlaceTable, city: str, region: str | None, country: str | None, language: str | None
) -> Place | None:
    entry = table.resolve(city, region=region, country=country, language=language)
    if entry is None:
        return None
    place = entry.place
    if place.region is None and region:
        subs = resolve_region(region, entry.country)
        if len(subs) == 1:
            place = replace(place, region=subs[0].iso)
    return place


# --------------------------------------------------------------------------- CLDR exemplar cities


def _locale(language: str) -> Locale | None:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None


@functools.lru_cache(maxsize=1024)
def _zone_city(timezone: str, language: str) -> str | None:
    loc = _locale(language)
    if loc is None:
        return None
    # Only the locale's own entry: Babel's get_timezone_location would fall back silently
    # to the zone id or another zone's city.
    info = loc.time_zones.get(timezone)
    city = info.get("city") if info else None
    return str(city) if city else None


@functools.lru_cache(maxsize=64)
def _cldr_city_index(language: str) -> dict[str, tuple[str, ...]]:
    """Normalized CLDR exemplar city in ``language`` -> the zones it names."""
    idx: dict[str, list[str]] = {}
    for lang in _language_chain(language):
        loc = _locale(lang)
        if loc is None:
            continue
        for tz, info in loc.time_zones.items():
            city = info.get("city") if isinstance(info, Mapping) else None
            if city:
                zones = idx.setdefault(normalize_name(str(city)), [])
                if tz not in zones:
                    zones.append(str(tz))
    return {k: tuple(v) for k, v in idx.items()}


def zone_exemplar_english(timezone: str) -> str:
    """The English exemplar city of a zone ("Asia/Ho_Chi_Minh" -> "Ho Chi Minh City")."""
    return _zone_city(timezone, "en") or timezone.rsplit("/", 1)[-1].replace("_", " ")


def is_zone_city(entry: PlaceEntry) -> bool:
    """True when the place is its time zone's exemplar city (Moscow for Europe/Moscow; not
    Geneva for Europe/Zurich, not Washington for America/New_York)."""
    exemplar = normalize_name(zone_exemplar_english(entry.timezone))
    own = {normalize_name(entry.name), *(normalize_name(a) for a in entry.aliases)}
    en = entry.exonym("en")
    if en:
        own.add(normalize_name(en))
    return exemplar in own


def cldr_city(entry: PlaceEntry, language: str) -> str | None:
    """CLDR's name for the place in ``language``, only if the place is its zone's exemplar city."""
    if not is_zone_city(entry):
        return None
    for lang in _language_chain(language):
        city = _zone_city(entry.timezone, lang)
        if city:
            return city
    return None


def city_name(entry: PlaceEntry, language: str) -> str | None:
    """The place's name in ``language``: the table first, then CLDR; None if neither knows it."""
    return entry.exonym(language) or cldr_city(entry, language)
