"""``syndicate translate`` and ``syndicate models`` from the command line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import argos_tiny as tiny
from syndicate.cli import main
from syndicate.destinations import guid_slug, relative_key
from syndicate.formats.newsmlg2 import parse, render
from syndicate.item import Block, Dateline, NewsItem, Span

G2 = {"g": "http://iptc.org/std/nar/2006-10-01/"}

pytest_plugins = ("translate_fixtures",)


def write_config(path: Path, translation: str) -> Path:
    """A configuration file whose `translation:` section is ``translation`` (YAML, unindented)."""
    body = "".join(f"  {line}\n" for line in translation.strip().splitlines())
    path.write_text(f"translation:\n{body}")
    return path


@pytest.fixture()
def config(argos_packages: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
           fresh_settings: None) -> Path:
    cfg = write_config(
        tmp_path / "syndicate.yaml",
        f"argos:\n  packages_dir: {argos_packages}\n  beam_size: 1\n  max_decoding_length: 24\n"
        "cache:\n  enabled: false\n",
    )
    monkeypatch.setenv("SYNDICATE_CONFIG", str(cfg))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(argos_packages))
    return cfg


@pytest.fixture()
def g2_file(tmp_path: Path) -> Path:
    item = NewsItem(
        guid="urn:newsml:example.com:20240101:story-1",
        version=2,
        headline="Talks resume in Geneva",
        language="en",
        provider="Example",
        created=dt.datetime(2024, 1, 1, 9, tzinfo=dt.UTC),
        dateline=Dateline(raw="GENEVA, Jan. 1 (Reuters) -", city="GENEVA"),
        body=(
            Block((Span("Talks resumed on Monday, "), Span("officials", italic=True), Span(" said."))),
            Block.para("Prices rose 3.5 percent."),
        ),
    )
    path = tmp_path / "in.xml"
    path.write_bytes(render(item))
    return path


def test_output_paths_stay_in_the_folder_and_are_deterministic() -> None:
    name = relative_key("es", "urn:x:../../etc/passwd:es", 1, "newsmlg2")
    assert ".." not in name.split("/") and name.startswith("es/")
    assert name.endswith("/v1.newsmlg2.xml") and name.count("/") == 2
    assert name == relative_key("es", "urn:x:../../etc/passwd:es", 1, "newsmlg2")
    assert name != relative_key("es", "urn:x:../../etc/passwd!:es", 1, "newsmlg2")
    assert relative_key("../..", "x", 1, "newsmlg2").split("/")[0] not in ("..", ".", "")


def test_translate_writes_one_valid_item_per_language(
    config: Path,
    g2_file: Path,
    tmp_path: Path,
    assert_valid_g2,
    capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
) -> None:
    out = tmp_path / "out"
    assert main(["translate", str(g2_file), "--to", "es,de", "--engine", "argos", "--out", str(out)]) == 0
    files = sorted(p for p in out.rglob("*") if p.is_file())
    assert len(files) == 2
    for f in files:
        doc = assert_valid_g2(f.read_bytes())
        lang = f.relative_to(out).parts[0]
        assert doc.get("guid") == f"urn:newsml:example.com:20240101:story-1:{lang}"
        link = doc.find(".//g:itemMeta/g:link[@rel='irel:translatedFrom']", G2)
        assert link is not None and link.get("version") == "2"
        (item,) = parse(f.read_bytes())
        assert item.language == lang and item.translation is not None
        assert item.translation.engine == "argos" and "3.5" in item.body[1].text
    assert str(files[0]) in capsys.readouterr().out


def test_translations_are_written_in_the_delivery_key_layout(
    config: Path, g2_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert main(["translate", str(g2_file), "--to", "es", "--engine", "argos", "--out", str(out)]) == 0
    written = [p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()]
    slug = guid_slug("urn:newsml:example.com:20240101:story-1:es")
    assert written == [f"es/{slug}/v2.newsmlg2.xml"]


def test_a_missing_pair_exits_1_naming_what_to_install(
    config: Path, g2_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rc = main(["translate", str(g2_file), "--to", "ja", "--engine", "argos", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert rc == 1
    assert "no engine translates en->ja" in err and "syndicate models install en ja" in err
    assert "Traceback" not in err


def test_a_bad_language_tag_is_a_usage_error(
    config: Path, g2_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["translate", str(g2_file), "--to", "e s", "--out", str(tmp_path / "o")]) == 2
    assert "BCP 47" in capsys.readouterr().err


def test_models_list_shows_pairs_per_engine_with_versions(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["models", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "argos\ten->es\t1.0" in lines and "argos\ten->de\t1.1" in lines


def test_translate_with_config_uses_that_files_translation_settings(
    argos_packages: Path, g2_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    fresh_settings: None,
) -> None:
    # the models are found only through the file's argos.packages_dir, and its engine is the
    # default one (the project's configuration says apertium)
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages-here"))
    cfg = write_config(
        tmp_path / "elsewhere.yaml",
        f"engine: argos\nargos:\n  packages_dir: {argos_packages}\n  beam_size: 1\n"
        "  max_decoding_length: 24\ncache:\n  enabled: false\n",
    )
    out = tmp_path / "out"
    assert main(["translate", str(g2_file), "--to", "es", "--out", str(out),
                 "--config", str(cfg)]) == 0
    (f,) = out.rglob("*.xml")
    (item,) = parse(f.read_bytes())
    assert item.translation is not None and item.translation.engine == "argos"


def test_translate_with_a_bad_config_names_the_file(
    g2_file: Path, tmp_path: Path, fresh_settings: None, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = write_config(tmp_path / "bad.yaml", "argos:\n  beam_sise: 1\n")
    assert main(["translate", str(g2_file), "--to", "es", "--out", str(tmp_path / "o"),
                 "--config", str(cfg)]) == 2
    err = capsys.readouterr().err
    assert str(cfg) in err and "translation.argos.beam_sise" in err
    assert not (tmp_path / "o").exists()


def test_models_list_with_config_looks_where_that_file_says(
    argos_packages: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_settings: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages-here"))
    cfg = write_config(tmp_path / "elsewhere.yaml", f"argos:\n  packages_dir: {argos_packages}\n")
    assert main(["models", "list", "--config", str(cfg)]) == 0
    assert "argos\ten->es\t1.0" in capsys.readouterr().out.splitlines()


def test_models_install_a_package_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "pk"))
    archive = tiny.build_package(tmp_path / "b", "en", "pt")
    assert main(["models", "install", str(archive)]) == 0
    assert "installed argos en->pt 1.0" in capsys.readouterr().out
    assert (tmp_path / "pk" / "translate-en_pt-1_0" / "metadata.json").is_file()


def test_models_install_from_the_index_offline_fails_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "pk"))
    # a closed local port stands for the unreachable index, whatever the host's network
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "http://127.0.0.1:9/")
    assert main(["models", "install", "en", "de"]) == 1
    err = capsys.readouterr().err
    assert "cannot download the Argos package index" in err
    assert "syndicate models install FILE.argosmodel" in err and "Traceback" not in err


def _local_index(tmp_path: Path, entries: list[dict[str, object]]) -> str:
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "index.json").write_text(json.dumps(entries))
    return (tmp_path / "index").as_uri() + "/"


def test_models_install_a_pair_missing_from_the_index_fails_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "pk"))
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", _local_index(tmp_path, []))
    assert main(["models", "install", "en", "de"]) == 1
    err = capsys.readouterr().err
    assert "the Argos index has no package for en->de" in err and "Traceback" not in err


def test_models_install_a_package_that_cannot_be_downloaded_fails_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "pk"))
    entry = {
        "from_code": "en",
        "to_code": "de",
        "package_version": "9.9.test",
        "from_name": "English",
        "to_name": "German",
        "links": ["http://127.0.0.1:9/translate-en_de.argosmodel"],
    }
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", _local_index(tmp_path, [entry]))
    assert main(["models", "install", "en", "de"]) == 1
    err = capsys.readouterr().err
    assert "cannot download the en->de package" in err
    assert "syndicate models install FILE.argosmodel" in err and "Traceback" not in err


def test_models_install_a_corrupt_file_fails_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "pk"))
    bad = tmp_path / "broken.argosmodel"
    bad.write_bytes(tiny.build_package(tmp_path / "b", "en", "pt").read_bytes()[:-200])
    assert main(["models", "install", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "broken.argosmodel" in err and "Traceback" not in err


def test_a_cli_installed_package_is_listed_and_translates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, g2_file: Path, fresh_settings: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    packages = tmp_path / "pk"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    cfg = write_config(tmp_path / "syndicate.yaml",
                       "argos:\n  beam_size: 1\n  max_decoding_length: 24\ncache:\n  enabled: false\n")
    assert main(["models", "install", str(tiny.build_package(tmp_path / "b", "en", "pt"))]) == 0
    assert main(["models", "list", "--config", str(cfg)]) == 0
    assert "argos\ten->pt\t1.0" in capsys.readouterr().out.splitlines()
    out = tmp_path / "out"
    assert main(["translate", str(g2_file), "--to", "pt", "--engine", "argos", "--out", str(out),
                 "--config", str(cfg)]) == 0
    assert list(out.rglob("*.xml"))


@pytest.mark.integration
def test_tass_wire_story_translates_to_spanish_with_apertium(
    corpus_dir: Path,
    tmp_path: Path,
    assert_valid_g2,
    monkeypatch: pytest.MonkeyPatch,
    fresh_settings: None,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setenv("SYNDICATE_CONFIG", str(write_config(tmp_path / "t.yaml",
                                                            "cache:\n  enabled: false\n")))
    src = corpus_dir / "tass_inf_treaty.txt"
    out = tmp_path / "out"
    rc = main(
        [
            "translate",
            str(src),
            "--format",
            "wiretext",
            "--to",
            "es",
            "--engine",
            "apertium",
            "--out",
            str(out),
        ]
    )
    assert rc == 0
    (f,) = (p for p in out.rglob("*") if p.is_file())
    doc = assert_valid_g2(f.read_bytes())
    (item,) = parse(f.read_bytes())
    link = item.link("irel:translatedFrom")
    assert link is not None and link.residref is not None and item.guid == f"{link.residref}:es"
    assert item.language == "es" and item.translation is not None
    assert item.translation.engine == "apertium" and item.translation.source_language == "en"
    assert "Rusia" in item.body_text and "9M729" in item.body_text
    assert doc.find(".//g:contentMeta/g:located", G2) is not None
    assert item.dateline is not None and item.dateline.raw.startswith("MOSCÚ, 22 de octubre")
