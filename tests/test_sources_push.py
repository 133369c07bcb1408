"""The HTTP push endpoint: signed, fresh requests are queued; anything else gets 401."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from syndicate.pipeline import IngestJob
from syndicate.sources.http_push import create_app, sign
from syndicate.store import SqliteBackend, Store

SECRET = b"shared-test-key"
BODY = b"MOSCOW, October 22. /TASS/. Wire copy."


@pytest.fixture
def setup(tmp_path: Path) -> tuple[TestClient, list[IngestJob], Store]:
    store = Store(SqliteBackend(tmp_path / "s.db"))
    jobs: list[IngestJob] = []
    return TestClient(create_app(store, jobs.append, SECRET)), jobs, store


def _headers(ts: int, body: bytes = BODY, secret: bytes = SECRET) -> dict[str, str]:
    return {"X-Syndicate-Timestamp": str(ts),
            "X-Syndicate-Signature": sign(secret, str(ts), body)}


def test_signed_request_is_accepted_and_queued(setup) -> None:  # type: ignore[no-untyped-def]
    client, jobs, store = setup
    r = client.post("/push", content=BODY, headers=_headers(int(time.time())))
    assert r.status_code == 202
    assert len(jobs) == 1 and store.get_blob(jobs[0].blob) == BODY


def test_unsigned_request_is_refused(setup) -> None:  # type: ignore[no-untyped-def]
    client, jobs, _ = setup
    assert client.post("/push", content=BODY).status_code == 401
    assert jobs == []


def test_wrongly_signed_request_is_refused(setup) -> None:  # type: ignore[no-untyped-def]
    client, jobs, _ = setup
    r = client.post("/push", content=BODY, headers=_headers(int(time.time()), secret=b"other"))
    assert r.status_code == 401 and jobs == []


def test_body_changed_after_signing_is_refused(setup) -> None:  # type: ignore[no-untyped-def]
    client, jobs, _ = setup
    r = client.post("/push", content=BODY + b"!", headers=_headers(int(time.time())))
    assert r.status_code == 401 and jobs == []


def test_request_older_than_five_minutes_is_refused(setup) -> None:  # type: ignore[no-untyped-def]
    client, jobs, _ = setup
    r = client.post("/push", content=BODY, headers=_headers(int(time.time()) - 301))
    assert r.status_code == 401 and jobs == []
