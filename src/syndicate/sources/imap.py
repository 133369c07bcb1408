"""An IMAP mailbox polled for e-mailed stories (stringers, smaller agencies): each message once.

Messages are read with ``BODY.PEEK[]`` (a desk sharing the mailbox still sees them unread) and
never deleted or moved. What was taken is remembered twice: in the state store (the mailbox's
UIDVALIDITY, the highest UID taken, the messages claimed and not yet settled) and on the
message itself, which gets the keyword (``$Syndicated`` by default) once its ingest job is
recorded, so a mailbox read again from scratch (a new UIDVALIDITY, an emptied store) skips it.
A rejected message also gets ``$SyndicateRejected``, and a copy beside its reason under
``<data dir>/quarantine/<source>/``. The password comes from the environment variable the
source names (``password_env``), never from the configuration file.
"""

from __future__ import annotations

import imaplib
import logging
import os
import re
import ssl
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from syndicate.errors import ConfigError, TransientError
from syndicate.quarantine import quarantine
from syndicate.sources import Arrival, SourceEnv, register, source_options
from syndicate.store import Store

log = logging.getLogger("syndicate.sources.imap")

#: an IMAP flag keyword is an atom: no space, parentheses, braces, quotes, wildcards or ']'
_ATOM = re.compile(r"^\$?[A-Za-z0-9_.\-]+$")
_FETCH_UID = re.compile(rb"\bUID (\d+)")
#: UIDs per command: keeps each command line well under what servers accept
_CHUNK = 200


class ImapOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    host: str
    #: default: 993 for ``security: ssl``, else 143
    port: int | None = None
    #: ``ssl`` (IMAPS), ``starttls`` (upgrade on the plain port), ``none`` (loopback only)
    security: Literal["ssl", "starttls", "none"] = "ssl"
    username: str
    #: the environment variable holding the password
    password_env: str = "SYNDICATE_IMAP_PASSWORD"
    mailbox: str = "INBOX"
    #: set on a message once its ingest job is recorded; such messages are never taken again
    keyword: str = "$Syndicated"
    #: set besides ``keyword`` on a message whose ingest was refused
    rejected_keyword: str = "$SyndicateRejected"
    #: messages taken per poll (the rest wait for the next round)
    batch: int = 100
    #: seconds for connecting and for each command
    timeout: float = 30.0
    #: CA bundle for a server certificate not signed by a public authority
    ca_file: Path | None = None
    #: where rejected messages are copied (default: <data dir>/quarantine/<source>)
    quarantine_dir: Path | None = None

    @field_validator("keyword", "rejected_keyword")
    @classmethod
    def _atom(cls, value: str) -> str:
        if not _ATOM.match(value):
            raise ValueError(f"{value!r} is not an IMAP keyword (letters, digits, '$', '_', "
                             "'.', '-'; no spaces or brackets)")
        return value

    @field_validator("batch")
    @classmethod
    def _positive(cls, value: int) -> int:
        if value < 1:
            raise ValueError("must be at least 1")
        return value

    @model_validator(mode="after")
    def _distinct(self) -> ImapOptions:
        if self.keyword.lower() == self.rejected_keyword.lower():
            raise ValueError("keyword and rejected_keyword must differ")
        return self

    def server(self) -> str:
        port = self.port or (993 if self.security == "ssl" else 143)
        return f"{self.host}:{port}"


class ImapSource:
    """One mailbox. A ref is ``<UIDVALIDITY>:<UID>``: a UID means nothing without it."""

    def __init__(self, name: str, opts: ImapOptions, env: SourceEnv, password: str) -> None:
        self.name = name
        self.opts = opts
        self.store: Store = env.store
        self.root = f"imap://{opts.username}@{opts.server()}/{opts.mailbox}"
        self.quarantine_dir = opts.quarantine_dir or env.data_dir / "quarantine" / name
        self._password = password
        self._conn: imaplib.IMAP4 | None = None
        self._validity: str | None = None
        # store namespaces: the mailbox's position, and refs claimed and not yet settled
        self._state = f"imap:{name}"
        self._claimed = f"imap-claimed:{name}"

    # -- connection -----------------------------------------------------------------------

    def _connect(self) -> imaplib.IMAP4:
        o = self.opts
        port = o.port or (993 if o.security == "ssl" else 143)
        context = ssl.create_default_context(cafile=str(o.ca_file) if o.ca_file else None)
        try:
            conn: imaplib.IMAP4
            if o.security == "ssl":
                conn = imaplib.IMAP4_SSL(o.host, port, ssl_context=context, timeout=o.timeout)
            else:
                conn = imaplib.IMAP4(o.host, port, timeout=o.timeout)
                if o.security == "starttls":
                    conn.starttls(ssl_context=context)
        except (OSError, imaplib.IMAP4.error) as exc:
            raise TransientError(f"cannot reach the IMAP server {o.server()}: {exc}") from exc
        try:
            conn.login(o.username, self._password)
        except imaplib.IMAP4.error as exc:
            _close(conn)
            raise TransientError(
                f"the IMAP server {o.server()} refused the login of {o.username!r} "
                f"(password from ${o.password_env}): {_text(exc)}") from exc
        typ, _ = conn.select(_quoted(o.mailbox))
        if typ != "OK":
            _close(conn)
            raise TransientError(f"the mailbox {o.mailbox!r} cannot be opened on {o.server()}")
        _, values = conn.response("UIDVALIDITY")
        validity = next((v for v in reversed(values or [])
                         if isinstance(v, bytes) and v.strip().isdigit()), None)
        if validity is None:
            _close(conn)
            raise TransientError(f"the mailbox {o.mailbox!r} on {o.server()} gave no "
                                 "UIDVALIDITY (not an IMAP4rev1 server?)")
        self._validity = validity.strip().decode("ascii")
        return conn

    @contextmanager
    def _session(self) -> Iterator[imaplib.IMAP4]:
        """The open connection, or a new one; a connection that broke is dropped, and the
        error becomes transient (the next round connects again)."""
        if self._conn is None:
            self._conn = self._connect()
        try:
            yield self._conn
        except (OSError, imaplib.IMAP4.abort) as exc:
            self.close()
            raise TransientError(f"the IMAP connection to {self.opts.server()} broke: {exc}") \
                from exc

    def close(self) -> None:
        if self._conn is not None:
            _close(self._conn)
            self._conn = None

    # -- the source protocol -------------------------------------------------------------

    def poll(self) -> list[Arrival]:
        with self._session() as conn:
            validity = self._validity or ""
            last = self._position(validity)
            claimed = set(self.store.seen_keys(self._claimed))
            typ, data = conn.uid("SEARCH", f"UID {last + 1}:*", "UNKEYWORD",
                                 self.opts.keyword)
            if typ != "OK":
                raise TransientError(f"searching {self.root} failed: {_text(data)}")
            # 'n:*' always includes the highest UID, even below n: keep only what is new
            uids = sorted(u for u in (int(x) for x in b" ".join(data or [b""]).split())
                          if u > last)
            uids = [u for u in uids if f"{validity}:{u}" not in claimed][: self.opts.batch]
            out: list[Arrival] = []
            for uid in uids:
                ref = f"{validity}:{uid}"
                # claimed before it is read: a poller that dies from here on leaves it in flight,
                # and the next round queues it again (collect's re-queue)
                self.store.mark_seen(self._claimed, ref, str(int(time.time())))
            for uid, body in self._fetch(conn, uids):
                out.append(Arrival(f"{validity}:{uid}", f"{uid}.eml", body))
            if uids:
                self.store.mark_seen(self._state, "last_uid", str(uids[-1]))
            missing = set(uids) - {int(a.ref.split(":")[1]) for a in out}
            for uid in missing:  # expunged between SEARCH and FETCH: nothing to take
                self.store.forget_seen(self._claimed, f"{validity}:{uid}")
            return out

    def recorded(self, refs: Sequence[str]) -> None:
        """Their ingest jobs are recorded: mark the messages, so no later reading takes them."""
        self._flag(refs, (self.opts.keyword,))

    def in_flight(self) -> list[str]:
        refs = self.store.seen_keys(self._claimed)
        if not refs:
            return []
        with self._session():
            current = [r for r in refs if r.split(":", 1)[0] == self._validity]
        for ref in set(refs) - set(current):
            # claimed under a UIDVALIDITY the mailbox no longer has: its UID names nothing now;
            # unless it was marked, the message is read again under its new UID
            log.warning("%s: message %s was claimed before the mailbox's UIDVALIDITY changed "
                        "to %s; dropped from the messages in flight", self.root, ref,
                        self._validity, extra={"source": self.name})
            self.store.forget_seen(self._claimed, ref)
            self.store.forget_seen(f"queued:{self.name}", ref)
        return sorted(current, key=lambda r: int(r.split(":", 1)[1]))

    def read_claimed(self, ref: str) -> tuple[bytes, str]:
        uid = int(ref.split(":", 1)[1])
        with self._session() as conn:
            got = dict(self._fetch(conn, [uid]))
        if uid not in got:
            raise TransientError(f"{self.root}: message {ref} is no longer in the mailbox")
        return got[uid], f"{uid}.eml"

    def settle(self, ref: str, ok: bool, reason: str | None) -> Path | None:
        validity, uid = ref.split(":", 1)
        kept: Path | None = None
        with self._session() as conn:
            current = validity == self._validity
            if not ok and current:
                got = dict(self._fetch(conn, [int(uid)]))
                if int(uid) in got:
                    kept = quarantine(got[int(uid)], f"{self.name}-{uid}.eml",
                                      reason or "rejected", self.quarantine_dir)
            if current:
                keywords = (self.opts.keyword,) if ok else (self.opts.keyword,
                                                            self.opts.rejected_keyword)
                self._flag([ref], keywords, conn)
            else:
                log.warning("%s: the mailbox's UIDVALIDITY changed before message %s was "
                            "settled; it is not marked", self.root, ref,
                            extra={"source": self.name})
        self.store.forget_seen(self._claimed, ref)
        return kept

    # -- helpers -------------------------------------------------------------------------

    def _position(self, validity: str) -> int:
        """The highest UID taken so far under ``validity``; a new UIDVALIDITY starts over."""
        stored = self.store.seen_marker(self._state, "uidvalidity")
        if stored != validity:
            if stored is not None:
                log.warning("%s: UIDVALIDITY changed from %s to %s (the mailbox was recreated): "
                            "reading it again, skipping messages marked %s", self.root, stored,
                            validity, self.opts.keyword, extra={"source": self.name})
            self.store.mark_seen(self._state, "uidvalidity", validity)
            self.store.mark_seen(self._state, "last_uid", "0")
            return 0
        return int(self.store.seen_marker(self._state, "last_uid") or 0)

    def _fetch(self, conn: imaplib.IMAP4, uids: Sequence[int]) -> Iterator[tuple[int, bytes]]:
        for i in range(0, len(uids), _CHUNK):
            chunk = ",".join(str(u) for u in uids[i:i + _CHUNK])
            typ, data = conn.uid("FETCH", chunk, "(UID BODY.PEEK[])")
            if typ != "OK":
                raise TransientError(f"fetching from {self.root} failed: {_text(data)}")
            for part in data or []:
                if isinstance(part, tuple) and len(part) == 2:
                    found = _FETCH_UID.search(part[0])
                    if found:
                        yield int(found.group(1)), part[1]

    def _flag(self, refs: Sequence[str], keywords: Sequence[str],
              conn: imaplib.IMAP4 | None = None) -> None:
        uids = [int(r.split(":", 1)[1]) for r in refs if r.split(":", 1)[0] == self._validity]
        if not uids:
            return
        flags = "(" + " ".join(keywords) + ")"
        if conn is None:
            with self._session() as session:
                self._store_flags(session, uids, flags)
        else:
            self._store_flags(conn, uids, flags)

    def _store_flags(self, conn: imaplib.IMAP4, uids: Sequence[int], flags: str) -> None:
        for i in range(0, len(uids), _CHUNK):
            chunk = ",".join(str(u) for u in uids[i:i + _CHUNK])
            typ, data = conn.uid("STORE", chunk, "+FLAGS.SILENT", flags)
            if typ != "OK":
                raise TransientError(f"marking messages in {self.root} failed: {_text(data)} "
                                     "(does the mailbox allow keywords?)")


def _quoted(mailbox: str) -> str:
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _text(value: object) -> str:
    if isinstance(value, BaseException):
        value = value.args[0] if value.args else str(value)
    if isinstance(value, list):
        value = b" ".join(x for x in value if isinstance(x, bytes))
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _close(conn: imaplib.IMAP4) -> None:
    with suppress(OSError, imaplib.IMAP4.error):
        conn.logout()


@register("imap")
def _factory(name: str, options: dict[str, object], env: SourceEnv) -> ImapSource:
    opts = source_options(ImapOptions, "imap", name, options)
    password = os.environ.get(opts.password_env)
    if not password:
        raise ConfigError(f"imap source {name!r}: the password is read from the environment "
                          f"variable {opts.password_env}, which is not set")
    return ImapSource(name, opts, env, password)
