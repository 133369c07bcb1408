"""docker-compose.yml and the Dockerfile: valid Compose, every role with a health check, pinned
images, nothing private published beyond the machine, no CUDA build of torch, every file it
mounts in the repo (no Docker engine here: the files are read, not run)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKER_ROLES = {"ingest", "translate", "urgent", "export", "beat"}
#: where the app services' working directory is, in the image
APP_DIR = "/srv/syndicate"


def _compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return data


def _services() -> dict[str, dict[str, Any]]:
    services: dict[str, dict[str, Any]] = _compose()["services"]
    return services


def _app_services() -> dict[str, dict[str, Any]]:
    return {name: s for name, s in _services().items() if "build" in s}


def _role(service: dict[str, Any]) -> str | None:
    command = service.get("command", [])
    return command[3] if command[:3] == ["syndicate", "worker", "--role"] else None


def _ports(service: dict[str, Any]) -> list[tuple[str, str]]:
    """(host address, container port) of each published port; "" when on every interface."""
    out = []
    for spec in service.get("ports", []):
        if isinstance(spec, dict):
            out.append((spec.get("host_ip", ""), str(spec["target"])))
            continue
        parts = str(spec).split(":")
        out.append((parts[0] if len(parts) == 3 else "", parts[-1]))
    return out


def _mounts(service: dict[str, Any]) -> list[tuple[str, str]]:
    """(host path, container path) of each bind mount."""
    out = []
    for v in service.get("volumes", []):
        if isinstance(v, dict):
            if v["type"] == "bind":
                out.append((v["source"], v["target"]))
        elif v.startswith((".", "/")):
            source, target = v.split(":")[:2]
            out.append((source, target))
    return out


def _host_path(service: dict[str, Any], container_path: str) -> Path:
    """The file in the repo that a service sees at ``container_path`` through its bind mounts."""
    for source, target in _mounts(service):
        if container_path == target or container_path.startswith(target.rstrip("/") + "/"):
            return ROOT / source / container_path[len(target):].lstrip("/")
    raise AssertionError(f"{container_path} is not under any bind mount of the service")


def _dockerfile_runs() -> list[str]:
    """The Dockerfile's RUN instructions, continuation lines joined."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    return [line[4:] for line in text.splitlines() if line.startswith("RUN ")]


def test_compose_file_validates_against_the_compose_specification(shared_dir: Path) -> None:
    schema = json.loads((shared_dir / "standards" / "compose" / "compose-spec.json").read_text())
    jsonschema.Draft7Validator(schema).validate(_compose())


def test_compose_runs_one_service_per_worker_role_and_the_beat() -> None:
    services = _services()
    assert {_role(s) for s in services.values()} - {None} == WORKER_ROLES
    assert {"redis", "minio", "flower", "feeds", "push", "prometheus", "grafana"} <= set(services)


def test_compose_keeps_redis_persistent() -> None:
    redis = _services()["redis"]
    assert "--appendonly" in redis["command"] and "yes" in redis["command"]


def test_every_service_has_a_health_check() -> None:
    for name, service in _services().items():
        check = service.get("healthcheck", {})
        assert not check.get("disable"), name
        assert check.get("test", ["NONE"])[0] in ("CMD", "CMD-SHELL"), f"{name} has no health check"


def test_each_worker_service_checks_its_own_role() -> None:
    for name, service in _app_services().items():
        if (role := _role(service)) is not None:
            assert service["healthcheck"]["test"] == ["CMD", "syndicate", "check", "--role", role], name


@pytest.mark.parametrize("name", ["feeds", "push"])
def test_the_http_services_are_healthy_when_ready_on_their_own_port(name: str) -> None:
    service = _services()[name]
    port = service["command"][service["command"].index("--port") + 1]
    test = service["healthcheck"]["test"]
    # no curl in the image: python's urllib, which raises (exit 1) on anything but a 2xx
    assert test[:3] == ["CMD", "python", "-c"]
    assert f"'http://127.0.0.1:{port}/readyz'" in test[3] and "urlopen" in test[3]


def test_every_image_is_pinned_to_a_version() -> None:
    for name, service in _services().items():
        image = service["image"]
        repo, _, tag = image.rpartition(":")
        assert repo and "/" not in tag, f"{name}: {image} names no tag"
        assert tag != "latest" and re.search(r"\d", tag), f"{name}: {image} is not pinned to a version"


def test_the_app_image_is_tagged_with_the_project_version() -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert {s["image"] for s in _app_services().values()} == {f"syndicate:{version}"}


def test_only_the_feed_server_and_the_push_endpoint_are_published_beyond_this_machine() -> None:
    public = {(name, port) for name, s in _services().items() for host, port in _ports(s)
              if host not in ("127.0.0.1", "::1", "localhost")}
    assert public == {("feeds", "8080"), ("push", "8081")}


def test_the_minio_console_is_published_on_localhost_only() -> None:
    assert ("127.0.0.1", "9001") in _ports(_services()["minio"])


def test_flower_starts_only_with_the_ops_profile_on_localhost() -> None:
    flower = _services()["flower"]
    assert flower["profiles"] == ["ops"]
    assert _ports(flower) == [("127.0.0.1", "5555")]
    assert flower["environment"]["FLOWER_BASIC_AUTH"] == "${FLOWER_BASIC_AUTH:-}"


def test_flower_refuses_to_start_without_a_password() -> None:
    entrypoint = _services()["flower"]["entrypoint"]
    # Compose turns $$ into $ before the shell sees it
    script = entrypoint[2].replace("$$", "$")
    res = subprocess.run([*entrypoint[:2], script], env={"PATH": "/usr/bin:/bin", "FLOWER_BASIC_AUTH": ""},
                         capture_output=True, text=True, timeout=10)
    assert res.returncode == 1 and "set FLOWER_BASIC_AUTH" in res.stderr


def test_secrets_are_required_variables_of_the_environment() -> None:
    for name, service in _services().items():
        env = service.get("environment", {})
        for key, value in env.items():
            if re.search(r"PASSWORD|SECRET|TOKEN", key) and key != "FLOWER_BASIC_AUTH":
                assert re.fullmatch(r"\$\{\w+:\?[^}]+\}", str(value)), f"{name}: {key}={value}"


def test_grafana_needs_an_admin_password_and_lets_no_one_in_anonymously() -> None:
    env = _services()["grafana"]["environment"]
    assert env["GF_SECURITY_ADMIN_PASSWORD"].startswith("${GRAFANA_ADMIN_PASSWORD:?")
    assert env["GF_AUTH_ANONYMOUS_ENABLED"] == "false"


def test_every_file_the_compose_file_mounts_is_in_the_repo() -> None:
    # ./inbox and ./out are the operator's drop folder and deliveries, made before `up`
    data_dirs = {"./inbox", "./out"}
    for name, service in _services().items():
        for source, _ in _mounts(service):
            if source not in data_dirs:
                assert (ROOT / source).exists(), f"{name} mounts {source}, which is not in the repo"
        for env_file in service.get("env_file", []):
            assert env_file["required"] is False, f"{name}: {env_file['path']} must stay optional"


def test_the_drop_folder_and_deliveries_are_never_created_by_docker_as_root() -> None:
    for name, service in _app_services().items():
        binds = {v["source"]: v for v in service["volumes"] if isinstance(v, dict)}
        for folder in ("./inbox", "./out"):
            assert binds[folder]["bind"]["create_host_path"] is False, f"{name}: {folder}"


def test_the_compose_configuration_is_the_one_mounted_and_it_loads() -> None:
    from syndicate.partners import load_config

    for name, service in _app_services().items():
        path = _host_path(service, service["environment"]["SYNDICATE_CONFIG"])
        config = load_config(path)
        assert [s.type for s in config.sources] == ["inbox"], name


@pytest.mark.parametrize("role", sorted(WORKER_ROLES | {"serve"}))
def test_the_compose_configuration_passes_the_check_of_every_role(role: str, tmp_path: Path) -> None:
    service = _services()["ingest"]
    text = _host_path(service, service["environment"]["SYNDICATE_CONFIG"]).read_text()
    # the same configuration with the image's folders under tmp_path
    config = tmp_path / "syndicate.yaml"
    config.write_text(text.replace(APP_DIR, str(tmp_path)))
    (tmp_path / "inbox").mkdir()
    res = subprocess.run(
        [sys.executable, "-m", "syndicate", "check", "--role", role, "--config", str(config)],
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "src"), "HOME": str(tmp_path),
             "SYNDICATE_DATA_DIR": str(tmp_path / "var")},
        capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stdout + res.stderr


def test_prometheus_scrapes_the_feed_server_with_the_operator_token_and_every_worker_service() -> None:
    prometheus = _services()["prometheus"]
    config = yaml.safe_load(_host_path(prometheus, "/etc/prometheus/prometheus.yml").read_text())
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    feeds = jobs["syndicate-feeds"]
    assert feeds["static_configs"] == [{"targets": ["feeds:8080"]}] and feeds["metrics_path"] == "/metrics"
    assert feeds["authorization"] == {"type": "Bearer", "credentials_file": "/run/secrets/operator_token"}
    assert prometheus["secrets"] == ["operator_token"]
    assert _compose()["secrets"]["operator_token"] == {"environment": "SYNDICATE_OPERATOR_TOKEN"}
    # every replica of a scaled service is a target of its own: the DNS name of the service
    [workers] = jobs["syndicate-workers"]["dns_sd_configs"]
    assert (workers["type"], workers["port"]) == ("A", 9808)
    # beat runs no Celery worker and so serves no exporter
    assert set(workers["names"]) == {n for n, s in _app_services().items() if _role(s) not in (None, "beat")}
    for service in _app_services().values():
        assert service["environment"]["SYNDICATE_METRICS_HOST"] == "0.0.0.0"
        assert service["environment"]["SYNDICATE_METRICS_PORT"] == "9808"


def test_prometheus_loads_the_alert_rules_of_the_repo() -> None:
    prometheus = _services()["prometheus"]
    config = yaml.safe_load(_host_path(prometheus, "/etc/prometheus/prometheus.yml").read_text())
    assert [_host_path(prometheus, f) for f in config["rule_files"]] == [
        ROOT / "configs" / "prometheus" / "alerts.yml"]


def test_promtool_accepts_the_prometheus_configuration(tmp_path: Path) -> None:
    if shutil.which("promtool") is None:
        pytest.fail("promtool is missing: `scripts/setup --test` installs it (Debian package "
                    "prometheus, from packages-test.txt)")
    # the alert rules have tests of their own: an empty rule file stands in for them here
    (tmp_path / "alerts.yml").write_text("groups: []\n")
    (tmp_path / "token").write_text("t0ken\n")
    text = (ROOT / "configs" / "prometheus" / "prometheus.yml").read_text()
    text = text.replace("/etc/prometheus/", f"{tmp_path}/").replace("/run/secrets/operator_token",
                                                                   str(tmp_path / "token"))
    (tmp_path / "prometheus.yml").write_text(text)
    res = subprocess.run(["promtool", "check", "config", str(tmp_path / "prometheus.yml")],
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stdout + res.stderr


def test_grafana_is_provisioned_with_prometheus_and_the_dashboards_of_the_repo() -> None:
    grafana = _services()["grafana"]
    provisioning = _host_path(grafana, grafana["environment"]["GF_PATHS_PROVISIONING"])
    datasources = yaml.safe_load((provisioning / "datasources" / "prometheus.yml").read_text())
    assert [(d["type"], d["url"], d["uid"]) for d in datasources["datasources"]] == [
        ("prometheus", "http://prometheus:9090", "prometheus")]
    dashboards = yaml.safe_load((provisioning / "dashboards" / "syndicate.yml").read_text())
    [provider] = dashboards["providers"]
    assert _host_path(grafana, provider["options"]["path"]) == ROOT / "configs" / "grafana" / "dashboards"


def test_the_image_installs_the_cpu_build_of_torch_before_the_project() -> None:
    runs = _dockerfile_runs()
    torch_at = [i for i, run in enumerate(runs) if re.search(r"pip install\b.*\btorch==", run)]
    project_at = [i for i, run in enumerate(runs) if re.search(r"pip install\b.*\s\.(\s|$)", run)]
    assert len(torch_at) == 1 and len(project_at) == 1
    assert "--index-url https://download.pytorch.org/whl/cpu " in runs[torch_at[0]]
    assert torch_at[0] < project_at[0]
    # and the build fails if pip swapped in a CUDA build while installing the project
    assert "torch.version.cuda" in runs[project_at[0]]
