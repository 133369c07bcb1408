"""Translation configuration: validation with pointed errors, file lookup, defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from syndicate.errors import ConfigError
from syndicate.translate.config import ENV_CONFIG, load_settings, parse_settings


def test_without_a_file_the_defaults_prefer_argos_then_apertium(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(ENV_CONFIG, raising=False)
    monkeypatch.chdir(tmp_path)
    s = load_settings()
    assert s.prefer == ("argos", "apertium") and s.pivot == "en"
    assert s.argos.compute_type == "int8" and s.argos.intra_threads == 1


def test_the_project_file_parses_into_settings() -> None:
    root = Path(__file__).resolve().parent.parent
    s = load_settings(root / "configs" / "translation.yaml")
    assert s.cache.prefix == "syndicate:mt:"


def test_the_environment_names_the_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    f = tmp_path / "t.yaml"
    f.write_text("pairs:\n  en->es: apertium\nprotect:\n  do_not_translate: [Daily Brief]\n")
    monkeypatch.setenv(ENV_CONFIG, str(f))
    s = load_settings()
    assert s.engine_for("en", "es") == "apertium"
    assert s.protect.do_not_translate == ("Daily Brief",)


def test_a_missing_file_named_by_the_environment_is_an_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(ENV_CONFIG, str(tmp_path / "nope.yaml"))
    with pytest.raises(ConfigError, match=ENV_CONFIG):
        load_settings()


def test_unknown_keys_are_named_with_their_path() -> None:
    with pytest.raises(ConfigError, match=r"argos\.beam_sise"):
        parse_settings("argos:\n  beam_sise: 4\n", "t.yaml")


def test_out_of_range_values_are_refused_with_the_file_name() -> None:
    with pytest.raises(ConfigError, match=r"t\.yaml[\s\S]*argos\.inter_threads"):
        parse_settings("argos:\n  inter_threads: 0\n", "t.yaml")


def test_badly_written_pairs_are_refused() -> None:
    with pytest.raises(ConfigError, match="SOURCE->TARGET"):
        parse_settings("pairs:\n  en-es: argos\n")


def test_invalid_yaml_is_reported() -> None:
    with pytest.raises(ConfigError, match="not valid YAML"):
        parse_settings("pairs: [unclosed\n", "t.yaml")


def test_settings_may_sit_under_a_translation_key() -> None:
    assert parse_settings("translation:\n  pivot: fr\n").pivot == "fr"
