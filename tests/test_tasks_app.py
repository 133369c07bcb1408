"""The Celery app's contract: queues, routing, late acks, retries, JSON payloads, dead letters."""

from __future__ import annotations

from pathlib import Path

import pytest

from syndicate import tasks
from syndicate.errors import DeliveryFailed, DeliveryRejected, MalformedInput, TransientError
from syndicate.pipeline import URGENT, ExportJob, IngestJob, TranslateJob, job_payload
from syndicate.settings import Settings


def test_tasks_are_acknowledged_late_and_requeued_when_their_worker_dies() -> None:
    conf = tasks.app.conf
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    for task in (tasks.ingest_task, tasks.translate_task, tasks.export_task):
        assert task.acks_late and task.reject_on_worker_lost


def test_payloads_travel_as_json_never_pickles() -> None:
    assert tasks.app.conf.task_serializer == "json"
    assert tasks.app.conf.accept_content == ["json"]


def test_transient_failures_are_worth_a_retry() -> None:
    for exc in (TransientError("x"), DeliveryFailed("x"), ConnectionError("x"), TimeoutError()):
        assert tasks.is_transient(exc)


def test_bad_input_and_refusals_are_not_retried() -> None:
    assert not tasks.is_transient(MalformedInput("x"))
    assert not tasks.is_transient(DeliveryRejected("403"))
    assert not tasks.is_transient(ValueError("a bug"))


def test_shipped_settings_recover_a_lost_task_within_a_minute() -> None:
    s = Settings()
    assert s.visibility_timeout <= 60
    assert s.resend_after + s.lease_ttl < 60


@pytest.mark.parametrize(
    ("name", "job", "queue"),
    [
        ("syndicate.ingest", IngestJob("in", "a", "0" * 64), "ingest"),
        ("syndicate.translate", TranslateJob("g", 1, "en", "es"), "translate"),
        ("syndicate.export", ExportJob("g", 1, "es", "acme", "0", ("newsmlg2",)), "export"),
    ],
)
def test_each_task_goes_to_its_queue(name: str, job: object, queue: str) -> None:
    route = tasks.route_task(name, (), job_payload(job), {})  # type: ignore[arg-type]
    assert route["queue"] == tasks.queue_name(tasks.settings, queue)


def test_a_dedicated_language_pair_gets_its_own_queue(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tasks.broker, "dedicated_pairs", lambda: ("en-es",))
    es = tasks.route_task("syndicate.translate", (), job_payload(TranslateJob("g", 1, "en", "es")),
                          {})
    de = tasks.route_task("syndicate.translate", (), job_payload(TranslateJob("g", 1, "en", "de")),
                          {})
    assert es["queue"].endswith("translate.en-es")
    assert de["queue"].endswith("translate")


def test_translate_role_takes_one_task_at_a_time_in_processes() -> None:
    role = tasks.roles()["translate"]
    assert role.pool == "prefork" and role.prefetch == 1


def test_translate_role_for_a_pair_listens_only_to_that_pair() -> None:
    assert tasks.roles(("en-es",))["translate"].queues == ("translate.en-es.urgent",
                                                            "translate.en-es")


@pytest.mark.parametrize(
    ("name", "job", "queue"),
    [
        ("syndicate.translate", TranslateJob("g", 1, "en", "es", lane=URGENT), "translate.urgent"),
        ("syndicate.export", ExportJob("g", 1, "es", "acme", "0", ("newsmlg2",), lane=URGENT),
         "export.urgent"),
    ],
)
def test_urgent_work_goes_to_its_own_lane(name: str, job: object, queue: str) -> None:
    route = tasks.route_task(name, (), job_payload(job), {})  # type: ignore[arg-type]
    assert route["queue"] == tasks.queue_name(tasks.settings, queue)


def test_an_urgent_translation_of_a_dedicated_pair_has_that_pairs_urgent_lane(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tasks.broker, "dedicated_pairs", lambda: ("en-es",))
    job = TranslateJob("g", 1, "en", "es", lane=URGENT)
    assert tasks.route_task("syndicate.translate", (), job_payload(job), {})["queue"].endswith(
        "translate.en-es.urgent")


@pytest.mark.parametrize("role", ["translate", "export", "all"])
def test_every_role_names_its_urgent_lanes_before_its_routine_queues(role: str) -> None:
    queues = tasks.roles()[role].queues
    urgent = [i for i, q in enumerate(queues) if q.endswith(".urgent")]
    routine = [i for i, q in enumerate(queues) if not q.endswith(".urgent")]
    assert urgent and max(urgent) < min(routine), queues


def test_a_redis_worker_takes_its_queues_in_the_order_it_names_them() -> None:
    _, opts = tasks.broker_settings(Settings(broker_url="redis://127.0.0.1:6379/7"))
    assert opts["queue_order_strategy"] == "priority"


def test_the_urgent_lanes_are_among_the_queues_status_and_the_sweep_watch() -> None:
    names = tasks.all_queues()
    assert tasks.queue_name(tasks.settings, "translate.urgent") in names
    assert tasks.queue_name(tasks.settings, "export.urgent") in names


def test_embedded_broker_lives_under_the_data_dir(tmp_path: Path) -> None:
    url, opts = tasks.broker_settings(Settings(data_dir=tmp_path))
    assert url.startswith("filesystem://")
    assert opts["data_folder_in"].startswith(str(tmp_path.resolve()))


def test_redis_broker_redelivers_after_the_visibility_timeout() -> None:
    _, opts = tasks.broker_settings(Settings(broker_url="redis://127.0.0.1:6379/7",
                                               visibility_timeout=120))
    assert opts["visibility_timeout"] == 120
    assert opts["unacked_restore_interval"] <= 30


def test_embedded_broker_message_appears_whole_under_its_final_name(tmp_path: Path) -> None:
    import os

    from kombu import Connection

    url, opts = tasks.broker_settings(Settings(data_dir=tmp_path))
    with Connection(url, transport=tasks.AtomicFilesystemTransport,
                    transport_options=opts) as conn:
        channel = conn.default_channel
        channel._put("q", {"body": "x"})
        (name,) = os.listdir(opts["data_folder_out"])
        assert name.endswith(".q.msg") and not name.startswith(".")
        assert channel._get("q") == {"body": "x"}


def test_importing_the_tasks_makes_no_folder_and_opens_no_store(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    config = tmp_path / "syndicate.yaml"
    config.write_text("translation: {dedicated_queues: [en-es]}\n"
                      "partners: [{id: acme, languages: [es]}]\n")
    data = tmp_path / "var"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYNDICATE_")}
    env.update(SYNDICATE_DATA_DIR=str(data), SYNDICATE_CONFIG=str(config))
    code = ("from syndicate import tasks; from syndicate.pipeline import TranslateJob, job_payload;"
            "print(tasks.route_task('syndicate.translate', (), "
            "job_payload(TranslateJob('g', 1, 'en', 'es')), {})['queue'])")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout.strip() == "translate.en-es"  # routing read the configuration
    assert not data.exists()


@pytest.mark.integration
@pytest.mark.parametrize("settle", ["ack", "reject"])
def test_a_task_ending_after_its_broker_connection_was_lost_leaves_its_message_to_redis(
    settle: str,
) -> None:
    # found by the broker outage test: a threaded worker's task outlived its connection, and
    # its ack stopped the worker ("Unrecoverable error: 'NoneType' object has no attribute
    # 'client'"): kombu reached for the closed channel's connection
    import uuid

    import redis
    from kombu import Connection, Queue

    from syndicate.tasks.broker import ResilientRedisTransport

    url = "redis://127.0.0.1:6379/7"
    prefix = f"t{uuid.uuid4().hex[:10]}:"
    queue = Queue("lost", routing_key="lost")
    plain = redis.Redis.from_url(url)
    try:
        with Connection(url, transport=ResilientRedisTransport,
                        transport_options={"global_keyprefix": prefix}) as conn:
            with conn.Producer() as producer:
                producer.publish({"n": 1}, routing_key="lost", declare=[queue])
            taken: list = []  # type: ignore[type-arg]
            with conn.Consumer(queue, callbacks=[lambda body, message: taken.append(message)]):
                conn.drain_events(timeout=5)
            (message,) = taken
            # as when Redis goes away: the consumer closes the channels, whose pools went with
            # the lost connection
            conn.collect()
            message.channel._disconnect_pools()
            getattr(message, settle)()  # no AttributeError
        # the message is not lost: it is back in its queue (the channel gave it back on close)
        # or waits for the visibility timeout
        assert plain.llen(f"{prefix}lost") + plain.hlen(f"{prefix}unacked") == 1
    finally:
        for key in plain.scan_iter(match=f"{prefix}*"):
            plain.delete(key)
