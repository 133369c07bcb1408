"""Output formats carry their own media type and file extension: destinations label and name
deliveries by what the renderer says, and the keys and Content-Types stay as partners know them."""

from __future__ import annotations

import pytest

from syndicate import formats
from syndicate.destinations import Delivery, relative_key
from syndicate.errors import UnsupportedFormat


@pytest.mark.parametrize(("name", "media_type", "extension"), [
    ("newsmlg2", "application/vnd.iptc.g2.newsitem+xml", "xml"),
    ("ninjs", "application/json", "json"),
    ("nitf", "application/nitf+xml", "xml"),
    ("iptc7901", "text/plain; charset=utf-8", "txt"),
])
def test_each_renderer_names_its_media_type_and_extension(
        name: str, media_type: str, extension: str) -> None:
    r = formats.renderer(name)
    assert (r.media_type, r.extension) == (media_type, extension)


def test_a_delivery_key_ends_in_the_format_and_the_renderers_extension() -> None:
    assert relative_key("es", "story-1", 2, "ninjs") == "es/story-1/v2.ninjs.json"
    assert relative_key("es", "story-1", 1, "newsmlg2") == "es/story-1/v1.newsmlg2.xml"
    assert relative_key("ru", "story-1", 1, "iptc7901") == "ru/story-1/v1.iptc7901.txt"


def test_a_delivery_is_labelled_with_its_renderers_media_type() -> None:
    d = Delivery("acme", "es", "story-1", 1, "ninjs", b"{}")
    assert d.media_type == "application/json"


def test_a_format_that_cannot_be_written_has_no_delivery_key() -> None:
    with pytest.raises(UnsupportedFormat, match="can be read but not written"):
        relative_key("es", "story-1", 1, "wiretext")
