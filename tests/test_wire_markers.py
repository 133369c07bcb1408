"""No ANPA 1312 or IPTC 7901 control marker ever reaches the copy: not the framing (SOH, STX,
ETX, EOT, SYN), not ANPA's "^" opening and "<" / "=" closing a line, not the " =" that ends a
7901 headline, byline or paragraph."""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syndicate import formats
from syndicate.item import NewsItem

CTX = formats.ParseContext(now=dt.datetime(2027, 1, 12, 9, tzinfo=dt.UTC))
#: the framing (SOH STX ETX EOT SYN), AP's US and DC codes, and every other C0 control but tab
FRAMING = re.compile("[\x00-\x08\x0b-\x1f]")
#: a marker left at the start or end of a line, or 7901's " =" anywhere
LEFT_OVER = re.compile(r"(?m)^\s*\^|[<=]\s*$| =(?:\s|$)")

word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäéñ", min_size=2, max_size=9)
capital = word.map(str.capitalize)
sentence = st.lists(word, min_size=4, max_size=14).map(lambda ws: " ".join(ws).capitalize() + ".")
paragraph = st.lists(sentence, min_size=1, max_size=3).map(" ".join)
name = st.lists(capital, min_size=2, max_size=3).map(" ".join)
line_end = st.sampled_from(["\r\n", "\n", "\r\r\n"])


def texts(item: NewsItem) -> list[str]:
    return [item.headline, item.byline or "", *(b.text for b in item.body), *(n.text for n in item.notes)]


def assert_clean(item: NewsItem) -> None:
    for text in texts(item):
        assert not FRAMING.search(text), text
        assert not LEFT_OVER.search(text), text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(headline=st.lists(word, min_size=2, max_size=8).map(" ".join), byline=st.none() | name,
       paragraphs=st.lists(paragraph, min_size=1, max_size=4), nl=line_end,
       eds=st.none() | sentence, table=st.booleans(), bulletin=st.booleans(),
       indent=st.sampled_from(["   ", "\t", "^", "\t   "]),
       header=st.sampled_from(["a0001 r a BC-Test 11-30 0400",
                               "a0001\x1f-----\r\nr a\x13\x11 BC-Test 11-30 0400"]))
def test_anpa_markers_never_reach_the_copy(headline, byline, paragraphs, nl, eds, table, bulletin, indent,
                                           header):
    lines = [f"\x16\x16\x01{header}", "\x02^BC-Test,0400<"]
    lines += ["^Bulletin<"] if bulletin else []
    lines += [f"^{headline.capitalize()}<"]
    lines += [f"^Eds: {eds}<"] if eds else []
    lines += [f"^By {byline}=", "^Associated Press Writer="] if byline else []
    lines += [f"{indent}WASHINGTON (AP) _ {paragraphs[0]}"] + [f"{indent}{p}<" for p in paragraphs[1:]]
    if table:
        lines += ["Team          W    L   Pct", "Boston       92   70  .568", "Toronto      89   73  .549"]
    lines += ["\x03", "AP-WF-11-30-26 0412EST", "\x04"]
    (item,) = formats.parse(nl.join(lines).encode(), "anpa1312", CTX).items
    assert_clean(item)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(headline=st.lists(word, min_size=2, max_size=8).map(" ".join), byline=st.none() | name,
       paragraphs=st.lists(paragraph, min_size=1, max_size=4), nl=line_end,
       agency=st.sampled_from([("AFP", "PARIS, 29 nov (AFP) - ", "Par", "AFP 291015 GMT Nov 26"),
                               ("dpa", "Berlin (dpa) - ", "Von", "dpa ne yyzz a3 kad 291015 Nov 26"),
                               ("ANSA", "(ANSA) - ROMA, 29 NOV - ", "di", "291015 nov 26"),
                               ("EFE", "Madrid, 29 nov (EFE).- ", "Por", "291015 nov 26")]),
       take=st.sampled_from([None, "URGENT", "1. Zusammenfassung", "AMPLIACIÓN", "REFILE"]),
       contact=st.booleans(), table=st.booleans())
def test_iptc7901_markers_never_reach_the_copy(headline, byline, paragraphs, nl, agency, take, contact,
                                               table):
    source, dateline, by, trailer = agency
    lines = [f"\x16\x16\x01{source}0123 3 pol 0250", "Test/Slug/", "\x02" + (take or "")]
    lines += [f"{headline.capitalize()} ="]
    lines += [f"{by} {byline} ="] if byline else []
    lines += ["", f"{dateline}{paragraphs[0]}"]
    for p in paragraphs[1:]:
        lines += ["", f"{p} ="]
    if table:
        lines += ["", "Team          W    L   Pct", "Boston       92   70  .568 =",
                  "Toronto      89   73  .549 ="]
    if contact:
        lines += ["", "dpa-Kontakt", "Redaktion: Anna Beispiel, +49 30 0000 ="]
    lines += ["\x03", "xx/yy", trailer, "\x04"]
    data = nl.join(lines).encode()
    (item,) = formats.parse(data, "iptc7901", CTX).items
    assert_clean(item)
