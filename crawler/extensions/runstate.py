"""Keep the article store in step with the output files, across clean stops and kills.

On open: take the run lock, recover runs that were killed (their ``.part`` files), register this
run. When a feed file is complete and in place (``feed_committed``), record its articles as
emitted: nothing is marked done before its record is durably in an output file.
Setting: ``RUN_STATE_ENABLED`` (off: not configured).
Stats: ``state/recovered_runs``, ``state/recovered_records``, ``state/recorded``.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.exceptions import NotConfigured

from crawler import signals as our_signals
from crawler.state import lock, state_path, store_for
from crawler.state.runs import complete_records, recover_unfinished

logger = logging.getLogger(__name__)


class RunStateExtension:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.lock_path = state_path(crawler.settings, crawler.spidercls.name, ".lock")
        lock.acquire(self.lock_path)
        self.store = store_for(crawler)
        self.run_id: str | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.feeds_closed, signal=signals.feed_exporter_closed)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)
        crawler.signals.connect(self.feed_opened, signal=our_signals.feed_opened)
        crawler.signals.connect(self.feed_committed, signal=our_signals.feed_committed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RunStateExtension:
        if not crawler.settings.getbool("RUN_STATE_ENABLED", True):
            raise NotConfigured  # no message: Scrapy would log one as a WARNING
        return cls(crawler)

    def spider_opened(self, spider: Spider) -> None:
        runs, records = recover_unfinished(self.store)
        stats = self.crawler.stats
        stats.set_value("state/recovered_runs", runs)
        stats.set_value("state/recovered_records", records)
        self.run_id = getattr(spider, "run_id", None) or spider.name
        self.store.begin_run(self.run_id, os.getpid())

    def feed_opened(self, part_path: str, final_path: str) -> None:
        if self.run_id is not None:
            self.store.set_run_output(self.run_id, part_path, final_path)

    def feed_committed(self, final_path: str) -> None:
        recorded = self.store.record_emitted(complete_records(Path(final_path)))
        self.crawler.stats.inc_value("state/recorded", recorded)

    def feeds_closed(self) -> None:
        # Only now is every output file in place; until then a kill leaves the run to recover.
        if self.run_id is not None:
            self.store.end_run(self.run_id, "closed")

    def engine_stopped(self) -> None:
        lock.release(self.lock_path)
