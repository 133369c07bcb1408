"""Export worker: I/O-bound (rendering and writing to partner destinations), 16 threads, prefetch 4.

Run: `python -m workers.export` (or `syndicate worker --role export`).
"""

from __future__ import annotations

import sys

from workers import run_role

if __name__ == "__main__":
    sys.exit(run_role("export"))
