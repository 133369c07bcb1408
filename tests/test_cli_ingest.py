"""`syndicate ingest`: files and folders in, one NewsML-G2 file per item out, bad input quarantined."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from syndicate.cli import main
from syndicate.destinations import guid_slug, relative_key
from syndicate.formats.newsmlg2 import parse

NOW = "2026-11-28T09:00:00Z"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "inbox"


def run_cli(*args: str) -> int:
    return main(["ingest", *args])


def written(out: Path) -> list[Path]:
    """The NewsML-G2 files under ``out`` (in the delivery key layout), quarantine left out."""
    return sorted(p for p in out.rglob("*.xml") if "rejected" not in p.relative_to(out).parts)


def test_each_item_becomes_one_valid_newsmlg2_file(tmp_path, corpus_dir, assert_valid_g2, capsys):
    out = tmp_path / "out"
    assert run_cli(str(corpus_dir / "tass_inf_treaty.txt"), "--out", str(out), "--now", NOW) == 0
    files = written(out)
    assert len(files) == 1
    doc = assert_valid_g2(files[0].read_bytes())
    ns = {"g": "http://iptc.org/std/nar/2006-10-01/"}
    assert doc.findtext("g:contentMeta/g:headline", namespaces=ns).startswith("Kremlin vows")
    assert "MOSCOW" in doc.findtext("g:contentMeta/g:dateline", namespaces=ns)
    assert "1 used" in capsys.readouterr().out


def test_files_are_named_in_the_delivery_key_layout(tmp_path):
    out = tmp_path / "out"
    assert run_cli(str(EXAMPLES / "reuters-eu-rail.txt"), "--out", str(out), "--now", NOW) == 0
    (path,) = written(out)
    (item,) = parse(path.read_bytes())
    expected = relative_key(item.language, item.guid, item.version, "newsmlg2")
    assert path.relative_to(out).as_posix() == expected
    assert expected.endswith(f"/{guid_slug(item.guid)}/v{item.version}.newsmlg2.xml")


def test_folders_are_walked_and_every_story_written(tmp_path, assert_valid_g2):
    out = tmp_path / "out"
    assert run_cli(str(EXAMPLES), "--out", str(out), "--now", NOW) == 0
    files = written(out)
    assert len(files) == len(list(EXAMPLES.glob("*.txt")))
    for f in files:
        assert_valid_g2(f.read_bytes())


def test_ingesting_the_same_bytes_twice_gives_the_same_files(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    run_cli(str(EXAMPLES), "--out", str(a), "--now", NOW)
    run_cli(str(EXAMPLES), "--out", str(b), "--now", NOW)
    names_a = [p.relative_to(a) for p in written(a)]
    assert names_a == [p.relative_to(b) for p in written(b)]
    for name in names_a:
        assert (a / name).read_bytes() == (b / name).read_bytes()


def test_unusable_input_is_quarantined_with_a_reason_and_the_run_goes_on(tmp_path, capsys):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(EXAMPLES / "reuters-eu-rail.txt", inbox / "good.txt")
    (inbox / "binary.bin").write_bytes(b"\x00\x01\x02\xff" * 64)
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "broken.xml").write_bytes(
        b'<?xml version="1.0"?><newsItem xmlns="http://iptc.org/std/nar/2006-10-01/"><itemMeta>'
    )
    out = tmp_path / "out"
    assert run_cli(str(inbox), "--out", str(out), "--now", NOW) == 1
    assert len(written(out)) == 1
    rejected = out / "rejected"
    for name in ("binary.bin", "empty.txt", "broken.xml"):
        assert (rejected / name).read_bytes() == (inbox / name).read_bytes()
        reason = (rejected / f"{name}.reason.txt").read_text()
        assert reason.strip().endswith(".") and "\n" not in reason.strip()
    captured = capsys.readouterr()
    assert "3 rejected" in captured.out
    assert "Traceback" not in captured.err


def test_a_named_format_is_used_instead_of_detection(tmp_path):
    out = tmp_path / "out"
    code = run_cli(str(EXAMPLES / "tass-port-upgrade.txt"), "--out", str(out), "--format", "newsmlg2")
    assert code == 1
    reason = (out / "rejected" / "tass-port-upgrade.txt.reason.txt").read_text()
    assert "XML" in reason


@pytest.mark.parametrize(
    "args",
    [
        ["does-not-exist.txt", "--out", "x"],
        [str(EXAMPLES), "--out", "x", "--format", "no-such-format"],
        [str(EXAMPLES), "--out", "x", "--now", "yesterday"],
        [str(EXAMPLES)],
    ],
    ids=["missing-path", "unknown-format", "bad-now", "no-out"],
)
def test_usage_errors_exit_2_without_a_traceback(tmp_path, args):
    proc = subprocess.run(
        [sys.executable, "-m", "syndicate", "ingest", *args],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip()
