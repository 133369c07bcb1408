"""The SFTP destination against Debian's OpenSSH server on a spare loopback port."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sshd_server import Sshd, keygen, running
from syndicate.destinations import Delivery, create
from syndicate.destinations import sftp as sftp_module
from syndicate.errors import ConfigError, DeliveryFailed, DeliveryRejected

integration = pytest.mark.integration

GUID = "urn:newsml:example.com:20261128:story-1"


def delivery(version: int = 1, pub_status: str = "usable", data: bytes = b"<newsItem/>"
             ) -> Delivery:
    return Delivery("acme", "es", GUID, version, "newsmlg2", data, pub_status)


@pytest.fixture(scope="module")
def server() -> Iterator[Sshd]:
    with running() as sshd:
        yield sshd


@pytest.fixture(autouse=True)
def _fresh_connections() -> Iterator[None]:
    yield
    sftp_module.close_connections()


@pytest.fixture
def folder(server: Sshd, request: pytest.FixtureRequest) -> Path:
    """A folder of its own on the server for each test (the server is shared)."""
    return server.root / request.node.name.replace("[", "_").replace("]", "")


def files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def logins(server: Sshd) -> int:
    return (server.folder / "sshd.log").read_text(errors="replace").count("Accepted publickey")


@integration
def test_a_delivery_arrives_whole_under_path_plus_its_key(server: Sshd, folder: Path) -> None:
    dest = create("sftp", server.options(path=str(folder)))
    where = dest.deliver(delivery())
    assert where == f"sftp://{server.user}@127.0.0.1:{server.port}{folder}/{delivery().key}"
    assert files(folder) == [delivery().key]
    assert (folder / delivery().key).read_bytes() == b"<newsItem/>"


@integration
def test_a_retried_delivery_overwrites_and_leaves_no_temporary_file(
    server: Sshd, folder: Path
) -> None:
    dest = create("sftp", server.options(path=str(folder)))
    dest.deliver(delivery(data=b"<first/>"))
    dest.deliver(delivery(data=b"<second/>"))
    assert files(folder) == [delivery().key]
    assert (folder / delivery().key).read_bytes() == b"<second/>"


@integration
def test_a_kill_replaces_the_story_of_its_version(server: Sshd, folder: Path) -> None:
    dest = create("sftp", server.options(path=str(folder)))
    dest.deliver(delivery(2, data=b"<story/>"))
    dest.deliver(delivery(2, "canceled", b"<kill/>"))
    assert files(folder) == [delivery(2).key]
    assert (folder / delivery(2).key).read_bytes() == b"<kill/>"


@integration
def test_without_partner_subdir_the_key_starts_at_the_language(server: Sshd, folder: Path) -> None:
    create("sftp", server.options(path=str(folder), partner_subdir=False)).deliver(delivery())
    assert files(folder) == [delivery().relative_key]


@integration
def test_a_reader_sees_the_old_file_or_the_new_one_whole_never_a_partial_one(
    server: Sshd, folder: Path
) -> None:
    dest = create("sftp", server.options(path=str(folder)))
    old, new = b"<old/>" * 10, os.urandom(24 * 1024 * 1024)
    dest.deliver(delivery(data=old))
    final = folder / delivery().key
    seen_final: set[int] = set()
    seen_parts: list[str] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            for entry in os.scandir(final.parent):
                try:
                    size = entry.stat().st_size
                except FileNotFoundError:  # renamed away between listing and looking
                    continue
                if entry.name == final.name:
                    seen_final.add(size)
                else:
                    seen_parts.append(entry.name)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        dest.deliver(delivery(data=new))
    finally:
        done.set()
        watcher.join()
    # the upload went to a hidden temporary name beside the file; the file itself was only
    # ever the old version or the new one, whole
    assert seen_parts and all(n.startswith(".tmp-") and n.endswith(".part") for n in seen_parts)
    assert seen_final <= {len(old), len(new)}
    assert final.read_bytes() == new
    assert files(folder) == [delivery().key]


@integration
def test_temporary_files_of_killed_writers_go_with_the_next_delivery_to_their_folder(
    server: Sshd, folder: Path
) -> None:
    import sys

    from syndicate.destinations import directory

    dest = create("sftp", server.options(path=str(folder)))
    dest.deliver(delivery(1))
    story = (folder / delivery().key).parent
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    orphan = story / f".tmp-{directory._HOST}-{dead}-abc.part"
    live = story / f"{directory._tmp_prefix()}def.part"  # another thread of this process
    fresh = story / ".tmp-otherhost-123-abc.part"
    old = story / ".tmp-otherhost-456-def.part"
    for p in (orphan, live, fresh, old):
        p.write_bytes(b"<newsItem half")
    then = time.time() - directory.FOREIGN_PART_AGE - 60
    os.utime(old, (then, then))
    dest.deliver(delivery(1))  # the retry of the delivery that was cut off
    assert sorted(p.name for p in story.iterdir()) == sorted(
        [live.name, fresh.name, Path(delivery().key).name])


@integration
def test_a_server_without_posix_rename_gets_the_old_file_removed_then_replaced(
    server: Sshd, folder: Path
) -> None:
    dest = create("sftp", server.options(path=str(folder)))
    dest.deliver(delivery(data=b"<first/>"))
    (conn,) = sftp_module._pool(dest.options).idle  # type: ignore[attr-defined]
    assert conn.posix_rename  # OpenSSH offers it in its version message
    conn.posix_rename = False  # as a server that does not
    dest.deliver(delivery(data=b"<second/>"))
    assert (folder / delivery().key).read_bytes() == b"<second/>"
    assert files(folder) == [delivery().key]


@integration
def test_connections_are_kept_between_deliveries(server: Sshd, folder: Path) -> None:
    before = logins(server)
    for version in (1, 2, 3):
        # the pipeline makes a destination per delivery: the connection outlives it
        create("sftp", server.options(path=str(folder))).deliver(delivery(version))
    assert logins(server) - before == 1


@integration
def test_threads_delivering_at_once_each_get_a_connection_and_all_arrive(
    server: Sshd, folder: Path
) -> None:
    errors: list[BaseException] = []
    options = server.options(path=str(folder))

    def deliver(version: int) -> None:
        try:
            create("sftp", options).deliver(delivery(version))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=deliver, args=(v,)) for v in range(1, 9)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(files(folder)) == 8
    dest = create("sftp", server.options(path=str(folder)))
    assert len(sftp_module._pool(dest.options).idle) <= sftp_module.MAX_IDLE  # type: ignore[attr-defined]


@integration
def test_a_connection_the_server_dropped_is_opened_again(folder: Path) -> None:
    with running() as server:
        options = server.options(path=str(server.root))
        create("sftp", options).deliver(delivery(1))
        server.halt()  # the kept connection dies with the server
        server.start()  # same port, same keys
        create("sftp", options).deliver(delivery(2))
        assert files(server.root) == sorted([delivery(1).key, delivery(2).key])


@integration
def test_a_kept_connection_whose_sftp_channel_closed_is_replaced(
    server: Sshd, folder: Path
) -> None:
    dest = create("sftp", server.options(path=str(folder)))
    dest.deliver(delivery(1))
    (conn,) = sftp_module._pool(dest.options).idle  # type: ignore[attr-defined]
    conn.sftp.close()  # the SSH connection stays up, the file transfer session is gone
    before = logins(server)
    dest.deliver(delivery(2))
    assert logins(server) - before == 1
    assert files(folder) == sorted([delivery(1).key, delivery(2).key])


@integration
def test_a_kept_connection_that_breaks_mid_delivery_is_retried_once_on_a_new_one(
    server: Sshd, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = create("sftp", server.options(path=str(folder)))
    dest.deliver(delivery(1))
    real_upload, calls = sftp_module._upload, []

    def breaks_once(conn: object, *args: object) -> None:
        calls.append(conn)
        if len(calls) == 1:
            raise sftp_module._Broken("Server connection dropped")
        real_upload(conn, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(sftp_module, "_upload", breaks_once)
    dest.deliver(delivery(2))
    assert len(calls) == 2 and calls[0] is not calls[1]
    assert files(folder) == sorted([delivery(1).key, delivery(2).key])


@integration
def test_a_new_connection_that_breaks_is_a_transient_failure(
    server: Sshd, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def breaks(*args: object) -> None:
        raise sftp_module._Broken("Server connection dropped")

    monkeypatch.setattr(sftp_module, "_upload", breaks)
    with pytest.raises(DeliveryFailed, match="broke while writing") as info:
        create("sftp", server.options(path=str(folder))).deliver(delivery())
    assert not isinstance(info.value, DeliveryRejected)


@integration
def test_a_folder_that_is_a_file_is_a_refusal_naming_it(server: Sshd, folder: Path) -> None:
    folder.mkdir()
    (folder / "acme").write_text("not a folder")
    dest = create("sftp", server.options(path=str(folder)))
    with pytest.raises(DeliveryRejected, match=f"{folder}/acme: it is a file where a folder"):
        dest.deliver(delivery())


@integration
def test_permission_denied_is_a_refusal_naming_the_folder() -> None:
    with running(read_only=True) as server:
        dest = create("sftp", server.options(path=str(server.root)))
        with pytest.raises(DeliveryRejected, match="the server denied it") as info:
            dest.deliver(delivery())
        assert f"{server.root}/acme" in str(info.value)
        # and an existing folder: the upload itself is denied
        (server.root / delivery().key).parent.mkdir(parents=True)
        with pytest.raises(DeliveryRejected, match=r"cannot write .* the server denied it"):
            dest.deliver(delivery())
        assert files(server.root) == []


@integration
def test_a_key_from_the_environment_logs_in(
    server: Sshd, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACME_SFTP_KEY", server.client_key.read_text())
    options = server.options(path=str(folder), key_env="ACME_SFTP_KEY")
    del options["key_file"]
    create("sftp", options).deliver(delivery())
    assert files(folder) == [delivery().key]


@integration
def test_a_host_key_pinned_by_fingerprint_or_public_key_lets_the_server_in(
    server: Sshd, folder: Path
) -> None:
    for pinned in (server.host_fingerprint(), server.public_host_key()):
        options = server.options(path=str(folder), host_key=pinned)
        del options["known_hosts"]
        create("sftp", options).deliver(delivery())
        sftp_module.close_connections()
    assert files(folder) == [delivery().key]


@integration
def test_a_hashed_known_hosts_file_is_read(server: Sshd, folder: Path) -> None:
    known = server.known_hosts()
    subprocess.run(["ssh-keygen", "-q", "-H", "-f", str(known)], check=True,
                   capture_output=True)
    assert known.read_text().startswith("|1|")  # no host name left in the clear
    create("sftp", server.options(path=str(folder), known_hosts=str(known))).deliver(delivery())
    assert files(folder) == [delivery().key]


@integration
def test_a_refused_password_is_a_refusal_naming_its_variable_and_never_the_password(
    server: Sshd, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACME_SFTP_PASSWORD", "wire-secret")
    options = server.options(path=str(folder), password_env="ACME_SFTP_PASSWORD")
    del options["key_file"]  # the server takes keys only
    with pytest.raises(DeliveryRejected, match="with the password in ACME_SFTP_PASSWORD") as info:
        create("sftp", options).deliver(delivery())
    assert "wire-secret" not in str(info.value)


@integration
def test_an_unknown_host_key_is_refused_and_nothing_is_written(
    server: Sshd, folder: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "known_hosts"
    empty.write_text("")
    dest = create("sftp", server.options(path=str(folder), known_hosts=str(empty)))
    with pytest.raises(DeliveryRejected, match="not known") as info:
        dest.deliver(delivery())
    # the message gives the fingerprint to confirm and pin
    assert server.host_fingerprint() in str(info.value)
    assert not folder.exists()


@integration
def test_a_host_key_other_than_the_known_one_is_refused(
    server: Sshd, folder: Path, tmp_path: Path
) -> None:
    other = keygen(tmp_path / "other")
    kind, blob, *_ = Path(f"{other}.pub").read_text().split()
    known = tmp_path / "known_hosts"
    known.write_text(f"[127.0.0.1]:{server.port} {kind} {blob}\n")
    with pytest.raises(DeliveryRejected, match="someone is in the way"):
        create("sftp", server.options(path=str(folder), known_hosts=str(known))).deliver(delivery())
    options = server.options(path=str(folder), host_key=f"{kind} {blob}")
    del options["known_hosts"]
    with pytest.raises(DeliveryRejected, match="someone is in the way"):
        create("sftp", options).deliver(delivery())
    assert not folder.exists()


@integration
def test_a_pinned_fingerprint_the_server_does_not_have_is_refused(
    server: Sshd, folder: Path
) -> None:
    options = server.options(path=str(folder), host_key="SHA256:" + "A" * 43)
    del options["known_hosts"]
    with pytest.raises(DeliveryRejected, match=re.escape(
            f"presented the host key ssh-ed25519 {server.host_fingerprint()}, not the pinned")):
        create("sftp", options).deliver(delivery())


@integration
def test_a_key_the_server_does_not_accept_is_a_refusal_naming_user_and_key(
    server: Sshd, folder: Path, tmp_path: Path
) -> None:
    stranger = keygen(tmp_path / "stranger")
    dest = create("sftp", server.options(path=str(folder), key_file=str(stranger)))
    with pytest.raises(DeliveryRejected, match=f"refused the login of {server.user} with the key "
                                               f"file {stranger}"):
        dest.deliver(delivery())


@integration
def test_a_server_that_is_down_is_a_transient_failure(tmp_path: Path) -> None:
    server = Sshd()  # configured, never started
    try:
        dest = create("sftp", server.options())
        with pytest.raises(DeliveryFailed, match="cannot reach sftp://") as info:
            dest.deliver(delivery())
        assert not isinstance(info.value, DeliveryRejected)
    finally:
        server.stop()


@integration
def test_a_server_that_does_not_answer_in_time_is_a_transient_failure(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACME_SFTP_PASSWORD", "wire-secret")
    # a listener that never speaks: the SSH greeting does not come
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        dest = create("sftp", {"host": "127.0.0.1", "port": port, "username": "news",
                               "password_env": "ACME_SFTP_PASSWORD", "host_key": "SHA256:" + "A" * 43,
                               "timeout": 0.5})
        started = time.monotonic()
        with pytest.raises(DeliveryFailed) as info:
            dest.deliver(delivery())
        assert not isinstance(info.value, DeliveryRejected)
        assert time.monotonic() - started < 5


# ------------------------------------------------------------------ options, no server


def test_a_key_file_that_is_not_a_key_stops_with_a_pointed_error(tmp_path: Path) -> None:
    bogus = tmp_path / "id_ed25519"
    bogus.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGEga2V5\n"
                     "-----END OPENSSH PRIVATE KEY-----\n")
    with pytest.raises(ConfigError, match=f"the key file {bogus} is not a private key that can "
                                          "be read") as info:
        create("sftp", {"host": "sftp.acme.example", "username": "news",
                        "key_file": str(bogus), "host_key": "SHA256:" + "A" * 43})
    assert info.value.option == "key_file"  # type: ignore[attr-defined]


def test_a_key_file_that_is_missing_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"cannot read the key file .*/nowhere"):
        create("sftp", {"host": "sftp.acme.example", "username": "news",
                        "key_file": str(tmp_path / "nowhere"), "host_key": "SHA256:" + "A" * 43})


def test_an_encrypted_key_without_its_passphrase_says_where_to_give_it(tmp_path: Path) -> None:
    key = tmp_path / "locked"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "open sesame", "-f", str(key)],
                   check=True)
    options = {"host": "sftp.acme.example", "username": "news", "key_file": str(key),
               "host_key": "SHA256:" + "A" * 43}
    with pytest.raises(ConfigError, match=r"it is encrypted: .* key_passphrase_env"):
        create("sftp", options)


def test_an_encrypted_key_opens_with_the_passphrase_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = tmp_path / "locked"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "open sesame", "-f", str(key)],
                   check=True)
    monkeypatch.setenv("ACME_KEY_PASSPHRASE", "open sesame")
    dest = create("sftp", {"host": "sftp.acme.example", "username": "news", "key_file": str(key),
                           "key_passphrase_env": "ACME_KEY_PASSPHRASE",
                           "host_key": "SHA256:" + "A" * 43})
    assert dest.type == "sftp"


def test_secrets_come_from_named_variables_that_must_be_set(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ACME_SFTP_PASSWORD", raising=False)
    with pytest.raises(ConfigError, match="ACME_SFTP_PASSWORD \\(password_env\\) is not set"):
        create("sftp", {"host": "sftp.acme.example", "username": "news",
                        "password_env": "ACME_SFTP_PASSWORD", "host_key": "SHA256:" + "A" * 43})
    with pytest.raises(ConfigError, match="password"):
        create("sftp", {"host": "sftp.acme.example", "username": "news", "password": "hunter2",
                        "host_key": "SHA256:" + "A" * 43})


@pytest.mark.parametrize(("options", "says"), [
    ({}, "host"),
    ({"key_env": "K"}, "either as key_file or as key_env"),
    ({"key_file": None}, "no way to log in"),
    ({"known_hosts": "/etc/ssh/ssh_known_hosts"}, "not both"),
    ({"host_key": "AAAAC3NzaC1lZDI1NTE5"}, "ssh-ed25519 AAAA"),
    ({"host_key": "ssh-ed25519 not*base64"}, "not base64"),
    ({"port": 0}, "port"),
    ({"hostname": "x"}, "hostname"),
])
def test_bad_options_are_named(options: dict[str, object], says: str, tmp_path: Path) -> None:
    base: dict[str, object] = {"host": "sftp.acme.example", "username": "news",
                               "key_file": str(tmp_path / "k"), "host_key": "SHA256:" + "A" * 43}
    merged = {k: v for k, v in {**base, **options}.items() if v is not None}
    if options == {}:
        del merged["host"]
    with pytest.raises(ConfigError, match="sftp destination") as info:
        create("sftp", merged)
    assert says in str(info.value)


def test_check_reports_a_known_hosts_file_without_the_server(tmp_path: Path) -> None:
    key = keygen(tmp_path / "client")
    known = tmp_path / "known_hosts"
    known.write_text("")
    dest = create("sftp", {"host": "sftp.acme.example", "port": 2222, "username": "news",
                           "key_file": str(key), "known_hosts": str(known)})
    (problem,) = dest.check()  # type: ignore[attr-defined]
    assert problem.option == "known_hosts"
    assert "has no key for [sftp.acme.example]:2222" in problem.message
    other = keygen(tmp_path / "server")
    kind, blob, *_ = Path(f"{other}.pub").read_text().split()
    known.write_text(f"[sftp.acme.example]:2222 {kind} {blob}\n")
    assert create("sftp", {"host": "sftp.acme.example", "port": 2222, "username": "news",
                           "key_file": str(key), "known_hosts": str(known)}).check() == []  # type: ignore[attr-defined]


def test_a_missing_known_hosts_file_is_named(tmp_path: Path) -> None:
    key = keygen(tmp_path / "client")
    with pytest.raises(ConfigError, match=r"cannot read the known_hosts file .*/absent"):
        create("sftp", {"host": "sftp.acme.example", "username": "news", "key_file": str(key),
                        "known_hosts": str(tmp_path / "absent")})



# ------------------------------------------------------------------ through the pipeline


@integration
def test_a_partner_with_an_sftp_destination_gets_its_stories_and_their_kill(
    server: Sshd, folder: Path, tmp_path: Path
) -> None:
    from pipeline_support import InlineDispatcher, g2_bytes, ingest, make_runtime, sample_item
    from syndicate import formats
    from syndicate.item import PubStatus

    options = server.options(path=str(folder))
    config = "partners:\n  - id: homewire\n    languages: [en]\n    formats: [newsmlg2, ninjs]\n" \
             "    destinations:\n      - type: sftp\n" + "".join(
                 f"        {k}: {v}\n" for k, v in options.items())
    rt = make_runtime(tmp_path, config)
    d = InlineDispatcher()
    for n in (1, 2):
        ingest(rt, g2_bytes(sample_item(n)), d, f"story-{n}.xml")
    d.drain(rt)
    story = sample_item(1)
    ingest(rt, g2_bytes(story.replace(version=2, pub_status=PubStatus.CANCELED)), d, "kill.xml")
    d.drain(rt)

    delivered = files(folder)
    assert not [f for f in delivered if "/.tmp-" in f]
    assert len(delivered) == 6, delivered  # two stories in two formats, the kill in both
    killed = sorted(f for f in delivered if "story_1" in f or "story-1" in f)
    assert [Path(f).name for f in killed] == [
        "v1.newsmlg2.xml", "v1.ninjs.json", "v2.newsmlg2.xml", "v2.ninjs.json"]
    for name in ("v2.newsmlg2.xml", "v2.ninjs.json"):
        path = next(folder / f for f in killed if f.endswith(name))
        (item,) = formats.parse(path.read_bytes()).items
        assert (item.guid, item.version, item.pub_status) == (story.guid, 2, PubStatus.CANCELED)


# ------------------------------------------------------------------ syndicate check


def export_problems(tmp_path: Path, options: dict[str, object]) -> list[tuple[str, str, str]]:
    from syndicate.checks import check
    from syndicate.partners import parse_config
    from syndicate.settings import Settings

    destination = "".join(f"        {k}: {v}\n" for k, v in options.items())
    cfg = parse_config("partners:\n  - id: acme\n    languages: [en]\n    destinations:\n"
                       f"      - type: sftp\n{destination}")
    settings = Settings(data_dir=tmp_path / "var", config=tmp_path / "syndicate.yaml",
                        broker_url=None, redis_url=None)
    return [(p.where, p.key, p.message) for p in check("export", cfg, settings)]


def test_syndicate_check_names_the_known_hosts_without_the_server_and_the_unset_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    known = tmp_path / "known_hosts"
    known.write_text("")
    (host_key,) = export_problems(tmp_path, {
        "host": "sftp.acme.example", "username": "news", "key_file": keygen(tmp_path / "k"),
        "known_hosts": known})
    assert host_key[:2] == ("partner acme", "destinations[0].known_hosts")
    assert "has no key for sftp.acme.example" in host_key[2]
    monkeypatch.delenv("ACME_SFTP_PASSWORD", raising=False)
    (password,) = export_problems(tmp_path, {
        "host": "sftp.acme.example", "username": "news", "password_env": "ACME_SFTP_PASSWORD",
        "host_key": "SHA256:" + "A" * 43})
    assert password[1] == "destinations[0].password_env"
    assert "ACME_SFTP_PASSWORD" in password[2]


def test_syndicate_check_passes_a_pinned_server_with_a_readable_key(tmp_path: Path) -> None:
    assert export_problems(tmp_path, {
        "host": "sftp.acme.example", "username": "news", "key_file": keygen(tmp_path / "k"),
        "host_key": "SHA256:" + "A" * 43}) == []
