"""pt-BR gets Brazilian spellings where they differ from European Portuguese; pt stays European."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from syndicate.dateline import localize, parse_dateline, places

TABLE = places.builtin_table_path()
NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _no_newsroom_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(places.OVERRIDES_ENV, raising=False)


def entry(key: str) -> places.PlaceEntry:
    found = places.default_table().get(key)
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("key", "brazil", "portugal"),
    [("moscow", "Moscou", "Moscovo"), ("tehran", "Teerã", "Teerão"),
     ("new-delhi", "Nova Délhi", "Nova Deli"), ("new-york", "Nova York", "Nova Iorque"),
     ("amsterdam", "Amsterdã", "Amesterdão"), ("mumbai", "Mumbai", "Bombaim"),
     ("ottawa", "Ottawa", "Otava")],
)
def test_brazilian_and_european_spellings(key: str, brazil: str, portugal: str) -> None:
    place = entry(key)
    assert (place.exonym("pt-BR"), place.exonym("pt"), place.exonym("pt-PT")) == (
        brazil, portugal, portugal)


def test_where_brazil_writes_it_as_portugal_does_pt_br_falls_back_to_pt() -> None:
    assert entry("lisbon").exonym("pt-BR") == "Lisboa"
    assert entry("beijing").exonym("pt-br") == "Pequim"  # tags compare case-insensitively


def test_the_pt_br_column_only_holds_spellings_that_differ(tmp_path: Path) -> None:
    with TABLE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    filled = [r for r in rows if r["pt-BR"]]
    assert len(filled) >= 40
    assert all(r["pt-BR"] != r["pt"] for r in filled)


def test_a_brazilian_spelling_resolves_to_its_place() -> None:
    place = places.resolve("Teerã")
    assert place is not None and place.key == "tehran"


def test_a_pt_br_dateline_uses_the_brazilian_city_and_pt_the_european_one() -> None:
    found = parse_dateline("MOSCOW, November 26. /TASS/. Talks began.", now=NOW)
    assert found is not None
    dl = found[0]
    assert localize.format_dateline(dl, "pt-BR", "local") == "Moscou, 26 de novembro (TASS) -"
    assert localize.format_dateline(dl, "pt", "local") == "Moscovo, 26 de novembro (TASS) -"


def test_a_newsroom_pt_br_cell_overrides_the_shipped_one(tmp_path: Path) -> None:
    path = tmp_path / "house.tsv"
    path.write_text("key\tpt-BR\ntehran\tTeerã (Irã)\n", encoding="utf-8")
    table = places.load_table(path)
    tehran = table.get("tehran")
    assert tehran is not None and tehran.exonym("pt-BR") == "Teerã (Irã)"
    assert places.resolve("Teerã", table=table) is not None  # the old spelling still resolves
