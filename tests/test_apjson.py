"""AP Media API JSON (apjson): the text items of AP's item, feed and search responses read into the model.

The fixtures in tests/fixtures/apjson/ are written by us after the response shape AP documents for
its Media API (content metadata fields, feeds, renditions); they are not AP's data. AP links its
renditions and never embeds them: a rendition's ``content`` is the collector's embedding that the
codec documents, not an AP field.
"""

from __future__ import annotations

import copy
import datetime as dt
import json

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syndicate import formats
from syndicate.errors import MalformedInput
from syndicate.formats import apjson, newsmlg2, ninjs
from syndicate.item import Description, Note, Person, PubStatus, Span, Subject

CTX = formats.ParseContext(now=dt.datetime(2026, 11, 30, 18, tzinfo=dt.UTC))
FIXTURES = ["ap-item-nitf-inline.json", "ap-item-text-linked.json", "ap-feed-three-withheld.json",
            "ap-item-canceled-ten-digit.json", "ap-item-picture.json"]


def load(fixtures_dir, name):
    return json.loads((fixtures_dir / "apjson" / name).read_text())


def read(doc, ctx=CTX):
    return apjson.ApJsonCodec().parse(json.dumps(doc).encode(), ctx)


def item_of(fixtures_dir, name):
    (item,) = read(load(fixtures_dir, name))
    return item


def feed(*items):
    return {"api_version": "2.2", "data": {"current_item_count": len(items), "next_page": "https://x.test/p2",
                                           "items": [{"meta": {}, "item": i} for i in items]}}


def single(item):
    return {"api_version": "2.2", "data": {"item": item}}


def story(fixtures_dir):
    """The inline NITF story's item object, for variations."""
    return copy.deepcopy(load(fixtures_dir, "ap-item-nitf-inline.json")["data"]["item"])


# -- detection ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FIXTURES)
def test_ap_responses_are_detected_as_apjson_not_as_ninjs(fixtures_dir, name):
    data = (fixtures_dir / "apjson" / name).read_bytes()
    assert formats.detect(data).name == "apjson"
    assert ninjs.NinjsCodec().sniff(data) < apjson.ApJsonCodec().sniff(data)


def test_plain_ninjs_is_not_claimed_by_apjson(fixtures_dir):
    for name in ("ninjs-total-items-envelope.json", "ninjs-2x-reuters-people.json",
                 "aap-ninjs2-list-mixed.json"):
        assert apjson.ApJsonCodec().sniff((fixtures_dir / "ninjs" / name).read_bytes()) == 0.0


# -- identity, version, status -----------------------------------------------------------------


def test_the_guid_is_aps_own_g2_guid_made_of_the_item_id(fixtures_dir):
    item = item_of(fixtures_dir, "ap-item-nitf-inline.json")
    assert item.guid == "tag:ap.org,2011:3f2b9c1d4e5a46b7a8c9d0e1f2a3b4c5"
    assert item.provider == "AP"


def test_without_altids_the_item_id_is_taken_from_the_uri(fixtures_dir):
    obj = story(fixtures_dir)
    del obj["altids"]
    (item,) = read(single(obj))
    assert item.guid == "tag:ap.org,2011:3f2b9c1d4e5a46b7a8c9d0e1f2a3b4c5"


def test_the_etag_of_the_revision_is_kept_apart_from_the_guid(fixtures_dir):
    item = item_of(fixtures_dir, "ap-item-nitf-inline.json")
    assert dict(item.extra)["ap-etag"] == "3f2b9c1d4e5a46b7a8c9d0e1f2a3b4c5_1a2aza3c0"


def test_the_version_is_aps_plus_one_as_ap_counts_from_zero(fixtures_dir):
    assert item_of(fixtures_dir, "ap-item-nitf-inline.json").version == 3
    first = read(load(fixtures_dir, "ap-feed-three-withheld.json"))[0]
    assert first.version == 1


def test_a_kill_with_a_ten_digit_version_is_read_without_its_linked_body(fixtures_dir):
    item = item_of(fixtures_dir, "ap-item-canceled-ten-digit.json")
    assert item.pub_status is PubStatus.CANCELED
    assert item.version == 2026113013
    assert item.body == ()
    assert item.notes[0].text.startswith("Eds: KILL.")


def test_a_feed_page_gives_its_three_items_with_the_withheld_one_held(fixtures_dir):
    data = (fixtures_dir / "apjson" / "ap-feed-three-withheld.json").read_bytes()
    parsed = formats.parse(data, "auto", CTX)
    assert parsed.format == "apjson" and not parsed.skipped
    assert [i.pub_status for i in parsed.items] == [PubStatus.USABLE, PubStatus.USABLE, PubStatus.WITHHELD]
    assert parsed.items[2].headline == "Police name suspect in Denver shooting"


def test_an_embargoed_item_is_usable_once_its_embargo_has_passed(fixtures_dir):
    obj = story(fixtures_dir) | {"pubstatus": "embargoed", "embargoed": "2026-12-01T05:00:00Z"}
    (item,) = read(single(obj))
    assert item.pub_status is PubStatus.USABLE
    assert item.embargo == dt.datetime(2026, 12, 1, 5, tzinfo=dt.UTC)


def test_an_embargoed_item_without_its_time_is_refused(fixtures_dir):
    with pytest.raises(MalformedInput, match="embargoed without an 'embargoed' time"):
        read(single(story(fixtures_dir) | {"pubstatus": "embargoed"}))


def test_a_status_that_is_none_of_aps_is_refused_not_taken_as_usable(fixtures_dir):
    with pytest.raises(MalformedInput, match=r"pubstatus .* is 'deleted'"):
        read(single(story(fixtures_dir) | {"pubstatus": "deleted"}))


# -- what is left out -----------------------------------------------------------------------------


def test_a_picture_is_left_out_by_design_with_its_reason(fixtures_dir):
    (left_out,) = read(load(fixtures_dir, "ap-item-picture.json"))
    assert isinstance(left_out, formats.Skipped) and not left_out.fault
    assert left_out.kind == "AP picture item" and "not yet from AP" in left_out.reason
    with pytest.raises(MalformedInput, match="AP picture item"):
        formats.parse((fixtures_dir / "apjson" / "ap-item-picture.json").read_bytes(), "auto", CTX)


def test_an_advisory_without_the_newscontent_signal_is_left_out_by_design(fixtures_dir):
    advisory = story(fixtures_dir) | {"signals": [], "headline": "AP-US-NEWS-DIGEST"}
    parsed = formats.parse(json.dumps(feed(story(fixtures_dir), advisory)).encode(), "apjson", CTX)
    assert len(parsed.items) == 1 and not parsed.faults
    assert "advisory" in parsed.skipped[0].reason


def test_a_kill_without_the_newscontent_signal_is_still_read(fixtures_dir):
    (item,) = read(single(story(fixtures_dir) | {"signals": [], "pubstatus": "canceled"}))
    assert item.pub_status is PubStatus.CANCELED


def test_a_body_only_linked_is_refused_naming_the_rendition_without_its_query(fixtures_dir):
    with pytest.raises(MalformedInput) as caught:
        read(load(fixtures_dir, "ap-item-text-linked.json"))
    message = str(caught.value)
    assert ("renditions.nitf.href = https://api.ap.org/media/v/content/"
            "8d25b6c7e1f04a2b9c3d4e5f60718293.0/download)") in message
    assert "fetches nothing" in message and "qt=" not in message


def test_in_a_feed_an_item_whose_body_is_only_linked_is_left_out_as_a_fault(fixtures_dir):
    linked = load(fixtures_dir, "ap-item-text-linked.json")["data"]["item"]
    parsed = formats.parse(json.dumps(feed(story(fixtures_dir), linked)).encode(), "auto", CTX)
    assert [i.headline for i in parsed.items] == ["Bridge over the Delaware reopens after repairs"]
    (fault,) = parsed.faults
    assert fault.position == 2 and fault.guid == "tag:ap.org,2011:8d25b6c7e1f04a2b9c3d4e5f60718293"


def test_an_error_response_is_refused_with_aps_message():
    doc = {"api_version": "2.2", "method": "/content/feed.GET",
           "error": {"status": 401, "code": 401, "message": "Unauthorized: API key is invalid."}}
    data = json.dumps(doc).encode()
    assert formats.detect(data).name == "apjson"
    with pytest.raises(MalformedInput, match=r"error \(status 401.*API key is invalid"):
        formats.parse(data, "auto", CTX)


def test_a_response_with_neither_item_nor_items_is_refused():
    with pytest.raises(MalformedInput, match=r"neither data\.item .* nor data\.items"):
        read({"api_version": "2.2", "data": {"query": "x"}})


# -- the story ---------------------------------------------------------------------------------


def test_the_nitf_rendition_carried_inline_is_the_body_with_its_dateline_taken_out(fixtures_dir):
    item = item_of(fixtures_dir, "ap-item-nitf-inline.json")
    assert item.body[0].text.startswith("A bridge over the Delaware River reopened")
    assert Span("Luis Ortega", italic=True) in item.body[1].spans
    assert item.dateline is not None and item.dateline.raw == "TRENTON, N.J. (AP) —"
    assert item.located is not None and (item.located.name, item.located.region) == ("Trenton", "US-NJ")


def test_the_paragraphs_of_a_nitf_block_stay_apart(fixtures_dir):
    item = item_of(fixtures_dir, "ap-item-nitf-inline.json")
    assert [b.text for b in item.body][1:] == [
        "Commuters had faced detours of up to 40 minutes, transportation commissioner Luis Ortega said.",
        "Tolls will not rise before March."]


def test_a_text_main_rendition_carried_inline_is_the_body_when_the_nitf_is_only_linked(fixtures_dir):
    stocks = read(load(fixtures_dir, "ap-feed-three-withheld.json"))[1]
    assert [b.text for b in stocks.body] == [
        "Stocks edged higher on Wall Street on Monday as oil prices eased.", "The S&P 500 rose 0.3%."]
    assert stocks.dateline is not None and stocks.dateline.city == "NEW YORK"


def test_headline_extended_is_the_summary_where_there_is_no_description_summary(fixtures_dir):
    item = item_of(fixtures_dir, "ap-item-nitf-inline.json")
    assert item.summary.startswith("A bridge between Trenton and Morrisville") and not item.descriptions


def test_a_description_summary_wins_and_the_extended_headline_stays_a_description(fixtures_dir):
    stocks = read(load(fixtures_dir, "ap-feed-three-withheld.json"))[1]
    assert stocks.summary == "Wall Street drifted higher in afternoon trading"
    assert stocks.descriptions == (Description(
        "Stocks edged higher on Wall Street as oil prices eased for a third day", "aprol:extendedHeadline"),)


def test_bylines_give_the_byline_and_each_author_named_with_the_title(fixtures_dir):
    item = item_of(fixtures_dir, "ap-item-nitf-inline.json")
    assert item.byline == "By TOM REILLY and ANA RUIZ"
    assert item.authors == (Person("TOM REILLY", title="Associated Press"),
                            Person("ANA RUIZ", title="Associated Press"))


def test_the_ednote_is_a_note_to_editors(fixtures_dir):
    item = item_of(fixtures_dir, "ap-item-nitf-inline.json")
    assert item.notes == (Note("Eds: Updates with comment from transportation commissioner."),)


def test_times_language_urgency_slugline_keywords_and_copyright_are_read(fixtures_dir):
    item = item_of(fixtures_dir, "ap-item-nitf-inline.json")
    assert item.first_created == dt.datetime(2026, 11, 30, 13, 2, 41, tzinfo=dt.UTC)
    assert item.version_created == dt.datetime(2026, 11, 30, 14, 5, 10, tzinfo=dt.UTC)
    assert (item.language, item.urgency, item.slugline) == ("en", 4, "BC-US--Delaware Bridge")
    assert item.keywords == ("Bridges", "Commuting")
    assert item.copyright.startswith("Copyright 2026 The Associated Press")


def test_direct_subjects_are_ap_concepts_categories_are_qcodes_and_ancestors_are_left_out(fixtures_dir):
    item = item_of(fixtures_dir, "ap-item-nitf-inline.json")
    assert item.subjects == (
        Subject("apcategorycode:a"),
        Subject(name="General news", uri="http://cv.ap.org/id/f25af2d07e4e100484f5df92b5ba4b3d"),
        Subject(name="Transportation", uri="http://cv.ap.org/id/c8e409f8858510048872ff2260dd383e"),
    )


def _plain_story(fixtures_dir, text, **fields):
    obj = story(fixtures_dir) | fields
    obj["renditions"] = {"main": {"type": "text", "mimetype": "text/plain", "content": text}}
    return obj


def test_located_is_the_dateline_text_where_the_body_leads_with_none(fixtures_dir):
    (item,) = read(single(_plain_story(fixtures_dir, "A bridge reopened on Monday.")))
    assert item.dateline is not None and item.dateline.raw == "Trenton, N.J."
    assert item.located is not None and item.located.region == "US-NJ"
    assert item.body[0].text == "A bridge reopened on Monday."


def test_datelinelocation_alone_gives_the_place_without_dateline_text(fixtures_dir):
    obj = _plain_story(fixtures_dir, "A bridge reopened on Monday.")
    del obj["located"]
    (item,) = read(single(obj))
    assert item.dateline is not None and (item.dateline.raw, item.dateline.city) == ("", "Trenton")
    assert item.located is not None and item.located.name == "Trenton"


def test_datelinelocation_resolves_a_place_the_dateline_text_leaves_open(fixtures_dir):
    obj = _plain_story(fixtures_dir, "PORTLAND (AP) — The ferry to Peaks Island runs again.",
                       datelinelocation={"city": "Portland", "countryareaname": "Maine",
                                         "countrycode": "USA", "countryname": "United States"})
    (item,) = read(single(obj))
    assert item.dateline is not None and item.dateline.raw == "PORTLAND (AP) —"
    assert item.located is not None and item.located.region == "US-ME"


# -- out again ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ap-item-nitf-inline.json", "ap-feed-three-withheld.json",
                                  "ap-item-canceled-ten-digit.json"])
def test_ap_items_are_written_valid_ninjs_3_1_and_newsml_g2(fixtures_dir, shared_dir, assert_valid_g2, name):
    spec = json.loads((shared_dir / "standards" / "ninjs" / "ninjs-schema_3.1.json").read_text())
    validator = jsonschema.Draft202012Validator(spec, format_checker=jsonschema.FormatChecker())
    for item in read(load(fixtures_dir, name)):
        assert not list(validator.iter_errors(json.loads(ninjs.render(item))))
        assert_valid_g2(newsmlg2.render(item))


# -- any input ---------------------------------------------------------------------------------

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=8), kids, max_size=3),
    max_leaves=12)
_ITEM_FIELDS = ("uri", "altids", "version", "type", "pubstatus", "signals", "headline", "headline_extended",
                "description_summary", "firstcreated", "versioncreated", "embargoed", "language", "urgency",
                "bylines", "photographer", "ednote", "located", "datelinelocation", "subject", "keywords",
                "renditions")


@settings(max_examples=150, deadline=None)
@given(st.fixed_dictionaries({}, optional={k: _JSON for k in _ITEM_FIELDS}))
def test_any_item_object_in_a_feed_is_read_or_left_out_with_a_reason(obj):
    (entry,) = apjson.ApJsonCodec().parse(json.dumps(feed(obj)).encode(), CTX)
    assert isinstance(entry, formats.Skipped) or entry.headline
