"""Fixed-width agate and tables: found by their columns, so prose with double spaces stays prose."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from syndicate import formats
from syndicate.formats.agate import column_gaps, dedent_rows, table_runs
from syndicate.item import BlockKind

STANDINGS = [
    "                  W   L   Pct   GB",
    "New York         98  64  .605   --",
    "Boston           92  70  .568    6",
]


def test_standings_rows_are_a_table():
    assert table_runs(STANDINGS) == [(0, 3)]


def test_a_double_space_after_a_full_stop_is_no_column():
    assert column_gaps("The measure passed.  It goes to the House.  Leaders agreed.") == 0


def test_two_lines_of_prose_with_double_spaces_are_no_table():
    prose = ["   The Senate voted late Sunday.  The measure passed 71-27 after days",
             "of talks.  The president will sign it on Monday.  Aides said so."]
    assert table_runs(prose) == []


def test_a_single_row_is_no_table():
    assert table_runs(["Dow Jones industrials    35,123.45   +123.45"]) == []


def test_blank_lines_between_rows_are_skipped_when_asked():
    rows = ["Smith (D)     12,345   52%", "", "Jones (R)     11,002   47%"]
    assert table_runs(rows) == [] and table_runs(rows, skip_blank=True) == [(0, 3)]


def test_rows_keep_their_alignment_without_the_common_indent():
    assert dedent_rows(["   A    1", "   BB   2", ""]) == "A    1\nBB   2"


@given(st.lists(st.text(alphabet=st.sampled_from("abc xyz.,"), max_size=60), max_size=8))
def test_lines_without_runs_of_spaces_are_never_a_table(lines):
    lines = [" ".join(ln.split()) for ln in lines]
    assert table_runs(lines) == []


def _anpa(text: str) -> bytes:
    return (f"\x16\x16\x01a0004 r f BC-Markets 11-30 0210\r\n\x02^BC-Markets,0210<\r\n^Stock prices<\r\n"
            f"{text}\x03\r\nAP-WF-11-30-26 1605EST\r\n\x04").encode()


def test_anpa_market_table_is_preformatted_and_the_prose_around_it_is_not():
    text = ("   NEW YORK (AP) _ Stocks rose on Monday.  Technology led the way.\r\n"
            "   Dow Jones industrials    35,123.45   +123.45\r\n"
            "   S&P 500                   4,567.89    +12.34\r\n"
            "   Nasdaq composite         14,321.00    +56.78\r\n"
            "   Trading was light.  Many traders were away.\r\n")
    ctx = formats.ParseContext(now=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    (item,) = formats.parse(_anpa(text), "anpa1312", ctx).items
    assert [b.kind for b in item.body] == [BlockKind.PARAGRAPH, BlockKind.PREFORMATTED, BlockKind.PARAGRAPH]
    assert item.body[1].text.split("\n")[0] == "Dow Jones industrials    35,123.45   +123.45"
    assert item.body[0].text == "Stocks rose on Monday.  Technology led the way."


def test_rows_parted_by_semicolons_are_a_table_and_prose_semicolons_are_not():
    rows = [";W;L;Pct;GB", "Boston;24;14;.632;_", "Toronto;19;21;.475;6"]
    assert table_runs(rows) == [(0, 3)]
    prose = ["He came; he saw; he left.", "She stayed; they argued; nobody won."]
    assert table_runs(prose) == []


@given(st.lists(st.lists(st.text(alphabet="abcdefghij", min_size=1, max_size=8), min_size=3, max_size=9)
                .map(lambda ws: " ".join(ws).capitalize() + "."), min_size=2, max_size=12))
def test_prose_with_two_spaces_after_each_full_stop_is_never_a_table(sentences):
    text = "  ".join(sentences)
    lines = [text[i:i + 68] for i in range(0, len(text), 68)]
    assert table_runs([ln.strip() for ln in lines]) == []
