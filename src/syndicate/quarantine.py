"""Quarantine: keep a copy of input that could not be used, beside a one-sentence reason."""

from __future__ import annotations

import os
import re
from pathlib import Path

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str, max_len: int = 120) -> str:
    """A file name that is safe on every file system and keeps the original recognisable."""
    cleaned = _UNSAFE.sub("_", name).strip("._") or "input"
    return cleaned[-max_len:]


def _unique(directory: Path, name: str) -> Path:
    path = directory / name
    n = 1
    while path.exists() or path.with_name(path.name + ".reason.txt").exists():
        stem, dot, ext = name.partition(".")
        path = directory / f"{stem}-{n}{dot}{ext}"
        n += 1
    return path


def quarantine(data: bytes, name: str, reason: str, directory: Path) -> Path:
    """Write ``data`` to ``directory/<name>`` and the reason to ``<name>.reason.txt``.

    Never overwrites an earlier quarantined copy: a second file of the same name gets a
    numbered name. Both files are written atomically (temporary name, then rename).
    Returns the path of the quarantined copy.
    """
    directory.mkdir(parents=True, exist_ok=True)
    target = _unique(directory, safe_name(name))
    reason_text = reason.strip().rstrip(".") + ".\n"
    for path, payload in ((target, data), (target.with_name(target.name + ".reason.txt"),
                                           reason_text.encode("utf-8"))):
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        tmp.write_bytes(payload)
        os.replace(tmp, path)
    return target


def reason_path(path: Path) -> Path:
    return path.with_name(path.name + ".reason.txt")


def _write_atomically(path: Path, payload: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(payload)
    os.replace(tmp, path)


def update_reason(path: Path, reason: str) -> None:
    """A replay of quarantined input failed again: its reason file says why, now."""
    if path.exists():
        _write_atomically(reason_path(path), (reason.strip().rstrip(".") + ".\n").encode("utf-8"))


def release(path: Path, day: str | None = None) -> Path | None:
    """A replay of quarantined input worked: move the copy and its reason out of quarantine,
    into ``.archive/<day>/`` beside the quarantine folder. None when the copy is gone (released
    already, or on a machine that does not see the folder)."""
    import datetime as dt

    if not path.exists():
        return None
    day = day or dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    archive = path.parent.parent / ".archive" / day
    archive.mkdir(parents=True, exist_ok=True)
    target = _unique(archive, path.name)
    os.replace(path, target)
    reason = reason_path(path)
    if reason.exists():
        os.replace(reason, reason_path(target))
    return target
