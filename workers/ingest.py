"""Ingest worker: I/O-bound (reading inputs, parsing, fan-out), a thread pool of 8, prefetch 4.

Run: `python -m workers.ingest` (or `syndicate worker --role ingest`).
"""

from __future__ import annotations

import sys

from workers import run_role

if __name__ == "__main__":
    sys.exit(run_role("ingest"))
