"""docs/formats.md covers every codec and every field of the model: a new format, or a new
NewsItem field, fails here until the page says what becomes of it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from syndicate import formats
from syndicate.item import NewsItem

DOC = Path(__file__).resolve().parents[1] / "docs" / "formats.md"


def test_every_codec_has_a_section_of_its_own() -> None:
    headings = [line for line in DOC.read_text(encoding="utf-8").splitlines() if line.startswith("## ")]
    missing = [name for name in formats.names() if not any(f"(`{name}`)" in h for h in headings)]
    assert not missing, f"docs/formats.md has no section for {missing}"


def test_every_field_of_the_model_has_a_row_in_the_newsml_g2_output_table() -> None:
    section = DOC.read_text(encoding="utf-8").split("\n### NewsML-G2\n", 1)[1].split("\n### ", 1)[0]
    first_cells = " ".join(row.split("|")[1] for row in section.splitlines() if row.startswith("| "))
    missing = [f.name for f in dataclasses.fields(NewsItem) if f"`{f.name}" not in first_cells]
    assert not missing, f"the NewsML-G2 output table of docs/formats.md has no row for {missing}"
