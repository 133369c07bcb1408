"""Media items stay media: pictures, graphics, video and audio are read as items of their class,
with their renditions and captions, written back the same way, and never become empty text stories."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

from syndicate import formats
from syndicate.formats import ParseContext, atom, newsmlg2
from syndicate.item import Description, ItemClass, NewsItem, Rendition
from syndicate.item_json import decode_item, encode_item

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CTX = ParseContext(now=dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC))
NS = {"g": newsmlg2.G2_NS, "a": atom.ATOM_NS}
NOW = dt.datetime(2026, 11, 28, 9, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def ninjs_validator(shared_dir: Path) -> jsonschema.Draft202012Validator:
    schema = json.loads((shared_dir / "standards" / "ninjs" / "ninjs-schema_3.1.json").read_text())
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def read(folder: str, name: str) -> list[NewsItem]:
    return list(formats.parse((FIXTURES / folder / name).read_bytes(), "auto", CTX).items)


def picture(**changes: object) -> NewsItem:
    item = NewsItem(
        guid="urn:newsml:example.com:20261128:pic-1",
        headline="Flooding in Valencia",
        language="en",
        provider="example.com",
        version_created=NOW,
        item_class=ItemClass.PICTURE,
        descriptions=(Description("Residents wade through a flooded street in Paiporta.",
                                  "drol:caption"),),
        renditions=(
            Rendition("https://img.example.com/valencia-2048.jpg", "image/jpeg", "rnd:highRes",
                      1843221, 2048, 1365),
            Rendition("https://img.example.com/valencia-150.jpg", "image/jpeg", "rnd:thumbnail",
                      width=150, height=100),
        ),
    )
    return item.replace(**changes) if changes else item


# ---------------------------------------------------------------------------------------------
# the model


def test_an_item_is_a_text_story_with_no_renditions_unless_it_says_otherwise() -> None:
    item = NewsItem(guid="urn:x:1", headline="A story", language="en")
    assert item.item_class is ItemClass.TEXT and not item.item_class.is_media
    assert item.renditions == ()


@pytest.mark.parametrize("code", ["ninat:picture", "picture", "PICTURE",
                                  "http://cv.iptc.org/newscodes/ninature/picture/"])
def test_an_item_class_is_read_from_its_qcode_word_or_newscodes_address(code: str) -> None:
    assert ItemClass.of(code) is ItemClass.PICTURE


@pytest.mark.parametrize("code", ["ninat:composite", "event", "", None])
def test_a_class_we_do_not_carry_is_no_item_class(code: str | None) -> None:
    assert ItemClass.of(code) is None


def test_the_caption_is_the_description_with_the_caption_role() -> None:
    item = picture(descriptions=(Description("A teaser", "drol:teaser"),
                                 Description("The caption", "drol:caption")))
    assert item.caption == "The caption"
    assert picture(descriptions=()).caption is None


def test_a_media_item_keeps_its_class_and_renditions_in_the_store() -> None:
    item = picture(renditions=(Rendition("https://v.example.com/a.mp4", "video/mp4", duration=93.5),),
                   item_class=ItemClass.VIDEO)
    assert decode_item(encode_item(item)) == item


def test_a_text_story_is_stored_as_before_media_items_existed() -> None:
    doc = json.loads(encode_item(NewsItem(guid="urn:x:1", headline="A story", language="en")))
    assert "item_class" not in doc and "renditions" not in doc


def test_an_item_stored_before_media_items_existed_reads_back_as_a_text_story() -> None:
    old = '{"guid":"urn:x:1","headline":"A story","language":"en","version":2,"body":[]}'
    item = decode_item(old)
    assert item.item_class is ItemClass.TEXT and item.renditions == () and item.version == 2


def test_a_whole_number_of_seconds_reads_back_as_seconds() -> None:
    item = picture(renditions=(Rendition("https://a.example.com/a.mp3", duration=38.0),))
    assert isinstance(decode_item(encode_item(item)).renditions[0].duration, float)
