"""Formats are told apart by the document's root element, never by a tag quoted inside it."""

from __future__ import annotations

import pytest

from syndicate import formats
from syndicate.xmlsafe import sniff_root

RSS_QUOTING_NITF = b"""<?xml version="1.0" encoding="UTF-8"?>
<!-- a wire's RSS export: each item carries the story's NITF in CDATA -->
<rss version="2.0"><channel><title>Wire</title><item><title>Port reopens</title>
<description><![CDATA[<nitf><body><body.content><p>The port reopened.</p>
</body.content></body></nitf>]]></description>
</item></channel></rss>"""


def test_an_rss_feed_quoting_nitf_in_cdata_is_read_as_a_feed() -> None:
    assert formats.detect(RSS_QUOTING_NITF).name == "feed"


@pytest.mark.parametrize(("data", "name", "prefix", "namespace"), [
    (b"\xef\xbb\xbf<?xml version='1.0'?><!DOCTYPE nitf SYSTEM 'nitf.dtd'><nitf>", "nitf", None, None),
    (b"<!-- c --><?pi x?>\n<g:newsItem xmlns:g='http://iptc.org/std/nar/2006-10-01/'>",
     "newsItem", "g", "http://iptc.org/std/nar/2006-10-01/"),
    (b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>', "feed", None,
     "http://www.w3.org/2005/Atom"),
    ("<?xml version='1.0' encoding='UTF-16'?><NewsML>".encode("utf-16"), "NewsML", None, None),
])
def test_the_root_is_found_after_the_prolog(data: bytes, name: str, prefix: str | None,
                                             namespace: str | None) -> None:
    root = sniff_root(data)
    assert root is not None
    assert (root.name, root.prefix, root.namespace) == (name, prefix, namespace)


@pytest.mark.parametrize("data", [b'{"uri": "x", "body": "<nitf>"}', b"MOSCOW, October 22. /TASS/.", b""])
def test_what_is_not_xml_has_no_root(data: bytes) -> None:
    assert sniff_root(data) is None
