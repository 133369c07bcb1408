"""Agate and tables set in fixed-width columns with runs of spaces or parted by semicolons
(standings, box scores, market tables, election results), as wire services send them: found so
that they are kept as preformatted blocks instead of being reflowed into paragraphs."""

from __future__ import annotations

import re
import textwrap

__all__ = ["column_gaps", "dedent_rows", "delimited", "table_runs"]

#: a run of two or more spaces between two non-space characters
_GAP = re.compile(r"(?<=\S)( {2,})(?=\S)")
#: what ends a sentence: a double space after it is typing habit, not a column
_SENTENCE_END = frozenset(".!?:;\"'”’»)")


def column_gaps(line: str) -> int:
    """How many runs of spaces in ``line`` separate columns.

    Two spaces after a full stop are how typists end a sentence ("It passed.  The vote"); a
    run of three or more, or two before a figure or after a word, separates columns.
    """
    text = line.strip()
    count = 0
    for m in _GAP.finditer(text):
        before, after = text[m.start() - 1], text[m.end()]
        if len(m.group(1)) >= 3 or before not in _SENTENCE_END or after in "+-−.$€£%(" or after.isdigit():
            count += 1
    return count


#: a semicolon between cells, as AP's agate marks columns ("Boston;24;14;.632"): prose puts a
#: space after its semicolons
_CELL_SEMICOLON = re.compile(r";(?=[^\s;]|;|$)")


def delimited(line: str) -> bool:
    """Whether ``line`` is a row of cells parted by semicolons."""
    return len(_CELL_SEMICOLON.findall(line.strip())) >= 2


def _has_figure(line: str) -> bool:
    return any(ch.isdigit() for ch in line)


def table_runs(lines: list[str], *, skip_blank: bool = False) -> list[tuple[int, int]]:
    """(start, end) index ranges of ``lines`` that form a fixed-width table.

    A table is at least two consecutive lines with columns: every line has a column gap, and
    most have two or more or a figure, so that two lines of prose with a stray double space
    stay prose. ``skip_blank`` lets blank lines sit between rows (IPTC 7901's CR CR LF reads
    as a blank line after every line); a range then ends on its last row.
    """
    runs: list[tuple[int, int]] = []
    rows: list[int] = []

    def close() -> None:
        if len(rows) >= 2:
            strong = sum(column_gaps(lines[i]) >= 2 or _has_figure(lines[i]) or delimited(lines[i])
                         for i in rows)
            if strong >= 2 and 2 * strong >= len(rows):
                runs.append((rows[0], rows[-1] + 1))
        rows.clear()

    for i, line in enumerate(lines):
        if not line.strip():
            if skip_blank and rows:
                continue
            close()
            continue
        if "\t" not in line and (column_gaps(line) >= 1 or delimited(line)):
            rows.append(i)
        else:
            close()
    close()
    return runs


def dedent_rows(rows: list[str]) -> str:
    """The rows as one block: trailing spaces and the indent common to all rows removed,
    the alignment between them kept."""
    return textwrap.dedent("\n".join(r.rstrip() for r in rows if r.strip()))
