"""A partner chooses how some of its formats are written (``format_options``): the choice is
validated at start-up, reaches the renderer as typed options, and labels the delivery."""

from __future__ import annotations

import pytest

from syndicate import formats
from syndicate.destinations import Delivery
from syndicate.errors import ConfigError, UnsupportedFormat
from syndicate.formats import RenderOptions
from syndicate.item import Block, NewsItem
from syndicate.partners import parse_config

PARTNER = """
partners:
  - id: tass-desk
    languages: [ru]
    formats: [nitf, iptc7901]
{extra}
"""


def partner(extra: str):  # type: ignore[no-untyped-def]
    return parse_config(PARTNER.format(extra=extra)).partners[0]


def test_a_partner_names_the_charset_of_its_7901_copy() -> None:
    p = partner("    format_options:\n      iptc7901:\n        charset: KOI8-R")
    assert p.render_options("iptc7901") == RenderOptions(charset="koi8-r")
    assert p.render_options("nitf") == RenderOptions()


def test_a_partner_without_options_gets_the_defaults() -> None:
    assert partner("").render_options("iptc7901") == RenderOptions()


def test_an_unknown_charset_is_refused_at_start_up_naming_it() -> None:
    with pytest.raises(ConfigError, match=r"format_options\.iptc7901\.charset.*'klingon'"):
        partner("    format_options:\n      iptc7901:\n        charset: klingon")


def test_options_for_a_format_the_partner_does_not_take_are_refused() -> None:
    with pytest.raises(ConfigError, match="format_options for 'ninjs', which it does not take"):
        partner("    format_options:\n      ninjs:\n        charset: utf-8")


def test_an_unknown_option_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"format_options\.iptc7901\.encoding"):
        partner("    format_options:\n      iptc7901:\n        encoding: utf-8")


def test_a_format_that_takes_no_such_option_says_so() -> None:
    with pytest.raises(UnsupportedFormat, match="'nitf' takes no charset option"):
        formats.renderer("nitf", RenderOptions(charset="koi8-r"))


def test_the_delivery_is_rendered_and_labelled_in_the_partners_charset() -> None:
    item = NewsItem(guid="urn:x:1", headline="Москва", language="ru", body=(Block.para("Текст."),))
    delivery = Delivery("tass-desk", "ru", item.guid, 1, "iptc7901", item=item,
                        options=RenderOptions(charset="koi8-r"))
    assert delivery.media_type == "text/plain; charset=koi8-r"
    assert "Москва".encode("koi8-r") in delivery.content
    plain = Delivery("tass-desk", "ru", item.guid, 1, "iptc7901", item=item)
    assert plain.media_type == "text/plain; charset=utf-8"
    assert "Москва".encode() in plain.content
