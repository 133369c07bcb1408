"""The one exception hierarchy of syndicate: every error a user can meet says what, where and what to do."""

from __future__ import annotations


class SyndicateError(Exception):
    """Base of every error syndicate raises on purpose."""


class UsageError(SyndicateError):
    """The command line or the configuration asks for something that cannot be done."""


class ConfigError(UsageError):
    """A configuration file or variable is invalid."""


class UnsupportedFormat(SyndicateError):
    """No codec recognises the input, or the named format does not exist."""


class MalformedInput(SyndicateError):
    """The input claims a format but breaks it (bad XML, missing headline, hostile content)."""


class TranslationError(SyndicateError):
    """A translation engine failed or the language pair is not available."""


class MissingLanguagePair(TranslationError):
    """No installed engine translates the requested pair; the message names what to install."""


class DeliveryFailed(SyndicateError):
    """A destination did not accept a delivery; transient failures are retried."""


class TransientError(SyndicateError):
    """A failure worth retrying (a destination or service briefly unavailable)."""


class DeliveryRejected(DeliveryFailed):
    """A destination refused a delivery for good (bad credentials, 4xx): retrying cannot help."""
