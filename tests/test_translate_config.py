"""Translation settings: the `translation:` section of the one configuration file, validated with
pointed errors; the built-in defaults; the retired separate file refused, not ignored."""

from __future__ import annotations

from pathlib import Path

import pytest

from syndicate.cli import main
from syndicate.errors import ConfigError
from syndicate.partners import load_config, parse_config
from syndicate.settings import load_settings
from syndicate.translate.config import TranslationSettings

ROOT = Path(__file__).resolve().parent.parent


def test_the_built_in_defaults_prefer_argos_then_apertium() -> None:
    s = TranslationSettings()
    assert s.prefer == ("argos", "apertium") and s.pivot == "en"
    assert s.argos.compute_type == "int8" and s.argos.intra_threads == 1


def test_a_configuration_without_a_translation_section_has_the_defaults() -> None:
    tr = parse_config("partners: []\n").translation
    assert tr.engine is None and tr.dedicated_queues == ()
    assert tr.model_dump(exclude={"engine", "style", "dedicated_queues"}) == \
        TranslationSettings().model_dump()


def test_the_project_file_holds_every_translation_setting() -> None:
    tr = load_config(ROOT / "configs" / "syndicate.yaml").translation
    assert tr.engine == "apertium" and tr.cache.prefix == "syndicate:mt:"
    assert tr.argos.inter_threads == 2 and tr.protect.agency_tags
    assert not (ROOT / "configs" / "translation.yaml").exists()


def test_one_section_holds_the_pipeline_choices_and_the_translators_settings() -> None:
    tr = parse_config(
        "translation:\n  engine: argos\n  dedicated_queues: [en-es]\n"
        "  pairs:\n    en->es: apertium\n  protect:\n    do_not_translate: [Daily Brief]\n"
    ).translation
    # the section is what the translate package is given, as it is
    assert isinstance(tr, TranslationSettings)
    assert tr.engine == "argos" and tr.dedicated_queues == ("en-es",)
    assert tr.engine_for("en", "es") == "apertium"
    assert tr.protect.do_not_translate == ("Daily Brief",)


def test_unknown_keys_are_named_with_their_path() -> None:
    with pytest.raises(ConfigError, match=r"t\.yaml: translation\.argos\.beam_sise"):
        parse_config("translation:\n  argos:\n    beam_sise: 4\n", "t.yaml")


def test_out_of_range_values_are_refused_with_the_file_name() -> None:
    with pytest.raises(ConfigError, match=r"t\.yaml: translation\.argos\.inter_threads"):
        parse_config("translation:\n  argos:\n    inter_threads: 0\n", "t.yaml")


def test_badly_written_pairs_are_refused() -> None:
    with pytest.raises(ConfigError, match="SOURCE->TARGET"):
        parse_config("translation:\n  pairs:\n    en-es: argos\n")


def test_the_retired_translation_variable_stops_the_process(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SYNDICATE_TRANSLATION_CONFIG", str(tmp_path / "translation.yaml"))
    with pytest.raises(ConfigError) as err:
        load_settings()
    message = str(err.value)
    assert "SYNDICATE_TRANSLATION_CONFIG" in message and "no longer read" in message
    assert "`translation:`" in message and str(tmp_path / "translation.yaml") in message


def test_a_leftover_project_translation_file_stops_the_process(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SYNDICATE_TRANSLATION_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "configs").mkdir()
    (tmp_path / "configs" / "translation.yaml").write_text("pivot: fr\n")
    with pytest.raises(ConfigError, match=r"configs/translation\.yaml is no longer read"):
        load_settings()


@pytest.mark.parametrize("command", [["check"], ["models", "list"],
                                     ["translate", "x.xml", "--to", "es", "--out", "o"]])
@pytest.mark.usefixtures("fresh_settings")
def test_commands_refuse_to_start_with_the_retired_variable(
    command: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SYNDICATE_TRANSLATION_CONFIG", str(tmp_path / "t.yaml"))
    # a configuration error; `check` (a health check) reports every problem with 1
    assert main(command) == (1 if command == ["check"] else 2)
    err = capsys.readouterr().err
    assert "SYNDICATE_TRANSLATION_CONFIG" in err and "`translation:`" in err
    assert not (tmp_path / "o").exists()
