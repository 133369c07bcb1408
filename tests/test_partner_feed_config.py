"""Partner configuration of feeds and push destinations: mistakes are caught at start-up."""

from __future__ import annotations

from pathlib import Path

import pytest

from syndicate.destinations import create
from syndicate.errors import ConfigError
from syndicate.partners import parse_config
from syndicate.store import SqliteBackend, Store


def test_destinations_slot_in_like_the_directory_one() -> None:
    cfg = parse_config("""
partners:
  - id: acme
    languages: [es]
    feed_token_env: ACME_FEED_TOKEN
    destinations:
      - type: s3
        bucket: acme-news
        prefix: syndicate/
      - type: webhook
        url: https://hooks.acme.example/syndicate
        secret_env: ACME_WEBHOOK_SECRET
      - type: feed
""")
    acme = cfg.partner("acme")
    assert [d.type for d in acme.destinations] == ["s3", "webhook", "feed"]
    assert acme.destinations[0].options() == {"bucket": "acme-news", "prefix": "syndicate/"}
    assert acme.has_feed and acme.feed_token_env == "ACME_FEED_TOKEN"


def test_feed_without_a_token_variable_is_refused_with_a_pointed_message() -> None:
    with pytest.raises(ConfigError, match="feed_token_env"):
        parse_config("""
partners:
  - id: acme
    languages: [es]
    destinations:
      - type: feed
""")


def test_token_variable_must_be_an_environment_variable_name() -> None:
    with pytest.raises(ConfigError, match="feed_token_env"):
        parse_config("""
partners:
  - id: acme
    languages: [es]
    feed_token_env: "the token itself!"
""")


def test_two_destinations_with_one_id_are_refused() -> None:
    with pytest.raises(ConfigError, match="same id"):
        parse_config("""
partners:
  - id: acme
    languages: [es]
    destinations:
      - {type: directory, path: out/a, id: main}
      - {type: directory, path: out/b, id: main}
""")


def test_feed_destination_takes_no_options(tmp_path: Path) -> None:
    store = Store(SqliteBackend(tmp_path / "s.db"))
    with pytest.raises(ConfigError, match="feed destination: path"):
        create("feed", {"path": "x"}, store)


def test_unknown_destination_type_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError, match="directory, feed, s3, sftp, webhook"):
        create("ftp", {})
