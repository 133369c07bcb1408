"""Beat: schedules the periodic poll of the configured sources (inbox, S3 prefix, URLs); run one.

Run: `python -m workers.beat` (or `syndicate worker --role beat`).
"""

from __future__ import annotations

import sys

from workers import run_role

if __name__ == "__main__":
    sys.exit(run_role("beat"))
