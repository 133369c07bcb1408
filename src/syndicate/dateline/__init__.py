"""Datelines: parse one off wire copy, resolve its place, write it in a language and house style.

:mod:`~syndicate.dateline.parse` takes a dateline apart, :mod:`~syndicate.dateline.places`
resolves its city through the exonym table, :mod:`~syndicate.dateline.styles` is the book of
house styles and :mod:`~syndicate.dateline.localize` writes a dateline in a partner's language
and style.
"""

from __future__ import annotations

from syndicate.dateline.parse import (
    AGENCIES,
    MONTH_LANGUAGES,
    Agency,
    dateline_end,
    find_agency,
    infer_date,
    looks_like_dateline,
    month_number,
    parse_dateline,
    split_dateline,
)

__all__ = [
    "AGENCIES",
    "MONTH_LANGUAGES",
    "Agency",
    "dateline_end",
    "find_agency",
    "infer_date",
    "looks_like_dateline",
    "month_number",
    "parse_dateline",
    "split_dateline",
]
