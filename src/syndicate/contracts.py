"""What a partner's contract lets it receive: the ``filter:`` of a partner, applied at fan-out.

Pure functions over a :class:`~syndicate.item.NewsItem`: which agencies (by the item's
provider, however the format names it: "TASS", "nprov:AP", "https://www.xinhuanet.com"),
subjects (IPTC media topics and subject codes, broader codes matching narrower ones where the
code itself tells), urgency, country of the dateline's place and item class.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

from syndicate.item import ItemClass, NewsItem

#: urgency of an item that states none: IPTC's "normal" (G2 urgency 5)
DEFAULT_URGENCY = 5

_IPTC_SUBJECT_URIS = (
    ("http://cv.iptc.org/newscodes/mediatopic/", "medtop:"),
    ("https://cv.iptc.org/newscodes/mediatopic/", "medtop:"),
    ("http://cv.iptc.org/newscodes/subjectcode/", "subj:"),
    ("https://cv.iptc.org/newscodes/subjectcode/", "subj:"),
)
#: IPTC subject codes name their place in the tree in their digits (15000000 > 15001000 >
#: 15001001); media topics share the 17 top-level numbers with them
_NUMERIC = re.compile(r"^(medtop|subj|iptc):(\d{8})$", re.IGNORECASE)


class PartnerFilter(BaseModel):
    """A partner's rights and interests; every key optional, all given keys must hold."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: only copy of these agencies (by name, dateline marker, alias or web domain)
    providers: tuple[str, ...] | None = None
    #: only stories about one of these subjects (QCodes: medtop:11000000, subj:15000000)
    subjects: tuple[str, ...] | None = None
    #: never stories about these subjects
    exclude_subjects: tuple[str, ...] = ()
    #: only urgency 1 (flash) up to this; an item without one counts as 5 (normal)
    max_urgency: int | None = Field(default=None, ge=1, le=9)
    #: only stories whose dateline place is in one of these countries (ISO 3166-1 alpha-2)
    countries: tuple[str, ...] | None = None
    #: the classes of item taken (text, picture, graphic, video, audio); also a partner key
    item_classes: tuple[ItemClass, ...] | None = None

    @field_validator("providers", "subjects", "countries", mode="before")
    @classmethod
    def _non_empty(cls, value: object) -> object:
        if isinstance(value, str):
            value = [value]
        if isinstance(value, list | tuple) and not value:
            raise ValueError("name at least one, or leave the key out")
        return value

    @field_validator("subjects", "exclude_subjects")
    @classmethod
    def _qcodes(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if value is None:
            return None
        out = []
        for code in value:
            norm = _qcode(code)
            if norm is None:
                raise ValueError(f"{code!r} is not a subject QCode (medtop:15000000, "
                                 "subj:15000000, or a provider's own scheme:code)")
            out.append(norm)
        return tuple(out)

    @field_validator("countries")
    @classmethod
    def _countries(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if value is None:
            return None
        for code in value:
            if not re.fullmatch(r"[A-Za-z]{2}", code.strip()):
                raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code (RU, CN)")
        return tuple(c.strip().upper() for c in value)

    @field_validator("item_classes", mode="before")
    @classmethod
    def _classes(cls, value: object) -> object:
        return None if value is None else item_classes(value)

    def refusal(self, item: NewsItem) -> str | None:
        """Why ``item`` is outside this filter, or None when it may go."""
        if self.item_classes is not None and item.item_class not in self.item_classes:
            return f"item class {item.item_class.value} is not taken"
        if self.providers is not None and not provider_matches(item.provider, self.providers):
            return f"provider {item.provider or '(none)'} is not among {', '.join(self.providers)}"
        codes = [c for c in (_subject_code(s.qcode, s.uri) for s in item.subjects) if c]
        if item.genre is not None:
            genre = _subject_code(item.genre.qcode, item.genre.uri)
            if genre:
                codes.append(genre)
        for banned in self.exclude_subjects:
            if any(subject_within(code, banned) for code in codes):
                return f"subject {banned} is excluded"
        if self.subjects is not None and not any(
                subject_within(code, wanted) for code in codes for wanted in self.subjects):
            return f"no subject among {', '.join(self.subjects)}"
        if self.max_urgency is not None:
            urgency = item.urgency if item.urgency is not None else DEFAULT_URGENCY
            if urgency > self.max_urgency:
                return f"urgency {urgency} is above {self.max_urgency}"
        if self.countries is not None:
            country = item_country(item)
            if country not in self.countries:
                return (f"the dateline's country {country or '(unknown)'} is not among "
                        f"{', '.join(self.countries)}")
        return None


def item_classes(value: object) -> tuple[ItemClass, ...]:
    """Item classes from configuration ("text" or a list of names), validated."""
    names = [value] if isinstance(value, str | ItemClass) else value
    if not isinstance(names, list | tuple) or not names:
        raise ValueError("name at least one item class (text, picture, graphic, video, audio)")
    classes: list[ItemClass] = []
    for name in names:
        found = name if isinstance(name, ItemClass) else None
        if found is None and isinstance(name, str):
            found = next((c for c in ItemClass if c.value == name.strip().lower()), None)
        if found is None:
            raise ValueError(
                f"{name!r} is not an item class; name text, picture, graphic, video or audio")
        if found not in classes:
            classes.append(found)
    return tuple(classes)


def item_country(item: NewsItem) -> str | None:
    """ISO 3166-1 alpha-2 country of the place the story is datelined, if known."""
    dateline = item.dateline
    if dateline is None:
        return None
    country = (dateline.place.country if dateline.place else None) or dateline.country
    if country and re.fullmatch(r"[A-Za-z]{2}", country.strip()):
        return country.strip().upper()
    return None


def _qcode(code: str) -> str | None:
    code = code.strip()
    for prefix, alias in _IPTC_SUBJECT_URIS:
        if code.startswith(prefix):
            return alias + code[len(prefix):].strip("/")
    scheme, sep, value = code.partition(":")
    if not sep or not scheme or not value or " " in code:
        return None
    return f"{scheme.lower()}:{value}"


def _subject_code(qcode: str | None, uri: str | None) -> str | None:
    for raw in (qcode, uri):
        if raw:
            found = _qcode(raw)
            if found:
                return found
    return None


def subject_within(code: str, broader: str) -> bool:
    """True when ``code`` is ``broader`` or (by its digits) narrower than it."""
    if code == broader:
        return True
    a, b = _NUMERIC.match(code), _NUMERIC.match(broader)
    if not (a and b):
        return False
    digits, top = a.group(2), b.group(2)
    nested = a.group(1).lower() in ("subj", "iptc")  # only subject codes nest by their digits
    if top.endswith("000000"):
        # a top-level topic: media topics and subject codes share these numbers
        return digits == top or (nested and digits[:2] == top[:2])
    if not nested or b.group(1).lower() not in ("subj", "iptc"):
        return False
    level = 5 if top.endswith("000") else 8
    return digits[:level] == top[:level]


@functools.cache
def _agency_keys() -> dict[str, str]:
    """Every way an agency is written (lower case) -> its canonical name."""
    from syndicate.dateline.agencies import load_agencies

    keys: dict[str, str] = {}
    for agency in load_agencies():
        for spelling in (agency.name, *agency.markers, *agency.aliases, *agency.bare,
                         *agency.domains):
            keys.setdefault(spelling.strip().lower(), agency.name)
    return keys


def _provider_keys(provider: str) -> set[str]:
    """The spellings a provider may be known by: as written, without a scheme, its web host."""
    text = provider.strip()
    out = {text.lower()}
    host = ""
    if "://" in text:
        host = urlsplit(text).hostname or ""
    elif ":" in text:
        out.add(text.rpartition(":")[2].strip().lower())
    elif "." in text and " " not in text:
        host = text
    if host:
        labels = host.lower().removeprefix("www.").split(".")
        # "english.news.cn" is news.cn's: every parent domain of two labels or more
        out |= {".".join(labels[i:]) for i in range(len(labels) - 1)}
    table = _agency_keys()
    return out | {table[k].lower() for k in list(out) if k in table}


def provider_matches(provider: str | None, wanted: Iterable[str]) -> bool:
    """True when ``provider`` is one of the agencies ``wanted`` names, however either is
    written ("nprov:AP" and "Associated Press", "https://english.news.cn" and "Xinhua")."""
    if not provider:
        return False
    have = _provider_keys(provider)
    return any(have & _provider_keys(name) for name in wanted)
