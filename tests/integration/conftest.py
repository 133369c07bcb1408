"""Fixtures for the pipeline integration tests: a Cluster per test, cleaned up after."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pipeline_cluster import THREE_PARTNERS, Cluster, redis_available


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    if not redis_available():
        pytest.fail("Redis is expected at 127.0.0.1:6379 for the integration tests")
    c = Cluster(tmp_path, THREE_PARTNERS)
    try:
        yield c
    finally:
        c.stop()
        c.cleanup_redis()
