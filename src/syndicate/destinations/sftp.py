"""A folder on a partner's SFTP server: each delivery is uploaded under a temporary name and
renamed into place under its key, so the partner never sees half a file.

The server is known in advance: its host key comes from a known_hosts file or is pinned in
the options (``host_key``), and a server whose key is not known is refused, never trusted.
The client key or password comes from a file or from the environment, never from the
configuration. Connections are kept open between deliveries of one process, a few per
destination, and opened again when the server dropped one.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import errno
import functools
import hashlib
import io
import os
import posixpath
import re
import secrets
import stat
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import paramiko
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from paramiko.message import Message
from paramiko.sftp import CMD_INIT, CMD_VERSION, SFTPError
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from syndicate.destinations import Delivery, register
from syndicate.destinations._options import OptionError, OptionProblem, validate
from syndicate.destinations.directory import FOREIGN_PART_AGE, _tmp_prefix, _writer_alive
from syndicate.errors import DeliveryFailed, DeliveryRejected

_ENV_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
#: ``SHA256:`` and the unpadded base64 of a SHA-256 digest, as ``ssh-keygen -l`` prints it
_FINGERPRINT = re.compile(r"^SHA256:([A-Za-z0-9+/]{43})=?$")
_REPLAY = "then replay the dead letter (`syndicate replay`)"
#: connections kept open per destination and process (export threads deliver side by side)
MAX_IDLE = 4


class SftpOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    host: str = Field(min_length=1, pattern=r"^[^\s/@]+$")
    port: int = Field(default=22, ge=1, le=65535)
    username: str = Field(min_length=1)
    #: a private key file (OpenSSH or PEM form)
    key_file: Path | None = None
    #: the environment variable holding the private key itself (its text)
    key_env: str | None = Field(default=None, pattern=_ENV_NAME)
    #: the environment variable holding the passphrase of an encrypted private key
    key_passphrase_env: str | None = Field(default=None, pattern=_ENV_NAME)
    #: the environment variable holding the password (a password never sits in configuration)
    password_env: str | None = Field(default=None, pattern=_ENV_NAME)
    #: the known_hosts file that holds the server's key (default: ~/.ssh/known_hosts)
    known_hosts: Path | None = None
    #: the server's key pinned: ``ssh-ed25519 AAAA...`` or its ``SHA256:...`` fingerprint
    host_key: str | None = None
    #: the folder deliveries go under: absolute, or relative to the login folder
    path: str = ""
    #: include the partner id as the first folder of the key (off: the path is per partner)
    partner_subdir: bool = True
    #: seconds for connecting, logging in and for each answer of the server
    timeout: float = Field(default=30.0, gt=0, le=300)

    @field_validator("host_key")
    @classmethod
    def _pinned(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if _FINGERPRINT.match(value):
            return value
        parts = value.split()
        if len(parts) >= 2 and parts[0].startswith(("ssh-", "ecdsa-", "sk-")):
            try:
                base64.b64decode(parts[1], validate=True)
            except (binascii.Error, ValueError):
                raise ValueError(f"the key of {parts[0]} is not base64") from None
            return f"{parts[0]} {parts[1]}"
        raise ValueError("give the server's public key as a known_hosts line has it "
                         "('ssh-ed25519 AAAA...') or its fingerprint ('SHA256:...', as "
                         "`ssh-keygen -lf` prints it)")

    @model_validator(mode="after")
    def _one_way_in(self) -> SftpOptions:
        if self.key_file is not None and self.key_env is not None:
            raise ValueError("give the private key either as key_file or as key_env, not both")
        if self.key_file is None and self.key_env is None and self.password_env is None:
            raise ValueError("no way to log in: give key_file, key_env (the variable holding "
                             "the private key) or password_env (the variable holding the "
                             "password)")
        if self.key_passphrase_env is not None and self.key_file is None and self.key_env is None:
            raise ValueError("key_passphrase_env is for an encrypted key_file or key_env; give "
                             "one of them")
        if self.host_key is not None and self.known_hosts is not None:
            raise ValueError("the server's key is either pinned (host_key) or looked up in a "
                             "known_hosts file, not both")
        return self


def fingerprint(key: Any) -> str:
    """``SHA256:...`` of a paramiko key, as ``ssh-keygen -l`` prints it."""
    digest = hashlib.sha256(key.asbytes()).digest()
    return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")


def _host_entry(host: str, port: int) -> str:
    # how known_hosts names a server on another port than 22
    return host if port == 22 else f"[{host}]:{port}"


def _private_key(data: bytes, passphrase: str | None) -> Any:
    """The paramiko key of a private key in OpenSSH or PEM form (ValueError/TypeError if not)."""
    password = passphrase.encode("utf-8") if passphrase is not None else None
    try:
        loaded: Any = serialization.load_ssh_private_key(data, password)
    except ValueError:
        loaded = serialization.load_pem_private_key(data, password)
    classes = ((rsa.RSAPrivateKey, paramiko.RSAKey), (ed25519.Ed25519PrivateKey,
               paramiko.Ed25519Key), (ec.EllipticCurvePrivateKey, paramiko.ECDSAKey))
    for kind, key_class in classes:
        if isinstance(loaded, kind):
            return key_class.from_private_key(io.StringIO(data.decode("ascii")), passphrase)
    raise ValueError(f"a {type(loaded).__name__.lstrip('_')} is not a key type SSH logs in with")


@functools.lru_cache(maxsize=32)
def _cached_key(data: bytes, passphrase: str | None) -> Any:
    # the pipeline makes its destination per delivery: a key is parsed once per process
    return _private_key(data, passphrase)


class SftpDestination:
    type = "sftp"

    def __init__(self, options: SftpOptions) -> None:
        self.options = options
        o = options
        self.where = f"sftp://{o.username}@{o.host}:{o.port}"
        self._password = self._secret(o.password_env, "password_env", "the password")
        self._key = self._load_key()
        self._known_hosts = self._host_keys()

    # ---------------------------------------------------------------- configuration

    def _secret(self, variable: str | None, option: str, what: str) -> str | None:
        if variable is None:
            return None
        value = os.environ.get(variable)
        if not value:
            raise OptionError(f"sftp destination {self.where}: the environment variable "
                              f"{variable} ({option}) is not set or empty; export {what}", option)
        return value

    def _load_key(self) -> Any:
        o = self.options
        passphrase = self._secret(o.key_passphrase_env, "key_passphrase_env",
                                  "the passphrase of the private key")
        if o.key_file is not None:
            option, named = "key_file", f"the key file {o.key_file}"
            try:
                data = Path(o.key_file).expanduser().read_bytes()
            except OSError as exc:
                raise OptionError(f"sftp destination {self.where}: cannot read {named}: "
                                  f"{exc.strerror or exc}; point key_file at the private key",
                                  option) from None
        elif o.key_env is not None:
            option, named = "key_env", f"the private key in {o.key_env}"
            text = self._secret(o.key_env, "key_env", "the private key (its text)")
            assert text is not None
            # a key put in a variable often loses its line breaks on the way: restore escaped ones
            data = text.replace("\\n", "\n").strip().encode("utf-8") + b"\n"
        else:
            return None
        try:
            return _cached_key(data, passphrase)
        except TypeError:  # cryptography: encrypted but no passphrase, or the other way round
            hint = ("it is encrypted: name the variable holding its passphrase in "
                    "key_passphrase_env" if passphrase is None
                    else "it is not encrypted: leave key_passphrase_env out")
            raise OptionError(f"sftp destination {self.where}: {named}: {hint}", option) from None
        except Exception as exc:  # ValueError, UnsupportedAlgorithm, paramiko's SSHException...
            # the message of a parser never quotes the key, but it can be long and vague
            reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
            raise OptionError(
                f"sftp destination {self.where}: {named} is not a private key that can be read "
                f"({reason}); give an OpenSSH or PEM private key (`ssh-keygen -t ed25519` writes "
                "one) and, if it is encrypted, its passphrase in key_passphrase_env", option
            ) from None

    def _known_hosts_file(self) -> Path:
        return Path(self.options.known_hosts or "~/.ssh/known_hosts").expanduser()

    def _host_keys(self) -> paramiko.HostKeys | None:
        """The keys the server may present, from host_key or the known_hosts file (None when
        host_key is a fingerprint: the presented key is compared with it)."""
        o = self.options
        keys = paramiko.HostKeys()
        if o.host_key is not None:
            if _FINGERPRINT.match(o.host_key):
                return None
            kind, blob = o.host_key.split()
            try:
                key = paramiko.PKey.from_type_string(kind, base64.b64decode(blob))
            except Exception as exc:
                raise OptionError(f"sftp destination {self.where}: host_key is not a public key "
                                  f"of type {kind} ({type(exc).__name__}); copy it from the "
                                  "server's /etc/ssh/ssh_host_*_key.pub", "host_key") from None
            keys.add(_host_entry(o.host, o.port), kind, key)
            return keys
        path = self._known_hosts_file()
        try:
            keys.load(str(path))
        except OSError as exc:
            raise OptionError(
                f"sftp destination {self.where}: cannot read the known_hosts file {path}: "
                f"{exc.strerror or exc}; point known_hosts at a file holding the server's key, "
                "or pin it with host_key", "known_hosts") from None
        return keys

    def check(self) -> list[OptionProblem]:
        """The server's key is known (no connection is made); the rest was checked when the
        destination was made (the key parses, the variables are set)."""
        o = self.options
        if self._known_hosts is None:
            return []
        if self._known_hosts.lookup(_host_entry(o.host, o.port)) is None:
            return [OptionProblem("known_hosts", (
                f"{self.where}: {self._known_hosts_file()} has no key for "
                f"{_host_entry(o.host, o.port)}, so the server would be refused; add it (check "
                f"the fingerprint `ssh-keyscan -p {o.port} {o.host} | ssh-keygen -lf -` prints "
                "with the partner first) or pin it with host_key"))]
        return []

    # ---------------------------------------------------------------- delivery

    def remote_path(self, delivery: Delivery) -> str:
        rel = delivery.key if self.options.partner_subdir else delivery.relative_key
        return posixpath.join(self.options.path, rel) if self.options.path else rel

    def location(self, remote: str) -> str:
        # a path relative to the login folder is written /~/ in an sftp URL
        return f"{self.where}{remote}" if remote.startswith("/") else f"{self.where}/~/{remote}"

    def deliver(self, delivery: Delivery) -> str:
        remote = self.remote_path(delivery)
        data = delivery.content
        pool = _pool(self.options)
        for attempt in (1, 2):
            conn = pool.take() if attempt == 1 else None
            reused = conn is not None
            if conn is None:
                conn = self._connect()
            try:
                _upload(conn, remote, data, self.location, self.options.username)
            except _Broken as exc:
                conn.close()
                if reused:
                    # a kept connection the server dropped meanwhile (restarted?): the others
                    # kept beside it are likely gone too; once more, on a new one
                    pool.close()
                    continue
                raise DeliveryFailed(f"the connection to {self.where} broke while writing "
                                     f"{self.location(remote)}: {exc.reason}") from exc.__cause__
            except DeliveryFailed:
                pool.give_back(conn)  # the server refused the file, the connection is sound
                raise
            except BaseException:
                conn.close()
                raise
            pool.give_back(conn)
            return self.location(remote)
        raise AssertionError("unreachable")  # pragma: no cover

    def _connect(self) -> _Connection:
        o = self.options
        client = paramiko.SSHClient()
        if self._known_hosts is not None:
            # the client's own table, filled entry by entry: paramiko saves nothing to any file
            entry = _host_entry(o.host, o.port)
            for kind, key in (self._known_hosts.lookup(entry) or {}).items():
                client.get_host_keys().add(entry, kind, key)
        client.set_missing_host_key_policy(_Refuse(self.options.host_key, self.where))
        try:
            client.connect(
                o.host, port=o.port, username=o.username, pkey=self._key,
                password=self._password, timeout=o.timeout, banner_timeout=o.timeout,
                auth_timeout=o.timeout, channel_timeout=o.timeout,
                # only what the configuration names: no agent, no keys found in ~/.ssh
                allow_agent=False, look_for_keys=False,
            )
            transport = client.get_transport()
            assert transport is not None
            transport.set_keepalive(30)
            sftp = _SFTPClient.from_transport(transport)
            sftp.get_channel().settimeout(o.timeout)
        except _UnknownHostKey as exc:
            client.close()
            raise DeliveryRejected(str(exc)) from None
        except paramiko.BadHostKeyException as exc:
            client.close()
            raise DeliveryRejected(
                f"{self.where} presented the host key {exc.key.get_name()} {fingerprint(exc.key)}"
                f", not the {fingerprint(exc.expected_key)} this destination knows it by: the "
                "server was reinstalled or someone is in the way; ask the partner, update "
                f"known_hosts or host_key once the new key is confirmed, {_REPLAY}") from None
        except paramiko.AuthenticationException as exc:
            client.close()
            raise DeliveryRejected(f"{self.where} refused the login of {o.username} "
                                   f"with {self._credential()} ({exc}); have the partner allow "
                                   f"it or fix the credentials, {_REPLAY}") from None
        except (OSError, EOFError, paramiko.SSHException) as exc:
            client.close()
            # refused, timed out, no route, reset at the handshake: the server may come back
            raise DeliveryFailed(f"cannot reach {self.where}: "
                                 f"{_reason(exc)}") from exc
        except BaseException:
            client.close()
            raise
        return _Connection(client, sftp, "posix-rename@openssh.com" in sftp.extensions)

    def _credential(self) -> str:
        o = self.options
        if self._key is not None:
            named = f"the key file {o.key_file}" if o.key_file else f"the key in {o.key_env}"
            return f"{named} ({self._key.get_name()} {fingerprint(self._key)})"
        return f"the password in {o.password_env}"


def _reason(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


class _UnknownHostKey(Exception):
    pass


class _Refuse(paramiko.MissingHostKeyPolicy):
    """What to do with a server whose key is not in the known keys: compare it with the
    pinned fingerprint, or refuse it. An unknown key is never taken on trust."""

    def __init__(self, pinned: str | None, where: str) -> None:
        found = _FINGERPRINT.match(pinned or "")
        self.pinned = f"SHA256:{found.group(1)}" if found else None
        self.where = where

    def missing_host_key(self, client: Any, hostname: str, key: Any) -> None:
        offered = fingerprint(key)
        if self.pinned is not None:
            if offered == self.pinned:  # a public key's digest: nothing secret to time
                return
            raise _UnknownHostKey(
                f"{self.where} presented the host key {key.get_name()} {offered}, not the "
                f"pinned {self.pinned}: the server was reinstalled, presents another key type, "
                "or someone is in the way; confirm the key with the partner and update host_key, "
                f"{_REPLAY}")
        raise _UnknownHostKey(
            f"{self.where} presented the host key {key.get_name()} {offered}, which is not "
            f"known for {hostname}: unknown servers are refused; confirm the fingerprint with the "
            f"partner, then pin it with host_key: {offered} or add the key to known_hosts, "
            f"{_REPLAY}")


class _Broken(Exception):
    """The connection broke (not the file operation): the caller closes it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _SFTPClient(paramiko.SFTPClient):
    """paramiko's client, keeping the extensions the server offers in its version message
    (paramiko reads and drops them)."""

    extensions: dict[str, bytes]

    def _send_version(self) -> int:
        m = Message()
        m.add_int(3)
        self._send_packet(CMD_INIT, m)
        t, data = self._read_packet()
        if t != CMD_VERSION:
            raise SFTPError("Incompatible sftp protocol")
        msg = Message(data)
        version = int(msg.get_int())
        self.extensions = {}
        # pairs of strings (name, data), each string led by its length
        while len(msg.get_remainder()) >= 8:
            name = msg.get_text()
            self.extensions[name] = msg.get_binary()
        return version


@dataclass(eq=False)
class _Connection:
    client: Any
    sftp: Any
    #: the server renames over an existing file in one step (posix-rename@openssh.com)
    posix_rename: bool

    def alive(self) -> bool:
        # the SSH connection, and the file transfer session on it (which can end alone)
        transport = self.client.get_transport()
        channel = self.sftp.get_channel()
        return (transport is not None and transport.is_active()
                and channel is not None and not channel.closed)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.client.close()


class _Pool:
    """The idle connections of one destination in this process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.idle: list[_Connection] = []

    def take(self) -> _Connection | None:
        with self.lock:
            while self.idle:
                conn = self.idle.pop()
                if conn.alive():
                    return conn
                conn.close()
        return None

    def give_back(self, conn: _Connection) -> None:
        if not conn.alive():
            conn.close()
            return
        with self.lock:
            if len(self.idle) < MAX_IDLE:
                self.idle.append(conn)
                return
        conn.close()

    def close(self) -> None:
        with self.lock:
            idle, self.idle = self.idle, []
        for conn in idle:
            conn.close()


_pools: dict[SftpOptions, _Pool] = {}
_pools_lock = threading.Lock()


def _pool(options: SftpOptions) -> _Pool:
    with _pools_lock:
        pool = _pools.get(options)
        if pool is None:
            pool = _pools[options] = _Pool()
        return pool


def close_connections() -> None:
    """Close every kept connection of this process."""
    with _pools_lock:
        pools = list(_pools.values())
    for pool in pools:
        pool.close()


def _forget_after_fork() -> None:
    # a forked worker must not talk over its parent's sockets: it opens its own
    global _pools, _pools_lock
    _pools, _pools_lock = {}, threading.Lock()


os.register_at_fork(after_in_child=_forget_after_fork)


def _upload(conn: _Connection, remote: str, data: bytes, location: Callable[[str], str],
            user: str) -> None:
    """Write ``data`` to ``remote`` through a temporary file in its folder, renamed into place.

    Raises _Broken when the connection failed, DeliveryRejected / DeliveryFailed for what the
    server refused."""
    sftp = conn.sftp
    folder = posixpath.dirname(remote)
    tmp = posixpath.join(folder, f"{_tmp_prefix()}{secrets.token_hex(6)}.part")
    step = "create the folders of"
    try:
        _make_folders(sftp, folder, location)
        step = "write"
        # a hidden name in the same folder: the file appears under its own name only once it
        # is whole, and a retried delivery replaces the earlier one instead of adding a second
        with sftp.open(tmp, "wb") as fh:
            fh.set_pipelined(True)
            fh.write(data)
        step = "check the size of"
        size = sftp.stat(tmp).st_size
        if size != len(data):
            _remove(sftp, tmp)
            raise DeliveryFailed(f"{location(remote)}: {size} bytes arrived of {len(data)}")
        step = "rename into place"
        if conn.posix_rename:
            sftp.posix_rename(tmp, remote)
        else:
            # plain SFTP rename will not replace: the old version goes first (a reader may
            # briefly find no file, never a partial one)
            with contextlib.suppress(FileNotFoundError):
                sftp.remove(remote)
            sftp.rename(tmp, remote)
        _remove_stale_parts(sftp, folder)
    except (DeliveryFailed, _Broken):
        raise
    except (EOFError, paramiko.SSHException, TimeoutError) as exc:
        raise _Broken(_reason(exc)) from exc
    except OSError as exc:
        if not conn.alive():
            raise _Broken(_reason(exc)) from exc
        if step != "create the folders of":
            _remove(sftp, tmp)
        target = location(remote)
        if exc.errno == errno.EACCES:
            raise DeliveryRejected(
                f"cannot {step} {target}: the server denied it ({exc.strerror}); have the "
                f"partner give {user} write access there or point the destination's path "
                f"elsewhere, {_REPLAY}") from exc
        raise DeliveryFailed(f"cannot {step} {target}: {_reason(exc)}") from exc


def _remove_stale_parts(sftp: Any, folder: str) -> None:
    """Remove the temporary files a writer killed mid-upload left in ``folder`` (best effort).

    The delivery that was cut off is retried into this very folder, so its debris goes with
    the retry. A file of this machine goes when its writer's process is gone; one of another
    machine once it is older than FOREIGN_PART_AGE.
    """
    now = time.time()
    try:
        entries = sftp.listdir_attr(folder or ".")
    except Exception:  # a listing refused or a connection lost: the delivery is done anyway
        return
    for entry in entries:
        name = entry.filename
        if not (name.startswith(".tmp-") and name.endswith(".part")):
            continue
        # the server's clock dates the file: it is not compared with local process start times
        alive = _writer_alive(name, now)
        written = entry.st_mtime if entry.st_mtime is not None else now
        if alive is False or (alive is None and now - written > FOREIGN_PART_AGE):
            _remove(sftp, posixpath.join(folder, name))


def _remove(sftp: Any, path: str) -> None:
    with contextlib.suppress(Exception):
        sftp.remove(path)


def _make_folders(sftp: Any, folder: str, location: Callable[[str], str]) -> None:
    """``folder`` and its missing parents; DeliveryRejected when a file stands in the way."""
    if folder in ("", "/", "."):
        return
    try:
        mode = sftp.stat(folder).st_mode
    except FileNotFoundError:
        _make_folders(sftp, posixpath.dirname(folder), location)
        try:
            sftp.mkdir(folder)
            return
        except OSError as refused:
            # another worker made it meanwhile (or a file took the name: looked at below);
            # if nothing is there, the server's reason (permission denied...) is the answer
            try:
                mode = sftp.stat(folder).st_mode
            except FileNotFoundError:
                raise refused from None
    if mode is not None and not stat.S_ISDIR(mode):
        raise DeliveryRejected(
            f"cannot write under {location(folder)}: it is a file where a folder should be; "
            f"move it away or point the destination's path elsewhere, {_REPLAY}")


@register("sftp")
def _factory(options: dict[str, object]) -> SftpDestination:
    return SftpDestination(validate(SftpOptions, "sftp", options))
