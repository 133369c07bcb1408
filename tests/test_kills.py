"""Kills, holds and versions as every format says them: a cancellation is never read as usable,
and a version is any whole number from 1 to 2^53-1, kept and compared exactly."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from pipeline_support import (
    NOW,
    InlineDispatcher,
    ensure_codecs,
    g2_bytes,
    ingest,
    make_runtime,
    outputs,
    sample_item,
)
from syndicate import formats
from syndicate.errors import MalformedInput
from syndicate.formats import ParseContext, newsmlg2, ninjs
from syndicate.item import NewsItem, PubStatus, guid_slug
from syndicate.item_json import decode_item, encode_item
from syndicate.pipeline import Runtime
from syndicate.store import Store
from syndicate.versions import MAX_VERSION, parse_version
from syndicate.web.feeds import create_app

FIXTURES = Path(__file__).parent / "fixtures"
CTX = ParseContext(now=dt.datetime(2026, 11, 30, 16, 0, tzinfo=dt.UTC))
TEN_DIGITS = 2026113012


def read(path: str) -> list[NewsItem]:
    return list(formats.parse((FIXTURES / path).read_bytes(), "auto", CTX).items)


def g2_item(version: str = "1", meta: str = '<pubStatus qcode="stat:usable"/>') -> bytes:
    return (
        f'<newsItem xmlns="{newsmlg2.G2_NS}" guid="urn:test:1" version="{version}" '
        'standard="NewsML-G2" standardversion="2.35" xml:lang="en"><itemMeta>'
        '<itemClass qcode="ninat:text"/><provider literal="test"/>'
        f"<versionCreated>2026-11-30T10:00:00Z</versionCreated>{meta}</itemMeta>"
        "<contentMeta><headline>H</headline></contentMeta></newsItem>"
    ).encode()


def nitf_doc(docdata_attrs: str = "", du_key: str = '<du-key version="1"/>') -> bytes:
    return (
        "<nitf><head><title>T</title>"
        f'<docdata {docdata_attrs}><doc-id id-string="urn:test:nitf:1"/>{du_key}</docdata></head>'
        "<body><body.head><hedline><hl1>Headline</hl1></hedline></body.head>"
        "<body.content><p>Text.</p></body.content></body></nitf>"
    ).encode()


def ninjs_doc(**fields: object) -> bytes:
    doc: dict[str, object] = {"uri": "urn:test:ninjs:1", "headline": "H", "language": "en"}
    doc.update(fields)
    return json.dumps(doc).encode()


# ---------------------------------------------------------------------------------------------
# NewsML-G2


@pytest.mark.parametrize("meta", [
    '<pubStatus qcode="stat:canceled"/>',
    '<pubStatus qcode="stat:cancelled"/>',
    '<pubStatus uri="http://cv.iptc.org/newscodes/pubstatusg2/canceled"/>',
    '<pubStatus uri="https://cv.iptc.org/newscodes/pubstatusg2/canceled/"/>',
])
def test_a_g2_cancellation_is_read_by_qcode_or_by_uri(meta: str) -> None:
    (item,) = newsmlg2.parse(g2_item(meta=meta), CTX)
    assert item.pub_status is PubStatus.CANCELED


def test_a_g2_hold_is_read_by_uri() -> None:
    meta = '<pubStatus uri="http://cv.iptc.org/newscodes/pubstatusg2/withheld"/>'
    assert newsmlg2.parse(g2_item(meta=meta), CTX)[0].pub_status is PubStatus.WITHHELD


@pytest.mark.parametrize("meta", ['<pubStatus/>', '<pubStatus uri="http://example.com/status/killed"/>'])
def test_a_g2_pub_status_that_cannot_be_read_is_refused_not_taken_as_usable(meta: str) -> None:
    with pytest.raises(MalformedInput, match="pubStatus"):
        newsmlg2.parse(g2_item(meta=meta), CTX)


def test_the_reuters_style_kill_keeps_its_ten_digit_version() -> None:
    (story,) = read("newsmlg2/reuters-story-v2026113011.xml")
    (kill,) = read("newsmlg2/reuters-kill-v2026113012.xml")
    assert (story.guid, story.version, story.pub_status) == (kill.guid, TEN_DIGITS - 1, PubStatus.USABLE)
    assert (kill.version, kill.pub_status) == (TEN_DIGITS, PubStatus.CANCELED)


def test_the_afp_style_kill_in_a_message_is_read_by_its_uri() -> None:
    update, kill = read("newsmlg2/afp-message-kill-by-uri.xml")
    assert update.pub_status is PubStatus.USABLE
    assert (kill.guid, kill.version, kill.pub_status) == (
        "urn:newsml:afp.com:20261130:TX-PAR-KLM07", 4, PubStatus.CANCELED)


def test_the_efe_style_hold_is_withheld() -> None:
    assert read("newsmlg2/efe-withheld.xml")[0].pub_status is PubStatus.WITHHELD


@pytest.mark.parametrize("version", ["2026113012", str(MAX_VERSION), "1"])
def test_a_g2_version_up_to_two_to_the_53_minus_one_is_kept_exactly(version: str) -> None:
    assert newsmlg2.parse(g2_item(version), CTX)[0].version == int(version)


@pytest.mark.parametrize("version", [str(MAX_VERSION + 1), "1" + "0" * 30, "9" * 5000])
def test_a_larger_g2_version_is_refused_naming_the_value_and_the_limit(version: str) -> None:
    with pytest.raises(MalformedInput, match=rf"version attribute is {version[:20]}.*{MAX_VERSION}"):
        newsmlg2.parse(g2_item(version), CTX)


@pytest.mark.parametrize("version", ["0", "-3", "1.5", "v2", "²", "٣"])
def test_a_g2_version_that_is_no_positive_whole_number_is_refused(version: str) -> None:
    with pytest.raises(MalformedInput, match="version"):
        newsmlg2.parse(g2_item(version), CTX)


def test_a_ten_digit_kill_is_written_as_schema_valid_g2(assert_valid_g2) -> None:  # type: ignore[no-untyped-def]
    (kill,) = read("newsmlg2/reuters-kill-v2026113012.xml")
    root = assert_valid_g2(newsmlg2.render(kill))
    assert root.get("version") == str(TEN_DIGITS)
    meta = root.find(f"{{{newsmlg2.G2_NS}}}itemMeta")
    assert meta is not None
    assert meta.find(f"{{{newsmlg2.G2_NS}}}pubStatus").get("qcode") == "stat:canceled"
    assert newsmlg2.parse(newsmlg2.render(kill), CTX)[0] == kill


def test_the_largest_version_is_written_valid_and_one_more_is_refused(assert_valid_g2) -> None:  # type: ignore[no-untyped-def]
    (item,) = newsmlg2.parse(g2_item(), CTX)
    assert_valid_g2(newsmlg2.render(item.replace(version=MAX_VERSION)))
    with pytest.raises(MalformedInput, match=str(MAX_VERSION)):
        newsmlg2.render(item.replace(version=MAX_VERSION + 1))


# ---------------------------------------------------------------------------------------------
# NITF


def test_a_nitf_cancellation_is_the_management_status_attribute_of_docdata() -> None:
    (item,) = formats.parse(nitf_doc('management-status="canceled"'), "nitf", CTX).items
    assert item.pub_status is PubStatus.CANCELED


@pytest.mark.parametrize(("value", "status"), [
    ("usable", PubStatus.USABLE), ("embargoed", PubStatus.USABLE), ("withheld", PubStatus.WITHHELD),
    ("canceled", PubStatus.CANCELED), ("Cancelled", PubStatus.CANCELED), ("", PubStatus.USABLE),
])
def test_every_nitf_management_status_is_read(value: str, status: PubStatus) -> None:
    (item,) = formats.parse(nitf_doc(f'management-status="{value}"'), "nitf", CTX).items
    assert item.pub_status is status


def test_an_unknown_nitf_management_status_is_refused_not_taken_as_usable() -> None:
    with pytest.raises(MalformedInput, match="management-status is 'killed'"):
        formats.parse(nitf_doc('management-status="killed"'), "nitf", CTX)


def test_a_nitf_status_given_for_the_document_itself_by_idref_is_applied() -> None:
    attrs = 'management-doc-idref="urn:test:nitf:1" management-idref-status="canceled"'
    (item,) = formats.parse(nitf_doc(attrs), "nitf", CTX).items
    assert item.pub_status is PubStatus.CANCELED


def test_a_nitf_kill_of_another_document_is_refused_rather_than_published() -> None:
    with pytest.raises(MalformedInput, match="another document, 'ap-2026-11-30-a4471', is canceled"):
        read("nitf/ap-nitf33-kill-of-another-doc.xml")


def test_the_dpa_style_nitf_36_kill_names_the_story_it_kills() -> None:
    (story,) = read("nitf/dpa-nitf36-story.xml")
    (kill,) = read("nitf/dpa-nitf36-kill.xml")
    assert story.guid == kill.guid == "urn:newsml:dpa.com:20090101:261130-99-412345"
    assert (story.version, story.pub_status) == (1, PubStatus.USABLE)
    assert (kill.version, kill.pub_status) == (2, PubStatus.CANCELED)


def test_the_ansa_style_latin1_nitf_35_kill_is_canceled_and_reads_its_accents() -> None:
    (kill,) = read("nitf/ansa-nitf35-latin1-kill.xml")
    assert (kill.version, kill.pub_status, kill.language) == (3, PubStatus.CANCELED, "it")
    assert "è annullata" in kill.body_text


def test_the_afp_style_nitf_hold_is_withheld() -> None:
    assert read("nitf/afp-nitf34-withheld.xml")[0].pub_status is PubStatus.WITHHELD


def test_a_nitf_du_key_version_is_kept_exactly_up_to_the_limit() -> None:
    (item,) = formats.parse(nitf_doc(du_key=f'<du-key version="{TEN_DIGITS}"/>'), "nitf", CTX).items
    assert item.version == TEN_DIGITS
    with pytest.raises(MalformedInput, match=rf"du-key version is {MAX_VERSION + 1}.*{MAX_VERSION}"):
        formats.parse(nitf_doc(du_key=f'<du-key version="{MAX_VERSION + 1}"/>'), "nitf", CTX)


def test_a_nitf_du_key_version_that_is_no_number_is_refused_not_read_as_one() -> None:
    with pytest.raises(MalformedInput, match="du-key version is 'v2'"):
        formats.parse(nitf_doc(du_key='<du-key version="v2"/>'), "nitf", CTX)


# ---------------------------------------------------------------------------------------------
# ninjs


@pytest.mark.parametrize("key", ["pubstatus", "pubStatus"])
@pytest.mark.parametrize("value", ["canceled", "cancelled", "CANCELED"])
def test_a_ninjs_cancellation_is_read_in_every_spelling(key: str, value: str) -> None:
    (item,) = formats.parse(ninjs_doc(**{key: value}), "ninjs", CTX).items
    assert item.pub_status is PubStatus.CANCELED


@pytest.mark.parametrize("value", ["killed", 3, ""])
def test_a_ninjs_pub_status_that_is_no_status_is_refused(value: object) -> None:
    with pytest.raises(MalformedInput, match="pubStatus"):
        formats.parse(ninjs_doc(pubstatus=value), "ninjs", CTX)


def test_the_ap_style_ninjs_1_kill_follows_its_story() -> None:
    (story,) = read("ninjs/ap-ninjs1-story.json")
    (kill,) = read("ninjs/ap-ninjs1-kill.json")
    assert story.guid == kill.guid
    assert (story.version, kill.version, kill.pub_status) == (1, 2, PubStatus.CANCELED)


def test_the_ninjs_3_kill_keeps_its_ten_digit_version() -> None:
    (kill,) = read("ninjs/ntb-ninjs31-kill-ten-digit.json")
    assert (kill.version, kill.pub_status) == (TEN_DIGITS, PubStatus.CANCELED)


def test_the_ninjs_2_hold_is_withheld() -> None:
    assert read("ninjs/ansa-ninjs2-withheld.json")[0].pub_status is PubStatus.WITHHELD


@pytest.mark.parametrize("version", [str(TEN_DIGITS), TEN_DIGITS, str(MAX_VERSION)])
def test_a_ninjs_version_string_or_number_is_kept_exactly(version: object) -> None:
    (item,) = formats.parse(ninjs_doc(version=version), "ninjs", CTX).items
    assert item.version == int(str(version))


@pytest.mark.parametrize(("version", "match"), [
    (str(MAX_VERSION + 1), str(MAX_VERSION)), (MAX_VERSION + 1, str(MAX_VERSION)),
    ("2.0", "not a whole number"), (2.0, "not a whole number"), (True, "not a whole number"),
    ("0", "from 1 up"),
])
def test_a_ninjs_version_out_of_range_or_no_number_is_refused(version: object, match: str) -> None:
    with pytest.raises(MalformedInput, match=match):
        formats.parse(ninjs_doc(version=version), "ninjs", CTX)


def test_a_ten_digit_kill_is_written_as_ninjs_with_its_version_and_status() -> None:
    (kill,) = read("newsmlg2/reuters-kill-v2026113012.xml")
    doc = ninjs.to_dict(kill)
    assert (doc["version"], doc["pubStatus"]) == (str(TEN_DIGITS), "canceled")
    (back,) = formats.parse(ninjs.render(kill), "ninjs", CTX).items
    assert (back.version, back.pub_status) == (TEN_DIGITS, PubStatus.CANCELED)


# ---------------------------------------------------------------------------------------------
# the version everywhere else: one reader, the JSON round trip, the store


@given(st.integers(1, MAX_VERSION))
def test_every_version_in_range_reads_back_from_its_decimal_form(version: int) -> None:
    assert parse_version(str(version), "v") == version
    assert parse_version(f" 000{version}\n", "v") == version


def test_a_ten_digit_kill_survives_the_store_json_round_trip() -> None:
    (kill,) = read("newsmlg2/reuters-kill-v2026113012.xml")
    big = kill.replace(version=MAX_VERSION)
    assert decode_item(encode_item(kill)) == kill
    assert decode_item(encode_item(big)).version == MAX_VERSION


def test_the_store_compares_versions_near_the_limit_exactly(store: Store) -> None:
    # doubles cannot tell 2^53-1 from 2^53-2 apart past the limit; below it they are exact,
    # and the store compares the decimal forms, not floats
    assert store.note_version("g", TEN_DIGITS) == TEN_DIGITS
    assert store.note_version("g", TEN_DIGITS - 1) == TEN_DIGITS
    assert store.note_version("g", MAX_VERSION - 1) == MAX_VERSION - 1
    assert store.note_version("g", MAX_VERSION) == MAX_VERSION
    assert store.note_version("g", MAX_VERSION - 1) == MAX_VERSION
    assert store.latest_version("g") == MAX_VERSION
    assert store.note_version("h", 9) == 9
    assert store.note_version("h", 10) == 10  # "10" < "9" as text: compared by length first


# ---------------------------------------------------------------------------------------------
# the pipeline: a hold travels like a kill


EN_PARTNERS = """
partners:
  - id: acme
    languages: [en]
    formats: [newsmlg2]
    destinations:
      - type: directory
        path: {out}/acme
  - id: homewire
    languages: [en]
    formats: [newsmlg2]
    feed_token_env: HOMEWIRE_FEED_TOKEN
    destinations:
      - type: feed
"""
TOMBSTONE = "{http://purl.org/atompub/tombstones/1.0}deleted-entry"


def _pipeline(tmp_path: Path) -> tuple[Runtime, InlineDispatcher]:
    ensure_codecs()
    return make_runtime(tmp_path, EN_PARTNERS), InlineDispatcher()


def _atom(rt: Runtime) -> bytes:
    app = create_app(rt.config, rt.store, environ={"HOMEWIRE_FEED_TOKEN": "t"}, now=lambda: NOW)
    r = TestClient(app).get("/feeds/homewire/en.atom", headers={"Authorization": "Bearer t"})
    assert r.status_code == 200
    return r.content


def test_a_hold_of_a_story_nobody_received_goes_nowhere(tmp_path: Path) -> None:
    rt, d = _pipeline(tmp_path)
    ingest(rt, g2_bytes(sample_item(pub_status=PubStatus.WITHHELD)), d)
    d.drain(rt)
    assert outputs(tmp_path / "out") == []
    assert rt.store.feed_entries("homewire") == []


def test_a_hold_reaches_every_partner_at_once_embargo_or_not_and_leaves_a_tombstone(
    tmp_path: Path,
) -> None:
    rt, d = _pipeline(tmp_path)
    ingest(rt, g2_bytes(sample_item()), d)
    d.drain(rt)
    held = sample_item(version=2, pub_status=PubStatus.WITHHELD, embargo=NOW + dt.timedelta(days=1))
    ingest(rt, g2_bytes(held), d, "held.xml")
    d.drain(rt)
    assert not d.held
    (folder_copy,) = [f for f in outputs(tmp_path / "out") if "/v2." in f]
    (item,) = newsmlg2.parse((tmp_path / "out" / folder_copy).read_bytes())
    assert item.pub_status is PubStatus.WITHHELD
    root = etree.fromstring(_atom(rt))
    (tomb,) = root.findall(TOMBSTONE)
    assert tomb.get("ref") == held.guid
    assert tomb.findtext("{http://purl.org/atompub/tombstones/1.0}comment", "").startswith(
        "withheld (hold) in version 2")
    # a later usable version lifts the hold: the entry is back
    ingest(rt, g2_bytes(sample_item(version=3)), d, "v3.xml")
    d.drain(rt)
    root = etree.fromstring(_atom(rt))
    assert root.findall(TOMBSTONE) == []
    assert len(root.findall("{http://www.w3.org/2005/Atom}entry")) == 1


def test_after_a_kill_no_earlier_version_is_handed_out_by_the_feed_server(tmp_path: Path) -> None:
    rt, d = _pipeline(tmp_path)
    story = sample_item(version=TEN_DIGITS - 1)
    ingest(rt, g2_bytes(story), d)
    d.drain(rt)
    app = create_app(rt.config, rt.store, environ={"HOMEWIRE_FEED_TOKEN": "t"}, now=lambda: NOW)
    client = TestClient(app)
    url = f"/items/homewire/en/{guid_slug(story.guid)}/v{TEN_DIGITS - 1}.xml"
    auth = {"Authorization": "Bearer t"}
    assert client.get(url, headers=auth).status_code == 200
    ingest(rt, g2_bytes(sample_item(version=TEN_DIGITS, pub_status=PubStatus.CANCELED)), d, "k.xml")
    d.drain(rt)
    gone = client.get(url, headers=auth)
    assert gone.status_code == 410
    assert f"canceled in version {TEN_DIGITS}" in gone.json()["detail"]
    kill = client.get(url.replace(f"v{TEN_DIGITS - 1}", f"v{TEN_DIGITS}"), headers=auth)
    assert kill.status_code == 200
    assert newsmlg2.parse(kill.content)[0].pub_status is PubStatus.CANCELED
    assert client.get(url.replace(f"v{TEN_DIGITS - 1}", "v٣"), headers=auth).status_code == 404
