"""docker-compose.yml is valid Compose and runs every worker role (no Docker engine here)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parent.parent


def _compose() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_file_validates_against_the_compose_specification(shared_dir: Path) -> None:
    schema = json.loads((shared_dir / "standards" / "compose" / "compose-spec.json").read_text())
    jsonschema.Draft7Validator(schema).validate(_compose())


def test_compose_runs_one_service_per_worker_role_and_the_beat() -> None:
    services = _compose()["services"]
    roles = {s["command"][3] for s in services.values()
             if s.get("command", [])[:3] == ["syndicate", "worker", "--role"]}
    assert roles == {"ingest", "translate", "export", "beat"}
    assert {"redis", "minio", "flower", "feeds", "push"} <= set(services)


def test_compose_keeps_redis_persistent() -> None:
    redis = _compose()["services"]["redis"]
    assert "--appendonly" in redis["command"] and "yes" in redis["command"]
