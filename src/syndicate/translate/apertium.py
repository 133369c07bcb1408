"""Apertium (rule-based MT, the Debian packages) as a translation engine.

A whole batch goes through one ``apertium`` process, written in Apertium's stream format as
its text deformatter would write it, one sentence per paragraph (separated by a superblank,
which Apertium passes through), and read back in the same order; if a batch ever comes back
with another paragraph count it is halved and retried. The edges of bold, italic and link runs
go in as word-bound blanks, Apertium's own carrier of inline formatting: they stay out of its
grammar and come out around the translation of the words they enclose. Installed pairs are
discovered from the ``*.mode`` files. Unknown-word marks are off by default (``-u``): they
would reach partners, and unknown words are mostly names.
Protected tokens reach Apertium as numerals and proper nouns from its own dictionaries, which
its analyser tags ``<num>`` and ``<np>`` and passes through untranslated (see ``placeholders``).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import re
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from syndicate.errors import MissingLanguagePair, TranslationError
from syndicate.translate.config import ApertiumSettings, TranslationSettings
from syndicate.translate.engine import background, in_background, register_engine
from syndicate.translate.segment import WORD_BLANK, Edges, Placeholders, split_edges

#: coreutils' nice, to start routine translations at a lower CPU priority
_NICE = shutil.which("nice")
log = logging.getLogger(__name__)

#: BCP 47 primary language -> ISO 639-3 as Apertium names its pairs
_ISO3 = {
    "en": "eng",
    "es": "spa",
    "ca": "cat",
    "gl": "glg",
    "eo": "epo",
    "eu": "eus",
    "is": "isl",
    "mk": "mkd",
    "pt": "por",
    "fr": "fra",
    "it": "ita",
    "de": "deu",
    "nl": "nld",
    "oc": "oci",
    "an": "arg",
    "ast": "ast",
    "ru": "rus",
    "uk": "ukr",
    "be": "bel",
    "sv": "swe",
    "da": "dan",
    "nb": "nob",
    "nn": "nno",
    "no": "nor",
    "fi": "fin",
    "ro": "ron",
    "pl": "pol",
    "cs": "ces",
    "sk": "slk",
    "sl": "slv",
    "bg": "bul",
    "el": "ell",
    "tr": "tur",
    "kk": "kaz",
    "tt": "tat",
    "ur": "urd",
    "hi": "hin",
    "ar": "ara",
    "he": "heb",
    "mt": "mlt",
    "cy": "cym",
    "ga": "gle",
    "br": "bre",
    "fo": "fao",
    "ky": "kir",
    "sc": "srd",
    "af": "afr",
    "id": "ind",
    "ms": "msa",
    "sq": "sqi",
    "se": "sme",
    "sh": "hbs",
    "sr": "hbs",
    "hr": "hbs",
    "bs": "hbs",
    "crh": "crh",
}
_BCP47 = {v: k for k, v in _ISO3.items() if k not in ("sr", "hr", "bs")}

#: numerals no news sentence is likely to hold: Apertium tags any run of digits ``<num>`` and
#: copies it, so "300 residents" and "90001 residents" translate alike, whereas "[1]" is read as
#: brackets around a number that end a phrase ("[1] los residentes")
_NUMERALS = tuple(str(90000 + n) for n in range(1, 100))
#: rare given names that the source analyser tags ``<np>`` and passes through unchanged, per
#: source language (checked with ``apertium eng-spa``); a handle, URL or ticker stands in the
#: sentence as a name does ("Las acciones de Xander cayeron", not "Acciones de AAPL cayó")
_NAMES = {"en": ("Xander", "Quentin", "Zachary", "Xavier", "Gustav")}

#: characters Apertium's stream format reserves, written with a backslash in front
_RESERVED = re.compile(r"[\\\[\]^$/@<>{}]")
#: "~" marks Apertium's post-generation rules: like ``apertium -f txt``, hide it (and the
#: blanks around it) in a superblank
_TILDE = re.compile(r"[ ~]*~[ ~]*")
#: after each sentence: the end of sentence mark and the superblank that separates sentences
_END = ".[]"
_SEPARATOR = "[\n\n]"


def _escape(text: str) -> str:
    out: list[str] = []
    pos = 0
    for m in _TILDE.finditer(text):
        out += [_RESERVED.sub(r"\\\g<0>", text[pos : m.start()]), f"[{m.group()}]"]
        pos = m.end()
    out.append(_RESERVED.sub(r"\\\g<0>", text[pos:]))
    return "".join(out)


def to_stream(sentence: str) -> str:
    """One sentence in Apertium's stream format, as its text deformatter writes it.

    The difference: the edges of markup runs (``[[n]]`` and ``[[/]]``, see
    :func:`~syndicate.translate.segment.split_edges`) stay word-bound blanks, which Apertium
    keeps out of its grammar and carries through transfer with the words of the run.
    """
    parsed = split_edges(sentence)
    text, runs = parsed if parsed is not None else (sentence, [])
    out: list[str] = []
    pos = 0
    for start, end, group in runs:
        out += [_escape(text[pos:start]), f"[[{group}]]", _escape(text[start:end]), "[[/]]"]
        pos = end
    out.append(_escape(text[pos:]))
    return "".join(out) + _END


def from_stream(stream: str) -> list[str]:
    """The sentences of Apertium's output stream, as its text reformatter writes them, with
    the word-bound blanks of markup runs written back as ``[[n]]`` and ``[[/]]``."""
    sentences: list[str] = []
    out: list[str] = []
    i, n = 0, len(stream)
    while i < n:
        c = stream[i]
        if c == "\\" and i + 1 < n:
            out.append(stream[i + 1])
            i += 2
        elif stream.startswith("[[", i):
            end = stream.find("]]", i)
            end = n if end < 0 else end
            blank = stream[i : end + 2]
            if WORD_BLANK.fullmatch(blank):
                out.append(blank)
            i = end + 2
        elif c == "[":
            end = i + 1
            while end < n and stream[end] != "]":
                end += 2 if stream[end] == "\\" else 1
            blank = re.sub(r"\\(.)", r"\1", stream[i + 1 : end])
            i = end + 1
            if "\n" in blank:
                sentences.append("".join(out))
                out = []
            elif blank:
                out.append(blank)
            elif out and out[-1] == ".":
                out.pop()  # the end of sentence mark: its period is the deformatter's
        else:
            out.append(c)
            i += 1
    if out:
        sentences.append("".join(out))
    return sentences


def iso639_3(code: str) -> str | None:
    """Apertium's code for a BCP 47 language (``es`` -> ``spa``), if known."""
    return _ISO3.get(code.lower())


def bcp47(code: str) -> str:
    """The BCP 47 primary language for an Apertium code (``spa`` -> ``es``)."""
    return _BCP47.get(code.lower(), code.lower())


def discover_modes(dirs: Sequence[Path]) -> dict[tuple[str, str], str]:
    """(source, target) BCP 47 -> Apertium mode name, from the installed ``*.mode`` files.

    Variant modes such as ``spa-eng_US`` are left out: the plain mode is the pair's default.
    """
    found: dict[tuple[str, str], str] = {}
    for d in dirs:
        if not d.is_dir():
            continue
        for mode in sorted(d.glob("*.mode")):
            m = re.fullmatch(r"([a-z]{2,3})-([a-z]{2,3})", mode.stem)
            if m:
                found.setdefault((bcp47(m.group(1)), bcp47(m.group(2))), mode.stem)
    return found


@functools.lru_cache(maxsize=64)
def _package_version(mode: str) -> str:
    """The Debian version of the package providing ``mode`` (e.g. apertium-eng-spa)."""
    a, b = mode.split("-", 1)
    for name in (f"apertium-{a}-{b}", f"apertium-{b}-{a}"):
        try:
            res = subprocess.run(
                ["dpkg-query", "-W", "-f=${Version}", name],
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            break
        if res.returncode == 0 and res.stdout.strip():
            return f"{name} {res.stdout.strip()}"
    return f"apertium {mode}"


class ApertiumEngine:
    """Translate through the installed Apertium modes: one pipeline kept running per mode (in
    each process), or one per batch when ``warm`` is off."""

    name = "apertium"

    def __init__(self, cfg: ApertiumSettings) -> None:
        self.cfg = cfg
        self._modes: dict[tuple[str, str], str] | None = None
        #: (mode, routine?) -> its pipelines kept running and free (``cfg.warm``): one per
        #: thread translating at the same time, so a threaded worker's threads never queue
        #: for one pipeline
        self._pipes: dict[tuple[str, bool], list[WarmPipeline]] = {}
        self._all: list[WarmPipeline] = []
        self._cold: set[tuple[str, bool]] = set()
        self._pipes_lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: TranslationSettings) -> ApertiumEngine:
        return cls(settings.apertium)

    @property
    def modes(self) -> dict[tuple[str, str], str]:
        if self._modes is None:
            self._modes = discover_modes(self.cfg.modes_dirs)
        return self._modes

    def pairs(self) -> list[tuple[str, str]]:
        return sorted(self.modes)

    def supports(self, source: str, target: str) -> bool:
        return (source, target) in self.modes

    def mode(self, source: str, target: str) -> str:
        try:
            return self.modes[(source, target)]
        except KeyError:
            raise MissingLanguagePair(f"no Apertium mode for {source}->{target}") from None

    def model_version(self, source: str, target: str) -> str:
        return _package_version(self.mode(source, target))

    def placeholders(self, source: str, target: str) -> Placeholders:
        # where no names are known for the source language, a numeral is still read as one
        # word the engine copies, which is closer to a name than brackets are
        return Placeholders(
            numbers=_NUMERALS, names=_NAMES.get(source, ()) + _NUMERALS, edges=Edges.WORD_BLANKS
        )

    def translate_batch(self, sentences: Sequence[str], source: str, target: str) -> list[str]:
        if not sentences:
            return []
        mode = self.mode(source, target)
        # a sentence never spans lines for the engine: its own line breaks would split it
        flat = [" ".join(s.split()) for s in sentences]
        out: list[str] = [""] * len(flat)
        todo = [i for i, s in enumerate(flat) if s]
        self._translate_into(out, flat, todo, mode)
        return out

    def _translate_into(self, out: list[str], flat: list[str], idx: list[int], mode: str) -> None:
        if not idx:
            return
        stream = _SEPARATOR.join(to_stream(flat[i]) for i in idx) + "[\n]"
        paras = from_stream(self._run(mode, stream))
        if len(paras) == len(idx) or len(idx) == 1:
            text = paras if len(paras) == len(idx) else [" ".join(paras)]
            for i, sentence in zip(idx, text, strict=True):
                out[i] = " ".join(sentence.split())
            return
        log.warning(
            "apertium %s returned %d paragraphs for %d sentences; retrying in halves",
            mode,
            len(paras),
            len(idx),
        )
        half = len(idx) // 2
        self._translate_into(out, flat, idx[:half], mode)
        self._translate_into(out, flat, idx[half:], mode)

    def _command(self, mode: str) -> list[str]:
        # the stream is written and read here (to_stream, from_stream): Apertium's text
        # deformatter would escape the word-bound blanks that carry markup
        cmd = [self.cfg.command, "-f", "none"]
        if not self.cfg.mark_unknown:
            cmd.append("-u")
        cmd.append(mode)
        return _for_lane(cmd)

    def _warm_command(self, mode: str) -> list[str] | None:
        """The mode's pipeline with every stage in null-flush mode, run directly: the
        ``apertium`` script's own stream wrapper reads ahead and would hold an answer back.
        None where the installed Apertium cannot write it (no ``apertium-wblank-mode``)."""
        found = next((d / f"{mode}.mode" for d in self.cfg.modes_dirs
                      if (d / f"{mode}.mode").is_file()), None)
        writer = shutil.which("apertium-wblank-mode")
        if found is None or writer is None or shutil.which(self.cfg.command) is None:
            return None
        try:
            res = subprocess.run([writer, "-z", str(found)], capture_output=True, text=True,
                                 timeout=30, check=True)
        except (OSError, subprocess.SubprocessError):
            return None
        if "|" not in res.stdout:
            return None  # not a pipeline this engine knows how to keep alive
        # the mode's $1 is the generator's flag (-n: unknown words unmarked), $2 the tagger's
        return _for_lane(["bash", "-c", res.stdout.strip(), "apertium",
                          "-g" if self.cfg.mark_unknown else "-n", ""])

    def _run(self, mode: str, text: str) -> str:
        if self.cfg.warm:
            key = (mode, in_background())
            with self._pipes_lock:
                free = self._pipes.setdefault(key, [])
                pipe = free.pop() if free else None
                if pipe is None and key not in self._cold:
                    command = self._warm_command(mode)
                    if command is None:
                        log.warning("Apertium cannot run %s as a pipeline kept alive here; "
                                    "one process per batch instead", mode)
                        self._cold.add(key)
                    else:
                        pipe = WarmPipeline(command)
                        self._all.append(pipe)
            if pipe is not None:
                try:
                    return pipe.translate(text, self.cfg.timeout)
                finally:
                    with self._pipes_lock:
                        if pipe in self._all:  # not stopped by close() meanwhile
                            self._pipes.setdefault(key, []).append(pipe)
        try:
            res = subprocess.run(
                self._command(mode),
                input=text.encode("utf-8"),
                capture_output=True,
                timeout=self.cfg.timeout,
                check=False,
            )
        except FileNotFoundError:
            raise TranslationError(_not_installed(self.cfg.command)) from None
        except subprocess.TimeoutExpired:
            raise TranslationError(
                f"apertium {mode} took longer than {self.cfg.timeout:.0f} s for one batch"
            ) from None
        if res.returncode != 0:
            err = res.stderr.decode("utf-8", "replace").strip()[:500]
            raise TranslationError(f"apertium {mode} failed (exit {res.returncode}): {err}")
        return res.stdout.decode("utf-8", "replace")

    def preload(self, source: str, target: str) -> None:
        """Start the pair's kept pipelines (routine and urgent) before the first task."""
        if not self.cfg.warm:
            return
        for routine in (False, True):
            with background(routine):
                self.translate_batch(["Ready."], source, target)

    def close(self) -> None:
        """Stop the pipelines this engine keeps running."""
        with self._pipes_lock:
            for pipe in self._all:
                pipe.stop()
            self._pipes.clear()
            self._all.clear()

    def pipelines(self) -> list[WarmPipeline]:
        """Every pipeline this engine started (in use or free)."""
        with self._pipes_lock:
            return list(self._all)


def _for_lane(cmd: list[str]) -> list[str]:
    """``cmd`` as the current lane runs it: routine copy under ``nice``, so it yields the
    processor to an urgent translation running beside it."""
    return [_NICE, "-n", "10", *cmd] if in_background() and _NICE else cmd


def _not_installed(command: str) -> str:
    return (f"the Apertium command {command!r} is not installed "
            "(Debian: apt-get install apertium apertium-eng-spa)")


class WarmPipeline:
    """One Apertium pipeline kept running in null-flush mode (``apertium -z``): a batch is
    written with a NUL after it, and its translation is what comes back up to the NUL each
    stage passes on. Started on first use, in the process that uses it (a forked child starts
    its own); started again when it has died; killed when a batch runs past its time limit."""

    def __init__(self, command: list[str]) -> None:
        self.command = command
        self.proc: subprocess.Popen[bytes] | None = None
        self.owner = 0
        self.lock = threading.Lock()
        #: times a pipeline was started (1 for a pipeline that stayed up)
        self.starts = 0
        self._stderr: IO[bytes] | None = None
        _live.add(self)

    def _start(self) -> subprocess.Popen[bytes]:
        self._stderr = tempfile.TemporaryFile(prefix="syndicate-apertium-")  # noqa: SIM115
        try:
            proc = subprocess.Popen(self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=self._stderr, start_new_session=True)
        except FileNotFoundError:
            raise TranslationError(_not_installed(self.command[0])) from None
        self.proc, self.owner = proc, os.getpid()
        self.starts += 1
        return proc

    def _live(self) -> subprocess.Popen[bytes]:
        proc = self.proc
        if proc is None or self.owner != os.getpid() or proc.poll() is not None:
            if proc is not None and self.owner == os.getpid():
                self.stop()
            return self._start()
        return proc

    def translate(self, text: str, timeout: float) -> str:
        data = text.replace("\0", "").encode("utf-8") + b"\0"
        with self.lock:
            for attempt in (1, 2):
                proc = self._live()
                try:
                    return self._exchange(proc, data, timeout)
                except _Died as died:
                    self.stop()
                    if attempt == 2:
                        raise TranslationError(f"apertium stopped while translating: {died}") \
                            from None
                    log.warning("the Apertium pipeline %s stopped (%s); starting it again",
                                " ".join(self.command), died)
        raise AssertionError("not reached")

    def _exchange(self, proc: subprocess.Popen[bytes], data: bytes, timeout: float) -> str:
        assert proc.stdin is not None and proc.stdout is not None
        failed: list[BaseException] = []

        def write() -> None:
            try:
                assert proc.stdin is not None
                proc.stdin.write(data)
                proc.stdin.flush()
            except (BrokenPipeError, OSError, ValueError) as exc:
                failed.append(exc)

        # written beside the reading: a batch larger than a pipe's buffer would otherwise
        # wait for a reader that waits for the writer
        writer = threading.Thread(target=write, daemon=True, name="apertium-writer")
        writer.start()
        fd = proc.stdout.fileno()
        chunks: list[bytes] = []
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self.stop()
                raise TranslationError(
                    f"apertium took longer than {timeout:.0f} s for one batch; its pipeline "
                    "was stopped and starts again with the next batch")
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                writer.join(1)
                raise _Died(self._error(proc))
            chunks.append(chunk)
            if b"\0" in chunk:
                break
        writer.join(timeout)
        out = b"".join(chunks)
        end = out.index(b"\0")
        if out[end + 1:].strip(b"\0"):
            # more than one answer: the pipeline and this reader no longer agree on which
            # batch is which; a fresh pipeline for the next one
            self.stop()
            raise TranslationError("apertium answered out of turn; its pipeline was restarted")
        return out[:end].decode("utf-8", "replace")

    def _error(self, proc: subprocess.Popen[bytes]) -> str:
        try:
            code = proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            code = None
        err = b""
        if self._stderr is not None:
            self._stderr.seek(0)
            err = self._stderr.read()[-500:]
        return f"exit {code}: {err.decode('utf-8', 'replace').strip()}"

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None and self.owner == os.getpid():
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            for stream in (proc.stdin, proc.stdout):
                if stream is not None:
                    with contextlib.suppress(OSError):  # a dead pipeline's unread input
                        stream.close()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def _forget_after_fork(self) -> None:
        # the child must not write to, or wait on, its parent's pipeline: it closes its copies
        # of the pipes (the parent's pipeline lives on) and starts its own when it needs one
        proc, self.proc = self.proc, None
        if proc is not None:
            for stream in (proc.stdin, proc.stdout):
                if stream is not None:
                    with contextlib.suppress(OSError):
                        stream.close()
        self.lock = threading.Lock()


class _Died(Exception):
    """The pipeline ended before it answered."""


_live: weakref.WeakSet[WarmPipeline] = weakref.WeakSet()


def _after_fork() -> None:
    for pipe in list(_live):
        pipe._forget_after_fork()


os.register_at_fork(after_in_child=_after_fork)


register_engine("apertium", ApertiumEngine.from_settings)
