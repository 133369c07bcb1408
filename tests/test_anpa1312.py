"""ANPA 1312: AP's framing, header line, text markers, notes, bylines, versions and agate."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syndicate import formats
from syndicate.errors import MalformedInput
from syndicate.formats import Skipped, newsmlg2
from syndicate.formats.anpa1312 import read_header
from syndicate.item import BlockKind, NewsItem

CTX = formats.ParseContext(now=dt.datetime(2026, 11, 30, 16, tzinfo=dt.UTC))
EST = ZoneInfo("America/New_York")
MARKERS = ("^", "<", "=", "\x01", "\x02", "\x03", "\x04", "\x16")


def parse(fixtures_dir, name) -> formats.Parsed:
    parsed = formats.parse((fixtures_dir / "anpa" / name).read_bytes(), "auto", CTX)
    assert parsed.format == "anpa1312"
    return parsed


def one(fixtures_dir, name) -> NewsItem:
    (item,) = parse(fixtures_dir, name).items
    return item


def assert_no_markers(item: NewsItem) -> None:
    texts = [item.headline, item.byline or "", item.slugline or "", item.body_text,
             *(n.text for n in item.notes), *(p.name or "" for p in item.authors)]
    for text in texts:
        for marker in MARKERS:
            assert marker not in text, (marker, text)


def test_ap_story_headline_byline_note_and_dateline(fixtures_dir, assert_valid_g2):
    item = one(fixtures_dir, "ap-senate-budget.txt")
    assert item.headline == "Senate passes stopgap budget hours before shutdown deadline"
    assert item.slugline == "BC-Senate-Budget"
    assert item.byline == "By JANE DOE\nAssociated Press Writer"
    assert [(p.name, p.title) for p in item.authors] == [("JANE DOE", "Associated Press Writer")]
    assert [n.text for n in item.notes] == ["Moving on general news and financial services."]
    assert item.dateline is not None
    assert (item.dateline.city, item.dateline.source, item.dateline.style) == ("WASHINGTON", "AP", "ap")
    assert item.dateline.date == dt.date(2026, 11, 29)
    assert item.provider == "AP" and item.take_key is None and item.urgency == 5
    assert_no_markers(item)
    assert_valid_g2(newsmlg2.render(item))


def test_paragraph_structure_follows_the_indents(fixtures_dir):
    item = one(fixtures_dir, "ap-senate-budget.txt")
    assert [b.kind for b in item.body] == [BlockKind.PARAGRAPH] * 4
    assert item.body[0].text.startswith("The Senate voted late Sunday")
    assert item.body[2].text == "``We have done our job,'' the majority leader said after the vote."


def test_trailer_stamp_is_the_version_time(fixtures_dir):
    item = one(fixtures_dir, "ap-senate-budget.txt")
    assert item.version_created == dt.datetime(2026, 11, 29, 23, 15, tzinfo=EST)


def test_first_lead_writethru_is_the_take_key_and_an_update(fixtures_dir, assert_valid_g2):
    item = one(fixtures_dir, "ap-senate-budget-1st-ld.txt")
    assert item.take_key == "1st Ld-Writethru"
    assert item.signals == ("sig:update",)
    assert item.headline == "Senate passes stopgap budget; president to sign"
    assert [n.text for n in item.notes] == ["UPDATES with White House statement in 3rd graf. Trims."]
    assert [p.name for p in item.authors] == ["JANE DOE", "JOHN ROE"]
    assert item.version_created == dt.datetime(2026, 11, 30, 10, 15, tzinfo=EST)
    assert item.dateline is not None and item.dateline.date == dt.date(2026, 11, 30)
    assert_no_markers(item)
    assert_valid_g2(newsmlg2.render(item))


def test_bulletin_flag_is_urgency_not_the_headline(fixtures_dir, assert_valid_g2):
    item = one(fixtures_dir, "ap-bulletin-quake.txt")
    assert item.headline == "Strong earthquake shakes central Japan"
    assert item.urgency == 2 and item.take_key == "Bulletin"
    assert item.dateline is not None and item.dateline.city == "TOKYO"
    assert item.body[0].text.startswith("A strong earthquake")
    assert_no_markers(item)
    assert_valid_g2(newsmlg2.render(item))


def test_agate_table_is_kept_preformatted(fixtures_dir, assert_valid_g2):
    item = one(fixtures_dir, "ap-nhl-glance.txt")
    pre = [b for b in item.body if b.kind is BlockKind.PREFORMATTED]
    assert len(pre) == 1
    rows = pre[0].text.split("\n")
    assert rows[0] == "\tGP\tW\tL\tOT\tPts\tGF\tGA" and rows[1].split("\t")[:2] == ["Boston", "24"]
    assert len(rows) == 4
    assert item.subjects[0].name == "sport"
    assert item.language == "en"  # agate is no French, whatever a detector makes of it
    assert item.body[-1].text == "Boston 4, Toronto 2"
    assert_no_markers(item)
    assert_valid_g2(newsmlg2.render(item))


def test_a_file_of_two_stories_gives_two_items(fixtures_dir):
    items = parse(fixtures_dir, "ap-two-stories.txt").items
    assert [i.headline for i in items] == [
        "Senate passes stopgap budget hours before shutdown deadline",
        "Strong earthquake shakes central Japan",
    ]
    assert items[1].urgency == 3 and items[1].take_key == "Urgent"
    assert len({i.guid for i in items}) == 2


def test_a_bad_story_is_skipped_with_its_reason(fixtures_dir):
    parsed = parse(fixtures_dir, "ap-story-and-broken.txt")
    assert len(parsed.items) == 1
    (skipped,) = parsed.skipped
    assert isinstance(skipped, Skipped) and skipped.position == 2
    assert "no text between STX and ETX" in skipped.reason


def test_a_lone_story_without_text_is_refused():
    data = b"\x16\x16\x01a0009 r a BC-Broken 11-30 0100\r\n\x02\x03\r\nAP-WF-11-30-26 1020EST\r\n\x04"
    with pytest.raises(MalformedInput, match="no text"):
        formats.parse(data, "anpa1312", CTX)


def test_header_line_fields():
    head = read_header("a0002 r a BC-Senate-Budget 1st Ld-Writethru 11-30 0520")
    assert head is not None
    assert (head.selector, head.priority, head.category) == ("a0002", "r", "a")
    assert (head.keyword, head.version, head.date, head.words) == (
        "BC-Senate-Budget", "1st Ld-Writethru", (11, 30), 520)


@pytest.mark.parametrize("name", ["afp-7901-geneva.txt", "dpa-7901-latin1.txt", "dpa-7901-two-messages.txt"])
def test_iptc7901_is_still_detected_as_7901(fixtures_dir, name):
    data = (fixtures_dir / "iptc7901" / name).read_bytes()
    assert formats.parse(data, "auto", CTX).format == "iptc7901"
    assert formats.get("anpa1312").sniff(data) == 0.0


@pytest.mark.parametrize("name", ["ap-senate-budget.txt", "ap-nhl-glance.txt", "ap-two-stories.txt"])
def test_7901_no_longer_claims_anpa(fixtures_dir, name):
    assert formats.get("iptc7901").sniff((fixtures_dir / "anpa" / name).read_bytes()) == 0.0


def test_table_control_characters_are_not_refused_as_binary():
    rows = "".join(f"Team{n}\x1f\t{n}\x0b\t{n + 1}\x1f\r\n" for n in range(20))
    data = ("\x16\x16\x01a0005 r s BC-Standings 11-30 0100\r\n\x02^BC-Standings,0100<\r\n"
            "^Standings<\r\n   The standings:\r\n" + rows + "\x03\r\nAP-WF-11-30-26 0105EST\r\n\x04").encode()
    (item,) = formats.parse(data, "auto", CTX).items
    (table,) = [b for b in item.body if b.kind is BlockKind.PREFORMATTED]
    assert table.text.split("\n")[3] == "Team3\t3\t4"
    assert_no_markers(item)


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300)


@settings(max_examples=150, deadline=None)
@given(_TEXT)
def test_any_text_in_the_framing_is_read_or_refused_with_a_reason(text):
    data = ("\x16\x16\x01a0001 r a BC-Test 11-30 0100\r\n\x02" + text
            + "\x03\r\nAP-WF-11-30-26 1015EST\r\n\x04").encode("utf-8")
    try:
        items = formats.parse(data, "anpa1312", CTX).items
    except MalformedInput as exc:
        assert str(exc)
        return
    for item in items:
        assert item.headline and item.body
        for marker in ("\x01", "\x02", "\x03", "\x04", "\x16"):
            assert marker not in item.headline + item.body_text


def _new_year_story(header: str, dateline: str) -> bytes:
    return (f"\x16\x16\x01{header}\r\n\x02^Times Square ball drops on the new year<\r\n   {dateline} "
            "The ball dropped in Times Square at midnight as a million people watched.\r\n"
            "   Police said the night was calm.\r\n\x03\r\nAP-WF-12-31-26 2359EST\r\n\x04").encode()


@pytest.mark.parametrize(("header", "dateline"), [
    ("a0101 r a BC-NewYear 12-31 0120", "NEW YORK (AP) _"),
    ("a0101 r a BC-NewYear 0120", "NEW YORK, Dec. 31 (AP) _"),
])
def test_a_december_story_ingested_in_january_keeps_its_year_and_guid(header, dateline):
    items = [formats.parse(_new_year_story(header, dateline), "anpa1312",
                           formats.ParseContext(now=now)).items[0]
             for now in (dt.datetime(2027, 1, 1, 6, tzinfo=dt.UTC), dt.datetime(2027, 1, 20, tzinfo=dt.UTC))]
    assert all(it.dateline is not None and it.dateline.date == dt.date(2026, 12, 31) for it in items)
    assert len({it.guid for it in items}) == 1


def test_paragraphs_indented_with_a_tab_are_prose_not_a_table():
    data = (b"\x16\x16\x01a0101 r a BC-Storm 11-30 0120\r\n\x02^BC-Storm,0120<\r\n"
            b"^Storm knocks out power to thousands<\r\n^By JOHN ROE=\r\n"
            b"\tBOSTON (AP) _ A storm knocked out power to thousands of homes across New England on "
            b"Monday.\r\n\tCrews worked through the night.\r\n\x03\r\nAP-WF-11-30-26 0412EST\r\n\x04")
    ctx = formats.ParseContext(now=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    (item,) = formats.parse(data, "anpa1312", ctx).items
    assert item.dateline is not None and item.dateline.city == "BOSTON"
    assert [(b.kind, b.plain) for b in item.body] == [
        (BlockKind.PARAGRAPH,
         "A storm knocked out power to thousands of homes across New England on Monday."),
        (BlockKind.PARAGRAPH, "Crews worked through the night."),
    ]


def test_a_bulletin_without_a_headline_line_is_titled_by_its_first_sentence(fixtures_dir):
    data = (fixtures_dir / "anpa" / "ap-bulletin-no-headline.txt").read_bytes()
    ctx = formats.ParseContext(now=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    (item,) = formats.parse(data, "anpa1312", ctx).items
    assert item.headline.startswith("A strong earthquake") and item.headline.endswith("Agency said.")
    assert item.dateline is not None and item.dateline.city == "TOKYO"
    assert item.urgency == 2 and [b.plain for b in item.body][-1].endswith("no immediate tsunami warning.")
    assert "MORE" not in item.body_text


def _story(header: str, text: str, trailer: str = "") -> bytes:
    return f"\x16\x16\x01{header}\r\n\x02{text}\x03\r\n{trailer}\x04".encode()


DEC1 = formats.ParseContext(now=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))


def test_a_keyword_line_that_does_not_repeat_the_header_exactly_is_no_headline():
    text = ("^BC-Senate-Budget,0120<\r\n^Senate passes budget in late vote<\r\n"
            "   WASHINGTON (AP) _ The Senate voted late Sunday to pass the budget.\r\n")
    (item,) = formats.parse(_story("a0101 r a Senate-Budget 11-30 0120", text), "anpa1312", DEC1).items
    assert item.headline == "Senate passes budget in late vote"


def test_a_headline_holding_the_keyword_as_a_word_stays_the_headline():
    text = "^Strong quake shakes Japan<\r\n   TOKYO (AP) _ A strong quake shook Japan on Monday.\r\n"
    (item,) = formats.parse(_story("a0101 r a Quake 11-30 0120", text), "anpa1312", DEC1).items
    assert item.headline == "Strong quake shakes Japan"


def test_an_editors_note_paragraph_above_the_dateline_is_a_note():
    text = ("^Strong quake shakes Japan<\r\n^EDITOR'S NOTE _ This story contains graphic details.<\r\n"
            "   TOKYO (AP) _ A strong quake shook Japan on Monday.\r\n")
    (item,) = formats.parse(_story("a0101 r a Quake 11-30 0120", text), "anpa1312", DEC1).items
    assert [(n.text, n.role) for n in item.notes] == [("This story contains graphic details.", "eds")]
    assert item.dateline is not None and item.body_text == "A strong quake shook Japan on Monday."


def test_initials_end_marks_and_a_stamp_before_etx_are_no_copy_and_date_the_story():
    text = ("^Senate passes budget in late vote<\r\n   WASHINGTON (AP) _ The Senate voted late Sunday.\r\n"
            "   It goes to the House.\r\n(END)\r\njmc/jcp\r\nAP-NY-11-30-26 0412EST\r\n")
    (item,) = formats.parse(_story("a0101 r a Senate-Budget 11-30 0120", text), "anpa1312", DEC1).items
    assert [b.plain for b in item.body] == ["The Senate voted late Sunday.", "It goes to the House."]
    assert item.version_created == dt.datetime(2026, 11, 30, 9, 12, tzinfo=dt.UTC)


@pytest.mark.parametrize(("line", "date", "year", "words"), [
    ("a0001 r a BC-Senate-Budget 11-30-26 0412", (11, 30), 2026, 412),
    ("a0001 r a BC-Senate-Budget 11-30", (11, 30), None, None),
    ("a0001 r a BC-Senate-Budget Bulletin", None, None, None),
])
def test_the_header_date_may_carry_a_year_and_the_word_count_may_be_missing(line, date, year, words):
    head = read_header(line)
    assert head is not None and head.keyword == "BC-Senate-Budget"
    assert (head.date, head.year, head.words) == (date, year, words)


def test_aps_own_framing_two_header_lines_with_unit_separator_and_format_code_is_anpa(fixtures_dir):
    data = (fixtures_dir / "anpa" / "ap-wire-framing-2nd-ld.txt").read_bytes()
    assert formats.detect(data).name == "anpa1312"
    (item,) = formats.parse(data, "auto", DEC1).items
    assert (item.slugline, item.take_key) == ("BC-US--Wildfire-California", "2ndLd-Writethru")
    assert item.urgency == 3
    assert dict(item.extra)["anpa:selector"] == "a0342"


def test_photo_lines_are_media_notes_and_a_line_above_the_byline_is_the_summary(fixtures_dir):
    data = (fixtures_dir / "anpa" / "ap-wire-framing-2nd-ld.txt").read_bytes()
    (item,) = formats.parse(data, "anpa1312", DEC1).items
    assert (item.notes[0].text, item.notes[0].role) == ("AP Photo CAJB101, CAJB102, CAJB103", "media")
    assert item.summary is not None and item.summary.startswith("A fast-moving wildfire driven by strong")
    assert not any(b.plain.strip("_") == "" for b in item.body)


def test_a_story_sent_in_the_tabular_format_is_one_preformatted_block(fixtures_dir):
    data = (fixtures_dir / "anpa" / "ap-wire-framing-tabular.txt").read_bytes()
    (item,) = formats.parse(data, "anpa1312", DEC1).items
    (block,) = item.body
    assert block.kind is BlockKind.PREFORMATTED
    # the space bands keep their width, the tab line indicators go
    assert "Boston    24\t16\t5\t3\t35" in block.text and "\x08" not in block.text


def test_agate_lines_ending_in_equals_are_no_bylines_and_the_eds_note_loses_its_brackets(fixtures_dir):
    data = (fixtures_dir / "anpa" / "ap-wire-framing-agate-semicolons.txt").read_bytes()
    (item,) = formats.parse(data, "anpa1312", DEC1).items
    assert item.byline == "By The Associated Press"
    assert [n.text for n in item.notes] == ["Updates with Sunday night game."]
    assert [b.kind for b in item.body].count(BlockKind.PREFORMATTED) == 2
