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

import functools
import logging
import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from syndicate.errors import MissingLanguagePair, TranslationError
from syndicate.translate.config import ApertiumSettings, TranslationSettings
from syndicate.translate.engine import in_background, register_engine
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
    """Translate through the installed Apertium modes, one process per batch."""

    name = "apertium"

    def __init__(self, cfg: ApertiumSettings) -> None:
        self.cfg = cfg
        self._modes: dict[tuple[str, str], str] | None = None

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

    def _run(self, mode: str, text: str) -> str:
        # the stream is written and read here (to_stream, from_stream): Apertium's text
        # deformatter would escape the word-bound blanks that carry markup
        cmd = [self.cfg.command, "-f", "none"]
        if not self.cfg.mark_unknown:
            cmd.append("-u")
        cmd.append(mode)
        if in_background() and _NICE:
            # routine copy yields the processor to an urgent translation running beside it
            cmd = [_NICE, "-n", "10", *cmd]
        try:
            res = subprocess.run(
                cmd,
                input=text.encode("utf-8"),
                capture_output=True,
                timeout=self.cfg.timeout,
                check=False,
            )
        except FileNotFoundError:
            raise TranslationError(
                f"the Apertium command {self.cfg.command!r} is not installed "
                "(Debian: apt-get install apertium apertium-eng-spa)"
            ) from None
        except subprocess.TimeoutExpired:
            raise TranslationError(
                f"apertium {mode} took longer than {self.cfg.timeout:.0f} s for one batch"
            ) from None
        if res.returncode != 0:
            err = res.stderr.decode("utf-8", "replace").strip()[:500]
            raise TranslationError(f"apertium {mode} failed (exit {res.returncode}): {err}")
        return res.stdout.decode("utf-8", "replace")


register_engine("apertium", ApertiumEngine.from_settings)
