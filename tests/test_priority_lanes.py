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
