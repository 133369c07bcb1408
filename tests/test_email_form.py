"""E-mail forms: where the source says so, labelled fields in the body (Headline:, Byline:,
Dateline:, Body: ...) give the story and win over Subject and From."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline_support import make_runtime
from syndicate import formats
from syndicate.cli import main
from syndicate.errors import MalformedInput
from syndicate.formats.newsmlg2 import parse as parse_g2
from syndicate.partners import parse_config
from syndicate.pipeline import ingest_bytes
from syndicate.store import ItemRef

FORM = Path(__file__).parent / "fixtures" / "email" / "form_rotterdam.eml"
NOW = dt.datetime(2026, 11, 30, 8, tzinfo=dt.UTC)
FORM_CTX = formats.ParseContext(now=NOW, email_form=True)


def mail(body: str, subject: str = "Story") -> bytes:
    return (f"From: Jane Stringer <jane@example.org>\r\nSubject: {subject}\r\n"
            f"Date: Sun, 29 Nov 2026 10:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            f"{body}").encode()


def read(data: bytes, ctx: formats.ParseContext = FORM_CTX):
    (item,) = formats.parse(data, "email", ctx).items
    return item


def test_the_forms_fields_give_the_story():
    item = read(FORM.read_bytes())
    assert item.headline == "Dockworkers shut Rotterdam container terminals"
    assert item.byline == "By Maria Jansen" and [a.name for a in item.authors] == ["Maria Jansen"]
    assert item.slugline == "Netherlands-Port-Strike"
    assert item.summary == "A 48-hour strike halted container traffic at Europe's largest port on Sunday."
    assert item.urgency == 3 and [s.name for s in item.subjects] == ["labour"]
    assert [(n.text, n.role) for n in item.notes] == [
        ("Corrects the name of the union in the third paragraph.", "eds")]
    assert item.language == "en"
    assert item.dateline is not None and item.dateline.city == "ROTTERDAM"
    assert item.dateline.date == dt.date(2026, 11, 29)
    assert item.first_created == dt.datetime(2026, 11, 29, 17, 42, 10, tzinfo=dt.UTC)


def test_the_body_runs_to_the_end_without_the_signature_and_keeps_labels_in_it():
    item = read(FORM.read_bytes())
    assert [b.text for b in item.body] == [
        "Dockworkers at the port of Rotterdam walked out on Sunday, halting container traffic at "
        "Europe's largest port for at least 48 hours.",
        "The FNV Havens union said talks with terminal operators had broken down over pay.",
        "Text: operators said they would publish a statement on Monday.",
    ]
    assert "stringer" not in item.body_text


def test_without_a_headline_field_the_subject_is_the_headline():
    item = read(mail("By: Jane Stringer\nBody: The council met on Sunday to vote on the budget.\n",
                     "Council votes on budget"))
    assert item.headline == "Council votes on budget" and item.byline == "Jane Stringer"


def test_labels_are_read_in_any_case_and_with_their_synonyms():
    item = read(mail("HEADLINE: Flood warning\nAUTHOR: Tom Roe\nkeyword: Flood\nPRIORITY: flash\n"
                     "eds: Advisory only\nSTORY: Rivers rose across the valley overnight.\n"))
    assert (item.headline, item.byline, item.slugline) == ("Flood warning", "Tom Roe", "Flood")
    assert item.urgency == 1
    assert [n.text for n in item.notes] == ["Advisory only"]


def test_a_form_without_a_body_is_malformed_and_says_so():
    with pytest.raises(MalformedInput, match="no Body: field"):
        read(mail("Headline: Flood warning\nByline: Tom Roe\n"))


def test_without_the_source_option_the_mail_is_read_as_ever():
    item = read(FORM.read_bytes(), formats.ParseContext(now=NOW))
    assert item.headline == "STORY FORM: port strike" and item.byline == "Desk Robot"
    assert item.body[0].text.startswith("HEADLINE:")


CONFIG = """
sources:
  - type: inbox
    name: stringers
    path: {out}/in-stringers
    email_form: true
  - type: inbox
    name: plain
    path: {out}/in-plain
partners: []
"""


def test_the_source_option_is_config_not_an_option_of_the_source():
    config = parse_config(CONFIG.format(out="/tmp"))
    assert config.source_email_form("stringers") and not config.source_email_form("plain")
    assert not config.source_email_form("push")
    assert config.sources[0].options() == {"path": "/tmp/in-stringers"}


@pytest.mark.parametrize(("source", "headline"), [
    ("stringers", "Dockworkers shut Rotterdam container terminals"),
    ("plain", "STORY FORM: port strike"),
])
def test_the_pipeline_reads_forms_from_the_sources_that_send_them(tmp_path: Path, source, headline):
    rt = make_runtime(tmp_path, CONFIG)
    result = ingest_bytes(rt, FORM.read_bytes(), "form.eml", source)
    (ref, _), *_ = result.claims
    item = rt.store.get_item(ItemRef(ref.guid, ref.version, ref.language))
    assert item is not None and item.headline == headline


def test_syndicate_ingest_reads_forms_with_the_email_form_flag(tmp_path: Path):
    out = tmp_path / "out"
    assert main(["ingest", str(FORM), "--out", str(out), "--email-form"]) == 0
    (path,) = [p for p in out.rglob("*.xml") if "rejected" not in p.parts]
    (item,) = parse_g2(path.read_bytes())
    assert item.headline == "Dockworkers shut Rotterdam container terminals"


def html_mail(html: str) -> bytes:
    return ("From: Web Form <noreply@example.org>\r\nSubject: Submission\r\n"
            "Date: Sun, 29 Nov 2026 10:00:00 +0000\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
            f"{html}").encode()


def test_an_html_form_with_line_breaks_keeps_its_labels_apart():
    item = read(html_mail("<div>Headline: Volcano erupts near Grindavik<br>Byline: Jane Roe<br>Body:<br>"
                          "Lava flowed overnight.<br><br>Residents fled.</div>"))
    assert (item.headline, item.byline) == ("Volcano erupts near Grindavik", "Jane Roe")
    assert [b.text for b in item.body] == ["Lava flowed overnight.", "Residents fled."]


def test_an_html_form_laid_out_as_a_table_reads_label_and_value_cells():
    item = read(html_mail("<table><tr><td>Headline:</td><td>Volcano erupts near Grindavik</td></tr>"
                          "<tr><td>Body:</td><td>Lava flowed overnight.</td></tr></table>"))
    assert item.headline == "Volcano erupts near Grindavik"
    assert [b.text for b in item.body] == ["Lava flowed overnight."]


def test_a_body_that_repeats_the_dateline_field_loses_it_and_the_field_wins():
    item = read(mail("Headline: Council votes on budget\nDateline: LYON, Nov. 28\n"
                     "Body: LYON, France, Nov. 28 - The council met on Sunday to vote on the budget.\n"))
    assert item.dateline is not None and (item.dateline.raw, item.dateline.city) == ("LYON, Nov. 28", "LYON")
    assert item.body_text == "The council met on Sunday to vote on the budget."


def test_a_form_mailed_as_a_json_object_of_labels_and_values_is_read():
    body = ('{"Dateline":["AUCKLAND, Nov. 29"],"Category":["INTERNATIONAL NEWS"],"Priority":[""],'
            '"Abstract":["A storm cut power to thousands."],"Headline":["Storm cuts power in Auckland"],'
            '"Slugline":["NZ-Storm"],"Desk":["NEW ZEALAND"],'
            '"Body":["A storm cut power to 40,000 homes in Auckland on Sunday.\\n\\n'
            'Crews worked overnight."]}')
    item = read(mail(body, "Formatted Editorial Story"))
    assert (item.headline, item.slugline) == ("Storm cuts power in Auckland", "NZ-Storm")
    assert item.summary == "A storm cut power to thousands." and item.urgency is None
    assert item.dateline is not None and item.dateline.city == "AUCKLAND"
    assert [s.name for s in item.subjects] == ["INTERNATIONAL NEWS"]
    assert [b.text for b in item.body] == ["A storm cut power to 40,000 homes in Auckland on Sunday.",
                                          "Crews worked overnight."]
