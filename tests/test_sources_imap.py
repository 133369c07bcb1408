"""The IMAP source against a real Dovecot on a spare loopback port: each message once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dovecot_server import PASSWORD, Dovecot, message, running
from syndicate.errors import ConfigError, TransientError
from syndicate.partners import SourceConfig
from syndicate.pipeline import IngestJob
from syndicate.sources import SourceEnv, collect, create
from syndicate.sources.imap import ImapSource
from syndicate.store import SqliteBackend, Store

pytestmark = pytest.mark.integration

KEYWORD = "$Syndicated"


@pytest.fixture(scope="module")
def server() -> Iterator[Dovecot]:
    with running() as dovecot:
        yield dovecot


@pytest.fixture
def mailbox(server: Dovecot, request: pytest.FixtureRequest) -> str:
    """A mailbox of the test's own, so tests share one server and nothing else."""
    name = f"Wire-{request.node.name[:40]}".replace("[", "-").replace("]", "")
    server.create_mailbox(name)
    return name


@pytest.fixture(autouse=True)
def password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNDICATE_TEST_IMAP_PASSWORD", PASSWORD)


def _source(server: Dovecot, mailbox: str, store: Store, tmp: Path, **more: object) -> ImapSource:
    cfg = SourceConfig.model_validate({"name": "stringers",
                                       **server.source_options(mailbox, **more)})
    src = create(cfg, 0, SourceEnv(store, tmp))
    assert isinstance(src, ImapSource)
    return src


def _store(tmp: Path) -> Store:
    return Store(SqliteBackend(tmp / "state.db"))


def _collect(src: ImapSource, store: Store) -> list[IngestJob]:
    jobs: list[IngestJob] = []
    collect(src, store, jobs.append)
    return jobs


def _settle_all(store: Store, jobs: list[IngestJob], bad: frozenset[str] = frozenset()) -> None:
    for job in jobs:
        store.set_outcome(job.source, job.ref,
                          "MalformedInput: no Subject" if job.ref in bad else None)


def test_each_message_is_queued_once_and_marked_once_its_job_is_recorded(
    server: Dovecot, mailbox: str, tmp_path: Path
) -> None:
    uids = [server.append(message(i), mailbox) for i in range(3)]
    store = _store(tmp_path)
    src = _source(server, mailbox, store, tmp_path)
    jobs = _collect(src, store)
    assert sorted(j.filename or "" for j in jobs) == sorted(f"{u}.eml" for u in uids)
    assert store.get_blob(jobs[0].blob) in {message(i) for i in range(3)}
    flags = server.flags(mailbox)
    assert all(KEYWORD in flags[u] for u in uids)
    # read without setting \Seen: the desk sharing the mailbox still sees the mail as new
    assert not any("\\Seen" in flags[u] for u in uids)
    assert _collect(src, store) == []


def test_settled_messages_leave_flight_and_a_rejected_one_is_quarantined_with_its_reason(
    server: Dovecot, mailbox: str, tmp_path: Path
) -> None:
    good = server.append(message(1), mailbox)
    bad = server.append(b"Subject: \r\n\r\nnothing\r\n", mailbox)
    store = _store(tmp_path)
    src = _source(server, mailbox, store, tmp_path)
    jobs = _collect(src, store)
    bad_ref = next(j.ref for j in jobs if j.filename == f"{bad}.eml")
    _settle_all(store, jobs, frozenset({bad_ref}))
    assert _collect(src, store) == []
    assert src.in_flight() == []
    flags = server.flags(mailbox)
    assert "$SyndicateRejected" not in flags[good] and KEYWORD in flags[good]
    assert {"$SyndicateRejected", KEYWORD} <= flags[bad]
    kept = store.quarantined_copy("stringers", bad_ref)
    assert kept is not None
    assert Path(kept).read_bytes() == b"Subject: \r\n\r\nnothing\r\n"
    assert "MalformedInput: no Subject" in Path(kept + ".reason.txt").read_text()


def test_a_new_poller_after_a_restart_takes_only_what_arrived_since(
    server: Dovecot, mailbox: str, tmp_path: Path
) -> None:
    store = _store(tmp_path)
    server.append(message(1), mailbox)
    first = _collect(_source(server, mailbox, store, tmp_path), store)
    _settle_all(store, first)
    later = server.append(message(2), mailbox)
    again = _collect(_source(server, mailbox, store, tmp_path), store)
    assert [j.filename for j in again] == [f"{later}.eml"]


def test_a_message_claimed_by_a_poller_that_died_before_queueing_is_queued_once(
    server: Dovecot, mailbox: str, tmp_path: Path
) -> None:
    uid = server.append(message(1), mailbox)
    store = _store(tmp_path)
    dead = _source(server, mailbox, store, tmp_path)
    assert len(dead.poll()) == 1  # claimed, then the process died: nothing queued, no mark
    dead.close()
    assert KEYWORD not in server.flags(mailbox)[uid]
    src = _source(server, mailbox, store, tmp_path)
    jobs = _collect(src, store)
    assert [j.filename for j in jobs] == [f"{uid}.eml"]
    assert store.get_blob(jobs[0].blob) == message(1)
    assert KEYWORD in server.flags(mailbox)[uid]
    assert _collect(src, store) == []


def test_a_queued_message_waiting_for_its_outcome_is_not_taken_again_even_unmarked(
    server: Dovecot, mailbox: str, tmp_path: Path
) -> None:
    uid = server.append(message(1), mailbox)
    store = _store(tmp_path)
    src = _source(server, mailbox, store, tmp_path)
    jobs = _collect(src, store)
    # the mark was lost (a server that refused it for a moment): the store still knows
    with server.client(mailbox) as conn:
        conn.uid("STORE", str(uid), "-FLAGS.SILENT", f"({KEYWORD})")
    assert _collect(src, store) == []
    _settle_all(store, jobs)
    assert _collect(src, store) == []
    assert KEYWORD in server.flags(mailbox)[uid]  # settling marks it again


def test_marked_messages_are_never_taken_again_even_by_a_store_that_forgot_them(
    server: Dovecot, mailbox: str, tmp_path: Path
) -> None:
    server.append(message(1), mailbox)
    first = _store(tmp_path)
    _settle_all(first, _collect(_source(server, mailbox, first, tmp_path), first))
    fresh = Store(SqliteBackend(tmp_path / "fresh.db"))
    new = server.append(message(2), mailbox)
    jobs = _collect(_source(server, mailbox, fresh, tmp_path), fresh)
    assert [j.filename for j in jobs] == [f"{new}.eml"]


def test_a_recreated_mailbox_is_read_again_skipping_what_carries_the_keyword(
    server: Dovecot, mailbox: str, tmp_path: Path
) -> None:
    store = _store(tmp_path)
    server.append(message(1), mailbox)
    _settle_all(store, _collect(_source(server, mailbox, store, tmp_path), store))
    before = server.uidvalidity(mailbox)
    server.delete_mailbox(mailbox)
    server.create_mailbox(mailbox)
    assert server.uidvalidity(mailbox) != before
    # restored from a backup: the old message keeps its mark, a new one has none
    server.append(message(1), mailbox, flags=f"({KEYWORD})")
    fresh = server.append(message(2), mailbox)
    jobs = _collect(_source(server, mailbox, store, tmp_path), store)
    assert [j.filename for j in jobs] == [f"{fresh}.eml"]
    assert jobs[0].ref == f"{server.uidvalidity(mailbox)}:{fresh}"


def test_a_message_claimed_before_the_mailbox_was_recreated_is_dropped_not_retried_forever(
    server: Dovecot, mailbox: str, tmp_path: Path
) -> None:
    store = _store(tmp_path)
    server.append(message(1), mailbox)
    dead = _source(server, mailbox, store, tmp_path)
    assert len(dead.poll()) == 1
    dead.close()
    server.delete_mailbox(mailbox)
    server.create_mailbox(mailbox)
    uid = server.append(message(1), mailbox)
    jobs = _collect(_source(server, mailbox, store, tmp_path), store)
    assert [j.filename for j in jobs] == [f"{uid}.eml"]
    assert _collect(_source(server, mailbox, store, tmp_path), store) == []


def test_a_poll_takes_at_most_its_batch(server: Dovecot, mailbox: str, tmp_path: Path) -> None:
    uids = [server.append(message(i), mailbox) for i in range(5)]
    store = _store(tmp_path)
    src = _source(server, mailbox, store, tmp_path, batch=2)
    taken = [j.filename for _ in range(4) for j in _collect(src, store)]
    assert taken == [f"{u}.eml" for u in uids]


def test_a_refused_login_is_a_transient_error_naming_the_user_and_the_variable(
    server: Dovecot, mailbox: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNDICATE_TEST_IMAP_PASSWORD", "wrong")
    store = _store(tmp_path)
    with pytest.raises(TransientError, match=r"refused the login of 'desk'.*SYNDICATE_TEST_IMAP"):
        _collect(_source(server, mailbox, store, tmp_path), store)


def test_a_server_that_is_down_is_a_transient_error(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cfg = SourceConfig.model_validate({
        "type": "imap", "name": "down", "host": "127.0.0.1", "port": port, "security": "none",
        "username": "desk", "password_env": "SYNDICATE_TEST_IMAP_PASSWORD"})
    store = _store(tmp_path)
    src = create(cfg, 0, SourceEnv(store, tmp_path))
    with pytest.raises(TransientError, match=f"cannot reach the IMAP server 127.0.0.1:{port}"):
        _collect(src, store)  # type: ignore[arg-type]


def test_the_password_comes_from_the_environment_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SYNDICATE_TEST_IMAP_PASSWORD")
    cfg = SourceConfig.model_validate({
        "type": "imap", "name": "mail", "host": "imap.example.com", "username": "desk",
        "password_env": "SYNDICATE_TEST_IMAP_PASSWORD"})
    with pytest.raises(ConfigError, match="SYNDICATE_TEST_IMAP_PASSWORD, which is not set"):
        create(cfg, 0, SourceEnv(_store(tmp_path), tmp_path))
    with pytest.raises(ConfigError, match="password"):
        create(SourceConfig.model_validate({**cfg.model_dump(), "password": "x"}), 0,
               SourceEnv(_store(tmp_path), tmp_path))


def test_a_keyword_that_is_not_an_imap_atom_stops_the_start(tmp_path: Path) -> None:
    cfg = SourceConfig.model_validate({
        "type": "imap", "name": "mail", "host": "imap.example.com", "username": "desk",
        "keyword": "Syndicated (done)"})
    with pytest.raises(ConfigError, match="not an IMAP keyword"):
        create(cfg, 0, SourceEnv(_store(tmp_path), tmp_path))
