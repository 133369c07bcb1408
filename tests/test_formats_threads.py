"""Format detection from many threads of a fresh process, as a new ingest worker's thread pool
does with its first batch: every thread must see every codec."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from syndicate import formats

#: the syndicate package this test runs against, so that the child imports the same one
SRC = str(Path(formats.__file__).resolve().parents[2])
THREADS = 16
#: fresh interpreters to try: each one's first use of the codec registry is a new race
RUNS = 3

SAMPLES = (
    "newsmlg2/rich_xhtml.xml",
    "ninjs/ninjs-2x-html.json",
    "nitf/nitf35-latin1-reuters.xml",
    "wire/reuters_brussels.txt",
    "iptc7901/afp-7901-geneva.txt",
    "feeds/atom-agency.xml",
)

# Runs in the child: waits until every thread is ready, then all detect at once. The codec
# registry must not have been used before the barrier opens, or there is no race to lose.
CHILD = """
import json, sys, threading
from pathlib import Path
from syndicate import formats

paths = json.loads(sys.argv[1])
barrier = threading.Barrier(len(paths))
found = [None] * len(paths)

def detect(i):
    data = Path(paths[i]).read_bytes()
    barrier.wait()
    try:
        found[i] = formats.detect(data, Path(paths[i]).name).name
    except Exception as exc:
        found[i] = f"{type(exc).__name__}: {exc}"

threads = [threading.Thread(target=detect, args=(i,)) for i in range(len(paths))]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(json.dumps(found))
"""


@pytest.mark.parametrize("run", range(RUNS))
def test_threads_of_a_fresh_process_detect_every_format_at_first_use(
    fixtures_dir: Path, run: int
) -> None:
    paths = [fixtures_dir / SAMPLES[i % len(SAMPLES)] for i in range(THREADS)]
    # this process's registry is long loaded: it says what each thread must find
    expected = [formats.detect(p.read_bytes(), p.name).name for p in paths]
    assert len(set(expected)) == len(SAMPLES)

    child = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps([str(p) for p in paths])],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (SRC, os.environ.get("PYTHONPATH"))))},
    )

    assert child.returncode == 0, child.stderr
    assert json.loads(child.stdout) == expected
