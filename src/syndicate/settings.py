"""Process settings from ``SYNDICATE_*`` environment variables, validated once at start-up.

Secrets (the HTTP push key, broker passwords inside URLs) come only from the environment
and are never logged: :meth:`Settings.describe` masks them.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from syndicate.errors import ConfigError

#: the shipped configuration, used when neither SYNDICATE_CONFIG nor configs/syndicate.yaml exist
PACKAGED_CONFIG = Path(__file__).resolve().parent / "data" / "default_config.yaml"
PROJECT_CONFIG = Path("configs") / "syndicate.yaml"


class Settings(BaseSettings):
    """Everything a syndicate process needs besides the partner configuration file."""

    model_config = SettingsConfigDict(env_prefix="SYNDICATE_", extra="ignore")

    #: Celery broker; unset means the embedded on-disk broker under the data directory
    broker_url: str | None = None
    #: Redis for pipeline state; defaults to the broker when that is Redis, else SQLite on disk
    redis_url: str | None = None
    #: the partner/pipeline configuration file (YAML)
    config: Path | None = None
    #: where the embedded broker, the SQLite state and the default inbox live
    data_dir: Path = Path("var")
    #: prefix of every Redis key and Celery queue name this deployment owns
    prefix: str = "syndicate"
    #: prefix of the Celery queue names ("" gives ingest / translate / export)
    queue_prefix: str = ""
    #: prefix of every key the broker writes in Redis (lets several deployments share a DB)
    broker_key_prefix: str = ""
    #: shared key for HMAC-signed HTTP push requests
    push_secret: SecretStr | None = None
    #: how often a transient failure is retried before the task goes to the dead letters
    max_retries: int = Field(default=8, ge=0)
    #: first retry delay in seconds; doubles each time, with jitter, up to retry_backoff_max
    retry_backoff: int = Field(default=2, ge=1)
    retry_backoff_max: int = Field(default=600, ge=1)
    #: seconds before Redis hands an unacknowledged task to another worker (a worker died);
    #: a task that runs longer is not run twice: its lease turns the second copy away
    visibility_timeout: int = Field(default=60, ge=1)
    #: seconds a running task's lease outlives a worker that died holding it (renewed while
    #: the task runs)
    lease_ttl: int = Field(default=20, ge=3)
    #: seconds after which a task sent and not finished is looked after: sent again unless it
    #: is still in the broker or running (the bound on recovery after a lost message)
    resend_after: float = Field(default=30.0, gt=0)
    #: seconds a delivery lock outlives a worker that died holding it (longer than a delivery)
    delivery_lock_ttl: int = Field(default=30, ge=1)
    #: hard and soft time limits of one task, in seconds
    task_time_limit: int = Field(default=900, ge=1)
    task_soft_time_limit: int = Field(default=600, ge=1)
    #: seconds between two polls of the configured sources (beat, or ``syndicate run``)
    poll_interval: float = Field(default=5.0, gt=0)
    log_level: str = "INFO"

    @field_validator("broker_url", "redis_url")
    @classmethod
    def _known_scheme(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        assert value is not None
        scheme = value.split("://", 1)[0] if "://" in value else ""
        if scheme not in {"redis", "rediss", "filesystem", "memory", "amqp", "pyamqp", "sqs"}:
            raise ValueError(
                f"{mask_url(value)!r} is not a broker URL this deployment knows "
                "(expected redis://host:port/db, or leave it unset for the embedded broker)"
            )
        return value

    @field_validator("prefix")
    @classmethod
    def _safe_prefix(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9_.-]+", value):
            raise ValueError("use letters, digits, '_', '.' or '-' only")
        return value

    @property
    def embedded(self) -> bool:
        """True when no broker is configured: syndicate runs on the on-disk broker."""
        return self.broker_url is None

    @property
    def state_url(self) -> str | None:
        """The Redis that holds pipeline state, or None for the SQLite store."""
        if self.redis_url:
            return self.redis_url
        if self.broker_url and self.broker_url.startswith(("redis://", "rediss://")):
            return self.broker_url
        return None

    @property
    def config_path(self) -> Path:
        if self.config is not None:
            return self.config
        if PROJECT_CONFIG.is_file():
            return PROJECT_CONFIG
        return PACKAGED_CONFIG

    @property
    def broker_dir(self) -> Path:
        return self.data_dir / "broker"

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "state.sqlite3"

    def describe(self) -> str:
        """A one-line summary safe to log: no secrets, passwords in URLs masked."""
        broker = mask_url(self.broker_url) if self.broker_url else f"embedded ({self.broker_dir})"
        state = mask_url(self.state_url) if self.state_url else f"sqlite ({self.sqlite_path})"
        return f"broker={broker} state={state} config={self.config_path} data={self.data_dir}"


def mask_url(url: str) -> str:
    """``redis://:secret@host`` -> ``redis://:***@host``."""
    return re.sub(r"(//[^:/@]*:)[^@]*@", r"\1***@", url)


@functools.cache
def get_settings() -> Settings:
    """The process settings, read from the environment once; bad values raise ConfigError."""
    return load_settings()


#: where translation settings were read from before they moved under ``translation:`` in the
#: configuration file: the variable naming a file, and the project's own file. Neither is read
#: any more; either one present stops the process, so that its settings are not lost unseen.
RETIRED_TRANSLATION_ENV = "SYNDICATE_TRANSLATION_CONFIG"
RETIRED_TRANSLATION_FILE = Path("configs") / "translation.yaml"
_MOVE_IT = ("under `translation:` in the configuration file (SYNDICATE_CONFIG, --config or "
            "configs/syndicate.yaml)")


def refuse_retired_translation_config() -> None:
    """Raise ConfigError when translation settings wait where they are no longer read."""
    named = os.environ.get(RETIRED_TRANSLATION_ENV)
    if named:
        raise ConfigError(
            f"{RETIRED_TRANSLATION_ENV} is set ({named}) but is no longer read: move the "
            f"settings of that file {_MOVE_IT}, then unset {RETIRED_TRANSLATION_ENV}"
        )
    if RETIRED_TRANSLATION_FILE.is_file():
        raise ConfigError(
            f"{RETIRED_TRANSLATION_FILE} is no longer read: move its settings {_MOVE_IT}, "
            "then delete it"
        )


def load_settings() -> Settings:
    refuse_retired_translation_config()
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"SYNDICATE_{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigError(f"invalid settings: {problems}") from None
