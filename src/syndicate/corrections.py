"""A correction or an update made visible to readers: the editor's note, in the item's language,
that opens the body for partners that ask for one (``visible_corrections: true``)."""

from __future__ import annotations

from enum import StrEnum

from syndicate.item import Block, NewsItem, Span, is_editors_note


class Change(StrEnum):
    CORRECTION = "correction"
    UPDATE = "update"


#: the note's opening, and what it says of a correction and of an update, per language; the
#: openings are those :func:`syndicate.item.is_editors_note` knows, so no dateline goes on them
_PHRASES: dict[str, tuple[str, str, str]] = {
    "en": ("Editor's note:", "This story has been corrected.", "This story has been updated."),
    "es": ("Nota del editor:", "Esta noticia ha sido corregida.",
           "Esta noticia ha sido actualizada."),
    "pt": ("Nota do editor:", "Esta notícia foi corrigida.", "Esta notícia foi atualizada."),
    "de": ("Anmerkung der Redaktion:", "Diese Meldung wurde berichtigt.",
           "Diese Meldung wurde aktualisiert."),
    "fr": ("Note de la rédaction :", "Cette dépêche a été corrigée.",
           "Cette dépêche a été mise à jour."),
    "it": ("Nota della redazione:", "Questa notizia è stata corretta.",
           "Questa notizia è stata aggiornata."),
    "ru": ("От редакции:", "В материал внесены исправления.", "Материал обновлён."),
}


def change_of(item: NewsItem) -> Change | None:
    """What this version is to the ones before it: a correction (the ``sig:correction``
    signal), an update (``sig:update``, or any version after the first), or neither. A kill or
    a hold is neither: it takes the story back rather than changing it."""
    if item.pub_status.withdraws:
        return None
    if "sig:correction" in item.signals:
        return Change.CORRECTION
    if "sig:update" in item.signals or item.version > 1:
        return Change.UPDATE
    return None


def editors_note(item: NewsItem) -> str | None:
    """The editor's note for readers, in the item's language (English for a language without
    phrases of its own), or None when the item is no correction or update. A correction's own
    explanation (a note with the role ``correction``) follows, when it is in the item's
    language: a translation keeps its notes in the source language."""
    change = change_of(item)
    if change is None:
        return None
    primary = item.language.split("-")[0].lower()
    opening, corrected, updated = _PHRASES.get(primary, _PHRASES["en"])
    text = f"{opening} {corrected if change is Change.CORRECTION else updated}"
    if change is Change.CORRECTION:
        detail = next((n.text for n in item.notes if n.role == "correction" and (
            n.language is None or n.language.split("-")[0].lower() == primary)), None)
        if detail:
            detail = " ".join(detail.split())
            text += f" {detail}" if detail[-1:] in ".!?" else f" {detail}."
    return text


def with_visible_correction(item: NewsItem) -> NewsItem:
    """The item with its editor's note as the first block of the body (unchanged when it is no
    correction or update, or when its body opens with an editor's note already)."""
    text = editors_note(item)
    if text is None or (item.body and is_editors_note(item.body[0])):
        return item
    return item.replace(body=(Block((Span(text),)), *item.body))
