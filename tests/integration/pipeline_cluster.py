"""A pipeline deployment for integration tests: real Redis, real `celery worker` processes.

Each Cluster gets its own key prefix and queue names in Redis DB 7 and removes only the
keys it created.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import redis
import yaml

REDIS_URL = "redis://127.0.0.1:6379/7"
SYNDICATE = [sys.executable, "-m", "syndicate"]

THREE_PARTNERS = """
translation:
  engine: apertium
partners:
  - id: diario
    languages: [es]
    formats: [newsmlg2]
    destinations:
      - type: directory
        path: {out}/diario
  - id: homewire
    languages: [en]
    formats: [newsmlg2]
    destinations:
      - type: directory
        path: {out}/homewire
  - id: portal
    languages: [es]
    formats: [newsmlg2, ninjs]
    destinations:
      - type: directory
        path: {out}/portal
"""


def redis_available(url: str = REDIS_URL) -> bool:
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        return True
    except redis.exceptions.ConnectionError:
        return False


class Cluster:
    def __init__(self, tmp: Path, config_text: str, redis_url: str = REDIS_URL,
                 shipped: bool = False, **env: str) -> None:
        """``shipped``: the settings as shipped (timeouts, leases, retries); otherwise short
        ones that keep the tests quick."""
        self.tmp = tmp
        tmp.mkdir(parents=True, exist_ok=True)
        self.redis_url = redis_url
        self.tag = f"t{uuid.uuid4().hex[:10]}"
        self.out = tmp / "out"
        config = tmp / "syndicate.yaml"
        settings = yaml.safe_load(config_text.format(out=self.out)) or {}
        # the sentence cache lives under this cluster's prefix too, so cleanup finds it
        translation = settings.setdefault("translation", None) or {}
        translation.setdefault("cache", {})["prefix"] = f"{self.tag}:mt:"
        settings["translation"] = translation
        config.write_text(yaml.safe_dump(settings, sort_keys=False))
        self.env = {
            **os.environ,
            "SYNDICATE_BROKER_URL": redis_url,
            "SYNDICATE_REDIS_URL": redis_url,
            "SYNDICATE_PREFIX": self.tag,
            "SYNDICATE_QUEUE_PREFIX": f"{self.tag}.",
            "SYNDICATE_BROKER_KEY_PREFIX": f"{self.tag}:broker:",
            "SYNDICATE_CONFIG": str(config),
            "SYNDICATE_DATA_DIR": str(tmp / "var"),
            "SYNDICATE_LOG_LEVEL": "INFO",
            # no metrics exporter unless a test gives a worker a port: several workers of one
            # machine would all want the default one
            "SYNDICATE_METRICS_PORT": "0",
        }
        if not shipped:
            self.env.update({
                "SYNDICATE_VISIBILITY_TIMEOUT": "6",
                "SYNDICATE_DELIVERY_LOCK_TTL": "4",
                "SYNDICATE_LEASE_TTL": "4",
                "SYNDICATE_RESEND_AFTER": "5",
                "SYNDICATE_MAX_RETRIES": "2",
                "SYNDICATE_RETRY_BACKOFF": "1",
                "SYNDICATE_RETRY_BACKOFF_MAX": "1",
            })
        self.env.update(env)
        self.workers: list[subprocess.Popen[bytes]] = []
        self.logs = tmp / "logs"
        self.logs.mkdir(exist_ok=True)

    def start_worker(self, role: str = "all", concurrency: int = 2,
                     **env: str) -> subprocess.Popen[bytes]:
        """``env``: more environment for this worker only (SYNDICATE_METRICS_PORT...)."""
        n = len(self.workers)
        log = (self.logs / f"worker-{n}.log").open("ab")
        proc = subprocess.Popen(
            [*SYNDICATE, "worker", "--role", role, "-c", str(concurrency),
             "-n", f"{self.tag}-{n}@%h"],
            env={**self.env, **env}, cwd=self.tmp, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.workers.append(proc)
        return proc

    def run_once(self, inbox: Path, timeout: float = 240) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*SYNDICATE, "run", "--once", "--inbox", str(inbox), "--timeout", str(timeout)],
            env=self.env, cwd=self.tmp, capture_output=True, text=True, timeout=timeout + 30,
        )

    def start_run_once(self, inbox: Path, timeout: float = 240) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [*SYNDICATE, "run", "--once", "--inbox", str(inbox), "--timeout", str(timeout)],
            env=self.env, cwd=self.tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True,
        )

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*SYNDICATE, *args], env=self.env, cwd=self.tmp,
                              capture_output=True, text=True, timeout=60)

    def kill_worker(self, proc: subprocess.Popen[bytes]) -> None:
        """SIGKILL the worker and its pool processes, as a crashed machine would."""
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    def stop(self) -> None:
        for proc in self.workers:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for proc in self.workers:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def cleanup_redis(self) -> None:
        r = redis.Redis.from_url(self.redis_url, socket_connect_timeout=2)
        try:
            names = [f"{self.tag}.ingest", f"{self.tag}.translate", f"{self.tag}.export"]
            keys = list(r.scan_iter(match=f"{self.tag}*", count=1000))
            for name in names:
                keys += [k for k in r.scan_iter(match=f"{name}*", count=1000)]
            for i in range(0, len(keys), 500):
                r.delete(*keys[i:i + 500])
        except redis.exceptions.ConnectionError:
            pass

    def outputs(self) -> list[Path]:
        return sorted(p for p in self.out.rglob("*") if p.is_file())

    def worker_log(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-4000:] for p in sorted(self.logs.iterdir()))


def wait_for(cond: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class OwnRedis:
    """A redis-server of the test's own on a spare port, persisting as shipped (append-only
    file, fsync every second), that can be killed and started again."""

    def __init__(self, folder: Path, fsync: str = "everysec") -> None:
        self.folder = folder
        self.port = free_port()
        self.fsync = fsync
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--dir", str(self.folder), "--appendonly", "yes", "--appendfsync", self.fsync,
             "--save", "", "--protected-mode", "yes"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: redis_available(self.url), 20, "redis-server to start")

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait()
