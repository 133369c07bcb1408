"""The configuration check per role: every problem names the partner (or source) and the key,
says what is wrong and what to do; a role is stopped only by what that role needs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from syndicate.checks import Problem, check, require
from syndicate.cli import main
from syndicate.errors import ConfigError, UsageError
from syndicate.partners import PipelineConfig, SourceConfig, parse_config
from syndicate.settings import Settings, get_settings
from syndicate.translate.config import (
    ApertiumSettings,
    ArgosSettings,
    CacheSettings,
    TranslationSettings,
)

GOOD = """
partners:
  - id: acme
    languages: [es]
    formats: [newsmlg2, ninjs]
    destinations:
      - type: directory
        path: {out}/acme
  - id: home
    languages: [en]
    destinations:
      - type: directory
        path: {out}/home
"""


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "var", config=tmp_path / "syndicate.yaml",
                    broker_url=None, redis_url=None)


@pytest.fixture
def engines(tmp_path: Path) -> TranslationSettings:
    """Apertium with en<->es (and es->en, en->ca for pivots) installed; no Argos package."""
    modes = tmp_path / "modes"
    modes.mkdir()
    for mode in ("eng-spa", "spa-eng", "eng-cat"):
        (modes / f"{mode}.mode").write_text("")
    return TranslationSettings(
        argos=ArgosSettings(packages_dir=tmp_path / "argos-empty"),
        apertium=ApertiumSettings(modes_dirs=(modes,)),
        cache=CacheSettings(enabled=False),
    )


def config(tmp_path: Path, text: str = GOOD) -> PipelineConfig:
    return parse_config(text.format(out=tmp_path / "out"))


def partner(text: str, tmp_path: Path) -> PipelineConfig:
    """A configuration of one partner, acme, written as the YAML of its entry."""
    return config(tmp_path, "partners:\n  - id: acme\n" + "".join(f"    {line}\n"
                                                            for line in text.strip().splitlines()))


def problems(role: str, cfg: PipelineConfig, settings: Settings, engines: TranslationSettings,
             **kw: object) -> list[Problem]:
    return check(role, cfg, settings, translation=engines, **kw)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------
# a sound configuration


@pytest.mark.parametrize("role", ["ingest", "translate", "export", "serve", "beat", "all", "run"])
def test_a_sound_configuration_has_no_problem_in_any_role(
    tmp_path: Path, settings: Settings, engines: TranslationSettings, role: str
) -> None:
    assert problems(role, config(tmp_path), settings, engines) == []


def test_a_problem_reads_partner_key_and_message_in_one_line() -> None:
    p = Problem("partner acme", "formats[0]", "'docx' is not a known format")
    assert str(p) == "partner acme: formats[0]: 'docx' is not a known format"


# --------------------------------------------------------------------------------------
# ingest


def test_an_unknown_input_format_is_named_with_the_known_ones(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    cfg = config(tmp_path, GOOD + "ingest:\n  format: newsml\n")
    (p,) = problems("ingest", cfg, settings, engines)
    assert (p.where, p.key) == ("ingest", "format")
    assert "'newsml'" in p.message and "did you mean 'newsmlg2'" in p.message


def test_a_source_that_cannot_be_set_up_is_named_by_its_name_and_index(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    cfg = config(tmp_path, GOOD + "sources:\n  - type: inbox\n    name: wire\n    pat: /in\n")
    (p,) = problems("ingest", cfg, settings, engines)
    assert (p.where, p.key) == ("source wire", "sources[0]")
    assert "path" in p.message


def test_an_unknown_source_type_is_named(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    cfg = config(tmp_path, GOOD + "sources:\n  - type: ftp\n")
    (p,) = problems("ingest", cfg, settings, engines)
    assert (p.where, p.key) == ("source ftp-0", "sources[0]")
    assert "unknown source type 'ftp'" in p.message


def test_sources_are_set_up_but_never_polled(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "story.txt").write_text("WASHINGTON (AP) -- ...")
    cfg = config(tmp_path, GOOD + f"sources:\n  - type: inbox\n    path: {inbox}\n")
    assert problems("ingest", cfg, settings, engines) == []
    assert sorted(p.name for p in inbox.iterdir()) == ["story.txt"]


# --------------------------------------------------------------------------------------
# translate


def test_a_word_instead_of_a_language_code_is_named_with_the_code_suggested(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    (p,) = problems("translate", partner("languages: [es, klingon]", tmp_path), settings, engines)
    assert (p.where, p.key) == ("partner acme", "languages[1]")
    assert "'klingon' is not a language code" in p.message
    assert "did you mean 'tlh'" in p.message


def test_a_deprecated_language_code_names_the_current_one(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    (p,) = problems("translate", partner("languages: [iw]", tmp_path), settings, engines)
    assert p.key == "languages[0]" and "write 'he'" in p.message


def test_a_language_without_an_installed_route_names_what_to_install(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    (p,) = problems("translate", partner("languages: [de]", tmp_path), settings, engines)
    assert (p.where, p.key) == ("partner acme", "languages[0]")
    assert "en->de" in p.message
    assert "syndicate models install en de" in p.message
    assert "apertium-eng-deu" in p.message


def test_a_real_code_that_no_engine_has_is_a_missing_route_not_a_bad_code(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    (p,) = problems("translate", partner("languages: [tlh]", tmp_path), settings, engines)
    assert "not a language code" not in p.message
    assert "no engine translates en->tlh" in p.message


def test_a_region_subtag_takes_the_route_of_its_language(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    assert problems("translate", partner("languages: [es-MX]", tmp_path), settings, engines) == []


def test_a_language_reached_through_the_pivot_is_accepted(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    cfg = config(tmp_path, GOOD.replace("[en]", "[ca]") + "ingest:\n  language: es\n")
    assert problems("translate", cfg, settings, engines) == []  # es->en->ca


def test_partners_in_the_source_language_need_no_route(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    cfg = config(tmp_path, GOOD.replace("[es]", "[de]") + "ingest:\n  language: de\n")
    # acme wants the original; only home (en) needs de->en, which is not installed
    found = problems("translate", cfg, settings, engines)
    assert [(p.where, p.key) for p in found] == [("partner home", "languages[0]")]


def test_the_configured_engine_is_the_one_checked(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    cfg = config(tmp_path, GOOD + "translation:\n  engine: argos\n")
    (p,) = problems("translate", cfg, settings, engines)
    assert p.where == "partner acme"
    assert "with engine 'argos'" in p.message and "syndicate models install en es" in p.message


def test_a_forced_apertium_names_the_apertium_package_only(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    cfg = partner("languages: [de]", tmp_path).model_copy(
        update={"translation": parse_config("translation:\n  engine: apertium\n").translation})
    (p,) = problems("translate", cfg, settings, engines)
    assert "apertium-eng-deu" in p.message and "models install en de" not in p.message


def test_an_unknown_engine_is_named(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    cfg = config(tmp_path, GOOD + "translation:\n  engine: deepl\n")
    (p,) = problems("translate", cfg, settings, engines)
    assert (p.where, p.key) == ("translation", "engine")
    assert "'deepl'" in p.message and "apertium" in p.message


def test_an_invalid_source_language_is_named(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    cfg = config(tmp_path, GOOD + "ingest:\n  language: english\n")
    (p,) = problems("translate", cfg, settings, engines)
    assert (p.where, p.key) == ("ingest", "language")
    assert "did you mean 'en'" in p.message


def test_a_translate_worker_pinned_to_a_pair_is_checked_for_that_pair_only(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    cfg = partner("languages: [es, de]", tmp_path)
    assert problems("translate", cfg, settings, engines, pairs=("en-es",)) == []
    assert [p.key for p in problems("translate", cfg, settings, engines, pairs=("en-de",))] == [
        "languages[1]"]


# --------------------------------------------------------------------------------------
# export


def test_a_misspelt_output_format_suggests_the_right_name(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    (p,) = problems("export", partner("languages: [es]\nformats: [newsml-g2]", tmp_path), settings,
                    engines)
    assert (p.where, p.key) == ("partner acme", "formats[0]")
    assert "did you mean 'newsmlg2'" in p.message


def test_an_unknown_output_format_lists_the_output_formats(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    (p,) = problems("export", partner("languages: [es]\nformats: [newsmlg2, docx]", tmp_path),
                    settings, engines)
    assert p.key == "formats[1]"
    assert "'docx' is not a known format" in p.message and "newsmlg2, ninjs" in p.message


def test_a_format_that_can_only_be_read_is_not_an_output_format(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    (p,) = problems("export", partner("languages: [es]\nformats: [wiretext]", tmp_path), settings,
                    engines)
    assert "'wiretext' can be read but not written" in p.message


def test_a_format_option_the_format_does_not_take_is_named_with_partner_and_format(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    config = partner("languages: [es]\nformats: [nitf]\nformat_options:\n  nitf:\n"
                     "    charset: koi8-r", tmp_path)
    (p,) = problems("export", config, settings, engines)
    assert (p.where, p.key) == ("partner acme", "format_options.nitf")
    assert "'nitf' takes no charset option" in p.message


def test_an_unknown_partner_style_is_named_with_partner_and_key(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    (p,) = problems("export", partner("languages: [es]\nstyle: reuter", tmp_path), settings,
                    engines)
    assert (p.where, p.key) == ("partner acme", "style")
    assert "'reuter' is not a known dateline style" in p.message
    assert "did you mean 'reuters'" in p.message and "efe" in p.message


def test_a_known_partner_style_in_any_case_is_no_problem(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    assert problems("export", partner("languages: [es]\nstyle: EFE", tmp_path), settings,
                    engines) == []


def test_a_partner_style_does_not_stop_a_translate_worker(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    assert problems("translate", partner("languages: [es]\nstyle: nope", tmp_path), settings,
                    engines) == []


def test_a_destination_folder_that_is_a_file_is_named_with_its_key(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "acme").write_text("a file")
    (p,) = problems("export", config(tmp_path), settings, engines)
    assert (p.where, p.key) == ("partner acme", "destinations[0].path")
    assert f"{tmp_path / 'out' / 'acme'} is a file, not a folder" in p.message


def test_a_destination_folder_under_a_file_is_named(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    (tmp_path / "out").write_text("a file")
    found = problems("export", config(tmp_path), settings, engines)
    assert [(p.where, p.key) for p in found] == [("partner acme", "destinations[0].path"),
                                                 ("partner home", "destinations[0].path")]
    assert f"{tmp_path / 'out'} is a file, not a folder" in found[0].message


def test_bad_destination_options_are_named_by_the_option(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    cfg = partner("languages: [es]\ndestinations:\n  - type: directory\n    pth: /x", tmp_path)
    found = problems("export", cfg, settings, engines)
    assert [(p.where, p.key) for p in found] == [("partner acme", "destinations[0]")]


def test_an_unknown_destination_type_is_named(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    cfg = partner("languages: [es]\ndestinations:\n  - type: ftp", tmp_path)
    (p,) = problems("export", cfg, settings, engines)
    assert p.key == "destinations[0]" and "unknown destination type 'ftp'" in p.message


WEBHOOK = """languages: [es]
destinations:
  - type: webhook
    url: https://acme.example/hook
    secret_env: ACME_WEBHOOK_SECRET"""


def test_a_webhook_without_its_secret_in_the_environment_is_named(
    tmp_path: Path, settings: Settings, engines: TranslationSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ACME_WEBHOOK_SECRET", raising=False)
    (p,) = problems("export", partner(WEBHOOK, tmp_path), settings, engines)
    assert (p.where, p.key) == ("partner acme", "destinations[0].secret_env")
    assert "ACME_WEBHOOK_SECRET" in p.message


def test_a_webhook_with_an_empty_secret_is_named(
    tmp_path: Path, settings: Settings, engines: TranslationSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACME_WEBHOOK_SECRET", "")
    (p,) = problems("export", partner(WEBHOOK, tmp_path), settings, engines)
    assert p.key == "destinations[0].secret_env"


def test_a_webhook_with_its_secret_makes_no_request_and_no_problem(
    tmp_path: Path, settings: Settings, engines: TranslationSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import httpx

    def no_network(*a: object, **kw: object) -> None:
        raise AssertionError("the check made a request")

    monkeypatch.setattr(httpx, "post", no_network)
    monkeypatch.setenv("ACME_WEBHOOK_SECRET", "s3cret")
    assert problems("export", partner(WEBHOOK, tmp_path), settings, engines) == []


S3 = """languages: [es]
destinations:
  - type: s3
    bucket: acme-news{profile}"""


@pytest.fixture
def aws_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """AWS config files holding one profile, "newsroom"; no credentials in the environment."""
    (tmp_path / "aws-config").write_text("[profile newsroom]\nregion = eu-west-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    for var in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ACCESS_KEY_ID",
                "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(var, raising=False)


@pytest.mark.usefixtures("aws_files")
def test_s3_without_named_credentials_is_left_to_boto3(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    assert problems("export", partner(S3.format(profile=""), tmp_path), settings, engines) == []


@pytest.mark.usefixtures("aws_files")
def test_s3_with_a_profile_that_exists_is_fine(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    cfg = partner(S3.format(profile="\n    profile: newsroom"), tmp_path)
    assert problems("export", cfg, settings, engines) == []


@pytest.mark.usefixtures("aws_files")
def test_s3_with_a_profile_that_does_not_exist_is_named(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    cfg = partner(S3.format(profile="\n    profile: archive"), tmp_path)
    (p,) = problems("export", cfg, settings, engines)
    assert (p.where, p.key) == ("partner acme", "destinations[0].profile")
    assert "'archive'" in p.message and "newsroom" in p.message


@pytest.mark.usefixtures("aws_files")
def test_an_aws_profile_variable_naming_no_profile_is_named(
    tmp_path: Path, settings: Settings, engines: TranslationSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_PROFILE", "archive")
    (p,) = problems("export", partner(S3.format(profile=""), tmp_path), settings, engines)
    assert p.key == "destinations[0]" and "AWS_PROFILE" in p.message


@pytest.mark.usefixtures("aws_files")
def test_half_a_pair_of_aws_keys_is_named(
    tmp_path: Path, settings: Settings, engines: TranslationSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    (p,) = problems("export", partner(S3.format(profile=""), tmp_path), settings, engines)
    assert "AWS_SECRET_ACCESS_KEY is not" in p.message


# --------------------------------------------------------------------------------------
# serve

FEED = """languages: [es]
feed_token_env: ACME_FEED_TOKEN
destinations:
  - type: feed"""


def test_a_feed_partner_without_its_token_stops_the_server(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    (p,) = problems("serve", partner(FEED, tmp_path), settings, engines, environ={})
    assert (p.where, p.key) == ("partner acme", "feed_token_env")
    assert "ACME_FEED_TOKEN" in p.message


def test_a_blank_feed_token_is_no_token(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    found = problems("serve", partner(FEED, tmp_path), settings, engines,
                     environ={"ACME_FEED_TOKEN": "  "})
    assert [p.key for p in found] == ["feed_token_env"]


def test_a_feed_partner_with_its_token_can_be_served(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    found = problems("serve", partner(FEED, tmp_path), settings, engines,
                     environ={"ACME_FEED_TOKEN": "t0ken"})
    assert found == []


# --------------------------------------------------------------------------------------
# roles: each is stopped only by what it needs


def test_a_translate_problem_does_not_stop_the_export_role(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    cfg = partner("languages: [klingon]", tmp_path)
    assert problems("export", cfg, settings, engines) == []
    assert problems("ingest", cfg, settings, engines) == []
    assert [p.key for p in problems("translate", cfg, settings, engines)] == ["languages[0]"]


def test_an_export_problem_does_not_stop_the_translate_role(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    cfg = partner("languages: [es]\nformats: [docx]", tmp_path)
    assert problems("translate", cfg, settings, engines) == []
    assert [p.key for p in problems("export", cfg, settings, engines)] == ["formats[0]"]


def test_a_missing_feed_token_stops_only_the_server(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    cfg = partner(FEED, tmp_path)
    for role in ("ingest", "translate", "export", "all", "run"):
        assert problems(role, cfg, settings, engines, environ={}) == [], role


def test_beat_checks_only_the_sources(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    cfg = partner("languages: [klingon]\nformats: [docx]", tmp_path)
    assert problems("beat", cfg, settings, engines) == []
    cfg = config(tmp_path, GOOD + "sources:\n  - type: ftp\n")
    assert [p.key for p in problems("beat", cfg, settings, engines)] == ["sources[0]"]


def test_all_gathers_the_problems_of_ingest_translate_and_export(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    cfg = partner("languages: [klingon]\nformats: [docx]", tmp_path).model_copy(
        update={"ingest": parse_config("ingest:\n  format: doc\n").ingest})
    found = problems("all", cfg, settings, engines)
    assert [(p.where, p.key) for p in found] == [
        ("ingest", "format"), ("partner acme", "languages[0]"), ("partner acme", "formats[0]")]


def test_run_checks_the_sources_it_will_watch_instead_of_the_configured_ones(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    cfg = config(tmp_path, GOOD + "sources:\n  - type: ftp\n")
    inbox = SourceConfig(type="inbox", name="inbox", path=str(tmp_path))  # type: ignore[call-arg]
    assert problems("run", cfg, settings, engines, sources=[inbox]) == []
    assert [p.key for p in problems("run", cfg, settings, engines)] == ["sources[0]"]


def test_an_unknown_role_is_a_usage_error(tmp_path: Path, settings: Settings) -> None:
    with pytest.raises(UsageError, match="unknown role 'deliver'"):
        check("deliver", config(tmp_path), settings)


# --------------------------------------------------------------------------------------
# require


def test_require_lists_every_problem_one_per_line(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    cfg = partner("languages: [klingon]\nformats: [newsml-g2, docx]", tmp_path)
    with pytest.raises(ConfigError) as caught:
        require("all", cfg, settings, translation=engines)
    head, *lines = str(caught.value).splitlines()
    assert str(settings.config_path) in head and "all role" in head and "3 problems" in head
    assert [line.split(": ")[:2] for line in lines] == [
        ["  partner acme", "languages[0]"], ["  partner acme", "formats[0]"],
        ["  partner acme", "formats[1]"]]


def test_require_is_silent_when_the_role_can_work(
    tmp_path: Path, settings: Settings, engines: TranslationSettings
) -> None:
    require("all", config(tmp_path), settings, translation=engines)


# --------------------------------------------------------------------------------------
# syndicate check


@pytest.fixture
def cli_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    from syndicate.settings import get_settings

    path = tmp_path / "syndicate.yaml"
    monkeypatch.setenv("SYNDICATE_CONFIG", str(path))
    monkeypatch.setenv("SYNDICATE_DATA_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    yield path
    get_settings.cache_clear()


def test_check_command_exits_1_naming_partner_and_key(
    cli_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli_config.write_text("partners:\n  - id: acme\n    languages: [klingon]\n")
    assert main(["check", "--role", "translate"]) == 1
    err = capsys.readouterr().err
    assert "syndicate check: " in err and "partner acme: languages[0]: 'klingon'" in err


def test_check_command_prints_ok_when_the_role_can_work(
    cli_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli_config.write_text("partners:\n  - id: acme\n    languages: [klingon]\n")
    assert main(["check", "--role", "export"]) == 0
    assert capsys.readouterr().out == "ok\n"


def test_check_exits_1_when_the_store_its_role_uses_is_unreachable(
    cli_config: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cli_config.write_text("partners: []\n")
    monkeypatch.setenv("SYNDICATE_REDIS_URL", f"redis://127.0.0.1:{_free_port()}/0")
    get_settings.cache_clear()
    assert main(["check", "--role", "serve", "--timeout", "0.5"]) == 1
    err = capsys.readouterr().err
    assert "SYNDICATE_REDIS_URL: the state store redis://127.0.0.1:" in err and "unreachable" in err


def test_check_of_a_worker_role_names_an_unreachable_broker(
    cli_config: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cli_config.write_text("partners: []\n")
    monkeypatch.setenv("SYNDICATE_BROKER_URL", f"redis://127.0.0.1:{_free_port()}/0")
    monkeypatch.setenv("SYNDICATE_REDIS_URL", "")  # state in SQLite: only the broker is away
    monkeypatch.setenv("SYNDICATE_DATA_DIR", str(cli_config.parent / "var"))
    get_settings.cache_clear()
    assert main(["check", "--role", "export", "--timeout", "0.5"]) == 1
    assert "SYNDICATE_BROKER_URL: the broker" in capsys.readouterr().err


def test_check_of_the_push_role_wants_the_push_secret(
    cli_config: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cli_config.write_text("partners: []\n")
    monkeypatch.delenv("SYNDICATE_PUSH_SECRET", raising=False)
    assert main(["check", "--role", "push"]) == 1
    assert "SYNDICATE_PUSH_SECRET: not set or empty" in capsys.readouterr().err


def test_check_keeps_exit_2_for_a_usage_error(cli_config: Path) -> None:
    cli_config.write_text("partners: []\n")
    assert main(["check", "--role", "export", "--pairs", "en-es"]) == 2


def _free_port() -> int:
    """A loopback port nothing listens on: a Redis there is unreachable."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
