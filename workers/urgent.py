"""Urgent worker: the urgent lanes only (flashes, bulletins, kills: translate.urgent and
export.urgent), one prefork process with its models loaded, kept free for them so that a flash
never waits for a routine translation to finish; the translate and export workers take the
urgent lanes first too, when one of their processes is free.

Run: `python -m workers.urgent` (or `syndicate worker --role urgent`).
"""

from __future__ import annotations

import sys

from workers import run_role

if __name__ == "__main__":
    sys.exit(run_role("urgent"))
