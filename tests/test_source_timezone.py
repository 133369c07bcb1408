"""The source's time zone: configured per source (``timezone:``), for push and as the default in
``ingest:``, or given to ``syndicate ingest --timezone``; times written without a zone are read in it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pipeline_support import make_runtime
from syndicate.cli import main
from syndicate.errors import ConfigError
from syndicate.formats.newsmlg2 import parse
from syndicate.partners import parse_config
from syndicate.pipeline import ingest_bytes
from syndicate.store import ItemRef

FIXTURES = Path(__file__).parent / "fixtures"
ZONELESS = FIXTURES / "newsmlg2" / "dpa_zoneless_times.xml"
GUID = "urn:newsml:dpa.com:20261127:261127-99-654321"

CONFIG = """
ingest:
  timezone: America/New_York
sources:
  - type: inbox
    name: dpa
    path: {out}/in-dpa
    timezone: Europe/Berlin
  - type: inbox
    name: plain
    path: {out}/in-plain
partners: []
"""


def test_a_source_names_its_zone_and_the_ingest_section_gives_the_default() -> None:
    config = parse_config(CONFIG.format(out="/tmp"))
    assert config.source_timezone("dpa") == ZoneInfo("Europe/Berlin")
    assert config.source_timezone("plain") == ZoneInfo("America/New_York")
    assert config.source_timezone("push") == ZoneInfo("America/New_York")
    assert parse_config("partners: []").source_timezone("push") is None


def test_the_zone_is_not_passed_to_the_source_as_one_of_its_options() -> None:
    config = parse_config(CONFIG.format(out="/tmp"))
    assert config.sources[0].options() == {"path": "/tmp/in-dpa"}


@pytest.mark.parametrize(
    "text",
    ["sources:\n  - {type: inbox, path: x, timezone: Europe/Berln}\n",
     "ingest:\n  timezone: Europe/Berln\n"],
)
def test_an_unknown_zone_is_a_configuration_error_naming_it(text: str) -> None:
    with pytest.raises(ConfigError, match=r"syndicate\.yaml: .*timezone.*unknown time zone 'Europe/Berln'"):
        parse_config(text, "syndicate.yaml")


def _version_created(rt, source: str) -> dt.datetime:
    result = ingest_bytes(rt, ZONELESS.read_bytes(), "dpa.xml", source)
    (ref, _), *_ = result.claims
    item = rt.store.get_item(ItemRef(ref.guid, ref.version, ref.language))
    assert item is not None and item.guid == GUID
    return item.version_created


def test_the_pipeline_reads_each_sources_times_in_its_zone(tmp_path: Path) -> None:
    assert _version_created(make_runtime(tmp_path / "a", CONFIG), "dpa") == dt.datetime(
        2026, 11, 27, 9, 15, tzinfo=dt.UTC)
    assert _version_created(make_runtime(tmp_path / "b", CONFIG), "push") == dt.datetime(
        2026, 11, 27, 15, 15, tzinfo=dt.UTC)
    assert _version_created(make_runtime(tmp_path / "c"), "push") == dt.datetime(
        2026, 11, 27, 10, 15, tzinfo=dt.UTC)


def test_syndicate_ingest_reads_zoneless_times_in_the_zone_given(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["ingest", str(ZONELESS), "--out", str(out), "--timezone", "Europe/Berlin"]) == 0
    (path,) = [p for p in out.rglob("*.xml") if "rejected" not in p.parts]
    (item,) = parse(path.read_bytes())
    assert item.version_created == dt.datetime(2026, 11, 27, 9, 15, tzinfo=dt.UTC)
    assert b"<versionCreated>2026-11-27T10:15:00+01:00</versionCreated>" in path.read_bytes()


def test_syndicate_ingest_refuses_an_unknown_zone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", str(ZONELESS), "--out", str(tmp_path), "--timezone", "Mars/Olympus"]) == 2
    assert "unknown time zone 'Mars/Olympus'" in capsys.readouterr().err
