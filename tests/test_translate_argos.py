"""The Argos engine: package discovery and installation, CTranslate2 batches, no torch."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import argos_tiny
from syndicate.errors import MissingLanguagePair, UsageError
from syndicate.translate.argos import (
    ArgosEngine,
    decode_pieces,
    default_packages_dir,
    discover,
    install_package_file,
    load_model,
)
from syndicate.translate.config import TranslationSettings

pytest_plugins = ("translate_fixtures",)


def test_installed_packages_are_discovered_from_their_metadata(argos_packages: Path) -> None:
    found = {(p.from_code, p.to_code, p.package_version) for p in discover(argos_packages)}
    assert found == {("en", "es", "1.0"), ("en", "de", "1.1")}


def test_engine_reports_pairs_and_versions(argos_settings: TranslationSettings) -> None:
    engine = ArgosEngine(argos_settings.argos)
    assert engine.pairs() == [("en", "de"), ("en", "es")]
    assert engine.supports("en", "es") and not engine.supports("es", "en")
    assert engine.model_version("en", "de") == "1.1"


def test_packages_dir_follows_argos_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path))
    assert default_packages_dir() == tmp_path


def test_packages_dir_defaults_to_argos_data_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("ARGOS_PACKAGES_DIR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_packages_dir() == tmp_path / "data" / "argos-translate" / "packages"


def test_a_batch_returns_one_translation_per_sentence(argos_settings: TranslationSettings) -> None:
    engine = ArgosEngine(argos_settings.argos)
    out = engine.translate_batch(["The president said so.", "Prices rose.", "Hello."], "en", "es")
    assert len(out) == 3 and all(isinstance(s, str) and s for s in out)


def test_translation_is_deterministic(argos_settings: TranslationSettings) -> None:
    engine = ArgosEngine(argos_settings.argos)
    assert engine.translate_batch(["Talks resumed."], "en", "es") == engine.translate_batch(
        ["Talks resumed."], "en", "es"
    )


def test_a_missing_pair_is_a_missing_language_pair_error(argos_settings: TranslationSettings) -> None:
    with pytest.raises(MissingLanguagePair, match="es->en"):
        ArgosEngine(argos_settings.argos).translate_batch(["Hola."], "es", "en")


def test_the_model_is_loaded_once_per_process(argos_settings: TranslationSettings) -> None:
    engine = ArgosEngine(argos_settings.argos)
    pkg = engine.package("en", "es")
    assert load_model(pkg, argos_settings.argos) is load_model(pkg, argos_settings.argos)


def test_decoding_keeps_underscores(argos_settings: TranslationSettings) -> None:
    engine = ArgosEngine(argos_settings.argos)
    sp = load_model(engine.package("en", "es"), argos_settings.argos).sp
    pieces = sp.encode("@user_name wrote snake_case", out_type=str)
    assert decode_pieces(sp, pieces) == "@user_name wrote snake_case"


def test_target_prefix_is_forced_and_stripped(tmp_path: Path, argos_settings: TranslationSettings) -> None:
    pkg = install_package_file(
        argos_tiny.build_package(tmp_path / "b", "en", "fr", target_prefix="__fr__"), tmp_path / "p"
    )
    assert pkg.target_prefix == "__fr__"
    engine = ArgosEngine(argos_settings.argos.model_copy(update={"packages_dir": tmp_path / "p"}))
    out = engine.translate_batch(["The talks resumed."], "en", "fr")
    assert "__fr__" not in out[0]


def test_install_refuses_members_escaping_the_folder(tmp_path: Path) -> None:
    evil = tmp_path / "evil.argosmodel"
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("pkg/metadata.json", json.dumps({"from_code": "en", "to_code": "xx"}))
        zf.writestr("pkg/../../escaped.txt", "x")
    with pytest.raises(UsageError, match="escapes"):
        install_package_file(evil, tmp_path / "packages")
    assert not (tmp_path / "escaped.txt").exists()


def test_install_refuses_a_zip_that_is_not_a_translation_package(tmp_path: Path) -> None:
    bad = tmp_path / "bad.argosmodel"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("pkg/metadata.json", json.dumps({"from_code": "en", "to_code": "xx"}))
    with pytest.raises(UsageError, match="not a usable translation package"):
        install_package_file(bad, tmp_path / "packages")
    assert not (tmp_path / "packages").exists()


def test_install_refuses_a_file_that_is_not_a_zip(tmp_path: Path) -> None:
    bad = tmp_path / "x.argosmodel"
    bad.write_text("hello")
    with pytest.raises(UsageError, match="zip"):
        install_package_file(bad, tmp_path / "packages")


def test_reinstalling_a_package_replaces_it(tmp_path: Path) -> None:
    archive = argos_tiny.build_package(tmp_path / "b", "en", "it")
    install_package_file(archive, tmp_path / "p")
    install_package_file(archive, tmp_path / "p")
    assert [p.name for p in (tmp_path / "p").iterdir()] == ["translate-en_it-1_0"]


def test_an_installed_package_is_one_argostranslate_lists(tmp_path: Path) -> None:
    from argostranslate import package as argos_package

    pkg = install_package_file(argos_tiny.build_package(tmp_path / "b", "en", "nl"), tmp_path / "p")
    listed = argos_package.get_installed_packages([tmp_path / "p"])
    assert [(p.from_code, p.to_code, p.package_version) for p in listed] == [("en", "nl", "1.0")]
    assert Path(listed[0].package_path) == pkg.path


def test_an_api_installed_package_translates(tmp_path: Path, argos_settings: TranslationSettings) -> None:
    install_package_file(argos_tiny.build_package(tmp_path / "b", "en", "sv"), tmp_path / "p")
    engine = ArgosEngine(argos_settings.argos.model_copy(update={"packages_dir": tmp_path / "p"}))
    assert engine.pairs() == [("en", "sv")]
    assert engine.translate_batch(["The talks resumed."], "en", "sv")[0]


def test_install_of_a_corrupt_package_fails_clearly_and_leaves_nothing(tmp_path: Path) -> None:
    archive = argos_tiny.build_package(tmp_path / "b", "en", "fi")
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        info = zf.getinfo("translate-en_fi-1_0/model/model.bin")
    # damage the model's bytes, not the zip's directory: the archive still opens
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start : start + 64] = bytes(64)
    bad = tmp_path / "corrupt.argosmodel"
    bad.write_bytes(bytes(data))
    with pytest.raises(UsageError, match=r"cannot install .*corrupt\.argosmodel"):
        install_package_file(bad, tmp_path / "p")
    assert list((tmp_path / "p").iterdir()) == []


def test_a_stray_folder_does_not_hide_the_installed_packages(tmp_path: Path) -> None:
    install_package_file(argos_tiny.build_package(tmp_path / "b", "en", "pl"), tmp_path / "p")
    (tmp_path / "p" / "notes").mkdir()
    assert [(p.from_code, p.to_code) for p in discover(tmp_path / "p")] == [("en", "pl")]


_NO_TORCH = """
import socket
import sys

def _no_network(*args, **kwargs):
    raise AssertionError("the translation path opened a network connection")

socket.socket.connect = _no_network
socket.getaddrinfo = _no_network
from syndicate.item import NewsItem, Block
from syndicate.translate import translate_item
from syndicate.translate.config import TranslationSettings, ArgosSettings, CacheSettings
s = TranslationSettings(argos=ArgosSettings(packages_dir=sys.argv[1], beam_size=1,
    max_decoding_length=16), cache=CacheSettings(enabled=False))
item = NewsItem(guid="urn:t:1", headline="Talks resume", language="en",
    body=(Block.para("The talks resumed on Monday. Prices rose 3.5 percent."),))
out = translate_item(item, "es", engine="argos", settings=s)
assert out.language == "es" and out.translation.engine == "argos"
heavy = [m for m in ("torch", "argostranslate.translate", "stanza", "spacy") if m in sys.modules]
print("loaded:", heavy)
sys.exit(1 if heavy else 0)
"""


def test_translating_with_argos_imports_no_torch_and_opens_no_connection(argos_packages: Path) -> None:
    res = subprocess.run(
        [sys.executable, "-c", _NO_TORCH, str(argos_packages)], capture_output=True, text=True, timeout=120
    )
    assert res.returncode == 0, res.stdout + res.stderr
