"""The Apertium engine over the Debian package: batches in one process, placeholders survive."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from syndicate.errors import MissingLanguagePair, TranslationError
from syndicate.translate.apertium import (
    ApertiumEngine,
    bcp47,
    discover_modes,
    from_stream,
    iso639_3,
    to_stream,
)
from syndicate.translate.config import ApertiumSettings

needs_apertium = pytest.mark.skipif(
    shutil.which("apertium") is None or not Path("/usr/share/apertium/modes/eng-spa.mode").exists(),
    reason="Debian apertium + apertium-eng-spa are not installed",
)


def test_bcp47_codes_map_to_apertium_codes_and_back() -> None:
    assert iso639_3("es") == "spa" and iso639_3("ca") == "cat" and iso639_3("EN") == "eng"
    assert bcp47("spa") == "es" and bcp47("glg") == "gl" and bcp47("hbs") == "sh"


def test_modes_are_discovered_from_mode_files_without_variants(tmp_path: Path) -> None:
    for name in ("eng-spa", "spa-eng", "spa-eng_US", "cat-epo", "README"):
        (tmp_path / f"{name}.mode").write_text("")
    assert discover_modes([tmp_path, tmp_path / "missing"]) == {
        ("en", "es"): "eng-spa",
        ("es", "en"): "spa-eng",
        ("ca", "eo"): "cat-epo",
    }


def test_an_uninstalled_pair_is_a_missing_language_pair(tmp_path: Path) -> None:
    engine = ApertiumEngine(ApertiumSettings(modes_dirs=(tmp_path,)))
    assert not engine.supports("en", "es")
    with pytest.raises(MissingLanguagePair):
        engine.translate_batch(["Hello."], "en", "es")


def test_a_missing_apertium_command_is_explained(tmp_path: Path) -> None:
    (tmp_path / "eng-spa.mode").write_text("")
    engine = ApertiumEngine(ApertiumSettings(command="no-such-apertium", modes_dirs=(tmp_path,)))
    with pytest.raises(TranslationError, match="not installed"):
        engine.translate_batch(["Hello."], "en", "es")


def test_a_sentence_is_written_as_apertiums_text_deformatter_writes_it() -> None:
    # reserved characters escaped, "~" hidden in a superblank, the end of sentence mark after it
    assert to_stream("a\\b [c] ^d$ e/f @g <h> {i} #j ~k.") == (
        "a\\\\b \\[c\\] \\^d\\$ e\\/f \\@g \\<h\\> \\{i\\} #j[ ~]k..[]"
    )


def test_markup_edges_are_written_as_word_bound_blanks_and_read_back() -> None:
    assert to_stream("The [[1]]red [x][[/]] car.") == "The [[1]]red \\[x\\][[/]] car..[]"
    out = "El coche [[1]]rojo[[/]] es grande..[][\n\n] Dijo \\[1\\] a [ ~]b..[][\n]"
    assert from_stream(out) == ["El coche [[1]]rojo[[/]] es grande.", " Dijo [1] a  ~b."]


@pytest.fixture(scope="module")
def apertium() -> ApertiumEngine:
    return ApertiumEngine(ApertiumSettings())


@pytest.mark.integration
@needs_apertium
def test_installed_debian_pair_is_found_with_its_package_version(apertium: ApertiumEngine) -> None:
    assert apertium.supports("en", "es")
    assert apertium.model_version("en", "es").startswith("apertium-eng-spa ")


@pytest.mark.integration
@needs_apertium
def test_a_batch_keeps_sentence_count_and_order(apertium: ApertiumEngine) -> None:
    sentences = [f"The dog number {i} sleeps in the house." for i in range(150)]
    sentences[40] = "Hello\nworld, this sentence had a line break."
    sentences[80] = ""
    out = apertium.translate_batch(sentences, "en", "es")
    assert len(out) == 150
    for i in set(range(150)) - {40, 80}:
        assert f" {i} " in out[i] and "perro" in out[i] and "casa" in out[i], (i, out[i])
    assert out[80] == "" and "\n" not in out[40]


@pytest.mark.integration
@needs_apertium
def test_placeholders_survive_apertium(apertium: ApertiumEngine) -> None:
    out = apertium.translate_batch(["The [1]red[2] car of [3] is big.", "He met [1] at [2]."], "en", "es")
    for text, marks in zip(out, (["[1]", "[2]", "[3]"], ["[1]", "[2]"]), strict=True):
        assert all(text.count(m) == 1 for m in marks), text


@pytest.mark.integration
@needs_apertium
def test_unknown_words_are_not_marked_by_default(apertium: ApertiumEngine) -> None:
    (out,) = apertium.translate_batch(["Zqxvbn sleeps."], "en", "es")
    assert "Zqxvbn" in out and "*" not in out


#: sentences with every character Apertium's stream format reserves or its text format hides
_AWKWARD = [
    "AT&T said 5 < 6 > 4 and a/b @x ^y$ {z} \\q #j *k.",
    "Prices fell ~3% on the {index} ~ again.",
    "See [1] and [2] for details [3].",
    'He said: "No" -- and left...',
    "Visit https://example.org/a_b?c=d&e=f now.",
    "Ellipsis… and “quotes” and ‘single’ and «guillemets».",
    "Backslash \\ alone / slash.",
    "no final punctuation",
    "x [[y]] z.",
]


@pytest.mark.integration
@needs_apertium
def test_the_stream_is_translated_as_apertiums_text_format_translates_it(apertium: ApertiumEngine) -> None:
    # the engine writes Apertium's stream itself (to carry markup): without markup, nothing changes
    from argos_tiny import news_sentences

    sentences = news_sentences(60, seed=1) + _AWKWARD
    res = subprocess.run(
        ["apertium", "-f", "txt", "-u", "eng-spa"],
        input=("\n\n".join(sentences) + "\n").encode(),
        capture_output=True,
        check=True,
    )
    text_format = [" ".join(p.split()) for p in re.split(r"\n[ \t]*\n", res.stdout.decode().strip("\n"))]
    assert apertium.translate_batch(sentences, "en", "es") == text_format


@pytest.mark.integration
@needs_apertium
def test_word_bound_blanks_come_back_around_the_translated_words(apertium: ApertiumEngine) -> None:
    marked, plain = apertium.translate_batch(
        ["The [[1]]red[[/]] car of [[2]]the president[[/]] is big.", "The red car of the president is big."],
        "en",
        "es",
    )
    # the run's words, each with its blank; "de el" became "del" and kept the blank of "el"
    assert marked == "El coche [[1]]rojo[[/]] [[2]]del[[/]] [[2]]presidente[[/]] es grande."
    assert re.sub(r"\[\[(?:\d+|/)\]\]", "", marked) == plain


@pytest.mark.integration
@needs_apertium
def test_a_warm_pipeline_translates_byte_for_byte_as_a_pipeline_per_batch() -> None:
    from argos_tiny import news_sentences

    sentences = news_sentences(300, seed=7) + _AWKWARD + [
        "The [[1]]city council[[/]] met on [[2]]Friday[[/]].",
        "[[1]]Bold start[[/]] and a plain end.",
    ]
    warm = ApertiumEngine(ApertiumSettings())
    cold = ApertiumEngine(ApertiumSettings(warm=False))
    try:
        one_batch = warm.translate_batch(sentences, "en", "es")
        # and again sentence by sentence, through the same kept pipeline
        one_by_one = [warm.translate_batch([s], "en", "es")[0] for s in sentences[:40]]
        assert one_batch == cold.translate_batch(sentences, "en", "es")
        assert one_by_one == one_batch[:40]
        (pipe,) = warm.pipelines()
        assert pipe.starts == 1
    finally:
        warm.close()


@pytest.mark.integration
@needs_apertium
def test_a_warm_pipeline_that_died_is_started_again() -> None:
    import os
    import signal

    engine = ApertiumEngine(ApertiumSettings())
    try:
        first = engine.translate_batch(["The vote was close."], "en", "es")
        (pipe,) = engine.pipelines()
        assert pipe.proc is not None
        os.killpg(pipe.proc.pid, signal.SIGKILL)
        assert engine.translate_batch(["The vote was close."], "en", "es") == first
        assert pipe.starts == 2
    finally:
        engine.close()


@pytest.mark.integration
@needs_apertium
def test_threads_translating_at_once_each_get_a_pipeline_and_reuse_it() -> None:
    import threading

    engine = ApertiumEngine(ApertiumSettings())
    sentences = [f"The council approved budget number {n} on Friday." for n in range(30)]
    expected = ApertiumEngine(ApertiumSettings(warm=False)).translate_batch(sentences, "en", "es")
    results: list[list[str]] = []
    start = threading.Barrier(3)

    def work() -> None:
        start.wait()
        results.append(engine.translate_batch(sentences, "en", "es"))

    try:
        for _ in range(2):  # twice: the second round takes the pipelines the first started
            threads = [threading.Thread(target=work) for _ in range(3)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        assert results == [expected] * 6
        pipes = engine.pipelines()
        assert 1 <= len(pipes) <= 3 and all(p.starts == 1 for p in pipes)
    finally:
        engine.close()
    assert engine.pipelines() == []


def test_a_pipeline_that_does_not_answer_in_time_is_stopped_and_the_batch_fails() -> None:
    from syndicate.translate.apertium import WarmPipeline

    pipe = WarmPipeline(["sleep", "60"])
    try:
        with pytest.raises(TranslationError, match="longer than 1 s"):
            pipe.translate("never answered", timeout=1)
        assert pipe.proc is None  # stopped: the next batch starts a fresh one
    finally:
        pipe.stop()


def test_a_pipeline_that_exits_at_once_is_an_error_naming_its_output() -> None:
    from syndicate.translate.apertium import WarmPipeline

    pipe = WarmPipeline(["sh", "-c", "echo 'no such mode' >&2; exit 3"])
    with pytest.raises(TranslationError, match="no such mode"):
        pipe.translate("text", timeout=10)
    assert pipe.starts == 2  # tried once more on a fresh pipeline


@pytest.mark.integration
@needs_apertium
def test_a_forked_worker_process_starts_its_own_pipeline() -> None:
    import os

    engine = ApertiumEngine(ApertiumSettings())
    try:
        before = engine.translate_batch(["The council met."], "en", "es")
        (pipe,) = engine.pipelines()
        parent_pid = pipe.proc.pid if pipe.proc else None
        child = os.fork()
        if child == 0:  # a prefork pool process
            ok = (engine.translate_batch(["The council met."], "en", "es") == before
                  and pipe.proc is not None and pipe.proc.pid != parent_pid)
            os._exit(0 if ok else 1)
        _, status = os.waitpid(child, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        # the parent's pipeline is untouched
        assert pipe.proc is not None and pipe.proc.pid == parent_pid
        assert engine.translate_batch(["The council met."], "en", "es") == before
    finally:
        engine.close()
