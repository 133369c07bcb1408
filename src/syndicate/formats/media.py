"""What the codecs share about pictures, graphics, video and audio: the headline of a media item
that came without one, and the numbers of a rendition as sources write them."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from syndicate.formats.lead import first_sentence
from syndicate.item import Description, ItemClass

#: what a media item has no headline, title or caption for is refused with this, so that no
#: picture becomes an empty text story
NO_HEADLINE = "has no headline, title or caption to take one from"

#: the class of a media (MIME) type's top-level type; other types (text, application) say nothing
_MAJOR_TYPES = {"image": ItemClass.PICTURE, "video": ItemClass.VIDEO, "audio": ItemClass.AUDIO}
#: the IPTC rendition NewsCodes: a rendition a source names by one of these words is the
#: QCode ``rnd:<word>`` to every codec, so that G2 and ninjs name it alike
RENDITION_CODES = frozenset({"highRes", "print", "web", "thumbnail", "preview", "sample"})
_ISO_DURATION = re.compile(
    r"P(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?\Z", re.IGNORECASE)


def class_of_media_type(content_type: str | None) -> ItemClass | None:
    """The item class a rendition's media type implies: image/* a picture, video/*, audio/*."""
    if not content_type:
        return None
    return _MAJOR_TYPES.get(content_type.strip().partition("/")[0].lower())


def rendition_name(word: str | None) -> str | None:
    """The name of a rendition a source gave as a word ("thumbnail", "main"): the IPTC QCode
    for a word of the rendition NewsCodes ("rnd:thumbnail"), else the word as written."""
    if word is None or not word.strip():
        return None
    word = word.strip()
    return f"rnd:{word}" if word in RENDITION_CODES else word


def rendition_word(name: str | None) -> str | None:
    """A rendition's name as a word, for formats that name renditions so (ninjs): the code of
    an IPTC QCode ("rnd:thumbnail" -> "thumbnail"), any other name as it is."""
    if name is None:
        return None
    scheme, _, code = name.partition(":")
    return code if scheme == "rnd" and code in RENDITION_CODES else name


def _one_line(text: str) -> str:
    return " ".join(text.split())


def caption_headline(descriptions: Iterable[Description], summary: str | None = None) -> str:
    """The headline of a media item that came without a headline or title: the first sentence of
    its caption (cut at a word near 160 characters), else of its summary, else of any other
    description; "" when it has none of them."""
    found = list(descriptions)
    caption = next((d.text for d in found if d.role and "caption" in d.role.lower()), None)
    for text in (caption, summary, *(d.text for d in found)):
        if text and text.strip():
            return first_sentence(_one_line(text))
    return ""


def whole(value: object) -> int | None:
    """A non-negative whole number written as a number or as text ("1024", 1024, 1024.0);
    None for anything else, which a rendition then goes without."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 0 else None
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit():
            return int(text)
        try:
            number = float(text)
        except ValueError:
            return None
        return int(number) if math.isfinite(number) and number.is_integer() and number >= 0 else None
    return None


def seconds(value: object) -> float | None:
    """A running time in seconds written as a number, as text ("93.5"), as a clock
    ("00:01:33.5", "1:33") or as an ISO 8601 duration ("PT1M33.5S"); None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip()
        iso = _ISO_DURATION.match(text)
        if iso and text.upper() != "P":
            days, hours, minutes, secs = (float((g or "0").replace(",", ".")) for g in iso.groups())
            return ((days * 24 + hours) * 60 + minutes) * 60 + secs
        try:
            if ":" in text:
                parts = [float(p) for p in text.split(":")]
                if len(parts) > 3 or any(p < 0 for p in parts):
                    return None
                number = 0.0
                for part in parts:
                    number = number * 60 + part
            else:
                number = float(text)
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) and number >= 0 else None
