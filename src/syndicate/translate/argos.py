"""Argos Translate packages run on CTranslate2 and SentencePiece directly.

Packages are installed and listed through argostranslate's package API; translating never
imports argostranslate's translate module, so it loads no torch, stanza or spaCy and opens no
network connection. Each model is loaded once per process.
Protected tokens reach the model as numerals its SentencePiece vocabulary spells without an
unknown piece, so they survive tokenization and are copied the way numbers are. Markup edges do
not reach it at all: it translates the sentence without them, and they are laid on the words
of its translation that its attention aligns with the marked words (:func:`project_edges`).
"""

from __future__ import annotations

import functools
import json
import logging
import os
import re
import shutil
import stat
import threading
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from syndicate.errors import MissingLanguagePair, TranslationError, UsageError
from syndicate.translate.config import ArgosSettings, TranslationSettings
from syndicate.translate.engine import register_engine
from syndicate.translate.segment import WORD_BLANK, Edges, Placeholders, join_edges, split_edges

log = logging.getLogger(__name__)


def default_packages_dir() -> Path:
    """Where Argos installs packages: ARGOS_PACKAGES_DIR, Argos' settings.json, or its default."""
    env = os.environ.get("ARGOS_PACKAGES_DIR")
    if env:
        return Path(env)
    home = Path.home()
    config = Path(os.environ.get("XDG_CONFIG_HOME", home / ".config")) / "argos-translate"
    try:
        configured = json.loads((config / "settings.json").read_text()).get("ARGOS_PACKAGES_DIR")
    except (OSError, ValueError, AttributeError):
        configured = None
    if configured:
        return Path(configured)
    data = Path(os.environ.get("XDG_DATA_HOME", home / ".local" / "share"))
    return data / "argos-translate" / "packages"


@dataclass(frozen=True, slots=True)
class ArgosPackage:
    """One installed Argos translation package, as its metadata.json describes it."""

    path: Path
    from_code: str
    to_code: str
    package_version: str
    target_prefix: str = ""
    from_name: str | None = None
    to_name: str | None = None

    @property
    def sentencepiece(self) -> Path:
        return self.path / "sentencepiece.model"

    @property
    def model_dir(self) -> Path:
        return self.path / "model"


def _argos_package_module() -> Any:
    """argostranslate's package API (it loads no torch: only its translate module does)."""
    try:
        from argostranslate import package
    except OSError as exc:  # its settings module makes Argos' data folders on import
        raise TranslationError(f"cannot set up Argos Translate's folders: {exc}") from exc
    return package


def _from_argos(installed: Any) -> ArgosPackage | None:
    """Our view of one of argostranslate's installed packages, or None when we cannot run it."""
    path = Path(installed.package_path)
    src, tgt = installed.from_code, installed.to_code
    if installed.type != "translate" or not isinstance(src, str) or not isinstance(tgt, str):
        return None
    pkg = ArgosPackage(
        path=path,
        from_code=src.lower(),
        to_code=tgt.lower(),
        package_version=str(installed.package_version or "0"),
        target_prefix=str(getattr(installed, "target_prefix", "") or ""),
        from_name=installed.from_name or None,
        to_name=installed.to_name or None,
    )
    if not pkg.model_dir.is_dir():
        return None
    if not pkg.sentencepiece.is_file():
        if (path / "bpe.model").is_file():
            log.warning("skipping Argos package %s: BPE tokenization is not supported", path)
        return None
    return pkg


def read_package(path: Path) -> ArgosPackage | None:
    """The package in folder ``path``, or None when it is not a usable translation package."""
    try:
        installed = _argos_package_module().Package(path)
    except (OSError, ValueError):
        return None
    return _from_argos(installed)


def discover(packages_dir: Path) -> list[ArgosPackage]:
    """Installed translation packages, as argostranslate lists them, newest version first per pair."""
    if not packages_dir.is_dir():
        return []
    argos_package = _argos_package_module()
    try:
        installed = argos_package.get_installed_packages([packages_dir])
    except (OSError, ValueError) as exc:
        # one folder without a readable metadata.json fails Argos' whole listing; skip only it
        log.warning("reading the Argos packages in %s folder by folder: %s", packages_dir, exc)
        installed = []
        for folder in sorted(packages_dir.iterdir()):
            try:
                if folder.is_dir():
                    installed.append(argos_package.Package(folder))
            except (OSError, ValueError) as err:
                log.warning("skipping %s: not an Argos package (%s)", folder, err)
    found = [p for i in installed if (p := _from_argos(i))]

    def version_key(p: ArgosPackage) -> tuple[int | str, ...]:
        return tuple(int(x) if x.isdigit() else x for x in p.package_version.split("."))

    found.sort(key=lambda p: (p.from_code, p.to_code, version_key(p)), reverse=True)
    return found


class _Loaded:
    """A CTranslate2 translator and its SentencePiece model, shared by the whole process."""

    def __init__(self, pkg: ArgosPackage, cfg: ArgosSettings) -> None:
        import ctranslate2
        import sentencepiece

        self.translator = ctranslate2.Translator(
            str(pkg.model_dir),
            device=cfg.device,
            compute_type=cfg.compute_type,
            inter_threads=cfg.inter_threads,
            intra_threads=cfg.intra_threads,
        )
        self.sp = sentencepiece.SentencePieceProcessor(model_file=str(pkg.sentencepiece))


_models: dict[tuple[Path, str, str, int, int], _Loaded] = {}
_models_lock = threading.Lock()


def load_model(pkg: ArgosPackage, cfg: ArgosSettings) -> _Loaded:
    """The loaded model of ``pkg``: loaded on first use, then reused by every caller."""
    key = (pkg.path.resolve(), cfg.device, cfg.compute_type, cfg.inter_threads, cfg.intra_threads)
    with _models_lock:
        loaded = _models.get(key)
        if loaded is None:
            log.info("loading Argos model %s (%s)", pkg.path.name, cfg.compute_type)
            loaded = _Loaded(pkg, cfg)
            _models[key] = loaded
        return loaded


def decode_pieces(sp: Any, pieces: Sequence[str]) -> str:
    """Join SentencePiece pieces into text; underscores stay underscores.

    Pieces the SentencePiece model does not know (padding entries of the model vocabulary)
    decode as its unknown symbol rather than leaking raw.
    """
    return str(sp.decode([sp.piece_to_id(p) for p in pieces]))


def _words(pieces: Sequence[str]) -> list[list[int]]:
    """The indexes of ``pieces`` grouped into words: a piece starting with "▁" starts one."""
    words: list[list[int]] = []
    for i, piece in enumerate(pieces):
        if not words or piece.startswith("▁"):
            words.append([])
        words[-1].append(i)
    return words


def _source_groups(
    text: str, runs: Sequence[tuple[int, int, int]], pieces: Sequence[str]
) -> list[int] | None:
    """The markup group (0 for none) of each source piece, or None when the pieces cannot be
    laid over the words of ``text``."""
    owner = [0] * len(text)
    for start, end, group in runs:
        owner[start:end] = [group] * (end - start)
    spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    words = _words(pieces)
    if len(words) != len(spans):
        return None
    out = [0] * len(pieces)
    for (start, end), word in zip(spans, words, strict=True):
        surfaces = [pieces[i].lstrip("▁") for i in word]
        if "".join(surfaces) == text[start:end]:
            at = start
            for i, surface in zip(word, surfaces, strict=True):
                out[i] = owner[at] if surface else owner[start]
                at += len(surface)
        else:  # the normalizer changed the word ("ﬁ" -> "fi"): its pieces share its first group
            first = next((owner[c] for c in range(start, end) if owner[c]), 0)
            for i in word:
                out[i] = first
    return out


def project_edges(
    sp: Any,
    text: str,
    runs: Sequence[tuple[int, int, int]],
    source: Sequence[str],
    target: Sequence[str],
    attention: Sequence[Sequence[float]],
) -> str:
    """The translation ``target`` with the markup runs of the source ``text`` around the
    target words that the model's attention aligns with their words.

    The model translates the sentence without its word-bound blanks, so the markup changes
    nothing in the translation. Each target piece is aligned with the source piece it attends
    to most; a target word takes the group most of its pieces align with, and a group no word
    took goes to the word attending to it most. A run's edges sit around letters and digits
    (the period after a bold word stays outside). The text is that of :func:`decode_pieces`.
    """
    translated = decode_pieces(sp, target).strip()
    groups = _source_groups(text, runs, source)
    if groups is None or not target:
        return translated
    width = min(len(source), min((len(row) for row in attention), default=0))
    if width == 0 or len(attention) < len(target):
        return translated
    aligned = [groups[max(range(width), key=row.__getitem__)] for row in attention]
    words = _words(target)
    # where each target word is in the translation, found in order
    places: list[tuple[int, int] | None] = []
    pos = 0
    for word in words:
        surface = decode_pieces(sp, [target[i] for i in word]).strip()
        at = translated.find(surface, pos) if surface else -1
        lead = next((k for k, c in enumerate(surface) if c.isalnum()), None)
        if at < 0 or lead is None:
            places.append(None)
            continue
        tail = max(k for k, c in enumerate(surface) if c.isalnum()) + 1
        places.append((at + lead, at + tail))
        pos = at + len(surface)
    owner = [0] * len(words)
    for w, word in enumerate(words):
        if places[w] is not None:
            votes = [aligned[i] for i in word]
            owner[w] = max(votes, key=lambda g: (votes.count(g), g == votes[0]))
    for group in sorted({g for _, _, g in runs} - set(owner)):
        weight = [
            sum(attention[i][k] for i in word for k in range(width) if groups[k] == group)
            if places[w] is not None and owner[w] == 0 else -1.0
            for w, word in enumerate(words)
        ]
        best = max(range(len(words)), key=weight.__getitem__)
        if weight[best] > 0:
            owner[best] = group
    out: list[tuple[int, int, int]] = []
    for w, group in enumerate(owner):
        place = places[w]
        if not group or place is None:
            continue
        if out and out[-1][2] == group and owner[w - 1] == group:
            out[-1] = (out[-1][0], place[1], group)
        else:
            out.append((place[0], place[1], group))
    return join_edges(translated, out)


#: how many numerals an Argos package offers as stand-ins for protected tokens
_STAND_INS = 60


@functools.lru_cache(maxsize=32)
def numeral_stand_ins(sentencepiece_model: Path) -> tuple[str, ...]:
    """Five-digit numerals that ``sentencepiece_model`` encodes and decodes unchanged.

    A character outside a SentencePiece vocabulary becomes the unknown piece and decodes as
    " ⁇ ": with the tiny or a narrow vocabulary "[" and even some digits do. Only digits that
    come back are used; a numeral is what translation models copy most faithfully, and a
    number in the source reads as a number in the model's grammar.
    """
    import sentencepiece

    sp = sentencepiece.SentencePieceProcessor(model_file=str(sentencepiece_model))

    def survives(text: str) -> bool:
        ids = sp.encode(text)
        return sp.unk_id() not in ids and sp.decode(ids) == text

    digits = [d for d in "9876543210" if survives(d)]
    if len(digits) < 2 or digits[0] == "0":
        return ()
    lead, rest = digits[0], sorted(digits)
    out: list[str] = []
    # lead digit, then the count written in the surviving digits: 90001, 90002, ... with all ten
    for n in range(1, len(rest) ** 4):
        body = ""
        for _ in range(4):
            n, r = divmod(n, len(rest))
            body = rest[r] + body
        numeral = lead + body
        if survives(numeral):
            out.append(numeral)
        if len(out) == _STAND_INS:
            break
    return tuple(out)


class ArgosEngine:
    """Translate with installed Argos packages through CTranslate2, in large batches."""

    name = "argos"

    def __init__(self, cfg: ArgosSettings) -> None:
        self.cfg = cfg
        self.packages_dir = cfg.packages_dir or default_packages_dir()
        self._packages: dict[tuple[str, str], ArgosPackage] | None = None

    @classmethod
    def from_settings(cls, settings: TranslationSettings) -> ArgosEngine:
        return cls(settings.argos)

    @property
    def packages(self) -> dict[tuple[str, str], ArgosPackage]:
        if self._packages is None:
            found: dict[tuple[str, str], ArgosPackage] = {}
            for pkg in discover(self.packages_dir):
                found.setdefault((pkg.from_code, pkg.to_code), pkg)
            self._packages = found
        return self._packages

    def pairs(self) -> list[tuple[str, str]]:
        return sorted(self.packages)

    def supports(self, source: str, target: str) -> bool:
        return (source, target) in self.packages

    def package(self, source: str, target: str) -> ArgosPackage:
        try:
            return self.packages[(source, target)]
        except KeyError:
            raise MissingLanguagePair(
                f"no Argos package for {source}->{target} in {self.packages_dir}"
            ) from None

    def model_version(self, source: str, target: str) -> str:
        return self.package(source, target).package_version

    def placeholders(self, source: str, target: str) -> Placeholders:
        # names get numerals too: a model may translate or transliterate a proper noun
        # ("Xavier" -> "Javier") but copies digits
        numerals = numeral_stand_ins(self.package(source, target).sentencepiece)
        # markup edges never reach the model: they are laid on its translation (project_edges)
        return Placeholders(numbers=numerals, names=numerals, edges=Edges.WORD_BLANKS)

    def preload(self, source: str, target: str) -> None:
        """Load the model now (a worker does this at start, not on its first task)."""
        load_model(self.package(source, target), self.cfg)

    def translate_batch(self, sentences: Sequence[str], source: str, target: str) -> list[str]:
        if not sentences:
            return []
        pkg = self.package(source, target)
        model = load_model(pkg, self.cfg)
        # the model sees each sentence without the edges of its markup runs
        edges = [split_edges(s) if WORD_BLANK.search(s) else None for s in sentences]
        plain = [e[0] if e is not None else s for s, e in zip(sentences, edges, strict=True)]
        tokens: list[list[str]] = model.sp.encode(plain, out_type=str)
        prefix = [[pkg.target_prefix]] * len(tokens) if pkg.target_prefix else None
        longest = max((len(t) for t in tokens), default=1)
        try:
            results = model.translator.translate_batch(
                tokens,
                target_prefix=prefix,
                beam_size=self.cfg.beam_size,
                max_batch_size=batch_size(len(tokens), self.cfg),
                batch_type=self.cfg.batch_type,
                length_penalty=self.cfg.length_penalty,
                # a translation seldom runs past twice its source length; the cap stops a
                # degenerate model from decoding hundreds of tokens per sentence
                max_decoding_length=min(self.cfg.max_decoding_length, 2 * longest + 16),
                replace_unknowns=True,
                return_attention=any(e is not None and e[1] for e in edges),
            )
        except (RuntimeError, ValueError) as exc:
            raise TranslationError(f"Argos model {pkg.path.name} failed: {exc}") from exc
        out: list[str] = []
        for res, encoded, edge in zip(results, tokens, edges, strict=True):
            pieces = list(res.hypotheses[0])
            attention = list(res.attention[0]) if res.attention else []
            if pkg.target_prefix and pieces and pieces[0] == pkg.target_prefix:
                pieces, attention = pieces[1:], attention[1:]
            if edge is not None and edge[1]:
                out.append(project_edges(model.sp, edge[0], edge[1], encoded, pieces, attention))
            else:
                out.append(decode_pieces(model.sp, pieces).strip())
        return out


def batch_size(n: int, cfg: ArgosSettings) -> int:
    """The batch size that splits ``n`` sentences into batches every decoding thread shares.

    CTranslate2 sorts a call's sentences by length and cuts them into batches of
    ``max_batch_size``, one batch per thread at a time. 80 sentences in batches of 16 make five:
    two threads decode two rounds, then one decodes the fifth while the other idles. Rounding
    the number of batches up to a multiple of ``inter_threads`` and sharing the sentences out
    evenly (four of 20) keeps every thread busy to the end; batches never exceed the setting.
    Token-sized batches are left as configured.
    """
    if cfg.batch_type != "examples" or n <= 0:
        return cfg.max_batch_size
    threads = max(1, cfg.inter_threads)
    batches = -(-n // cfg.max_batch_size)
    batches = -(-batches // threads) * threads
    return max(1, -(-n // batches))


def _check_archive(archive: Path) -> str:
    """The package folder ``archive`` holds, once it is known to be a translation package we run.

    argostranslate unpacks any zip into the packages folder, so the archive is read first and
    nothing is written unless it holds one folder with a translation metadata.json, a model/
    and a sentencepiece.model, and no member that would land outside that folder.
    """
    if not zipfile.is_zipfile(archive):
        raise UsageError(f"{archive} is not an Argos package (expected a zip .argosmodel file)")
    try:
        with zipfile.ZipFile(archive) as zf:
            names = zf.namelist()
            for info in zf.infolist():
                name = info.filename
                if name.startswith(("/", "\\")) or ".." in Path(name).parts:
                    raise UsageError(f"refusing to install: archive member {name!r} escapes the folder")
                if stat.S_ISLNK(info.external_attr >> 16):
                    raise UsageError(f"refusing to install: archive member {name!r} is a symbolic link")
            tops = {Path(n).parts[0] for n in names if n.strip("/")}
            if len(tops) != 1:
                raise UsageError(f"{archive} must hold exactly one package folder, found {len(tops)}")
            top = tops.pop()
            if f"{top}/metadata.json" not in names:
                raise UsageError(f"{archive} has no {top}/metadata.json: not an Argos package")
            meta: Any = json.loads(zf.read(f"{top}/metadata.json"))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UsageError(f"{archive} is a damaged Argos package: {exc}") from None
    usable = (
        isinstance(meta, dict)
        and meta.get("type", "translate") == "translate"
        and isinstance(meta.get("from_code"), str)
        and isinstance(meta.get("to_code"), str)
        and any(n.startswith(f"{top}/model/") for n in names)
        and f"{top}/sentencepiece.model" in names
    )
    if not usable:
        raise UsageError(
            f"{archive} is not a usable translation package "
            "(needs metadata.json of type translate, model/ and sentencepiece.model)"
        )
    return top


_install_lock = threading.Lock()


def install_package_file(archive: Path, packages_dir: Path | None = None) -> ArgosPackage:
    """Install a ``.argosmodel`` file with argostranslate's installer; return the package.

    ``packages_dir`` (default: Argos' packages folder, read now) is where it goes: Argos
    reads its own folder once, when first imported, so it is pointed at ours for the install.
    A package already installed under the same name is replaced.
    """
    dest = packages_dir or default_packages_dir()
    top = _check_archive(archive)
    argos_package = _argos_package_module()
    from argostranslate import settings as argos_settings

    dest.mkdir(parents=True, exist_ok=True)
    with _install_lock:
        saved = argos_settings.package_data_dir
        argos_settings.package_data_dir = dest
        try:
            if (dest / top).exists():
                shutil.rmtree(dest / top)
            argos_package.install_from_path(archive)
        # argostranslate raises a bare Exception for an archive it rejects
        except Exception as exc:
            shutil.rmtree(dest / top, ignore_errors=True)
            raise UsageError(f"cannot install {archive}: {exc}") from None
        finally:
            argos_settings.package_data_dir = saved
    installed = read_package(dest / top)
    if installed is None:
        raise UsageError(f"{archive} installed in {dest / top} but is not a usable package")
    return installed


register_engine("argos", ArgosEngine.from_settings)
