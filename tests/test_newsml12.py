"""NewsML 1.2: the NewsItems of AFP, ANA-MPA, Kyodo and EFE style NewsML 1.x documents read into
the model, each revision of a story one guid in several versions, a kill never read as usable."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from syndicate import formats
from syndicate.errors import MalformedInput
from syndicate.formats import ParseContext, Skipped, newsml12, newsmlg2
from syndicate.formats.nitf import NitfCodec
from syndicate.item import NewsItem, Note, Person, PubStatus, Subject
from syndicate.versions import MAX_VERSION

FIXTURES = Path(__file__).parent / "fixtures"
HERE = FIXTURES / "newsml12"
NOW = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
CTX = ParseContext(now=NOW)
CET = dt.timezone(dt.timedelta(hours=1))
JST = dt.timezone(dt.timedelta(hours=9))

AFP = "afp-nitf-fr.xml"
AFP_KILL = "afp-kill-rev3.xml"
ANA = "ana-mpa-xhtml-el-iso8859-7.xml"
KYODO = "kyodo-plain-text-en.xml"
TWO = "two-items-one-without-headline.xml"
PHOTO = "afp-story-with-photo-and-photo-alone.xml"
ALL = (AFP, AFP_KILL, ANA, KYODO, TWO, PHOTO)


def parsed(name: str, ctx: ParseContext = CTX) -> formats.Parsed:
    return formats.parse((HERE / name).read_bytes(), "auto", ctx)


def item(name: str, ctx: ParseContext = CTX) -> NewsItem:
    (only,) = parsed(name, ctx).items
    return only


def doc(management: str = '<Status FormalName="Usable"/>', component: str | None = None,
        revision: str = '<RevisionId PreviousRevision="0" Update="N">1</RevisionId>',
        public: str = "<PublicIdentifier>urn:newsml:example.com:20261130:X1:1</PublicIdentifier>",
        label: str = "") -> bytes:
    """A NewsML 1.2 document of one NewsItem, with the parts a test is about."""
    if component is None:
        component = (
            "<NewsComponent><NewsLines><HeadLine>Headline</HeadLine></NewsLines>"
            '<DescriptiveMetadata><Language FormalName="en"/></DescriptiveMetadata>'
            '<ContentItem><MediaType FormalName="Text"/><DataContent>Some text.</DataContent>'
            "</ContentItem></NewsComponent>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><NewsML Version="1.2"><NewsEnvelope>'
        "<DateAndTime>20261130T100000Z</DateAndTime></NewsEnvelope><NewsItem><Identification>"
        "<NewsIdentifier><ProviderId>example.com</ProviderId><DateId>20261130</DateId>"
        f"<NewsItemId>X1</NewsItemId>{revision}{public}</NewsIdentifier>{label}</Identification>"
        "<NewsManagement><NewsItemType FormalName=\"News\"/>"
        "<FirstCreated>20261130T100000Z</FirstCreated>"
        f"<ThisRevisionCreated>20261130T100000Z</ThisRevisionCreated>{management}"
        f"</NewsManagement>{component}</NewsItem></NewsML>"
    ).encode()


def read_one(data: bytes, ctx: ParseContext = CTX) -> NewsItem | Skipped:
    (entry,) = newsml12.CODEC.parse(data, ctx)
    return entry


def text_component(data_content: str, *, fmt: str = "", mime: str = "") -> str:
    fmt_el = f'<Format FormalName="{fmt}"/>' if fmt else ""
    mime_el = f'<MimeType FormalName="{mime}"/>' if mime else ""
    return (
        "<NewsComponent><NewsLines><HeadLine>Headline</HeadLine></NewsLines>"
        '<DescriptiveMetadata><Language FormalName="en"/></DescriptiveMetadata>'
        f'<ContentItem><MediaType FormalName="Text"/>{fmt_el}{mime_el}'
        f"<DataContent>{data_content}</DataContent></ContentItem></NewsComponent>"
    )


# ------------------------------------------------------------------ identity, version, status


def test_the_guid_is_the_public_identifier_without_its_revision():
    assert item(AFP).guid == "urn:newsml:afp.com:20261130:TX-PAR-KQZ41"
    assert item(KYODO).guid == "urn:newsml:kyodonews.jp:20261130:2026113000418"


def test_the_kill_of_revision_3_is_the_same_story_in_version_3_and_canceled():
    story, kill = item(AFP), item(AFP_KILL)
    assert (story.guid, story.version, story.pub_status) == (kill.guid, 1, PubStatus.USABLE)
    assert (kill.version, kill.pub_status) == (3, PubStatus.CANCELED)


def test_the_version_is_the_revision_id():
    assert item(KYODO).version == 2


def test_an_item_without_a_revision_id_is_version_1():
    entry = read_one(doc(revision=""))
    assert isinstance(entry, NewsItem) and entry.version == 1


def test_without_a_public_identifier_the_guid_is_the_urn_of_the_news_identifier():
    entry = read_one(doc(public=""))
    assert isinstance(entry, NewsItem) and entry.guid == "urn:newsml:example.com:20261130:X1"


@given(st.integers(min_value=1, max_value=MAX_VERSION))
def test_a_revision_id_up_to_two_to_the_53_minus_one_is_kept_exactly(version: int):
    entry = read_one(doc(revision=f'<RevisionId PreviousRevision="0">{version}</RevisionId>'))
    assert isinstance(entry, NewsItem) and entry.version == version


@pytest.mark.parametrize("value", [str(MAX_VERSION + 1), "0", "two"])
def test_a_revision_id_out_of_range_or_no_number_is_refused(value: str):
    entry = read_one(doc(revision=f"<RevisionId>{value}</RevisionId>"))
    assert isinstance(entry, Skipped) and "RevisionId" in entry.reason
    assert entry.guid == "urn:newsml:example.com:20261130:X1"


@pytest.mark.parametrize(("value", "status"), [
    ("Usable", PubStatus.USABLE), ("Withheld", PubStatus.WITHHELD),
    ("Canceled", PubStatus.CANCELED), ("Cancelled", PubStatus.CANCELED), ("CANCELED", PubStatus.CANCELED),
])
def test_every_status_is_read(value: str, status: PubStatus):
    entry = read_one(doc(f'<Status FormalName="{value}"/>'))
    assert isinstance(entry, NewsItem) and entry.pub_status is status


@pytest.mark.parametrize("management", ['<Status FormalName="Deleted"/>', '<Status FormalName=""/>', ""])
def test_a_status_that_cannot_be_read_is_refused_not_taken_as_usable(management: str):
    entry = read_one(doc(management))
    assert isinstance(entry, Skipped) and entry.fault and "Status" in entry.reason
    with pytest.raises(MalformedInput, match="Status"):
        formats.parse(doc(management), "auto", CTX)


def test_embargoed_with_a_release_time_is_usable_from_that_time():
    entry = read_one(doc(
        '<Status FormalName="Embargoed"/><StatusWillChange><FutureStatus FormalName="Usable"/>'
        "<DateAndTime>20261130T230100+0100</DateAndTime></StatusWillChange>"))
    assert isinstance(entry, NewsItem) and entry.pub_status is PubStatus.USABLE
    assert entry.embargo == dt.datetime(2026, 11, 30, 22, 1, tzinfo=dt.UTC)


def test_embargoed_without_a_release_time_is_withheld():
    entry = read_one(doc('<Status FormalName="Embargoed"/>'))
    assert isinstance(entry, NewsItem) and entry.pub_status is PubStatus.WITHHELD
    assert entry.embargo is None


def test_a_kill_that_restates_only_its_news_management_is_read_without_copy():
    entry = read_one(doc('<Status FormalName="Canceled"/>', component="",
                         revision='<RevisionId PreviousRevision="0" Update="A">1</RevisionId>',
                         label="<NameLabel>FLU-EUROPE</NameLabel>"))
    assert isinstance(entry, NewsItem)
    assert (entry.pub_status, entry.version, entry.headline) == (PubStatus.CANCELED, 1, "FLU-EUROPE")
    assert entry.body == ()


def test_a_kill_without_any_name_is_headed_by_its_status_and_item_id():
    entry = read_one(doc('<Status FormalName="Canceled"/>', component=""))
    assert isinstance(entry, NewsItem) and entry.headline == "Canceled: X1"


@pytest.mark.parametrize("update", ["U", "A"])
def test_a_usable_revision_that_is_no_complete_item_is_refused(update: str):
    entry = read_one(doc(revision=f'<RevisionId PreviousRevision="1" Update="{update}">2</RevisionId>'))
    assert isinstance(entry, Skipped) and "only complete revisions are read" in entry.reason


def test_a_kill_said_by_the_nitf_copy_is_not_read_as_usable():
    nitf = ('<nitf><head><docdata management-status="canceled"/></head>'
            "<body><body.content><p>Killed.</p></body.content></body></nitf>")
    entry = read_one(doc(component=text_component(nitf, fmt="NITF")))
    assert isinstance(entry, NewsItem) and entry.pub_status is PubStatus.CANCELED


def test_an_instruction_is_no_editorial_note():
    entry = read_one(doc('<Status FormalName="Usable"/><Instruction FormalName="Rectify"/>'))
    assert isinstance(entry, NewsItem) and entry.notes == ()


# ------------------------------------------------------------------ times


def test_the_item_times_are_first_created_and_this_revision_created_with_their_zones():
    afp, kyodo = item(AFP), item(KYODO)
    assert afp.first_created == afp.version_created == dt.datetime(2026, 11, 30, 10, 15, tzinfo=CET)
    assert afp.first_created is not None and afp.first_created.utcoffset() == dt.timedelta(hours=1)
    assert kyodo.first_created == dt.datetime(2026, 11, 30, 18, 30, tzinfo=JST)
    assert kyodo.version_created == dt.datetime(2026, 11, 30, 18, 45, tzinfo=JST)
    assert (afp.created, afp.modified, kyodo.created, kyodo.modified) == (None, None, None, None)


def test_a_kill_keeps_the_time_its_story_was_first_created():
    kill = item(AFP_KILL)
    assert kill.first_created == dt.datetime(2026, 11, 30, 10, 15, tzinfo=CET)
    assert kill.version_created == dt.datetime(2026, 11, 30, 14, 32, tzinfo=CET)


def test_times_without_a_zone_are_in_the_source_zone():
    athens = item(ANA, ParseContext(now=NOW, timezone=ZoneInfo("Europe/Athens")))
    assert athens.first_created == dt.datetime(2026, 11, 30, 15, 30, tzinfo=dt.UTC)
    assert athens.version_created == dt.datetime(2026, 11, 30, 15, 40, tzinfo=dt.UTC)
    assert item(ANA).first_created == dt.datetime(2026, 11, 30, 17, 30, tzinfo=dt.UTC)


def test_a_dateline_date_with_a_time_of_day_is_when_the_content_was_created():
    component = text_component("Text.").replace(
        "</DescriptiveMetadata>", "<DateLineDate>20261130T093000+0100</DateLineDate></DescriptiveMetadata>")
    entry = read_one(doc(component=component))
    assert isinstance(entry, NewsItem) and entry.created == dt.datetime(2026, 11, 30, 8, 30, tzinfo=dt.UTC)


def test_an_unreadable_time_is_refused_naming_it():
    entry = read_one(doc().replace(b"<FirstCreated>20261130T100000Z", b"<FirstCreated>soon"))
    assert isinstance(entry, Skipped) and "FirstCreated" in entry.reason


# ------------------------------------------------------------------ language, dateline, copy


def test_the_declared_language_wins_and_is_written_as_bcp_47():
    assert item(AFP).language == "fr"
    assert item(ANA).language == "el"  # declared as "EL"


def test_an_undeclared_language_is_detected_from_the_copy_not_its_dateline():
    assert item(KYODO).language == "en"


def test_the_configured_language_stands_in_for_an_undeclared_one():
    assert item(KYODO, ParseContext(now=NOW, language="en-GB")).language == "en-GB"


def test_the_dateline_is_taken_apart_and_placed():
    dl = item(AFP).dateline
    assert dl is not None and dl.raw == "PARIS, 30 nov 2026 (AFP)"
    assert (dl.city, dl.source, dl.date, dl.style) == ("PARIS", "AFP", dt.date(2026, 11, 30), "afp")
    assert dl.place is not None and (dl.place.name, dl.place.country) == ("Paris", "FR")
    kyodo = item(KYODO).dateline
    assert kyodo is not None
    assert (kyodo.city, kyodo.source, kyodo.date) == ("TOKYO", "Kyodo", dt.date(2026, 11, 30))
    assert kyodo.place is not None and kyodo.place.timezone == "Asia/Tokyo"


def test_a_dateline_of_a_city_alone_is_dated_by_the_dateline_date():
    dl = item(ANA).dateline
    assert dl is not None and (dl.raw, dl.date, dl.language) == ("ΑΘΗΝΑ", dt.date(2026, 11, 30), "el")
    assert dl.place is not None and dl.place.name == "Athens"


def test_the_dateline_the_copy_opens_with_is_taken_out_of_the_body():
    assert item(AFP).body[0].text.startswith("Le trafic sera très perturbé mardi")
    assert item(KYODO).body[0].text.startswith("Japan's exports rose for the fourth straight month")


def test_nitf_copy_keeps_its_markup_and_its_editors_note_is_a_note_not_copy():
    afp = item(AFP)
    assert len(afp.body) == 3
    assert any(s.bold and s.text == "très perturbé" for s in afp.body[0].spans)
    assert afp.notes == (Note("Ne pas diffuser avant 12H00 GMT."),)
    assert "12H00" not in afp.body_text


def test_xhtml_copy_in_iso_8859_7_reads_its_greek_and_its_markup():
    ana = item(ANA)
    assert ana.headline == "Αύξηση 12% στις αφίξεις τουριστών στην Κρήτη το 2026"
    assert len(ana.body) == 3 and ana.body[2].text.startswith("«Η χρονιά ξεπέρασε")
    assert any(s.bold and s.text == "Υπηρεσίας Πολιτικής Αεροπορίας" for s in ana.body[0].spans)
    assert any(s.italic for s in ana.body[2].spans)


def test_plain_text_copy_is_split_into_paragraphs_at_blank_lines():
    kyodo = item(KYODO)
    assert [b.text[:20] for b in kyodo.body] == [
        "Japan's exports rose", "Exports increased 5.", "The trade balance sw"]


def test_html_declared_in_data_content_as_text_is_read_as_html():
    component = text_component("<![CDATA[<P>First <B>bold</B> para.</P>\n<P>Second.</P>]]>", fmt="HTML")
    entry = read_one(doc(component=component))
    assert isinstance(entry, NewsItem) and [b.text for b in entry.body] == ["First bold para.", "Second."]
    assert any(s.bold for s in entry.body[0].spans)


def test_paragraphs_straight_in_data_content_are_read_as_markup():
    entry = read_one(doc(component=text_component("<p>One.</p><p>Two <i>more</i>.</p>", fmt="bcNITF2.5")))
    assert isinstance(entry, NewsItem) and [b.text for b in entry.body] == ["One.", "Two more."]


def test_a_nitf_document_escaped_as_text_is_read_as_nitf():
    nitf = ('<![CDATA[<?xml version="1.0" encoding="ISO-8859-1"?><nitf><body><body.content>'
            "<p>Caf\u00e9 <b>cr\u00e8me</b>.</p></body.content></body></nitf>]]>")
    entry = read_one(doc(component=text_component(nitf, fmt="NITF")))
    assert isinstance(entry, NewsItem) and entry.body_text == "Caf\u00e9 cr\u00e8me."
    assert any(s.bold for s in entry.body[0].spans)


def test_copy_encoded_in_another_notation_is_refused():
    encoded = '<Encoding Notation="base64"><DataContent>eA==</DataContent></Encoding>'
    component = text_component("x").replace("<DataContent>x</DataContent>", encoded)
    entry = read_one(doc(component=component))
    assert isinstance(entry, Skipped) and "base64" in entry.reason


# ------------------------------------------------------------------ news lines and metadata


def test_the_news_lines_are_read():
    afp = item(AFP)
    assert afp.headline == "Grève à la SNCF : trafic très perturbé mardi en Île-de-France"
    assert (afp.slugline, afp.byline) == ("France-transports-grève", "Claire DUBOIS")
    assert afp.copyright == "© 2026 AFP"
    assert afp.keywords == ("grève", "SNCF", "transports")
    assert afp.urgency == 3


def test_the_sub_headline_is_the_summary():
    assert item(ANA).summary == ("Ρεκόρ επισκεψιμότητας κατέγραψαν φέτος τα αεροδρόμια του νησιού, "
                                 "σύμφωνα με την ΥΠΑ.")


def test_the_provider_party_is_the_provider_and_creators_are_the_authors():
    afp = item(AFP)
    assert afp.provider == "AFP"
    assert afp.authors == (Person(name="Claire Dubois"),)


def test_a_by_byline_names_the_authors_when_no_creator_does():
    (efe,) = parsed(TWO).items
    assert [p.name for p in efe.authors] == ["Laura Gómez", "Pedro Ruiz"]


def test_the_people_of_a_nitf_byline_are_the_authors_when_no_creator_is_named():
    nitf = ("<nitf><body><body.head><byline>By <person>Ana Ruiz</person>, <byttl>EFE Writer</byttl>"
            "</byline></body.head><body.content><p>Text.</p></body.content></body></nitf>")
    entry = read_one(doc(component=text_component(nitf, fmt="NITF")))
    assert isinstance(entry, NewsItem) and entry.byline == "By Ana Ruiz"
    assert entry.authors == (Person(name="Ana Ruiz", title="EFE Writer"),)


def test_a_byline_without_by_stays_text_only():
    ana = item(ANA)
    assert (ana.byline, ana.authors) == ("Του Γιώργου Παπαδόπουλου", ())


def test_iptc_subject_codes_are_subj_and_a_provider_own_codes_keep_its_scheme():
    assert item(AFP).subjects == (Subject(qcode="subj:09000000"), Subject(qcode="subj:04015000"))
    assert item(KYODO).subjects == (Subject(qcode="subj:04008000"), Subject(qcode="kyodo-news:ECO"))


def test_genre_and_keyword_properties_are_read():
    ana = item(ANA)
    assert ana.genre == Subject(qcode="genre:Current", name="Current")
    assert ana.keywords == ("τουρισμός", "Κρήτη")


def test_the_envelope_priority_stands_in_for_a_missing_urgency():
    assert item(KYODO).urgency == 4


def test_items_carry_their_provenance():
    afp = item(AFP)
    assert afp.provenance is not None and afp.provenance.source_format == "newsml12"


# ------------------------------------------------------------------ several items, media


def test_an_item_without_a_headline_is_left_out_with_its_reason_and_the_other_kept():
    result = parsed(TWO)
    assert [i.headline for i in result.items] == ["Spain's unemployment falls to lowest level since 2008"]
    (skipped,) = result.skipped
    assert (skipped.position, skipped.kind, skipped.guid, skipped.fault) == (
        2, "NewsItem", "urn:newsml:efe.com:20261130:EN-20261130-ECO-0113", True)
    assert "no headline" in skipped.reason


def test_a_photo_item_is_left_out_by_design_naming_its_media_type():
    result = parsed(PHOTO)
    (skipped,) = result.skipped
    assert skipped.reason == "a Photo component: media items are not read from NewsML 1.2"
    assert (skipped.position, skipped.fault, result.faults) == (2, False, ())


def test_a_photo_beside_a_story_and_its_caption_are_no_part_of_it():
    (story,) = parsed(PHOTO).items
    assert story.headline == "WHO warns of early flu season in Europe"
    assert [b.text[:25] for b in story.body] == ["The World Health Organiza", "Hospital admissions were "]
    assert "headquarters" not in story.body_text


def test_a_document_of_only_a_photo_has_no_usable_item():
    component = ('<NewsComponent><NewsLines><HeadLine>Photo</HeadLine></NewsLines>'
                 '<ContentItem Href="x.jpg"><MediaType FormalName="Photo"/></ContentItem></NewsComponent>')
    with pytest.raises(MalformedInput, match="a Photo component: media items are not read"):
        formats.parse(doc(component=component), "auto", CTX)


def test_a_package_of_references_to_other_items_is_left_out_by_design():
    component = ('<NewsComponent><NewsLines><HeadLine>Index</HeadLine></NewsLines>'
                 '<NewsItemRef NewsItem="urn:newsml:example.com:20261130:X2:1"/></NewsComponent>')
    entry = read_one(doc(component=component))
    assert isinstance(entry, Skipped) and not entry.fault and "package" in entry.reason


# ------------------------------------------------------------------ output


@pytest.mark.parametrize("name", ALL)
def test_every_item_is_written_as_valid_newsml_g2(name: str, assert_valid_g2):
    for entry in parsed(name).items:
        assert_valid_g2(newsmlg2.render(entry))


def test_the_kill_reads_back_from_newsml_g2_with_its_guid_version_status_and_times():
    kill = item(AFP_KILL)
    (back,) = newsmlg2.parse(newsmlg2.render(kill), CTX)
    assert (back.guid, back.version, back.pub_status) == (kill.guid, 3, PubStatus.CANCELED)
    assert (back.first_created, back.version_created) == (kill.first_created, kill.version_created)


# ------------------------------------------------------------------ detection and safety


@pytest.mark.parametrize("name", ALL)
def test_detection_picks_newsml12(name: str):
    assert formats.detect((HERE / name).read_bytes()).name == "newsml12"


def test_nitf_copy_at_the_start_does_not_make_a_newsml_document_nitf():
    data = doc(component=text_component("<nitf><body><body.content><p>x</p></body.content></body></nitf>"))
    assert NitfCodec().sniff(data) == 0  # the root is NewsML: the NITF inside is its copy
    assert formats.detect(data).name == "newsml12"


@pytest.mark.parametrize("path", sorted(
    p.relative_to(FIXTURES) for d in ("newsmlg2", "nitf") for p in (FIXTURES / d).glob("*.xml")))
def test_newsml_g2_and_nitf_documents_are_not_claimed(path: Path):
    assert newsml12.sniff((FIXTURES / path).read_bytes()) == 0


def test_the_iptc_g2_examples_are_not_claimed(corpus_dir: Path):
    for path in (corpus_dir / "examples-iptc").glob("*.xml"):
        assert newsml12.sniff(path.read_bytes()) == 0, path.name


def test_g2_and_nitf_are_still_detected_as_themselves():
    assert formats.detect((FIXTURES / "newsmlg2" / "message_three_items.xml").read_bytes()).name == "newsmlg2"
    assert formats.detect((FIXTURES / "nitf" / "dpa-nitf36-story.xml").read_bytes()).name == "nitf"


@pytest.mark.parametrize(("root", "score"), [
    ('<NewsML xmlns="http://iptc.org/std/NewsML/2003-10-10/">', 0.95),
    ('<nml:NewsML xmlns:nml="http://iptc.org/std/NewsML/2003-10-10/">', 0.95),
    ("<NewsML Version=\"1.2\">", 0.95),
    ('<NewsML xmlns="http://iptc.org/std/nar/2006-10-01/">', 0.0),
    ('<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/">', 0.0),
])
def test_only_a_newsml_root_without_or_with_the_newsml_1_namespace_is_ours(root: str, score: float):
    assert newsml12.sniff(f'<?xml version="1.0"?>\n<!-- feed -->\n{root}</NewsML>'.encode()) == score


def test_a_newsml_root_in_another_namespace_is_refused_when_named():
    data = doc().replace(b'<NewsML Version="1.2">', b'<NewsML xmlns="http://iptc.org/std/nar/2006-10-01/">')
    with pytest.raises(MalformedInput, match=r"not the NewsML 1\.x"):
        newsml12.CODEC.parse(data, CTX)


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE NewsML [<!ENTITY lol "lol">'
          b'<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
          b"<NewsML><NewsItem><NewsLines><HeadLine>&lol1;</HeadLine></NewsLines></NewsItem></NewsML>")
XXE = (b'<?xml version="1.0"?><!DOCTYPE NewsML [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
       b"<NewsML><NewsItem><NewsLines><HeadLine>&secret;</HeadLine></NewsLines></NewsItem></NewsML>")


@pytest.mark.parametrize("data", [LAUGHS, XXE], ids=["entity expansion", "external entity"])
def test_documents_declaring_entities_are_detected_and_refused_for_safety(data: bytes):
    assert formats.detect(data).name == "newsml12"
    with pytest.raises(MalformedInput, match="refused for safety"):
        formats.parse(data, "auto", CTX)


def test_an_external_dtd_is_neither_fetched_nor_needed():
    doctype = b'<!DOCTYPE NewsML SYSTEM "http://attacker.example/NewsML_1.2.dtd">'
    data = doc().replace(b"<NewsML", doctype + b"<NewsML", 1)
    entry = read_one(data)
    assert isinstance(entry, NewsItem) and entry.headline == "Headline"


def test_a_document_without_news_items_is_refused():
    with pytest.raises(MalformedInput, match="no NewsItem"):
        newsml12.CODEC.parse(b"<NewsML><NewsEnvelope/></NewsML>", CTX)
