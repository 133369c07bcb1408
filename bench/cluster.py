"""What the cluster benchmarks (pipeline, priority, wireday) share: a namespace of their own on
Redis, real `syndicate worker` processes started the way the README runs them, and the clean-up.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Any


def use_redis(redis: str, tmp: Path, tag: str, config: Path | None = None) -> None:
    """Point this process (and the workers it starts, which inherit its environment) at
    ``redis``, every key and queue under ``tag``, state files under ``tmp``. Call it before
    importing ``syndicate.tasks``: the settings are read on import."""
    os.environ.update({
        "SYNDICATE_BROKER_URL": redis, "SYNDICATE_REDIS_URL": redis,
        "SYNDICATE_PREFIX": tag, "SYNDICATE_QUEUE_PREFIX": f"{tag}.",
        "SYNDICATE_BROKER_KEY_PREFIX": f"{tag}:broker:",
        "SYNDICATE_DATA_DIR": str(tmp / "var"), "SYNDICATE_LOG_LEVEL": "WARNING",
    })
    if config is not None:
        os.environ["SYNDICATE_CONFIG"] = str(config)


def remove_keys(client: Any, tag: str) -> None:
    """Every key the run wrote (state, broker, sentence cache) is under ``tag``."""
    for key in client.scan_iter(match=f"{tag}*", count=1000):
        client.delete(key)


class Workers:
    """`syndicate worker` processes, each in a session of its own (its pool and engine processes
    in its process group), logging to ``tmp``; stopped (SIGTERM, waited for) on exit."""

    def __init__(self, tmp: Path, tag: str) -> None:
        self.tmp = tmp
        self.tag = tag
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self, role: str, concurrency: int, name: str | None = None,
              env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        name = name or f"{role}-{len(self.procs)}"
        log = (self.tmp / f"worker-{name}.log").open("ab")
        proc = subprocess.Popen(
            [sys.executable, "-m", "syndicate", "worker", "--role", role, "-c", str(concurrency),
             "-n", f"{self.tag}-{name}@%h", "-l", "WARNING"],
            env={**os.environ, **(env or {})}, cwd=self.tmp, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(proc)
        return proc

    @property
    def groups(self) -> set[int]:
        """The process groups of the workers (one per worker, its children included)."""
        return {p.pid for p in self.procs}

    def wait_ready(self, timeout: float = 120) -> None:
        """Until every worker answers a ping."""
        from syndicate import tasks

        deadline = time.monotonic() + timeout
        while len(tasks.app.control.inspect(timeout=0.5).ping() or {}) < len(self.procs):
            if time.monotonic() > deadline:
                raise SystemExit(f"workers did not start; see {self.tmp}")

    def stop(self) -> None:
        for p in self.procs:
            os.killpg(p.pid, signal.SIGTERM)
        for p in self.procs:
            p.wait()
        self.procs.clear()

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
