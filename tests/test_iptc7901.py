"""IPTC 7901: the envelope's priority, category and keyword line, the agency text inside."""

from __future__ import annotations

import datetime as dt

import pytest

from syndicate import formats
from syndicate.errors import MalformedInput
from syndicate.formats import newsmlg2

CTX = formats.ParseContext(now=dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC))


def parse(fixtures_dir, name):
    parsed = formats.parse((fixtures_dir / "iptc7901" / name).read_bytes(), "auto", CTX)
    fmt, items = parsed.format, parsed.items
    assert fmt == "iptc7901"
    return items


def test_afp_message_envelope_and_text(fixtures_dir, assert_valid_g2):
    (item,) = parse(fixtures_dir, "afp-7901-geneva.txt")
    assert item.headline == "UN rights council opens session on humanitarian access"
    assert (item.urgency, item.slugline, item.provider) == (4, "Switzerland-UN-diplomacy", "AFP")
    assert item.subjects[-1].name == "politics"
    assert item.dateline is not None and item.dateline.date == dt.date(2026, 11, 25)
    assert item.body[0].text.startswith("The UN Human Rights Council")
    assert item.version_created == dt.datetime(2026, 11, 25, 12, 30, tzinfo=dt.UTC)
    assert item.provenance is not None and item.provenance.source_format == "iptc7901"
    assert_valid_g2(newsmlg2.render(item))


def test_latin1_dpa_message_with_german_dateline(fixtures_dir):
    (item,) = parse(fixtures_dir, "dpa-7901-latin1.txt")
    assert item.headline == "Ifo-Index steigt überraschend"
    assert item.language == "de"
    assert item.dateline is not None and (item.dateline.city, item.dateline.source) == ("München", "dpa")
    assert item.urgency == 3 and item.slugline == "Konjunktur/Deutschland"
    assert "\x02" not in item.body_text and "\r" not in item.body_text


def test_a_transmission_with_two_messages_gives_two_items(fixtures_dir):
    items = parse(fixtures_dir, "dpa-7901-two-messages.txt")
    assert [i.headline for i in items] == ["Ifo-Index steigt überraschend", "Erster Schnee in Bayern"]
    assert len({i.guid for i in items}) == 2


def test_a_message_without_start_of_text_is_refused(fixtures_dir):
    with pytest.raises(MalformedInput, match="STX"):
        parse(fixtures_dir, "7901-no-stx.txt")


# ---------------------------------------------------------------- agency conventions: dpa, AFP, ANSA, EFE

LATE = formats.ParseContext(now=dt.datetime(2026, 12, 5, 12, tzinfo=dt.UTC))


def parse_at(fixtures_dir, name, ctx):
    parsed = formats.parse((fixtures_dir / "iptc7901" / name).read_bytes(), "auto", ctx)
    assert parsed.format == "iptc7901"
    (item,) = parsed.items
    return item


def assert_no_markers(item, g2: bytes):
    """No " =" end marker or trailing "/" slug separator reaches any output."""
    texts = [item.headline, item.byline or "", item.slugline or "", item.summary or "", item.body_text]
    texts += [n.text for n in item.notes] + [p.name or "" for p in item.authors]
    for text in texts:
        for line in text.split("\n"):
            assert not line.rstrip().endswith(" =") and line.strip() != "=", line
    assert not (item.slugline or "").endswith("/")
    xml = g2.decode("utf-8")
    assert " =<" not in xml and " =\n" not in xml and "/</slugline>" not in xml


def test_dpa_latin1_with_contact_block_and_german_month_trailer(fixtures_dir, assert_valid_g2):
    item = parse_at(fixtures_dir, "dpa-7901-contact-okt.txt", CTX)
    assert item.headline == "Bundestag beschließt Haushalt für 2027"
    assert item.slugline == "Bundestag/Haushalt"
    assert item.take_key == "1. Zusammenfassung" and "sig:update" in item.signals
    assert item.urgency == 2 and item.byline is None and item.language == "de"
    assert item.dateline is not None and (item.dateline.city, item.dateline.source) == ("Berlin", "dpa")
    # the trailer "241530 Okt 26" names no zone: read in the source's (UTC here)
    assert item.version_created == dt.datetime(2026, 10, 24, 15, 30, tzinfo=dt.UTC)
    assert [b.plain for b in item.body] == [
        "Der Bundestag hat am Freitag den Haushalt für das kommende Jahr beschlossen. "
        "Für den Etat stimmten 391 Abgeordnete, 280 votierten dagegen.",
        "Die Opposition kritisierte die hohe Neuverschuldung scharf.",
    ]
    (note,) = item.notes
    assert note.text.startswith("dpa-Kontakt\nRedaktion: Anna Beispiel") and "Rückfragen" in note.text
    assert "Kontakt" not in item.body_text and "Rückfragen" not in item.body_text
    assert dict(item.extra)["iptc7901-words"] == "187" and dict(item.extra)["iptc7901-category"] == "pol"
    g2 = newsmlg2.render(item)
    assert_valid_g2(g2)
    assert_no_markers(item, g2)


def test_afp_french_refile_with_byline_and_december_trailer(fixtures_dir, assert_valid_g2):
    item = parse_at(fixtures_dir, "afp-7901-refile-dec.txt", LATE)
    assert item.headline == "Le gouvernement présente un budget rectificatif"
    assert item.byline == "Par Jean DUPONT"
    assert [(p.name, p.role) for p in item.authors] == [("Jean DUPONT", "crol:author")]
    assert item.summary is None
    assert item.slugline == "France-économie-budget" and item.provider == "AFP"
    assert item.take_key == "REFILE" and "sig:update" in item.signals
    assert item.dateline is not None and item.dateline.date == dt.date(2026, 12, 4)
    assert item.version_created == dt.datetime(2026, 12, 4, 12, 15, tzinfo=dt.UTC)
    assert len(item.body) == 2 and item.body[0].plain.startswith("Le gouvernement français")
    copyright = "Copyright AFP 2026. Tous droits réservés."
    assert [(n.text, n.role) for n in item.notes] == [(copyright, "copyright")]
    assert "Copyright" not in item.body_text
    g2 = newsmlg2.render(item)
    assert_valid_g2(g2)
    assert_no_markers(item, g2)


def test_ansa_italian_urgente_with_credit_line_and_dic_trailer(fixtures_dir, assert_valid_g2):
    item = parse_at(fixtures_dir, "ansa-7901-urgente-dic.txt", LATE)
    assert item.headline == "Governo, fiducia alla Camera sulla manovra"
    assert item.slugline == "ITALIA-GOVERNO" and item.take_key == "URGENTE"
    assert item.urgency == 1  # the envelope's priority 1 outranks the URGENTE flag
    assert item.dateline is not None and item.dateline.city == "ROMA"
    assert item.dateline.date == dt.date(2026, 12, 3)
    assert item.version_created == dt.datetime(2026, 12, 3, 11, 10, tzinfo=dt.UTC)
    assert [b.plain for b in item.body][-1] == "Il voto è previsto per domani mattina."
    assert [(n.text, n.role) for n in item.notes] == [("(ANSA).", "credit")]
    g2 = newsmlg2.render(item)
    assert_valid_g2(g2)
    assert_no_markers(item, g2)


def test_efe_spanish_por_byline_is_a_byline_not_a_summary(fixtures_dir, assert_valid_g2):
    item = parse_at(fixtures_dir, "efe-7901-byline-por.txt", CTX)
    assert item.headline == "La cumbre del clima cierra sin acuerdo sobre financiación"
    assert item.byline == "Por Carlos Ruiz" and item.summary is None
    assert [p.name for p in item.authors] == ["Carlos Ruiz"]
    assert item.slugline == "Clima-COP" and item.take_key is None and item.notes == ()
    assert item.dateline is not None and item.dateline.source == "EFE"
    assert item.dateline.date == dt.date(2026, 11, 22)
    assert item.version_created == dt.datetime(2026, 11, 22, 21, 45, tzinfo=dt.UTC)
    assert item.body[-1].plain == "Las delegaciones volverán a reunirse en junio en Bonn."
    g2 = newsmlg2.render(item)
    assert_valid_g2(g2)
    assert_no_markers(item, g2)


def test_a_dpa_service_message_gets_its_own_headline(fixtures_dir, assert_valid_g2):
    item = parse_at(fixtures_dir, "dpa-7901-service.txt", CTX)
    assert item.headline == "Service message (Dienstmeldung)"
    assert [b.plain for b in item.body] == [
        "TEST TEST",
        "Dies ist eine Testmeldung der dpa-Technik. Bitte nicht verwenden.",
        "Ende des Dienstes",
    ]
    assert item.urgency == 5 and item.slugline == "Dienstmeldung"
    g2 = newsmlg2.render(item)
    assert_valid_g2(g2)
    assert_no_markers(item, g2)


@pytest.mark.parametrize(
    ("key", "signal"),
    [("REFILE 1ST LEAD", "sig:update"), ("EXTRA", None), ("CORRECTED", "sig:correction"), ("URGENTE", None)],
)
def test_take_keys_above_the_headline(key, signal):
    from syndicate.formats.iptc7901 import prepare_text

    prep = prepare_text(f"{key}\n\nHeadline here =\n\nBERLIN (dpa) - Text. =")
    assert prep.take_key == key and prep.text == "Headline here\n\nBERLIN (dpa) - Text."
    message = f"\x01AFP0001 4 pol 0010\r\nSlug/\r\n\x02{key}\r\n\r\nHeadline here =\r\n\r\n"
    message += "BERLIN (dpa) - Text. =\x03\x04"
    (item,) = formats.parse(message.encode(), "iptc7901", CTX).items
    assert item.take_key == key and item.headline == "Headline here" and item.slugline == "Slug"
    assert (signal in item.signals) if signal else item.signals == ()


def test_a_headline_starting_with_lead_is_no_take_key():
    from syndicate.formats.iptc7901 import prepare_text

    assert prepare_text("Lead found in pipes\n\nBERLIN (dpa) - Text.").take_key is None


# ---------------------------------------------------------------- a dateline without a year


def _message(text: str, trailer: str, header: str = "EFE0210 3 int 0156\r\r\nEspaña-Gobierno/") -> bytes:
    return f"\x16\x16\x01{header}\r\r\n\x02{text}\x03\r\r\n{trailer}\r\r\n\x04".encode()


YEARLESS = [
    ("Gobierno aprueba plan de vivienda =\r\r\n\r\r\nMADRID, 3 Dic. (EFE).- El Gobierno aprobó "
     "hoy el plan de vivienda para los próximos cinco años.\r\r\n", "031015 dic 26", dt.date(2026, 12, 3)),
    ("Bundestag beschließt Haushalt =\r\r\n\r\r\nBerlin (dpa) - Der Bundestag hat am Dienstag den "
     "Haushalt für das kommende Jahr beschlossen.\r\r\n", "dpa ne yyzz a3 kad 291015 Dez 26",
     dt.date(2026, 12, 29)),
    ("La France adopte son budget =\r\r\n\r\r\nPARIS, 29 déc (AFP) - Le Parlement a définitivement "
     "adopté mardi le budget de l'Etat pour l'année prochaine.\r\r\n", "AFP 291015 GMT Dec 26",
     dt.date(2026, 12, 29)),
]


@pytest.mark.parametrize(("text", "trailer", "date"), YEARLESS)
def test_a_december_dateline_ingested_in_january_is_dated_by_its_trailer(text, trailer, date):
    ctx = formats.ParseContext(now=dt.datetime(2027, 1, 15, 9, tzinfo=dt.UTC))
    (item,) = formats.parse(_message(text, trailer), "iptc7901", ctx).items
    assert item.dateline is not None and item.dateline.date == date
    assert item.version_created is not None and item.version_created.date() == date


@pytest.mark.parametrize(("text", "trailer", "date"), YEARLESS)
def test_the_guid_does_not_depend_on_the_day_of_ingest(text, trailer, date):
    guids = {
        formats.parse(_message(text, trailer), "iptc7901", formats.ParseContext(now=now)).items[0].guid
        for now in (dt.datetime(2026, 12, 30, tzinfo=dt.UTC), dt.datetime(2027, 1, 15, tzinfo=dt.UTC),
                    dt.datetime(2027, 11, 1, tzinfo=dt.UTC))
    }
    assert len(guids) == 1 and date.strftime("%Y%m%d") in guids.pop()


def test_teleprinter_copy_wrapped_at_69_with_cr_cr_lf_reads_as_whole_paragraphs(fixtures_dir):
    item = parse_at(fixtures_dir, "ansa-7901-wrapped-nnnn.txt", CTX)
    assert [b.plain for b in item.body][1] == (
        "Lo ha annunciato il ministro dell'Economia al termine della riunione, precisando che il "
        "provvedimento vale circa tre miliardi di euro.")
    assert len(item.body) == 3 and "NNNN" not in item.body_text


def test_a_trailer_written_day_month_year_with_dashes_and_nnnn_is_the_version_time(fixtures_dir):
    item = parse_at(fixtures_dir, "ansa-7901-wrapped-nnnn.txt", CTX)
    assert item.version_created == dt.datetime(2026, 11, 30, 21, 47, tzinfo=dt.UTC)


def test_each_line_ending_in_space_equals_ends_a_paragraph():
    data = _message("Titular de prueba =\r\nPor Ana Gil =\r\nMADRID, 3 dic (EFE).- Primer párrafo de la "
                    "noticia con texto suficiente. =\r\nSegundo párrafo de la noticia. =\r\n",
                    "031015 dic 26")
    (item,) = formats.parse(data, "iptc7901", CTX).items
    assert (item.headline, item.byline) == ("Titular de prueba", "Por Ana Gil")
    assert [b.plain for b in item.body] == ["Primer párrafo de la noticia con texto suficiente.",
                                            "Segundo párrafo de la noticia."]


@pytest.mark.parametrize(("header", "provider"), [
    ("fra0123 4 pol 0423 /AFP-XK12\r\r\nFrance-vote", "AFP"),
    ("bdt0512 2 pol 0187  dpa 0901\r\r\nBundestag/", "dpa"),
    ("ANSA0077 1 pol 0098\r\r\nITALIA-GOVERNO/", "ANSA"),
])
def test_the_header_names_the_agency_after_a_service_or_desk_code(header, provider):
    text = "Le titre de la dépêche du jour =\r\r\n\r\r\nUn texte assez long pour un paragraphe.\r\r\n"
    data = _message(text, "291015 nov 26", header)
    (item,) = formats.parse(data, "iptc7901", CTX).items
    assert item.provider == provider


def test_a_sign_off_and_stamp_before_etx_are_no_copy_and_date_the_message(fixtures_dir):
    item = parse_at(fixtures_dir, "dpa-7901-eil-signoff-in-text.txt", CTX)
    assert [b.plain for b in item.body] == [
        "Die Europäische Zentralbank senkt den Leitzins im Euroraum um 0,25 Prozentpunkte auf "
        "1,75 Prozent. Das teilte die Notenbank am Donnerstag in Frankfurt mit."]
    assert item.version_created == dt.datetime(2026, 12, 17, 14, 15, tzinfo=dt.UTC)
    assert item.dateline is not None and item.dateline.date == dt.date(2026, 12, 17)


def test_efe_media_marks_after_the_sign_off_are_a_note_not_copy():
    text = ("El Gobierno aprueba el plan estatal de vivienda =\r\n\r\nMADRID, 3 Dic. (EFE).- El Consejo de "
            "Ministros aprobó este jueves el plan de vivienda. =\r\n\r\n"
            "EFE\r\n\r\nab/cd\r\n\r\n(foto)(vídeo)\r\n")
    (item,) = formats.parse(_message(text, "031015 dic 26"), "iptc7901", CTX).items
    assert [(n.text, n.role) for n in item.notes] == [("(foto)(vídeo)", "media")]
    assert [b.plain for b in item.body] == ["El Consejo de Ministros aprobó este jueves el plan de vivienda."]


@pytest.mark.parametrize(("byline", "authors"), [
    ("by Jane DOE, with Paul SMITH in Paris", ["Jane DOE", "Paul SMITH"]),
    ("Von Anna Beispiel und Tom Roe, dpa", ["Anna Beispiel", "Tom Roe"]),
    ("Par Jean DUPONT", ["Jean DUPONT"]),
])
def test_each_writer_of_a_byline_is_an_author_without_the_agency_or_place(byline, authors):
    text = (f"Le titre de la dépêche du jour =\r\n{byline} =\r\n\r\nPARIS, 29 nov (AFP) - Un texte assez "
            "long pour un paragraphe de dépêche. =\r\n")
    (item,) = formats.parse(_message(text, "AFP 291015 GMT Nov 26"), "iptc7901", CTX).items
    assert item.byline == byline and [a.name for a in item.authors] == authors


@pytest.mark.parametrize(("keyword", "slug", "take"), [
    ("US-economy-jobs,3rdlead", "US-economy-jobs", "3RD LEAD"),
    ("France-politique-gouvernement,URGENT", "France-politique-gouvernement", "URGENT"),
    ("Bundestag/Haushalt/ (Zusammenfassung 1400)", "Bundestag/Haushalt", "Zusammenfassung 1400"),
    ("Bundestag/Haushalt/", "Bundestag/Haushalt", None),
])
def test_a_take_at_the_end_of_the_keyword_line_is_the_take_key(keyword, slug, take):
    text = "Le titre de la dépêche du jour =\r\n\r\nUn texte assez long pour un paragraphe.\r\n"
    data = _message(text, "291015 nov 26", f"AFP0123 3 pol 0100\r\n{keyword}")
    (item,) = formats.parse(data, "iptc7901", CTX).items
    assert (item.slugline, item.take_key) == (slug, take)


@pytest.mark.parametrize(("header", "slug", "words"), [
    ("AFP0123 4 pol 0231 Switzerland-UN-diplomacy", "Switzerland-UN-diplomacy", "231"),
    ("AFP0123 4 pol\r\nSwitzerland-UN-diplomacy", "Switzerland-UN-diplomacy", None),
    ("bdt0512 2 pol 0187  dpa 0901", None, "187"),
])
def test_the_header_line_may_lack_the_word_count_or_carry_the_keyword(header, slug, words):
    text = "Le titre de la dépêche du jour =\r\n\r\nUn texte assez long pour un paragraphe.\r\n"
    (item,) = formats.parse(_message(text, "291015 nov 26", header), "iptc7901", CTX).items
    assert item.slugline == slug and dict(item.extra).get("iptc7901-words") == words
    assert item.urgency in (2, 4)


def test_a_byline_naming_the_writers_paper_makes_one_author():
    text = ("Le titre de la dépêche du jour =\r\nBy Tom Krasovic, The San Diego Union-Tribune =\r\n\r\n"
            "San Diego (tca/dpa) - Un texte assez long pour un paragraphe de dépêche. =\r\n")
    (item,) = formats.parse(_message(text, "211259 Nov 26"), "iptc7901", CTX).items
    assert [a.name for a in item.authors] == ["Tom Krasovic"]


def test_stacked_take_keys_and_an_agency_byline_under_an_unwrapped_headline(fixtures_dir):
    item = parse_at(fixtures_dir, "dpa-7901-english-refile-lead.txt", CTX)
    assert item.take_key == "REFILE 2ND LEAD" and "sig:update" in item.signals
    assert item.headline == "Austrian parliament backs new climate law after all-night debate"
    assert item.byline == "By dpa correspondents" and item.authors == ()


def test_a_short_story_wrapped_at_a_fixed_width_keeps_whole_paragraphs():
    text = ("Swiss voters reject car-free city centres\nBy dpa correspondents =\n\n"
            "Geneva (dpa) - Swiss voters on Sunday rejected a proposal to ban cars\n"
            "from the centres of the country's five largest cities.\n\n"
            "The proposal won 38 per cent of the vote, officials said.\n")
    (item,) = formats.parse(_message(text, "291830 GMT Nov 26", "eca0201 3 i 120  dpa 0412\nSwitzerland/"),
                            "iptc7901", CTX).items
    assert [b.plain for b in item.body] == [
        "Swiss voters on Sunday rejected a proposal to ban cars from the centres of the country's five "
        "largest cities.",
        "The proposal won 38 per cent of the vote, officials said.",
    ]
