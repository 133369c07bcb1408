"""How each worker role is run: ``python -m workers.<role>`` (from the repository root).

Each module is one role; the pool, concurrency, prefetch and queues it uses are defined in
:func:`syndicate.tasks.roles` so that ``syndicate worker --role <role>`` runs the same thing.

=========  ========  ==================  ========  ==========================================
role       pool      concurrency         prefetch  why
=========  ========  ==================  ========  ==========================================
ingest     threads   8                   4         I/O-bound: reading, parsing, queueing
translate  prefork   one per core        1         CPU-bound; models loaded once per process
export     threads   16                  4         I/O-bound: rendering, writing to partners
urgent     prefork   1                   1         the urgent lanes only, always free for them
beat       -         -                   -         polls the configured sources periodically
=========  ========  ==================  ========  ==========================================
"""

from __future__ import annotations

import sys


def run_role(role: str, argv: list[str] | None = None) -> int:
    """Exec the worker of ``role``; extra arguments go to ``syndicate worker``."""
    from syndicate.cli import main

    return main(["worker", "--role", role, *(argv if argv is not None else sys.argv[1:])])
