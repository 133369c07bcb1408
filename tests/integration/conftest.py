"""Fixtures for the pipeline integration tests: a Cluster per test, cleaned up after."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cluster import Cluster, redis_available

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
