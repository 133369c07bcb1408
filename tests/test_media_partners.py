"""Which partners get media items: a partner's ``item_classes`` say what it takes (text only unless
it names more), and a picture never reaches a partner that takes text only."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline_support import NOW, InlineDispatcher, ensure_codecs, g2_bytes, ingest, make_runtime, outputs
from syndicate import formats
from syndicate.cli import main
from syndicate.destinations import Delivery, create
from syndicate.errors import ConfigError
from syndicate.item import Block, Description, ItemClass, NewsItem, PubStatus, Rendition
from syndicate.partners import parse_config
from syndicate.pipeline import DELIVERED, SKIPPED, ExportJob, deliver, plan_translations
from syndicate.store import ItemRef

#: a text-only partner and one that takes pictures too, both in English (no translation)
TWO_PARTNERS = """
partners:
  - id: words
    languages: [en]
    formats: [newsmlg2]
    destinations:
      - type: directory
        path: {out}/words
  - id: photos
    languages: [en]
    formats: [newsmlg2, ninjs]
    item_classes: [text, picture]
    destinations:
      - type: directory
        path: {out}/photos
"""


@pytest.fixture(autouse=True)
def _codecs() -> None:
    ensure_codecs()


def photo(version: int = 1, **changes: object) -> NewsItem:
    item = NewsItem(
        guid="urn:newsml:example.com:20261128:photo-1",
        version=version,
        headline="Flooding in Valencia",
        language="en",
        provider="example.com",
        created=NOW,
        modified=NOW,
        item_class=ItemClass.PICTURE,
        descriptions=(Description("Residents wade through a flooded street in Paiporta.",
                                  "drol:caption"),),
        renditions=(Rendition("https://img.example.com/valencia.jpg", "image/jpeg", "rnd:highRes",
                              1843221, 2048, 1365),),
    )
    return item.replace(**changes) if changes else item


def story() -> NewsItem:
    return NewsItem(guid="urn:newsml:example.com:20261128:story-1", headline="Rain floods Valencia",
                    language="en", provider="example.com", created=NOW, modified=NOW,
                    body=(Block.para("Heavy rain flooded streets south of Valencia on Friday."),))


def partner_config(extra: str) -> str:
    return f"partners:\n  - id: acme\n    languages: [en]\n{extra}"


# ---------------------------------------------------------------------------------------------
# the configuration


def test_a_partner_takes_text_only_unless_it_says_otherwise() -> None:
    (acme,) = parse_config(partner_config("")).partners
    assert acme.item_classes == (ItemClass.TEXT,)
    assert acme.takes(ItemClass.TEXT) and not acme.takes(ItemClass.PICTURE)


def test_a_partner_names_the_classes_it_takes() -> None:
    (acme,) = parse_config(partner_config("    item_classes: [text, picture, Video]\n")).partners
    assert acme.item_classes == (ItemClass.TEXT, ItemClass.PICTURE, ItemClass.VIDEO)


def test_an_unknown_item_class_stops_the_start_naming_it() -> None:
    with pytest.raises(ConfigError, match=r"item_classes: .*'photo' is not an item class; name text, "
                                          r"picture, graphic, video or audio"):
        parse_config(partner_config("    item_classes: [text, photo]\n"), "syndicate.yaml")


def test_a_partner_that_takes_no_class_at_all_is_refused() -> None:
    with pytest.raises(ConfigError, match="name at least one item class"):
        parse_config(partner_config("    item_classes: []\n"))


@pytest.fixture
def cli_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    from syndicate.settings import get_settings

    path = tmp_path / "syndicate.yaml"
    monkeypatch.setenv("SYNDICATE_CONFIG", str(path))
    monkeypatch.setenv("SYNDICATE_DATA_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    yield path
    get_settings.cache_clear()


def test_syndicate_check_names_an_unknown_item_class(
    cli_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli_config.write_text(partner_config("    item_classes: [fotos]\n"))
    assert main(["check", "--role", "export"]) == 1  # a problem found, as a health check says it
    assert "partners.0.item_classes: Value error, 'fotos' is not an item class" in capsys.readouterr().err


def test_partners_and_target_languages_follow_the_item_class() -> None:
    cfg = parse_config("""
partners:
  - id: words
    languages: [es]
  - id: photos
    languages: [fr, en]
    item_classes: [picture]
""")
    assert cfg.target_languages("en", ItemClass.PICTURE) == ["fr"]
    assert cfg.target_languages("en", ItemClass.TEXT) == ["es"]
    assert cfg.target_languages("en") == ["es", "fr"]
    assert [p.id for p in cfg.partners_for("fr", "en", ItemClass.PICTURE)] == ["photos"]
    assert cfg.partners_for("es", "en", ItemClass.PICTURE) == []


# ---------------------------------------------------------------------------------------------
# the pipeline


def test_a_picture_goes_to_a_partner_taking_pictures_and_not_to_a_text_only_one(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path, TWO_PARTNERS)
    d = InlineDispatcher()
    ingest(rt, g2_bytes(photo()), d)
    d.drain(rt)
    assert {job.partner for job in d.exports} == {"photos"}
    files = outputs(tmp_path / "out")
    assert files and all(f.startswith("photos/en/") for f in files)


def test_a_text_story_still_goes_to_every_partner_of_its_language(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path, TWO_PARTNERS)
    d = InlineDispatcher()
    ingest(rt, g2_bytes(story()), d)
    d.drain(rt)
    assert {f.split("/")[0] for f in outputs(tmp_path / "out")} == {"words", "photos"}


def test_a_delivered_picture_is_the_rendered_document_with_renditions_never_the_binary(
    tmp_path: Path, assert_valid_g2  # type: ignore[no-untyped-def]
) -> None:
    rt = make_runtime(tmp_path, TWO_PARTNERS)
    d = InlineDispatcher()
    ingest(rt, g2_bytes(photo()), d)
    d.drain(rt)
    out = tmp_path / "out" / "photos" / "en"
    (g2,) = out.rglob("*.xml")
    assert_valid_g2(g2.read_bytes())
    (item,) = formats.parse(g2.read_bytes()).items
    assert item.item_class is ItemClass.PICTURE and item.renditions == photo().renditions
    (doc,) = (json.loads(p.read_text()) for p in out.rglob("*.json"))
    assert doc["type"] == "picture"
    assert doc["renditions"][0]["href"] == "https://img.example.com/valencia.jpg"
    assert not list(out.rglob("*.jpg"))


def test_translations_are_planned_only_for_languages_a_partner_taking_the_class_wants(
    tmp_path: Path,
) -> None:
    rt = make_runtime(tmp_path, """
partners:
  - id: words
    languages: [es]
  - id: photos
    languages: [fr]
    item_classes: [text, picture]
""")
    for item in (photo(), story()):
        rt.store.put_item(ItemRef(item.guid, item.version, "en"), item)
    targets = {item.guid: [job.target for job in plan_translations(
        rt, ItemRef(item.guid, item.version, "en"))] for item in (photo(), story())}
    assert targets == {photo().guid: ["fr"], story().guid: ["es", "fr"]}


def test_the_kill_of_a_picture_reaches_the_partner_that_has_it_whatever_class_it_names(
    tmp_path: Path,
) -> None:
    rt = make_runtime(tmp_path, TWO_PARTNERS)
    d = InlineDispatcher()
    ingest(rt, g2_bytes(photo()), d)
    d.drain(rt)
    # agencies send kills as bare items, often classed as text
    kill = photo(version=2, pub_status=PubStatus.CANCELED, item_class=ItemClass.TEXT, renditions=())
    ingest(rt, g2_bytes(kill), d)
    d.drain(rt)
    kills = [f for f in outputs(tmp_path / "out") if "/v2." in f]
    assert kills and {k.split("/")[0] for k in kills} == {"photos"}


def test_an_export_planned_before_a_partner_stopped_taking_pictures_is_skipped(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path, TWO_PARTNERS)
    item = photo()
    rt.store.put_item(ItemRef(item.guid, 1, "en"), item)
    rt.store.note_version(item.guid, 1)
    job = ExportJob(item.guid, 1, "en", "words", "0", ("newsmlg2",))
    assert deliver(rt, job).status == SKIPPED
    assert outputs(tmp_path / "out") == []
    assert deliver(rt, ExportJob(item.guid, 1, "en", "photos", "0", ("newsmlg2",))).status == DELIVERED


def test_an_embargoed_picture_is_held_like_a_story(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path, TWO_PARTNERS)
    d = InlineDispatcher()
    ingest(rt, g2_bytes(photo(embargo=NOW + dt.timedelta(hours=1))), d)
    d.drain(rt)
    assert outputs(tmp_path / "out") == [] and [j.partner for j, _ in d.held] == ["photos"]


@pytest.mark.integration
def test_s3_receives_a_pictures_ninjs_document_naming_its_renditions(bucket: str, s3_endpoint: str) -> None:
    import boto3

    item = photo()
    dest = create("s3", {"bucket": bucket, "endpoint_url": s3_endpoint})
    dest.deliver(Delivery("photos", "en", item.guid, 1, "ninjs", item=item))
    s3 = boto3.client("s3", endpoint_url=s3_endpoint)
    (obj,) = s3.list_objects_v2(Bucket=bucket)["Contents"]
    doc = json.loads(s3.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read())
    assert obj["Key"].endswith(".json") and doc["type"] == "picture"
    assert [r["href"] for r in doc["renditions"]] == ["https://img.example.com/valencia.jpg"]
