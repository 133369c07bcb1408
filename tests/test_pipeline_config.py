"""Configuration and settings: validated at start-up, with messages that point at the problem."""

from __future__ import annotations

import pytest

from syndicate.errors import ConfigError
from syndicate.partners import parse_config
from syndicate.settings import PACKAGED_CONFIG, Settings, load_settings, mask_url

MINIMAL = """
partners:
  - id: acme
    languages: [es]
    formats: [newsmlg2]
    destinations:
      - type: directory
        path: out/acme
"""


def test_the_minimal_configuration_is_valid_as_written() -> None:
    cfg = parse_config(MINIMAL)
    assert cfg.partners[0].destinations[0].options() == {"path": "out/acme"}


def test_target_languages_leave_out_the_source_language() -> None:
    cfg = parse_config(MINIMAL + "  - id: home\n    languages: [en, es]\n")
    assert cfg.target_languages("en") == ["es"]
    assert cfg.target_languages("es") == ["en"]


def test_partners_in_the_source_language_get_the_original() -> None:
    cfg = parse_config(MINIMAL + "  - id: home\n    languages: [en]\n")
    assert [p.id for p in cfg.partners_for("en-GB", "en-GB")] == ["home"]
    assert [p.id for p in cfg.partners_for("es", "en")] == ["acme"]


def test_unknown_field_is_named_in_the_error() -> None:
    with pytest.raises(ConfigError, match=r"partners\.0\.langauges"):
        parse_config("partners:\n  - id: acme\n    langauges: [es]\n    languages: [es]\n")


def test_duplicate_partner_ids_are_refused() -> None:
    with pytest.raises(ConfigError, match="appears twice"):
        parse_config(MINIMAL + MINIMAL.split("partners:\n")[1])


def test_the_packaged_default_configuration_is_valid() -> None:
    from syndicate.partners import load_config

    cfg = load_config(PACKAGED_CONFIG)
    assert cfg.translation.engine == "apertium"
    assert "es" in cfg.target_languages("en")


def test_bad_broker_url_is_refused_without_echoing_its_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SYNDICATE_BROKER_URL", "http://user:hunter2@example.com/")
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert "SYNDICATE_BROKER_URL" in str(err.value)
    assert "hunter2" not in str(err.value)


def test_description_masks_passwords_and_leaves_out_secrets() -> None:
    s = Settings(broker_url="redis://:hunter2@redis:6379/0", push_secret="s3cret")  # type: ignore[arg-type]
    assert "hunter2" not in s.describe() and "s3cret" not in s.describe()
    assert "s3cret" not in repr(s)
    assert mask_url("redis://:pw@h:1/0") == "redis://:***@h:1/0"


def test_no_broker_means_the_embedded_default() -> None:
    s = Settings()
    assert s.embedded and s.state_url is None


def test_a_redis_broker_holds_the_state_too() -> None:
    s = Settings(broker_url="redis://127.0.0.1:6379/3")
    assert s.state_url == "redis://127.0.0.1:6379/3"
