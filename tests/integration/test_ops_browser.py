"""The operator page in a real browser: headless Chromium signs in through the form, sees the
dead letters, replays one with its button and sees it gone (``syndicate serve`` in its own
process, the embedded broker taking the replayed task)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from serve_process import serving
from syndicate.store import SqliteBackend, Store

pytestmark = pytest.mark.integration

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
TOKEN = "operator-token-for-the-test"
CONFIG = """
partners:
  - id: acme
    languages: [en]
    destinations:
      - type: directory
        path: {out}
"""


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path, list[str]]]:
    data = tmp_path / "var"
    data.mkdir()
    store = Store(SqliteBackend(data / "state.sqlite3"))
    ids = [
        store.add_dead_letter("syndicate.export",
                              {"guid": "urn:story:1", "partner": "acme", "language": "en",
                               "version": 1, "format": "newsmlg2", "destination": 0},
                              PermissionError("permission denied: /srv/out/acme"),
                              "urn:story:1").id,
        store.add_dead_letter("syndicate.export", {"guid": "urn:story:2"},
                              RuntimeError('<b onmouseover="alert(1)">not bold</b>'),
                              "urn:story:2").id,
    ]
    store.close()
    (tmp_path / "syndicate.yaml").write_text(CONFIG.format(out=tmp_path / "out"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYNDICATE_")}
    env.update(SYNDICATE_DATA_DIR=str(data), SYNDICATE_CONFIG=str(tmp_path / "syndicate.yaml"),
               SYNDICATE_OPERATOR_TOKEN=TOKEN, SYNDICATE_LOG_LEVEL="WARNING")
    with serving(env, ready="/readyz", cwd=tmp_path) as url:
        yield url, data, ids


def test_an_operator_signs_in_replays_a_dead_letter_and_sees_it_gone(
        served: tuple[str, Path, list[str]], tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is expected for this test (packages-test.txt; "
                    "`scripts/setup --test` installs it)")
    from playwright.sync_api import sync_playwright

    url, data, (first, second) = served
    shot = tmp_path / "ops-after-replay.png"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            response = page.goto(f"{url}/ops")
            assert response is not None and response.status == 401
            page.fill("input[name=token]", TOKEN)
            page.click("button[type=submit]")
            page.wait_for_selector("#dead-letters")
            cookie = next(c for c in page.context.cookies() if c["name"] == "syndicate_ops")
            assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
            assert TOKEN not in cookie["value"]
            # the hostile error is shown as text, not run or rendered as markup
            assert page.locator("#dead-letters b").count() == 0
            assert '<b onmouseover="alert(1)">' in page.inner_text("#dead-letters")

            page.click(f"#dl-{first} button[name=replay]")
            page.wait_for_selector("#notice")
            assert f"replayed {first} as replay:{first}" in page.inner_text("#notice")
            assert page.locator(f"#dl-{first}").count() == 0
            assert page.locator(f"#dl-{second}").count() == 1
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    print(f"screenshot of the operator page: {shot}")
    assert shot.stat().st_size > 10_000
    # the replay went where `syndicate replay` sends it: the embedded broker's export queue
    queued = list((data / "broker" / "queue").glob("*.export.msg"))
    assert len(queued) == 1, sorted(p.name for p in (data / "broker" / "queue").iterdir())
    store = Store(SqliteBackend(data / "state.sqlite3"))
    assert [d.id for d in store.dead_letters()] == [second]
