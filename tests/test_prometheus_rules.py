"""The Prometheus configuration: alert rules pass their promtool unit tests, the scrape
configuration parses, the dashboard reads only metrics the code defines."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

PROMETHEUS = Path(__file__).resolve().parents[1] / "configs" / "prometheus"
DASHBOARD = PROMETHEUS.parent / "grafana" / "dashboards" / "syndicate.json"


@pytest.fixture(scope="module")
def promtool() -> str:
    found = shutil.which("promtool")
    if found is None:
        pytest.fail("promtool is missing: `scripts/setup --test` installs it (Debian package "
                    "prometheus)")
    return found


def run(promtool: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([promtool, *args], cwd=PROMETHEUS, capture_output=True, text=True,
                          timeout=120)


def test_alert_rules_are_valid(promtool: str) -> None:
    done = run(promtool, "check", "rules", "alerts.yml")
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_alert_passes_its_unit_tests(promtool: str) -> None:
    done = run(promtool, "test", "rules", "alerts_test.yml")
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_alert_has_a_unit_test() -> None:
    rules = set(re.findall(r"^\s*- alert: (\w+)", (PROMETHEUS / "alerts.yml").read_text(), re.M))
    tested = set(re.findall(r"alertname: (\w+)", (PROMETHEUS / "alerts_test.yml").read_text()))
    assert rules and rules == tested


def test_scrape_configuration_parses(promtool: str) -> None:
    done = run(promtool, "check", "config", "--syntax-only", "prometheus.yml")
    assert done.returncode == 0, done.stdout + done.stderr


def test_dashboard_and_alerts_read_only_metrics_the_contract_names() -> None:
    from syndicate import metrics

    source = Path(metrics.__file__).read_text()
    cluster = (Path(metrics.__file__).parent / "web" / "cluster_metrics.py").read_text()
    defined = set(re.findall(r'"(syndicate_[a-z_]+)"', source + cluster))
    exprs = [t["expr"] for p in json.loads(DASHBOARD.read_text())["panels"]
             for t in p["targets"]]
    exprs.append((PROMETHEUS / "alerts.yml").read_text())
    used = {re.sub(r"_(total|bucket|count|sum)$", "", name)
            for e in exprs for name in re.findall(r"\bsyndicate_[a-z_]+", e)}
    assert used and used <= defined, used - defined
