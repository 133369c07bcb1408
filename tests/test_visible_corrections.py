"""A correction or an update opens with an editor's note to readers, in the item's language, for
partners that ask for one (``visible_corrections: true``), in every format they take."""

from __future__ import annotations

import json

import pytest

from pipeline_support import sample_item
from syndicate import formats
from syndicate.corrections import Change, change_of, editors_note, with_visible_correction
from syndicate.item import Block, Dateline, Note, PubStatus, is_editors_note, lead_index


def test_a_correction_is_known_by_its_signal() -> None:
    assert change_of(sample_item(signals=("sig:correction",))) is Change.CORRECTION


@pytest.mark.parametrize("changes", [{"signals": ("sig:update",)}, {"version": 2}])
def test_an_update_is_known_by_its_signal_or_a_later_version(changes: dict[str, object]) -> None:
    assert change_of(sample_item(**changes)) is Change.UPDATE


def test_a_first_version_and_a_kill_are_no_change_to_show() -> None:
    assert change_of(sample_item()) is None
    assert change_of(sample_item(version=3, pub_status=PubStatus.CANCELED)) is None


@pytest.mark.parametrize(("language", "note"), [
    ("en", "Editor's note: This story has been corrected."),
    ("es", "Nota del editor: Esta noticia ha sido corregida."),
    ("pt-BR", "Nota do editor: Esta notícia foi corrigida."),
    ("de", "Anmerkung der Redaktion: Diese Meldung wurde berichtigt."),
    ("fr", "Note de la rédaction : Cette dépêche a été corrigée."),
    ("it", "Nota della redazione: Questa notizia è stata corretta."),
    ("ru", "От редакции: В материал внесены исправления."),
    ("sv", "Editor's note: This story has been corrected."),
])
def test_the_note_is_in_the_items_language(language: str, note: str) -> None:
    item = sample_item(language=language, signals=("sig:correction",))
    assert editors_note(item) == note
    assert is_editors_note(Block.para(note))


def test_an_update_note_says_updated() -> None:
    assert editors_note(sample_item(version=2, language="de")) == (
        "Anmerkung der Redaktion: Diese Meldung wurde aktualisiert.")


def test_a_correction_says_what_it_corrects_when_its_note_is_in_the_items_language() -> None:
    item = sample_item(signals=("sig:correction",),
                       notes=(Note("Corrects spelling of mayor's name", role="correction"),))
    assert editors_note(item) == ("Editor's note: This story has been corrected. "
                                  "Corrects spelling of mayor's name.")
    translated = item.replace(language="es", notes=(
        Note("Corrects spelling of mayor's name", role="correction", language="en"),))
    assert editors_note(translated) == "Nota del editor: Esta noticia ha sido corregida."


def test_the_note_opens_the_body_once() -> None:
    item = with_visible_correction(sample_item(version=2))
    assert item.body[0].text == "Editor's note: This story has been updated."
    assert item.body[1:] == sample_item().body
    assert with_visible_correction(item) == item
    assert with_visible_correction(sample_item()) == sample_item()


def test_the_dateline_goes_on_the_lead_not_on_the_note() -> None:
    item = with_visible_correction(sample_item(
        version=2, dateline=Dateline(raw="BERLIN, Nov 28 (Reuters) -", city="BERLIN")))
    assert lead_index(item.body) == 1
    body = json.loads(formats.renderer("ninjs").render(item))["bodies"][0]["value"]
    assert body.index("Editor's note") < body.index('class="dateline"')
    wire = formats.renderer("iptc7901").render(item).decode()
    assert "   Editor's note: This story has been updated." in wire
    assert "   BERLIN, Nov 28 (Reuters) - The city council approved" in wire


@pytest.mark.parametrize("fmt", ["nitf", "iptc7901", "newsmlg2", "ninjs"])
def test_every_format_carries_the_note_first(fmt: str) -> None:
    item = with_visible_correction(sample_item(signals=("sig:correction",)))
    (back,) = formats.parse(formats.renderer(fmt).render(item), fmt).items
    copy = [back.summary, *(b.text for b in back.body)] if fmt == "iptc7901" else [
        b.text for b in back.body]
    # 7901's reader takes text between the byline and the dateline for the summary
    assert next(t for t in copy if t) == "Editor's note: This story has been corrected."
