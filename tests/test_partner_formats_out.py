"""Through the pipeline: a partner that takes NITF and IPTC 7901 gets both files from its directory
destination, the 7901 copy in its charset, and a correction with the editor's note it asked for."""

from __future__ import annotations

from pathlib import Path

import pytest

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
from syndicate.dateline import parse_dateline
from syndicate.item import Note
from syndicate.pipeline import INGESTED

CONFIG = """
partners:
  - id: wire
    languages: [en]
    formats: [nitf, iptc7901]
    format_options:
      iptc7901:
        charset: iso-8859-1
    visible_corrections: true
    destinations:
      - type: directory
        path: {out}/wire
  - id: quiet
    languages: [en]
    formats: [nitf]
    destinations:
      - type: directory
        path: {out}/quiet
"""


@pytest.fixture(autouse=True)
def _codecs() -> None:
    ensure_codecs()


DATELINE = parse_dateline("ZURICH, Nov 28 (Reuters) - x", now=NOW, language="en")[0]  # type: ignore[index]


def story(version: int = 1, **changes: object):  # type: ignore[no-untyped-def]
    return sample_item(version=version, headline="Zürich council approves “green” budget – finally",
                       dateline=DATELINE, **changes)


def test_a_partner_taking_nitf_and_7901_gets_both_files(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path, CONFIG)
    d = InlineDispatcher()
    assert ingest(rt, g2_bytes(story()), d) == INGESTED
    d.drain(rt)
    out = tmp_path / "out" / "wire"
    files = outputs(out)
    assert [f.rsplit("/", 1)[1] for f in files] == ["v1.iptc7901.txt", "v1.nitf.xml"]
    wire = (out / files[0]).read_bytes()
    assert 'Zürich council approves "green" budget - finally ='.encode("iso-8859-1") in wire
    (seven,) = formats.parse(wire, "iptc7901").items
    (nitf,) = formats.parse((out / files[1]).read_bytes(), "nitf").items
    # the partner's dateline style is applied at export: both formats carry the same one
    assert seven.dateline is not None and nitf.dateline is not None
    assert seven.dateline.raw == nitf.dateline.raw and seven.dateline.raw.startswith("ZURICH, ")
    for item in (seven, nitf):
        assert [b.text for b in item.body] == [b.text for b in story().body]
    assert nitf.headline == story().headline


def test_a_correction_opens_with_an_editors_note_only_for_the_partner_that_asked(
        tmp_path: Path) -> None:
    rt = make_runtime(tmp_path, CONFIG)
    d = InlineDispatcher()
    ingest(rt, g2_bytes(story()), d)
    corrected = story(2, signals=("sig:correction",),
                      notes=(Note("Corrects the vote count", role="correction"),))
    ingest(rt, g2_bytes(corrected), d, name="y.xml")
    d.drain(rt)
    note = "Editor's note: This story has been corrected. Corrects the vote count."
    wire = tmp_path / "out" / "wire"
    (nitf,) = formats.parse(next(wire.rglob("v2.nitf.xml")).read_bytes(), "nitf").items
    assert nitf.body[0].text == note and nitf.dateline is not None
    text = next(wire.rglob("v2.iptc7901.txt")).read_bytes().decode("iso-8859-1")
    assert text.index(note[:40]) < text.index("ZURICH, ")
    quiet = tmp_path / "out" / "quiet"
    (plain,) = formats.parse(next(quiet.rglob("v2.nitf.xml")).read_bytes(), "nitf").items
    assert "Editor's note" not in plain.body_text
