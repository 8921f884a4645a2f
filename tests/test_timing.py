"""Stage timing: exclusive CPU time per stage, nested stages paused, stats written on close."""

from __future__ import annotations

import time

from scrapy.utils.test import get_crawler

from crawler.extensions.timing import StageTimer, StageTiming, timer_for
from spiders.sjfzxm import SjfzxmSpider


def burn(seconds: float) -> None:
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


def test_nested_stage_time_counts_once() -> None:
    timer = StageTimer()
    with timer.stage("dedup"):
        burn(0.02)
        timer.wrap("state", burn)(0.03)
    ms = timer.totals_ms()
    assert 15 <= ms["dedup"] <= 45 and 25 <= ms["state"] <= 60
    assert sum(ms.values()) < 100


def test_stage_closes_when_an_exception_leaves_it() -> None:
    timer = StageTimer()
    try:
        with timer.stage("validation"):
            raise ValueError
    except ValueError:
        pass
    with timer.stage("export"):
        pass
    assert set(timer.totals) == {"validation", "export"} and not timer._stack


def test_stats_are_written(tmp_path) -> None:
    crawler = get_crawler(SjfzxmSpider, {"STATE_DIR": str(tmp_path)})
    extension = StageTiming.from_crawler(crawler)
    with timer_for(crawler).stage("cleaning"):
        burn(0.001)
    extension.write_stats()
    assert crawler.stats.get_value("timing/cleaning_ms") > 0
    assert crawler.stats.get_value("timing/cpu_ms") >= 0
