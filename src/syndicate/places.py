"""The place table, kept importable here: it lives in :mod:`syndicate.dateline.places`."""

from syndicate.dateline.places import *  # noqa: F403
from syndicate.dateline.places import _KEY_RE  # noqa: F401
