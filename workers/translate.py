"""Translate worker: CPU-bound, one prefork process per core, prefetch 1; each process loads
its translation models once at start (worker_process_init). Pass --pairs en-es to take only the
dedicated queue of a pair (translate.en-es) and hold only its models.

Run: `python -m workers.translate` (or `syndicate worker --role translate`).
"""

from __future__ import annotations

import sys

from workers import run_role

if __name__ == "__main__":
    sys.exit(run_role("translate"))
