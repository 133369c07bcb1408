"""The operator page /ops on the feed server: who may see it, how a browser signs in, that its
forms cannot be posted from elsewhere, that what it shows is escaped, and the replay button."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from syndicate.partners import parse_config
from syndicate.store import SqliteBackend, Store
from syndicate.web.feeds import create_app
from syndicate.web.ops_page import COOKIE

CONFIG = """
partners:
  - id: acme
    languages: [en]
    destinations:
      - type: directory
        path: /tmp/never-written
"""
TOKEN = "operator-secret"
BEARER = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(SqliteBackend(tmp_path / "state.sqlite3"))


@pytest.fixture
def replayed() -> list[str]:
    return []


@pytest.fixture
def client(store: Store, replayed: list[str], fresh_settings: None,
           monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> TestClient:
    monkeypatch.delenv("SYNDICATE_BROKER_URL", raising=False)
    monkeypatch.setenv("SYNDICATE_DATA_DIR", str(tmp_path / "var"))

    def replay(dl_id: str) -> str:
        store.remove_dead_letter(dl_id)
        replayed.append(dl_id)
        return f"replay:{dl_id}"

    app = create_app(parse_config(CONFIG), store, environ={"SYNDICATE_OPERATOR_TOKEN": TOKEN},
                     operator_replay=replay)
    return TestClient(app, base_url="https://feeds.test")


def test_the_page_is_503_when_no_operator_token_is_configured(store: Store) -> None:
    client = TestClient(create_app(parse_config(CONFIG), store, environ={}))
    r = client.get("/ops", headers=BEARER)
    assert r.status_code == 503 and "SYNDICATE_OPERATOR_TOKEN" in r.json()["detail"]
    assert client.post("/ops/login", data={"token": ""}).status_code == 503


def test_without_the_token_the_page_is_401_with_a_login_form(client: TestClient) -> None:
    r = client.get("/ops")
    assert r.status_code == 401 and 'name="token"' in r.text
    assert client.get("/ops", headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_the_bearer_token_opens_the_page(client: TestClient, store: Store) -> None:
    store.count_outcome("ingest", "ingested")
    r = client.get("/ops", headers=BEARER)
    assert r.status_code == 200 and "Flow, last 15 minutes" in r.text
    assert r.headers["cache-control"] == "no-store"


def test_login_sets_an_httponly_samesite_strict_cookie_that_opens_the_page(
        client: TestClient) -> None:
    r = client.post("/ops/login", data={"token": TOKEN}, follow_redirects=False)
    assert r.status_code == 303
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" in cookie
    assert TOKEN not in cookie
    assert client.get("/ops").status_code == 200


def test_a_wrong_token_at_login_is_refused(client: TestClient) -> None:
    r = client.post("/ops/login", data={"token": "guess"}, follow_redirects=False)
    assert r.status_code == 401 and COOKIE not in r.headers.get("set-cookie", "")


def test_a_forged_cookie_does_not_open_the_page(client: TestClient) -> None:
    client.cookies.set(COOKIE, "99999999999.deadbeef", path="/ops")
    assert client.get("/ops").status_code == 401


def test_a_browser_post_without_the_pages_csrf_token_is_refused(
        client: TestClient, store: Store, replayed: list[str]) -> None:
    dl = store.add_dead_letter("syndicate.export", {"guid": "g"}, RuntimeError("x"), "g")
    client.post("/ops/login", data={"token": TOKEN})
    r = client.post(f"/ops/dead-letters/{dl.id}/replay", data={}, follow_redirects=False)
    assert r.status_code == 403 and replayed == []


def test_replay_from_the_page_removes_the_dead_letter(
        client: TestClient, store: Store, replayed: list[str]) -> None:
    import re

    dl = store.add_dead_letter("syndicate.export", {"guid": "g"}, RuntimeError("x"), "g")
    client.post("/ops/login", data={"token": TOKEN})
    page = client.get("/ops").text
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert csrf is not None
    r = client.post(f"/ops/dead-letters/{dl.id}/replay", data={"csrf": csrf.group(1)})
    assert r.status_code == 200 and replayed == [dl.id]
    assert f"replayed {dl.id} as replay:{dl.id}" in r.text and "None." in r.text


def test_replay_with_the_bearer_token_needs_no_form(
        client: TestClient, store: Store, replayed: list[str]) -> None:
    dl = store.add_dead_letter("syndicate.export", {"guid": "g"}, RuntimeError("x"), "g")
    r = client.post(f"/ops/dead-letters/{dl.id}/replay", headers=BEARER, follow_redirects=False)
    assert r.status_code == 303 and replayed == [dl.id]


def test_what_the_page_shows_is_escaped(client: TestClient, store: Store) -> None:
    store.add_dead_letter("syndicate.export", {"guid": "<script>alert(1)</script>"},
                          RuntimeError('<img src=x onerror="alert(2)">'),
                          "<script>alert(1)</script>")
    page = client.get("/ops", headers=BEARER).text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
