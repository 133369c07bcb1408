"""Dateline localization, kept importable here: it lives in :mod:`syndicate.dateline.localize`
and the house styles in :mod:`syndicate.dateline.styles`."""

from syndicate.dateline.localize import *  # noqa: F403
from syndicate.dateline.styles import *  # noqa: F403
