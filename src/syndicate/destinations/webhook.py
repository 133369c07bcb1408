"""A partner's HTTP endpoint: each delivery is one signed POST.

The signature is HMAC-SHA256 over ``"<timestamp>.<body>"`` with a secret read from the
environment variable the configuration names, sent as ``X-Syndicate-Signature: sha256=<hex>``
beside ``X-Syndicate-Timestamp`` (:mod:`syndicate.signing`, shared with the push source);
``Idempotency-Key`` carries the delivery key, so a receiver can drop the repeat of a retried
POST.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import httpx
from pydantic import BaseModel, ConfigDict, Field, field_validator

from syndicate.destinations import Delivery, register
from syndicate.destinations._options import OptionError, OptionProblem, validate
from syndicate.errors import DeliveryFailed, DeliveryRejected
from syndicate.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign
from syndicate.signing import verify as verify  # a receiver's check, kept importable from here


class WebhookOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str
    #: the environment variable holding the signing secret (the secret never sits in config)
    secret_env: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    #: seconds for the whole request (connect, send, answer)
    timeout: float = Field(default=10.0, gt=0, le=300)

    @field_validator("url")
    @classmethod
    def _http(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value


class WebhookDestination:
    type = "webhook"

    def __init__(self, options: WebhookOptions,
                 clock: Callable[[], float] = time.time) -> None:
        self.options = options
        self.clock = clock
        secret = os.environ.get(options.secret_env)
        if not secret:
            raise OptionError(self._missing_secret(), "secret_env")
        self._secret = secret.encode("utf-8")

    def _missing_secret(self) -> str:
        return (f"webhook destination {self.options.url}: the environment variable "
                f"{self.options.secret_env} (secret_env) is not set or empty; export the signing "
                "secret shared with the partner")

    def check(self) -> list[OptionProblem]:
        """The signing secret is still in the environment (no request is made)."""
        if not os.environ.get(self.options.secret_env, "").strip():
            return [OptionProblem("secret_env", self._missing_secret())]
        return []

    def deliver(self, delivery: Delivery) -> str:
        body = delivery.content
        timestamp = str(int(self.clock()))
        headers = {
            "Content-Type": delivery.media_type,
            SIGNATURE_HEADER: sign(self._secret, timestamp, body),
            TIMESTAMP_HEADER: timestamp,
            "Idempotency-Key": delivery.key,
            "User-Agent": "syndicate-webhook/1",
        }
        url = self.options.url
        try:
            response = httpx.post(url, content=body, headers=headers,
                                  timeout=self.options.timeout, follow_redirects=False)
        except httpx.TimeoutException as exc:
            raise DeliveryFailed(f"webhook {url} timed out after {self.options.timeout:g} s "
                                 f"({type(exc).__name__})") from exc
        except httpx.HTTPError as exc:
            raise DeliveryFailed(f"cannot reach webhook {url}: {exc}") from exc
        status = response.status_code
        if 200 <= status < 300:
            return f"{url}#{delivery.key}"
        if 300 <= status < 400:
            # a moved endpoint is a configuration change, not something a retry fixes
            raise DeliveryRejected(
                f"webhook {url} answered {status} (redirect to "
                f"{response.headers.get('location', '?')}); update the destination url"
            )
        detail = response.text[:200].strip()
        msg = f"webhook {url} answered {status} {response.reason_phrase}" + (
            f": {detail}" if detail else "")
        # 408 and 429 ask to come back later; any other 4xx will be refused again
        if 400 <= status < 500 and status not in (408, 425, 429):
            raise DeliveryRejected(msg)
        raise DeliveryFailed(msg)


@register("webhook")
def _factory(options: dict[str, object]) -> WebhookDestination:
    return WebhookDestination(validate(WebhookOptions, "webhook", options))
