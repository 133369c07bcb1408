"""A real IMAP server for the tests: Debian's Dovecot, started on a spare loopback port.

Dovecot is a test-only package (``packages-test.txt``, installed by ``scripts/setup --test``).
Each server has its own folder (configuration, mail, logs) and one user; it is never the
machine's service and is stopped (and its folder removed) by :meth:`Dovecot.stop`.
"""

from __future__ import annotations

import imaplib
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

USER = "desk"
PASSWORD = "wire-secret"


def dovecot_binary() -> str | None:
    return shutil.which("dovecot") or next(
        (p for p in ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot") if os.access(p, os.X_OK)),
        None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Dovecot:
    def __init__(self) -> None:
        binary = dovecot_binary()
        if binary is None:
            raise RuntimeError("Dovecot is not installed: `scripts/setup --test` installs the "
                               "test-only Debian packages of packages-test.txt")
        self.binary = binary
        # not under pytest's tmp_path: its folders are private to the test user, and Dovecot's
        # mail processes run as an unprivileged user when the tests run as root
        self.folder = Path(tempfile.mkdtemp(prefix="syndicate-imap-"))
        self.folder.chmod(0o755)
        self.port = _free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        if os.getuid() == 0:
            # Dovecot never gives mail to root: the package's own unprivileged user holds it
            mail_user = pwd.getpwnam("dovecot")
            internal = "dovecot"
            login = "dovenull"
        else:
            mail_user = pwd.getpwuid(os.getuid())
            internal = login = mail_user.pw_name
        for sub in ("mail", "home"):
            path = self.folder / sub
            path.mkdir()
            os.chown(path, mail_user.pw_uid, mail_user.pw_gid)
        (self.folder / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        (self.folder / "dovecot.conf").write_text(f"""\
base_dir = {self.folder}/run
state_dir = {self.folder}/state
instance_name = syndicate-test-{self.port}
log_path = {self.folder}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal}
default_login_user = {login}
mail_location = maildir:{self.folder}/mail/%u
first_valid_uid = {mail_user.pw_uid}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.folder}/users
}}
userdb {{
  driver = static
  args = uid={mail_user.pw_uid} gid={mail_user.pw_gid} home={self.folder}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
""")

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [self.binary, "-F", "-c", str(self.folder / "dovecot.conf")],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Dovecot stopped at start: {self.log()}"
                                   f"{self.proc.stderr.read().decode() if self.proc.stderr else ''}")
            try:
                with self.client():
                    return
            except (OSError, imaplib.IMAP4.error):
                time.sleep(0.1)
        raise RuntimeError(f"Dovecot did not answer on 127.0.0.1:{self.port}: {self.log()}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        shutil.rmtree(self.folder, ignore_errors=True)

    def log(self) -> str:
        path = self.folder / "dovecot.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def source_options(self, mailbox: str = "INBOX", **more: object) -> dict[str, object]:
        """The options of an ``imap`` source reading this server's mailbox."""
        return {"type": "imap", "host": "127.0.0.1", "port": self.port, "security": "none",
                "username": USER, "password_env": "SYNDICATE_TEST_IMAP_PASSWORD",
                "mailbox": mailbox, **more}

    @contextmanager
    def client(self, mailbox: str | None = None) -> Iterator[imaplib.IMAP4]:
        conn = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        try:
            conn.login(USER, PASSWORD)
            if mailbox is not None:
                conn.select(f'"{mailbox}"')
            yield conn
        finally:
            with suppress(OSError, imaplib.IMAP4.error):
                conn.logout()

    def create_mailbox(self, mailbox: str) -> None:
        with self.client() as conn:
            typ, data = conn.create(f'"{mailbox}"')
            assert typ == "OK", data

    def delete_mailbox(self, mailbox: str) -> None:
        with self.client() as conn:
            typ, data = conn.delete(f'"{mailbox}"')
            assert typ == "OK", data

    def append(self, message: bytes, mailbox: str = "INBOX", flags: str | None = None) -> int:
        """Deliver ``message``; returns its UID."""
        with self.client() as conn:
            typ, data = conn.append(f'"{mailbox}"', flags, None, message)
            assert typ == "OK", data
            found = re.search(rb"APPENDUID \d+ (\d+)", data[0] or b"")
            assert found, data
            return int(found.group(1))

    def flags(self, mailbox: str = "INBOX") -> dict[int, set[str]]:
        """Each message's UID and flags."""
        with self.client(mailbox) as conn:
            typ, data = conn.uid("FETCH", "1:*", "(UID FLAGS)")
            assert typ == "OK", data
            out: dict[int, set[str]] = {}
            for line in data:
                if not isinstance(line, bytes):
                    continue
                uid = re.search(rb"UID (\d+)", line)
                flags = re.search(rb"FLAGS \(([^)]*)\)", line)
                if uid and flags:
                    out[int(uid.group(1))] = set(flags.group(1).decode().split())
            return out

    def uidvalidity(self, mailbox: str = "INBOX") -> int:
        with self.client() as conn:
            typ, data = conn.status(f'"{mailbox}"', "(UIDVALIDITY)")
            assert typ == "OK", data
            found = re.search(rb"UIDVALIDITY (\d+)", data[0] or b"")
            assert found, data
            return int(found.group(1))


def message(n: int, subject: str | None = None, body: str | None = None) -> bytes:
    """An e-mailed story, as a stringer files it."""
    subject = subject or f"Flood waters recede in river town number {n}"
    body = body or (f"RIVERTON, Nov 29 - Flood waters began to recede in town number {n} on "
                    "Sunday after three days of heavy rain.\n\nThe council said roads would "
                    "reopen on Monday.\n")
    return (f"From: Ana Reyes <ana.reyes@stringers.example.org>\r\n"
            f"To: desk@wire.example.com\r\n"
            f"Subject: {subject}\r\n"
            f"Date: Sun, 29 Nov 2026 10:{n % 60:02d}:00 -0500\r\n"
            f"Message-ID: <story-{n}@stringers.example.org>\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: 8bit\r\n"
            "\r\n" + body.replace("\n", "\r\n")).encode("utf-8")


@contextmanager
def running() -> Iterator[Dovecot]:
    server = Dovecot()
    try:
        server.start()
        yield server
    finally:
        server.stop()
