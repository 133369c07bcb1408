"""Flashes, bulletins and kills are planned into the urgent lane; routine copy is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline_support import InlineDispatcher, g2_bytes, ingest, make_runtime, sample_item
from syndicate.item import PubStatus
from syndicate.pipeline import URGENT, ExportJob, TranslateJob, lane_of


@pytest.mark.parametrize(("urgency", "lane"), [(1, URGENT), (2, URGENT), (3, ""), (5, ""),
                                               (None, "")])
def test_urgency_one_and_two_take_the_urgent_lane(urgency: int | None, lane: str) -> None:
    assert lane_of(sample_item(urgency=urgency)) == lane


def test_a_kill_takes_the_urgent_lane_whatever_its_urgency() -> None:
    assert lane_of(sample_item(urgency=6, pub_status=PubStatus.CANCELED)) == URGENT


def test_every_job_of_a_flash_is_planned_into_the_urgent_lane(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path)
    dispatcher = InlineDispatcher()
    translations: list[TranslateJob] = []
    queue_translation = dispatcher.translate

    def translate(job: TranslateJob) -> None:
        translations.append(job)
        queue_translation(job)

    dispatcher.translate = translate  # type: ignore[method-assign]
    ingest(rt, g2_bytes(sample_item(1, urgency=1)), dispatcher)
    ingest(rt, g2_bytes(sample_item(2, urgency=5)), dispatcher)
    dispatcher.drain(rt)
    jobs: list[TranslateJob | ExportJob] = [*translations, *dispatcher.exports]
    flash = [j for j in jobs if j.guid.endswith("story-1")]
    routine = [j for j in jobs if j.guid.endswith("story-2")]
    # a translation and an export (es) and the original's export (en) each
    assert len(flash) == 3 and all(j.lane == URGENT for j in flash)
    assert len(routine) == 3 and all(j.lane == "" for j in routine)


def test_routine_translations_run_apertium_at_a_lower_cpu_priority_and_urgent_ones_do_not(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    from syndicate.translate import apertium
    from syndicate.translate.config import ApertiumSettings
    from syndicate.translate.engine import background

    seen: list[list[str]] = []
    real = subprocess.run

    def spy(cmd: list[str], **kw: object) -> subprocess.CompletedProcess[bytes]:
        seen.append(cmd)
        return real(cmd, **kw)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(apertium.subprocess, "run", spy)
    engine = apertium.ApertiumEngine(ApertiumSettings(warm=False))
    with background():
        routine = engine.translate_batch(["The council met on Friday."], "en", "es")
    urgent = engine.translate_batch(["The council met on Friday."], "en", "es")
    assert routine == urgent  # the same words, only later when the processor is busy
    runs = [cmd for cmd in seen if "apertium" in " ".join(cmd)]
    assert runs[0][:3] == [apertium._NICE, "-n", "10"] and apertium._NICE
    assert runs[-1][0] != apertium._NICE


def test_routine_copy_has_its_own_warm_apertium_pipeline_at_a_lower_cpu_priority() -> None:
    from syndicate.translate import apertium
    from syndicate.translate.config import ApertiumSettings
    from syndicate.translate.engine import background

    engine = apertium.ApertiumEngine(ApertiumSettings())
    try:
        with background():
            routine = engine.translate_batch(["The council met on Friday."], "en", "es")
        urgent = engine.translate_batch(["The council met on Friday."], "en", "es")
        assert routine == urgent
        pipes = engine._pipes
        assert set(pipes) == {("eng-spa", True), ("eng-spa", False)}
        ((routine_pipe,), (urgent_pipe,)) = pipes[("eng-spa", True)], pipes[("eng-spa", False)]
        assert routine_pipe.command[:3] == [apertium._NICE, "-n", "10"]
        assert urgent_pipe.command[0] != apertium._NICE
    finally:
        engine.close()
