"""The directory destination: a delivery that can never be written is refused for good (the
dead letters at once); a hiccup of the disk is worth another try."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from syndicate.destinations import Delivery, create
from syndicate.destinations import directory as directory_module
from syndicate.destinations._options import OptionProblem
from syndicate.errors import DeliveryFailed, DeliveryRejected

DELIVERY = Delivery(partner="acme", language="es", guid="urn:newsml:example.com:1",
                    version=1, format="newsmlg2", data=b"<newsItem/>")


def deliver_to(root: Path) -> str:
    return create("directory", {"path": str(root)}).deliver(DELIVERY)


def checked(root: Path) -> list[OptionProblem]:
    return directory_module.DirectoryDestination(directory_module.DirectoryOptions(path=root)).check()


def test_a_delivery_lands_under_its_key(tmp_path: Path) -> None:
    where = Path(deliver_to(tmp_path / "out"))
    assert where == tmp_path / "out" / DELIVERY.relative_key
    assert where.read_bytes() == b"<newsItem/>"


def test_a_file_where_the_partner_folder_should_be_is_refused_naming_it(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("not a folder")
    with pytest.raises(DeliveryRejected) as caught:
        deliver_to(tmp_path / "out")
    assert f"{tmp_path / 'out'} is a file where a folder should be" in str(caught.value)
    assert "move it away" in str(caught.value)


def test_a_file_where_the_story_folder_should_be_is_refused(tmp_path: Path) -> None:
    story_folder = (tmp_path / "out" / DELIVERY.relative_key).parent
    story_folder.parent.mkdir(parents=True)
    story_folder.write_text("not a folder")
    with pytest.raises(DeliveryRejected, match="is a file where a folder should be"):
        deliver_to(tmp_path / "out")


def test_a_folder_where_the_file_should_be_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out" / DELIVERY.relative_key).mkdir(parents=True)
    with pytest.raises(DeliveryRejected, match="a folder of that name is in the way"):
        deliver_to(tmp_path / "out")


def test_a_name_longer_than_the_file_system_allows_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DeliveryRejected, match=r"too long.*shorten the destination's path"):
        deliver_to(tmp_path / ("x" * 300))


@pytest.mark.parametrize(("code", "fix"), [
    (errno.EACCES, "give this worker's user write access"),
    (errno.EPERM, "give this worker's user write access"),
    (errno.EROFS, "read-only; mount it read-write"),
])
def test_a_folder_that_cannot_be_written_is_refused_saying_what_to_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, fix: str
) -> None:
    # the tests run as root, who may write anywhere: the refusal is simulated at the OS call
    def refuse(**kw: object) -> tuple[int, str]:
        raise OSError(code, "refused")

    monkeypatch.setattr(directory_module.tempfile, "mkstemp", refuse)
    with pytest.raises(DeliveryRejected) as caught:
        deliver_to(tmp_path / "out")
    assert fix in str(caught.value)
    assert str(tmp_path / "out") in str(caught.value)


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EIO, errno.ESTALE])
def test_a_full_or_failing_disk_is_retried_not_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    def fail(**kw: object) -> tuple[int, str]:
        raise OSError(code, "try later")

    monkeypatch.setattr(directory_module.tempfile, "mkstemp", fail)
    with pytest.raises(DeliveryFailed) as caught:
        deliver_to(tmp_path / "out")
    assert not isinstance(caught.value, DeliveryRejected)


def test_a_refused_delivery_leaves_no_temporary_file(tmp_path: Path) -> None:
    (tmp_path / "out" / DELIVERY.relative_key).mkdir(parents=True)
    with pytest.raises(DeliveryRejected):
        deliver_to(tmp_path / "out")
    assert not list((tmp_path / "out").rglob(".tmp-*"))


def test_check_accepts_a_folder_that_does_not_exist_yet(tmp_path: Path) -> None:
    assert checked(tmp_path / "a" / "b") == []


def test_check_names_a_file_where_the_folder_should_be(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("x")
    (problem,) = checked(tmp_path / "out")
    assert problem.option == "path"
    assert problem.message.startswith(f"{tmp_path / 'out'} is a file, not a folder")


def test_check_names_a_file_in_the_way_of_a_folder_to_create(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("x")
    (problem,) = checked(tmp_path / "out" / "acme")
    assert f"{tmp_path / 'out'} is a file, not a folder" in problem.message


def test_check_names_a_folder_name_too_long_for_the_file_system(tmp_path: Path) -> None:
    (problem,) = checked(tmp_path / ("x" * 300))
    assert "longer than the file system allows" in problem.message


def test_a_partial_file_whose_writer_died_is_removed(tmp_path: Path) -> None:
    import subprocess
    import sys

    from syndicate.destinations import directory

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    folder = tmp_path / "es" / "story"
    folder.mkdir(parents=True)
    orphan = folder / f".tmp-{directory._HOST}-{dead.stdout.strip()}-abc.part"
    orphan.write_bytes(b"<newsItem half")
    live = folder / f"{directory._tmp_prefix()}def.part"
    live.write_bytes(b"being written")
    assert directory.remove_stale_parts(tmp_path) == [orphan]
    assert live.exists() and not orphan.exists()


def test_a_partial_file_from_another_machine_goes_only_when_old(tmp_path: Path) -> None:
    import os
    import time

    from syndicate.destinations import directory

    fresh = tmp_path / ".tmp-otherhost-123-abc.part"
    old = tmp_path / ".tmp-otherhost-456-def.part"
    for p in (fresh, old):
        p.write_bytes(b"x")
    then = time.time() - directory.FOREIGN_PART_AGE - 60
    os.utime(old, (then, then))
    assert directory.remove_stale_parts(tmp_path) == [old]
    assert fresh.exists()


def test_delivered_files_are_never_taken_for_partial_ones(tmp_path: Path) -> None:
    from syndicate.destinations import directory

    dest = create("directory", {"path": str(tmp_path)})
    where = Path(dest.deliver(Delivery("acme", "es", "urn:x", 1, "newsmlg2", b"<x/>")))
    assert directory.remove_stale_parts(tmp_path) == []
    assert where.read_bytes() == b"<x/>"


def test_a_writer_killed_but_not_yet_reaped_counts_as_dead(tmp_path: Path) -> None:
    import subprocess
    import sys
    import time

    from syndicate.destinations import directory

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    part = tmp_path / f".tmp-{directory._HOST}-{child.pid}-abc.part"
    part.write_bytes(b"half")
    deadline = time.monotonic() + 10
    while Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[-1].split()[0] != "Z":
        assert time.monotonic() < deadline, "the child did not exit"
        time.sleep(0.05)
    try:
        assert directory.remove_stale_parts(tmp_path) == [part]  # a zombie writes nothing
    finally:
        child.wait()


def test_a_pid_reused_by_a_later_process_does_not_keep_a_partial_file(tmp_path: Path) -> None:
    import os
    import time

    from syndicate.destinations import directory

    # this process's pid, on a file written long before this process started
    part = tmp_path / f".tmp-{directory._HOST}-{os.getpid()}-abc.part"
    part.write_bytes(b"half")
    long_ago = time.time() - 10 * 24 * 3600
    os.utime(part, (long_ago, long_ago))
    assert directory.remove_stale_parts(tmp_path) == [part]
