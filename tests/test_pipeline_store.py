"""The state store behaves the same on SQLite (embedded) and Redis (production)."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import time

import pytest

from pipeline_support import sample_item
from syndicate import logs
from syndicate.item import (
    Dateline,
    Description,
    Link,
    Note,
    Person,
    Place,
    PubStatus,
    Subject,
)
from syndicate.store import ItemRef, Store, decode_item, encode_item


def test_item_survives_the_json_round_trip_exactly() -> None:
    item = sample_item(
        version=3, pub_status=PubStatus.CANCELED, embargo=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
        dateline=Dateline("MOSCOW, October 22. /TASS/.", city="MOSCOW", date=dt.date(2026, 10, 22),
                          place=Place("Moscow", "RU", "Europe/Moscow")),
        links=(Link("irel:translatedFrom", "urn:x", 2),),
    )
    assert decode_item(encode_item(item)) == item


def test_notes_authors_descriptions_signals_and_take_key_survive_the_json_round_trip() -> None:
    item = sample_item(
        notes=(Note("Corrects name in 2nd para", "rtrednote:correction"), Note("Photo follows", None, "de")),
        authors=(Person("JANE DOE", "crol:author", "apstaff:jdoe", title="AP Writer"),
                 Person("Paul Leroy", "crol:editor", contributor=True)),
        descriptions=(Description("Crews clear debris on Friday.", "drol:caption"),),
        signals=("sig:correction",),
        take_key="Storm-Georgia",
        subjects=(Subject("medtop:11000000", "politique", "http://cv.iptc.org/newscodes/mediatopic/11000000",
                          "fr"),),
    )
    assert decode_item(encode_item(item)) == item


def test_an_item_stored_before_notes_and_authors_existed_still_loads() -> None:
    old = json.dumps({
        "guid": "urn:x:1", "headline": "Old", "language": "en", "version": 2, "provider": "TASS",
        "summary": None, "slugline": None, "byline": "By Ivan Petrov", "dateline": None, "body": [],
        "subjects": [{"qcode": "medtop:11000000", "name": "politics"}], "genre": None,
        "keywords": [], "urgency": 3, "pub_status": "usable", "embargo": None, "created": None,
        "modified": None, "copyright": None, "links": [], "provenance": None, "translation": None,
        "extra": [],
    })
    item = decode_item(old)
    assert (item.notes, item.authors, item.descriptions, item.signals) == ((), (), (), ())
    assert item.take_key is None
    assert item.subjects == (Subject("medtop:11000000", "politics"),)
    assert item.byline == "By Ivan Petrov"


def test_stored_item_comes_back_equal(store: Store) -> None:
    item = sample_item()
    store.put_item(ItemRef(item.guid, 1, "en"), item)
    assert store.get_item(ItemRef(item.guid, 1, "en")) == item
    assert store.get_item(ItemRef(item.guid, 1, "es")) is None


def test_newest_version_wins_whatever_the_arrival_order(store: Store) -> None:
    assert store.note_version("g", 2) == 2
    assert store.note_version("g", 1) == 2
    assert store.note_version("g", 3) == 3
    assert store.latest_version("g") == 3


def test_content_is_seen_by_guid_version_and_digest(store: Store) -> None:
    assert not store.content_seen("g", 1, "abc")
    store.mark_content_seen("g", 1, "abc")
    assert store.content_seen("g", 1, "abc")
    assert not store.content_seen("g", 1, "abd")
    assert not store.content_seen("g", 2, "abc")


def test_dead_letter_keeps_task_payload_error_and_input(store: Store) -> None:
    dl = store.add_dead_letter("syndicate.ingest", {"blob": "x"}, ValueError("bad"),
                               data=b"raw bytes")
    (back,) = store.dead_letters()
    assert back == dl and back.kwargs() == {"blob": "x"} and back.error == "bad"
    store.remove_dead_letter(dl.id)
    assert store.dead_letters() == []


def test_lock_is_exclusive_and_released(store: Store) -> None:
    from syndicate.errors import TransientError

    with store.lock("k"), pytest.raises(TransientError), store.lock("k", wait=0.05):
        pass
    with store.lock("k", wait=0.05):
        pass


def test_logs_are_one_json_object_per_line_with_the_item_fields() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter())
    logger = logging.getLogger("syndicate.test.logs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        with logs.bind(guid="urn:x", version=2, partner="acme", language="es"):
            logger.info("delivered")
    finally:
        logger.removeHandler(handler)
    record = json.loads(stream.getvalue().strip())
    assert record["message"] == "delivered"
    assert (record["guid"], record["version"], record["partner"], record["language"]) == (
        "urn:x", 2, "acme", "es")


def test_a_key_is_sighted_first_once(store: Store) -> None:
    assert store.first_sighting("push", "sig", ttl=60)
    assert not store.first_sighting("push", "sig", ttl=60)


def test_a_sighting_is_forgotten_after_its_ttl(store: Store) -> None:
    assert store.first_sighting("push", "sig", ttl=1)
    time.sleep(1.2)
    assert store.first_sighting("push", "sig", ttl=1)


def test_a_forgotten_sighting_counts_as_first_again(store: Store) -> None:
    assert store.first_sighting("push", "sig", ttl=60)
    store.forget_sighting("push", "sig")
    assert store.first_sighting("push", "sig", ttl=60)
