"""A folder on disk (or a mounted share): each delivery is written atomically under its key."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import socket
import tempfile
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from syndicate.destinations import Delivery, register
from syndicate.destinations._options import OptionProblem, validate
from syndicate.errors import DeliveryFailed, DeliveryRejected

#: errors no retry can fix: the file system or the configuration has to change first
_PERMANENT = frozenset({
    errno.ENOTDIR, errno.EISDIR, errno.EACCES, errno.EPERM, errno.EROFS, errno.ENAMETOOLONG,
    # mkdir of a folder whose name a file already holds
    errno.EEXIST,
})


class DirectoryOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    path: Path
    #: include the partner id as the first path component (off: the path is per partner already)
    partner_subdir: bool = False


def _absolute(path: Path) -> Path:
    # not resolve(): a symlinked share should be named as configured
    return Path(os.path.abspath(path))


def _blocking_file(folder: Path) -> Path | None:
    """The file standing where ``folder`` or one of its parents should be a folder, if any."""
    for p in (folder, *folder.parents):
        if os.path.exists(p):
            return None if os.path.isdir(p) else p
        if os.path.islink(p):  # a dangling link: nothing can be created through it
            return p
    return None


def _not_a_folder(p: Path) -> str:
    return "a broken symbolic link" if os.path.islink(p) and not os.path.exists(p) else "a file"


def _nearest_existing(folder: Path) -> Path:
    for p in (folder, *folder.parents):
        if os.path.exists(p):
            return p
    return Path(folder.anchor or "/")


class DirectoryDestination:
    type = "directory"

    def __init__(self, options: DirectoryOptions) -> None:
        self.root = options.path
        self.partner_subdir = options.partner_subdir

    def check(self) -> list[OptionProblem]:
        """Whether deliveries can be written under the folder, as far as this machine can tell."""
        root = _absolute(self.root)
        blocker = _blocking_file(root)
        if blocker == root:
            return [OptionProblem("path", f"{root} is {_not_a_folder(root)}, not a folder; move "
                                          "it away or point path at a folder")]
        if blocker is not None:
            return [OptionProblem("path", f"{root} cannot be created: {blocker} is "
                                          f"{_not_a_folder(blocker)}, not a folder; move it "
                                          "away or point path elsewhere")]
        existing = _nearest_existing(root)
        try:
            name_max = os.pathconf(existing, "PC_NAME_MAX")
        except (OSError, ValueError):
            name_max = 255
        long = [part for part in root.parts if len(os.fsencode(part)) > name_max]
        if long:
            return [OptionProblem("path", f"{root}: the name {long[0][:40]}... is longer than the "
                                          f"file system allows ({name_max} bytes); shorten path")]
        if not os.access(existing, os.W_OK | os.X_OK):
            what = "" if existing == root else f" (so {root} cannot be created)"
            return [OptionProblem("path", f"{existing} is not writable by this user{what}; give "
                                          "it write access or point path elsewhere")]
        return []

    def remove_stale_parts(self) -> list[Path]:
        return remove_stale_parts(self.root) if self.root.is_dir() else []

    def deliver(self, delivery: Delivery) -> str:
        rel = delivery.key if self.partner_subdir else delivery.relative_key
        target = self.root / rel
        data = delivery.content
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            # tmp file in the same folder + rename: readers never see half a file, and a
            # retried delivery replaces the earlier one instead of adding a second
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=_tmp_prefix(), suffix=".part")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, target)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        except OSError as exc:
            if exc.errno in _PERMANENT:
                raise DeliveryRejected(_refusal(target, exc)) from exc
            # a full disk, an I/O error, a share that went away: worth another try
            raise DeliveryFailed(f"cannot write {target}: {exc.strerror or exc}") from exc
        return str(target)


def _tmp_prefix() -> str:
    # the writer's host and process in the name: a later worker can tell a partial file whose
    # writer died from one being written right now
    return f".tmp-{_HOST}-{os.getpid()}-"


_HOST = re.sub(r"[^A-Za-z0-9]+", "", socket.gethostname())[:40] or "host"
#: a partial file from another machine is taken as abandoned after this long
FOREIGN_PART_AGE = 15 * 60


def _writer_alive(name: str, written: float) -> bool | None:
    """Whether the process that writes the partial file ``name`` (last written at ``written``)
    lives (None: not ours to tell)."""
    parts = name.split("-", 3)
    if len(parts) < 4 or parts[1] != _HOST or not parts[2].isdigit():
        return None
    return _process_alive(int(parts[2]), written)


def _process_alive(pid: int, since: float) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: ask the kernel whether the pid exists
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    # after the command name (in parentheses): state, ..., start time in clock ticks
    fields = stat.rsplit(")", 1)[-1].split()
    if fields[0] in ("Z", "X"):  # killed, not yet reaped
        return False
    try:
        boot = next(float(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines()
                    if line.startswith("btime "))
        started = boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, StopIteration, ValueError, IndexError):
        return True
    # a process that started after the file was written is another one under a reused pid
    return started <= since + 1.0


def remove_stale_parts(root: Path, now: float | None = None) -> list[Path]:
    """Delete partial files under ``root`` whose writer died (killed mid-write); returns them.

    A file written by a live process of this machine is left alone; one from another machine
    (or from before writers were named) once it is older than FOREIGN_PART_AGE.
    """
    import time

    now = now or time.time()
    removed = []
    for folder, _dirs, files in os.walk(root):
        for name in files:
            if not (name.startswith(".tmp-") and name.endswith(".part")):
                continue
            path = Path(folder) / name
            try:
                written = path.stat().st_mtime
                alive = _writer_alive(name, written)
                if alive is False or (alive is None and now - written > FOREIGN_PART_AGE):
                    path.unlink()
                    removed.append(path)
            except FileNotFoundError:  # renamed into place or removed meanwhile
                continue
    return removed


def _refusal(target: Path, exc: OSError) -> str:
    """Why ``target`` can never be written as things stand, and what to change."""
    target = _absolute(target)
    then = "then replay the dead letter (`syndicate replay`)"
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        blocker = _blocking_file(target.parent) or target.parent
        return (f"cannot write {target}: {blocker} is {_not_a_folder(blocker)} where a folder "
                f"should be; move it away or point the destination's path elsewhere, {then}")
    if exc.errno == errno.EISDIR:
        return (f"cannot write {target}: a folder of that name is in the way; remove it, {then}")
    if exc.errno in (errno.EACCES, errno.EPERM):
        folder = _nearest_existing(target.parent)
        return (f"cannot write {target}: permission denied; give this worker's user write "
                f"access to {folder} or point the destination's path elsewhere, {then}")
    if exc.errno == errno.EROFS:
        return (f"cannot write {target}: the file system is read-only; mount it read-write or "
                f"point the destination's path elsewhere, {then}")
    if exc.errno == errno.ENAMETOOLONG:
        return (f"cannot write {target}: the path is too long for the file system; shorten "
                f"the destination's path, {then}")
    return f"cannot write {target}: {exc.strerror or exc}"


@register("directory")
def _factory(options: dict[str, object]) -> DirectoryDestination:
    return DirectoryDestination(validate(DirectoryOptions, "directory", options))
