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
    batch_size,
    decode_pieces,
    default_packages_dir,
    discover,
    install_package_file,
    load_model,
    project_edges,
)
from syndicate.translate.config import ArgosSettings, TranslationSettings
from syndicate.translate.segment import WORD_BLANK, split_edges

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


@pytest.mark.parametrize(
    ("n", "threads", "largest", "size"),
    [
        (80, 2, 32, 20),  # three batches of 32 would leave a thread idle: four of 20
        (80, 2, 16, 14),  # five become six
        (64, 2, 32, 32),  # two batches already share out
        (7, 2, 32, 4),  # even a small call keeps both threads busy
        (1, 2, 32, 1),
        (100, 1, 32, 25),  # one thread: the fewest batches, sized alike
        (90, 3, 16, 15),
    ],
)
def test_a_call_is_shared_out_in_batches_every_thread_gets(
    n: int, threads: int, largest: int, size: int
) -> None:
    cfg = ArgosSettings(inter_threads=threads, max_batch_size=largest)
    assert batch_size(n, cfg) == size
    batches = -(-n // size)
    assert batches % threads == 0 or batches < threads or n < threads
    assert size <= largest


def test_token_sized_batches_are_left_as_configured() -> None:
    cfg = ArgosSettings(batch_type="tokens", max_batch_size=1024)
    assert batch_size(80, cfg) == 1024


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


def _words(pieces: list[str]) -> list[tuple[str, list[int]]]:
    words: list[tuple[str, list[int]]] = []
    for i, piece in enumerate(pieces):
        if not words or piece.startswith("▁"):
            words.append(("", []))
        text, at = words[-1]
        words[-1] = (text + piece.lstrip("▁"), [*at, i])
    return words


def _attending(source: list[str], target: list[str], at: dict[str, str]) -> list[list[float]]:
    """Attention rows in which the pieces of each target word named in ``at`` look at the first
    piece of the source word it names, and every other target piece at the first source piece."""
    first = {text: pieces[0] for text, pieces in _words(source)}
    rows: list[list[float]] = [[] for _ in target]
    for text, pieces in _words(target):
        for i in pieces:
            rows[i] = [0.01] * len(source)
            rows[i][first[at[text]] if text in at else 0] = 0.9
    return rows


def test_markup_runs_go_around_the_target_words_the_attention_aligns_with_them(
    argos_settings: TranslationSettings,
) -> None:
    engine = ArgosEngine(argos_settings.argos)
    sp = load_model(engine.package("en", "es"), argos_settings.argos).sp
    text, runs = split_edges("The [[1]]red[[/]] car of [[2]]the president.[[/]]") or ("", [])
    source = sp.encode(text, out_type=str)
    target = sp.encode("El coche rojo del presidente.", out_type=str)
    attention = _attending(source, target, {"rojo": "red", "presidente.": "president."})
    # the period after "presidente" is outside the run's edges
    assert project_edges(sp, text, runs, source, target, attention) == (
        "El coche [[1]]rojo[[/]] del [[2]]presidente[[/]]."
    )
    # a run no word aligns with goes to the word attending to it most
    attention = _attending(source, target, {"rojo": "red"})
    president = _words(source)[-1][1]
    for i in _words(target)[-1][1]:  # "presidente." looks at "president." second most
        attention[i][president[0]] = 0.3
    assert project_edges(sp, text, runs, source, target, attention) == (
        "El coche [[1]]rojo[[/]] del [[2]]presidente[[/]]."
    )


def test_markup_edges_never_reach_the_model(argos_settings: TranslationSettings) -> None:
    engine = ArgosEngine(argos_settings.argos)
    plain = ["The treaty would remain in force.", "Shareholders warned that talks would resume next week."]
    marked = ["The [[1]]treaty[[/]] would remain in force.",
              "[[1]]Shareholders[[/]] warned that [[2]]talks would resume[[/]] next [[3]]week[[/]]."]
    out = engine.translate_batch(marked, "en", "es")
    assert [WORD_BLANK.sub("", t) for t in out] == engine.translate_batch(plain, "en", "es")
    # every run comes back, each edge pair once per run of target words
    for sentence, text in zip(marked, out, strict=True):
        assert split_edges(text) is not None
        assert {g for _, _, g in split_edges(text)[1]} == {g for _, _, g in split_edges(sentence)[1]}


def test_target_prefix_is_forced_and_stripped(tmp_path: Path, argos_settings: TranslationSettings) -> None:
    pkg = install_package_file(
        argos_tiny.build_package(tmp_path / "b", "en", "fr", target_prefix="__fr__"), tmp_path / "p"
    )
    assert pkg.target_prefix == "__fr__"
    engine = ArgosEngine(argos_settings.argos.model_copy(update={"packages_dir": tmp_path / "p"}))
    out = engine.translate_batch(["The talks resumed.", "The [[1]]talks[[/]] resumed."], "en", "fr")
    assert "__fr__" not in out[0]
    # the attention row of the forced prefix is stripped with it
    assert WORD_BLANK.sub("", out[1]) == out[0] and "[[1]]" in out[1]


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
from syndicate.translate.config import ArgosSettings, TranslationSettings, ArgosSettings, CacheSettings
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
