"""Keep the article store in step with the output files, across clean stops and kills.

On open: take the run lock, recover runs that were killed (their ``.part`` files), register this
run. When a feed file is complete and in place (``feed_committed``), record the articles its
journal lists as emitted: nothing is marked done before its record is durably in an output file.
When the feeds are closed, end the run (what it indexed for dedup but did not write is unindexed);
only then close the store and release the lock, even when the engine stops first (SIGTERM while a
close timeout fires). A state that can not be used stops the run with exit status 8.
Setting: ``RUN_STATE_ENABLED`` (off: not configured).
Stats: ``state/recovered_runs``, ``state/recovered_records``, ``state/recorded`` (records in this
run's committed output files: the articles emitted), ``state/unavailable``.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.exceptions import NotConfigured
from scrapy.extensions.feedexport import FeedExporter
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred

from crawler import signals as our_signals
from crawler.feedstorage import PART_SUFFIX
from crawler.state import StateUnavailable, lock, state_path, store_for
from crawler.state.journal import journal_path
from crawler.state.runs import committed_records, recover_unfinished

logger = logging.getLogger(__name__)


def unpublish(final: Path) -> None:
    """Turn a committed file back into the run's part file: the next run recovers and records it
    (the run row still says running) instead of emitting its articles a second time."""
    try:
        os.replace(final, final.with_name(final.name + PART_SUFFIX))
    except OSError as error:
        logger.error("Could not withdraw %s (%s): its articles may be emitted again", final, error)


class RunStateExtension:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.lock_path = state_path(crawler.settings, crawler.spidercls.name, ".lock")
        lock.acquire(self.lock_path)  # taken by crawler.state.preflight in the crawl commands
        self.store = store_for(crawler)
        self.run_id: str | None = None
        # Fired when the feed exporter has closed every feed (set once the spider closes).
        self.feeds_done: Deferred[None] | None = None
        # Whether the store is closed and the lock released, and who waits for that.
        self.closed = False
        self.waiters: list[Deferred[None]] = []
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
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
        try:
            runs, records = recover_unfinished(self.store)
            run_id = getattr(spider, "run_id", None) or spider.name
            self.store.begin_run(run_id, os.getpid())
        except StateUnavailable:
            return  # the store said why and stops the run; no run row to end
        self.run_id = run_id
        stats = self.crawler.stats
        stats.set_value("state/recovered_runs", runs)
        stats.set_value("state/recovered_records", records)

    def spider_closed(self, spider: Spider) -> None:
        if self.crawler.get_extension(FeedExporter) is not None:
            self.feeds_done = Deferred()

    def feed_opened(self, part_path: str, final_path: str) -> None:
        if self.run_id is not None:
            try:
                self.store.set_run_output(self.run_id, part_path, final_path)
            except StateUnavailable:
                pass  # said once by the store; the file will not be published (feedstorage)

    def feed_committed(self, final_path: str) -> None:
        try:
            recorded = self.store.record_emitted(committed_records(Path(final_path)))
        except Exception as error:  # noqa: BLE001 (a file not recorded must not pass as recorded)
            self.state_failed(f"the articles of {final_path} could not be recorded: {error}")
            unpublish(Path(final_path))
            return
        journal_path(final_path).unlink(missing_ok=True)
        self.crawler.stats.inc_value("state/recorded", recorded)

    def state_failed(self, reason: str) -> None:
        if not self.crawler.stats.get_value("state/unavailable"):
            logger.error("State store: %s. Exit status 8; the next run recovers the file.", reason)
        self.crawler.stats.set_value("state/unavailable", 1)

    def feeds_closed(self) -> None:
        # Only now is every output file in place; until then a kill leaves the run to recover.
        try:
            if self.run_id is not None:
                self.store.end_run(self.run_id, "closed")
        except Exception as error:  # noqa: BLE001 (the run row stays "running": recovered later)
            self.state_failed(f"the run could not be ended: {error}")
        finally:
            if self.feeds_done is not None and not self.feeds_done.called:
                self.feeds_done.callback(None)

    async def engine_stopped(self) -> None:
        if self.feeds_done is None:
            if self.run_id is not None and self.crawler.get_extension(FeedExporter) is None:
                self.feeds_closed()  # no feed exporter: nothing else ends the run
        elif not self.feeds_done.called:
            await maybe_deferred_to_future(self.feeds_done)
        self._finish()

    def _finish(self) -> None:
        try:
            self.store.close()
        except Exception as error:  # noqa: BLE001 (the last writes are lost: say so, exit 8)
            self.state_failed(f"the last writes could not be committed: {error}")
        finally:
            lock.release(self.lock_path)
            self.closed = True
            for waiter in self.waiters:
                waiter.callback(None)

    async def when_closed(self) -> None:
        """Once the feeds are recorded and the store is closed (the report waits for this)."""
        if not self.closed:
            waiter: Deferred[None] = Deferred()
            self.waiters.append(waiter)
            await maybe_deferred_to_future(waiter)
