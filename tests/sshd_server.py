"""A real SFTP server for the tests: Debian's OpenSSH server, started on a spare loopback port.

openssh-server is a test-only package (``packages-test.txt``, installed by ``scripts/setup
--test``). Each server has its own folder (configuration, host key, the client key it lets in,
the files uploaded); it is never the machine's service and is stopped (and its folder removed)
by :meth:`Sshd.stop`. The login is the user running the tests (root, with the test key, when
they run as root).
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

SSHD = "/usr/sbin/sshd"


def sshd_binary() -> str | None:
    return next((p for p in (SSHD, shutil.which("sshd")) if p and os.access(p, os.X_OK)), None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def keygen(path: Path, kind: str = "ed25519") -> Path:
    """A new key pair at ``path`` (and ``path``.pub), without a passphrase."""
    subprocess.run(["ssh-keygen", "-q", "-t", kind, "-N", "", "-C", "syndicate-test",
                    "-f", str(path)], check=True)
    return path


class Sshd:
    def __init__(self, port: int | None = None, read_only: bool = False) -> None:
        """``read_only``: the SFTP server refuses every write (permission denied), as a
        partner's account without write access would, even to root."""
        binary = sshd_binary()
        if binary is None:
            raise RuntimeError("OpenSSH's server is not installed: `scripts/setup --test` "
                               "installs the test-only Debian packages of packages-test.txt")
        self.binary = binary
        self.folder = Path(tempfile.mkdtemp(prefix="syndicate-sftp-"))
        self.port = port or free_port()
        self.user = pwd.getpwuid(os.getuid()).pw_name
        self.host_key = keygen(self.folder / "host_ed25519")
        self.client_key = keygen(self.folder / "client_ed25519")
        (self.folder / "authorized_keys").write_text(
            (self.folder / "client_ed25519.pub").read_text())
        #: where the tests have their files uploaded (absolute: the login folder is not ours)
        self.root = self.folder / "files"
        self.root.mkdir()
        self.proc: subprocess.Popen[bytes] | None = None
        (self.folder / "sshd_config").write_text(f"""\
ListenAddress 127.0.0.1
Port {self.port}
HostKey {self.host_key}
PidFile {self.folder}/sshd.pid
AuthorizedKeysFile {self.folder}/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UsePAM no
StrictModes no
Subsystem sftp internal-sftp{" -R" if read_only else ""}
LogLevel VERBOSE
""")

    def start(self) -> None:
        if os.getuid() == 0:
            # the privilege separation folder (a folder, not the machine's service)
            Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
        self.log_file = (self.folder / "sshd.log").open("wb")
        self.proc = subprocess.Popen(
            [self.binary, "-D", "-e", "-f", str(self.folder / "sshd_config")],
            stdout=self.log_file, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"sshd stopped at start: {self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    if s.recv(4).startswith(b"SSH-"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"sshd did not answer on 127.0.0.1:{self.port}: {self.log()}")

    def halt(self) -> None:
        """Stop the server, keeping its folder (and its port, to start it again)."""
        if self.proc is not None and self.proc.poll() is None:
            # each session process sshd forks starts a session of its own: they are found as
            # its descendants, and end with it (as the connections of a crashed server would)
            sessions = _descendants(self.proc.pid)
            os.killpg(self.proc.pid, signal.SIGTERM)
            for pid in sessions:
                with suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.proc = None

    def stop(self) -> None:
        self.halt()
        shutil.rmtree(self.folder, ignore_errors=True)

    def log(self) -> str:
        path = self.folder / "sshd.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def public_host_key(self) -> str:
        """``ssh-ed25519 AAAA...`` (without the comment), as a known_hosts line carries it."""
        kind, blob, *_ = (self.folder / "host_ed25519.pub").read_text().split()
        return f"{kind} {blob}"

    def host_fingerprint(self) -> str:
        out = subprocess.run(["ssh-keygen", "-l", "-E", "sha256", "-f",
                              str(self.folder / "host_ed25519.pub")],
                             check=True, capture_output=True, text=True).stdout
        return out.split()[1]

    def known_hosts(self) -> Path:
        path = self.folder / "known_hosts"
        path.write_text(f"[127.0.0.1]:{self.port} {self.public_host_key()}\n")
        return path

    def options(self, **more: object) -> dict[str, object]:
        """The options of an ``sftp`` destination uploading under ``root``."""
        return {"host": "127.0.0.1", "port": self.port, "username": self.user,
                "key_file": str(self.client_key), "known_hosts": str(self.known_hosts()),
                "path": str(self.root), "timeout": 10, **more}


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


@contextmanager
def running(read_only: bool = False) -> Iterator[Sshd]:
    server = Sshd(read_only=read_only)
    try:
        server.start()
        yield server
    finally:
        server.stop()
