"""Shared test fixtures: paths to the standards and corpus beside the repo, the NewsML-G2 schema."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from lxml import etree

from syndicate.store import RedisBackend, SqliteBackend, Store

# speed is for the benchmarks to measure: an example that runs slowly on a loaded machine (its
# first call loading a model, say) is no failure, so property tests have no deadline
settings.register_profile("syndicate", deadline=None)
settings.load_profile("syndicate")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
G2_XSD = SHARED / "standards" / "newsml-g2" / "NewsML-G2_2.35-spec-All-Power.xsd"
NINJS_31 = SHARED / "standards" / "ninjs" / "ninjs-schema_3.1.json"
CORPUS = SHARED / "corpus"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"the shared standards and corpus are expected at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def corpus_dir(shared_dir: Path) -> Path:
    return shared_dir / "corpus"


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def g2_schema(shared_dir: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(G2_XSD)))


@pytest.fixture(scope="session")
def assert_valid_g2(g2_schema: etree.XMLSchema):  # type: ignore[no-untyped-def]
    """Validate NewsML-G2 bytes against the official 2.35 schema; fail with the schema's errors."""

    def check(data: bytes) -> etree._Element:
        doc = etree.fromstring(data)
        if not g2_schema.validate(doc):
            errors = "\n".join(str(e) for e in g2_schema.error_log)
            pytest.fail(f"NewsML-G2 output does not validate:\n{errors}\n---\n{data.decode()}")
        return doc

    return check


@pytest.fixture
def fresh_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Process settings read afresh in this test and forgotten after it: what ``--config`` puts
    in the environment (SYNDICATE_CONFIG) is restored afterwards, not left to other tests."""
    from syndicate.settings import get_settings

    monkeypatch.delenv("SYNDICATE_CONFIG", raising=False)
    monkeypatch.delenv("SYNDICATE_TRANSLATION_CONFIG", raising=False)
    get_settings.cache_clear()
    try:
        yield
    finally:
        get_settings.cache_clear()


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """An S3-compatible server (moto's server mode) over HTTP on loopback."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def bucket(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> str:
    """A fresh bucket on the test S3 server, with test credentials in the environment."""
    import boto3

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    name = f"test-{abs(hash(request.node.nodeid)) % 10**10}"
    boto3.client("s3", endpoint_url=s3_endpoint).create_bucket(Bucket=name)
    return name


@pytest.fixture
def redis_store() -> Iterator[Store]:
    """A state store on the real Redis (DB 7) under a fresh key prefix, removed afterwards."""
    import redis

    prefix = f"tstore{uuid.uuid4().hex[:8]}"
    try:
        yield Store(RedisBackend("redis://127.0.0.1:6379/7", prefix))
    finally:
        r = redis.Redis.from_url("redis://127.0.0.1:6379/7")
        for key in r.scan_iter(match=f"{prefix}:*"):
            r.delete(key)


@pytest.fixture(params=["sqlite", pytest.param("redis", marks=pytest.mark.integration)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    """The state store on each backend: SQLite (embedded) and Redis (production)."""
    if request.param == "sqlite":
        return Store(SqliteBackend(tmp_path / "s.db"))
    redis_backed: Store = request.getfixturevalue("redis_store")
    return redis_backed
