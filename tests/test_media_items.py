"""Media items stay media: pictures, graphics, video and audio are read as items of their class,
with their renditions and captions, written back the same way, and never become empty text stories."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from syndicate import formats
from syndicate.errors import MalformedInput
from syndicate.formats import ParseContext, atom, newsmlg2, ninjs
from syndicate.formats.media import RENDITION_CODES, seconds
from syndicate.item import Description, ItemClass, NewsItem, Provenance, Rendition
from syndicate.item_json import decode_item, encode_item
from syndicate.translate import translate_items
from syndicate.translate.config import TranslationSettings

if TYPE_CHECKING:
    from translate_fixtures import CountingEngine

pytest_plugins = ("translate_fixtures",)

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


@pytest.mark.parametrize(("text", "expected"), [
    ("93.5", 93.5), ("00:01:33.5", 93.5), ("1:33", 93.0), ("PT1M33.5S", 93.5), (38, 38.0),
    ("soon", None), ("-3", None), ("PT", None),
])
def test_durations_are_read_as_seconds_however_they_are_written(text: object,
                                                                expected: float | None) -> None:
    assert seconds(text) == expected


# ---------------------------------------------------------------------------------------------
# NewsML-G2


def test_an_afp_picture_is_a_picture_with_its_caption_and_three_renditions() -> None:
    (item,) = read("newsmlg2", "afp_picture_three_renditions.xml")
    assert item.item_class is ItemClass.PICTURE
    assert item.headline == "Incendie dans un entrepôt à Marseille"
    assert item.caption is not None and item.caption.startswith("Des pompiers luttent")
    assert item.body == ()
    assert item.renditions == (
        Rendition("https://photos.afp.example/20261127/FRA27/hires.jpg", "image/jpeg",
                  "rnd:highRes", 4823311, 5472, 3648),
        Rendition("https://photos.afp.example/20261127/FRA27/preview.jpg", "image/jpeg",
                  "rnd:preview", 312044, 1024, 683),
        Rendition("https://photos.afp.example/20261127/FRA27/thumb.jpg", "image/jpeg",
                  "rnd:thumbnail", 18210, 240, 160),
    )


def test_a_reuters_video_keeps_its_duration_in_seconds() -> None:
    (item,) = read("newsmlg2", "reuters_video_duration.xml")
    assert item.item_class is ItemClass.VIDEO and item.version == 3
    clip, still = item.renditions
    assert (clip.name, clip.content_type, clip.duration, clip.size) == (
        "rend:videoFile", "video/mp4", 93.5, 187430221)
    assert (still.content_type, still.duration) == ("image/jpeg", None)


def test_a_graphic_without_a_headline_is_titled_by_its_caption() -> None:
    (item,) = read("newsmlg2", "ap_graphic_caption_only.xml")
    assert item.item_class is ItemClass.GRAPHIC
    assert item.headline == "Graphic shows the path of Hurricane Odette through Nov. 30."
    assert [r.name for r in item.renditions] == ["rnd:web", "rnd:print"]


def test_an_audio_item_named_by_the_newscodes_address_reads_normal_play_time() -> None:
    (item,) = read("newsmlg2", "dpa_audio_normal_play_time.xml")
    assert item.item_class is ItemClass.AUDIO and item.language == "de"
    assert item.renditions[0].duration == 90.125


def test_a_message_keeps_its_story_a_story_and_its_picture_a_picture() -> None:
    story, photo = read("newsmlg2", "message_text_and_picture.xml")
    assert (story.item_class, photo.item_class) == (ItemClass.TEXT, ItemClass.PICTURE)
    assert story.body and story.renditions == ()
    assert photo.body == () and len(photo.renditions) == 2
    assert photo.caption is not None and photo.caption.endswith("EFE/Juanjo Martín")


def _g2_picture(content_meta: str, item_class: str = 'qcode="ninat:picture"') -> bytes:
    return (
        f'<newsItem xmlns="{newsmlg2.G2_NS}" guid="urn:t:pic" version="1" standard="NewsML-G2" '
        f'standardversion="2.35" xml:lang="en"><itemMeta><itemClass {item_class}/>'
        '<provider literal="t"/><versionCreated>2026-11-30T10:00:00Z</versionCreated></itemMeta>'
        f"<contentMeta>{content_meta}</contentMeta><contentSet>"
        '<remoteContent href="https://img.example.com/p.jpg" contenttype="image/jpeg"/>'
        "</contentSet></newsItem>"
    ).encode()


def test_a_picture_with_a_headline_and_no_text_is_a_picture_not_an_empty_story() -> None:
    (item,) = newsmlg2.parse(_g2_picture("<headline>Sunset over Lisbon</headline>"), CTX)
    assert item.item_class is ItemClass.PICTURE and item.body == ()
    assert item.renditions == (Rendition("https://img.example.com/p.jpg", "image/jpeg"),)


def test_a_picture_with_neither_headline_nor_caption_is_refused_naming_what_it_lacks() -> None:
    with pytest.raises(MalformedInput, match="picture item that has no headline, title or caption"):
        newsmlg2.parse(_g2_picture(""), CTX)


def test_a_text_item_with_remote_content_keeps_it_as_a_rendition() -> None:
    (item,) = read("newsmlg2", "content_ref.xml")
    assert item.item_class is ItemClass.TEXT
    assert item.renditions == (Rendition("https://www.ansa.it/remote-7.html", "text/html"),)


def test_a_duration_in_frames_is_left_unread_rather_than_misread() -> None:
    data = _g2_picture("<headline>Clip</headline>", 'qcode="ninat:video"').replace(
        b'contenttype="image/jpeg"', b'duration="250" durationunit="timeunit:editUnit"')
    (item,) = newsmlg2.parse(data, CTX)
    assert item.renditions[0].duration is None


@pytest.mark.parametrize("name", [
    "afp_picture_three_renditions.xml", "reuters_video_duration.xml",
    "ap_graphic_caption_only.xml", "dpa_audio_normal_play_time.xml",
])
def test_a_media_item_is_written_as_valid_g2_and_reads_back_the_same(name: str, assert_valid_g2) -> None:  # type: ignore[no-untyped-def]
    (item,) = read("newsmlg2", name)
    data = newsmlg2.render(item)
    assert_valid_g2(data)
    assert newsmlg2.parse(data, CTX) == [item]


def test_a_picture_is_written_with_its_item_class_and_remote_content_and_no_body(
        assert_valid_g2) -> None:  # type: ignore[no-untyped-def]
    doc = assert_valid_g2(newsmlg2.render(picture()))
    assert doc.find("g:itemMeta/g:itemClass", NS).get("qcode") == "ninat:picture"
    assert doc.find("g:contentSet/g:inlineXML", NS) is None
    first = doc.find("g:contentSet/g:remoteContent", NS)
    assert dict(first.attrib) == {
        "rendition": "rnd:highRes", "href": "https://img.example.com/valencia-2048.jpg",
        "contenttype": "image/jpeg", "size": "1843221", "width": "2048", "height": "1365"}
    assert doc.find("g:contentMeta/g:description", NS).get("role") == "drol:caption"


def test_a_rendition_named_by_a_word_reads_back_as_that_word(assert_valid_g2) -> None:  # type: ignore[no-untyped-def]
    item = picture(renditions=(Rendition("https://img.example.com/a.jpg", name="main size"),))
    data = newsmlg2.render(item)
    assert_valid_g2(data)
    assert newsmlg2.parse(data, CTX)[0].renditions == item.renditions


def test_a_video_is_written_with_its_duration_in_seconds(assert_valid_g2) -> None:  # type: ignore[no-untyped-def]
    item = picture(item_class=ItemClass.VIDEO, renditions=(
        Rendition("https://v.example.com/a.mp4", "video/mp4", duration=62.0),
        Rendition("https://v.example.com/b.mp4", "video/mp4", duration=47.2)))
    doc = assert_valid_g2(newsmlg2.render(item))
    assert [r.get("duration") for r in doc.iterfind("g:contentSet/g:remoteContent", NS)] == ["62", "47.2"]


def test_a_media_item_without_renditions_or_body_has_no_content_set(assert_valid_g2) -> None:  # type: ignore[no-untyped-def]
    doc = assert_valid_g2(newsmlg2.render(picture(renditions=())))
    assert doc.find("g:contentSet", NS) is None


def test_a_message_of_a_story_and_a_picture_is_valid_g2(assert_valid_g2) -> None:  # type: ignore[no-untyped-def]
    items = read("newsmlg2", "message_text_and_picture.xml")
    data = newsmlg2.render_message(items)
    assert_valid_g2(data)
    assert newsmlg2.parse(data, CTX) == items


# ---------------------------------------------------------------------------------------------
# ninjs


def test_a_ninjs_1x_picture_reads_renditions_keyed_by_name_and_its_caption() -> None:
    (item,) = read("ninjs", "ap-ninjs1-picture.json")
    assert item.item_class is ItemClass.PICTURE
    assert item.headline == "Storm Damage Georgia"
    assert item.summary is None
    assert item.caption is not None and item.caption.endswith("(AP Photo/John Bazemore)")
    assert item.renditions == (
        Rendition("https://photos.ap.example/8d3f9a1b2c4e/main.jpg", "image/jpeg", "main",
                  5210334, 5472, 3648, title="Full Resolution (JPG)"),
        Rendition("https://photos.ap.example/8d3f9a1b2c4e/preview.jpg", "image/jpeg",
                  "rnd:preview", None, 512, 341, title="Preview (JPG)"),
        Rendition("https://photos.ap.example/8d3f9a1b2c4e/thumb.jpg", "image/jpeg",
                  "rnd:thumbnail", 4012, 105, 70),
    )


def test_a_ninjs_3x_video_reads_camel_case_renditions_with_duration() -> None:
    (item,) = read("ninjs", "ninjs-3x-video.json")
    assert item.item_class is ItemClass.VIDEO and item.language == "nb"
    main = item.renditions[0]
    assert (main.name, main.content_type, main.size, main.duration) == (
        "main", "video/mp4", 98812345, 47.2)
    assert item.caption is not None and item.caption.startswith("Et kraftig nordlys")


def test_a_ninjs_2x_audio_reads_lower_case_renditions() -> None:
    (item,) = read("ninjs", "ap-ninjs2-audio.json")
    assert item.item_class is ItemClass.AUDIO
    assert item.renditions == (Rendition("https://audio.ap.example/a77c0e21/main.mp3", "audio/mpeg",
                                         "main", 612408, duration=38.0,
                                         title="Full Resolution (MP3)"),)


def test_a_ninjs_graphic_without_headline_is_titled_by_its_caption() -> None:
    (item,) = read("ninjs", "ninjs-2x-graphic-no-headline.json")
    assert item.item_class is ItemClass.GRAPHIC
    assert item.headline == "AAP graphic shows the rise in Sydney median house prices since 2016."


def test_a_ninjs_picture_with_neither_headline_nor_caption_is_refused() -> None:
    doc = {"uri": "urn:t:p", "type": "picture",
           "renditions": [{"name": "main", "href": "https://img.example.com/p.jpg"}]}
    with pytest.raises(MalformedInput, match="picture 'urn:t:p' has no headline, title or caption"):
        ninjs.from_dict(doc, CTX, "x")


def test_a_ninjs_text_story_without_headline_is_still_refused() -> None:
    with pytest.raises(MalformedInput, match="has no headline"):
        ninjs.from_dict({"uri": "urn:t:s", "type": "text", "description_text": "A summary."}, CTX, "x")


def test_a_text_storys_description_text_stays_its_summary() -> None:
    item = ninjs.from_dict({"uri": "urn:t:s", "headline": "H", "description_text": "A summary."},
                           CTX, "x")
    assert item.summary == "A summary." and item.caption is None


@pytest.mark.parametrize("name", ["ap-ninjs1-picture.json", "ninjs-3x-video.json",
                                  "ap-ninjs2-audio.json", "ninjs-2x-graphic-no-headline.json"])
def test_a_media_item_is_written_as_valid_ninjs_3_1_and_reads_back_the_same(
        name: str, ninjs_validator: jsonschema.Draft202012Validator) -> None:
    (item,) = read("ninjs", name)
    doc = ninjs.to_dict(item)
    assert list(ninjs_validator.iter_errors(doc)) == []
    assert doc["type"] == item.item_class.value and "bodies" not in doc
    assert ninjs.from_dict(doc, CTX, "x").replace(provenance=None) == item.replace(provenance=None)


def test_ninjs_renditions_are_an_array_of_named_objects_with_iptc_names_as_words(
        ninjs_validator: jsonschema.Draft202012Validator) -> None:
    doc = ninjs.to_dict(picture())
    assert list(ninjs_validator.iter_errors(doc)) == []
    assert doc["renditions"] == [
        {"name": "highRes", "href": "https://img.example.com/valencia-2048.jpg",
         "contentType": "image/jpeg", "width": 2048, "height": 1365, "sizeInBytes": 1843221},
        {"name": "thumbnail", "href": "https://img.example.com/valencia-150.jpg",
         "contentType": "image/jpeg", "width": 150, "height": 100},
    ]
    assert doc["descriptions"] == [{"role": "caption", "contentType": "text/plain",
                                    "value": "Residents wade through a flooded street in Paiporta."}]


def test_a_rendition_without_a_name_gets_one_in_ninjs(
        ninjs_validator: jsonschema.Draft202012Validator) -> None:
    doc = ninjs.to_dict(picture(renditions=(Rendition("https://img.example.com/a.jpg"),)))
    assert list(ninjs_validator.iter_errors(doc)) == []
    assert doc["renditions"] == [{"name": "rendition1", "href": "https://img.example.com/a.jpg"}]


def test_a_g2_picture_becomes_a_ninjs_picture_and_back() -> None:
    (item,) = read("newsmlg2", "afp_picture_three_renditions.xml")
    back = ninjs.from_dict(ninjs.to_dict(item), CTX, "x")
    assert back.item_class is ItemClass.PICTURE
    assert back.renditions == item.renditions and back.caption == item.caption


# -- property: any renditions survive G2 and ninjs ----------------------------------------------

_word = st.from_regex(r"[A-Za-z0-9_-]{1,8}( [A-Za-z0-9_-]{1,8})?", fullmatch=True).filter(
    lambda w: w not in RENDITION_CODES)
_rendition_names = (_word | st.sampled_from(sorted(f"rnd:{c}" for c in RENDITION_CODES))
                    | st.from_regex(r"[a-z]{2,6}:[A-Za-z0-9]{1,10}", fullmatch=True))
_renditions = st.builds(
    Rendition,
    href=st.builds(lambda path: "https://media.example.com/" + path, st.text(
        st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Z"), blacklist_characters="%[]#"),
        max_size=12)),
    content_type=st.none() | st.from_regex(r"(image|video|audio)/[a-z0-9.+-]{1,12}", fullmatch=True),
    name=_rendition_names,
    size=st.none() | st.integers(0, 10**12),
    width=st.none() | st.integers(0, 10**5),
    height=st.none() | st.integers(0, 10**5),
    duration=st.none() | st.floats(0, 10**6, allow_nan=False, allow_infinity=False),
    title=st.none() | _word,
)
_media_items = st.builds(
    lambda cls, renditions: picture(item_class=cls, renditions=tuple(renditions),
                                    provenance=Provenance("newsmlg2", "0" * 64, "p.xml", NOW)),
    st.sampled_from([c for c in ItemClass if c.is_media]),
    st.lists(_renditions, max_size=4),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_media_items)
def test_generated_media_items_round_trip_through_g2_and_ninjs(
    g2_schema: etree.XMLSchema, ninjs_validator: jsonschema.Draft202012Validator, item: NewsItem
) -> None:
    data = newsmlg2.render(item)
    assert g2_schema.validate(etree.fromstring(data)), g2_schema.error_log
    assert newsmlg2.parse(data, CTX) == [item]
    doc = ninjs.to_dict(item)
    assert list(ninjs_validator.iter_errors(doc)) == []
    assert ninjs.from_dict(doc, CTX, "x").replace(provenance=None) == item.replace(provenance=None)


# ---------------------------------------------------------------------------------------------
# RSS and Atom input


def test_an_rss_photo_with_media_content_is_a_picture_with_its_media_caption() -> None:
    flood, *_ = read("feeds", "rss2-photos-media.xml")
    assert flood.item_class is ItemClass.PICTURE and flood.body == ()
    assert flood.headline == "Flooding in Valencia"
    assert flood.caption is not None and flood.caption.startswith("Residents wade through")
    assert flood.renditions == (
        Rendition("https://img.wire.example.org/2026/11/28/valencia-flood-2048.jpg", "image/jpeg",
                  size=1843221, width=2048, height=1365),
        Rendition("https://img.wire.example.org/2026/11/28/valencia-flood-800.jpg", "image/jpeg",
                  width=800, height=533),
        Rendition("https://img.wire.example.org/2026/11/28/valencia-flood-150.jpg",
                  name="rnd:thumbnail", width=150, height=100),
    )


def test_an_rss_enclosure_alone_makes_a_picture_captioned_by_the_description() -> None:
    _, alps, _ = read("feeds", "rss2-photos-media.xml")
    assert alps.item_class is ItemClass.PICTURE
    assert alps.caption == ("Skiers ride a chairlift in Zermatt, Switzerland, after the first heavy "
                            "snowfall of the season.")
    assert alps.renditions == (Rendition("https://img.wire.example.org/2026/11/28/alps.jpg",
                                         "image/jpeg", size=922110),)


def test_a_story_with_a_body_of_its_own_stays_a_story_whatever_it_encloses() -> None:
    *_, story = read("feeds", "rss2-photos-media.xml")
    assert story.item_class is ItemClass.TEXT and story.body and story.renditions == ()


def test_an_atom_video_merges_the_enclosure_and_media_content_of_one_file() -> None:
    video, _ = read("feeds", "atom-video-audio-enclosures.xml")
    assert video.item_class is ItemClass.VIDEO
    assert video.caption is not None and video.caption.startswith("Eines der größten")
    assert video.renditions[0] == Rendition(
        "https://clips.example.de/2026/11/30/hafen-1080.mp4", "video/mp4", size=48211923,
        width=1920, height=1080, duration=62.0, title="1080p")
    assert [r.name for r in video.renditions] == [None, None, "rnd:thumbnail"]


def test_an_atom_audio_without_title_is_titled_by_its_caption() -> None:
    _, audio = read("feeds", "atom-video-audio-enclosures.xml")
    assert audio.item_class is ItemClass.AUDIO
    assert audio.headline == "Die Bürgermeisterin spricht über den Ausbau der Elbbrücken."


def test_feed_media_items_are_written_as_valid_g2(assert_valid_g2) -> None:  # type: ignore[no-untyped-def]
    for item in read("feeds", "rss2-photos-media.xml") + read("feeds", "atom-video-audio-enclosures.xml"):
        assert_valid_g2(newsmlg2.render(item))


# ---------------------------------------------------------------------------------------------
# Atom output


def _atom_entry(item: NewsItem) -> etree._Element:
    page = atom.Page(
        partner="acme", language="en", entries=[atom.Entry(item, "2026-11-28T09:00:00Z", False, "/x")],
        updated="2026-11-28T09:00:00Z", self_url="/f", first_url="/f", next_url=None,
        item_type="application/json",
    )
    found = etree.fromstring(atom.render_feed(page)).find("a:entry", NS)
    assert found is not None
    return found


def test_an_atom_entry_of_a_picture_links_each_rendition_as_an_enclosure() -> None:
    el = _atom_entry(picture())
    enclosures = [dict(link.attrib) for link in el.iterfind("a:link[@rel='enclosure']", NS)]
    assert enclosures == [
        {"rel": "enclosure", "href": "https://img.example.com/valencia-2048.jpg",
         "type": "image/jpeg", "length": "1843221"},
        {"rel": "enclosure", "href": "https://img.example.com/valencia-150.jpg", "type": "image/jpeg"},
    ]


def test_an_atom_entry_of_a_picture_carries_its_caption_as_summary_and_no_empty_content() -> None:
    el = _atom_entry(picture())
    assert el.findtext("a:summary", namespaces=NS) == "Residents wade through a flooded street in Paiporta."
    assert el.find("a:content", NS) is None
    assert el.find("a:link[@rel='alternate']", NS) is not None


# ---------------------------------------------------------------------------------------------
# translation


def test_a_pictures_headline_and_caption_are_translated_and_it_stays_a_picture(
    counted: CountingEngine, argos_settings: TranslationSettings, assert_valid_g2  # type: ignore[no-untyped-def]
) -> None:
    src = picture()
    (es,) = translate_items([src], "es", engine="counted", settings=argos_settings)
    sent = [t for call in counted.calls for t in call]
    assert src.headline in sent and src.caption in sent
    assert es.item_class is ItemClass.PICTURE and es.renditions == src.renditions
    assert es.body == () and es.dateline is None
    assert es.headline and es.headline != src.headline
    assert [d.role for d in es.descriptions] == ["drol:caption"] and es.caption != src.caption
    assert_valid_g2(newsmlg2.render(es))
