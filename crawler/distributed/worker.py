"""The worker side of a distributed crawl: heartbeat, lease release, takeover, and when to stop.

Every ``REDIS_POLL_INTERVAL`` seconds the worker stamps the engine loop's progress for its
heartbeat (renewed off the reactor: crawler.distributed.heartbeat), releases the leases of
requests Scrapy is done with (their items claimed, their links queued), requeues the leases of
runs whose heartbeat expired and adopts their outboxes.
When its engine is idle it stops only if the crawl is over: shared queue empty, no lease held by
any live run, start pages seeded, no outbox left by a dead run. Otherwise it waits for work.
Before the run joins the crawl, the parts of reading loaded on first use are loaded
(crawler.warmup) unless pages are read by the reading pool (``READING_POOL_SIZE``).
Stats: ``distributed/leases_released``, ``distributed/requeued_dead``,
``distributed/requeued_at_close``, ``distributed/adopted_records``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from twisted.internet import task

from crawler import scrapy_private, shared, warmup
from crawler.distributed.coordinator import Coordinator, StateUnavailable, coordinator_for
from crawler.distributed.outbox import Outbox
from crawler.distributed.scheduler import LEASE_META
from crawler.state import store_for

if TYPE_CHECKING:
    from crawler.distributed.store import RedisArticleStore

logger = logging.getLogger(__name__)


class DistributedWorker:
    def __init__(self, crawler: Any) -> None:
        if not crawler.settings.get("REDIS_URL"):
            raise NotConfigured
        self.crawler = crawler
        self.coordinator: Coordinator = coordinator_for(crawler)
        self.poll = crawler.settings.getfloat("REDIS_POLL_INTERVAL", 0.5)
        feed_dir = Path(crawler.settings.get("DATA_DIR", "./data")) / crawler.spidercls.name
        # REDIS_URL is set (checked above): store_for gives the Redis store
        self.outbox = Outbox(
            self.coordinator, cast("RedisArticleStore", store_for(crawler)), feed_dir)
        self.taken: set[str] = set()
        self.loop: task.LoopingCall | None = None
        # Stamps the engine loop's progress for the heartbeat thread, until the run leaves (the
        # Redis duties of ``tick`` stop earlier, when the spider closes).
        self.pulse = task.LoopingCall(self.coordinator.progress)
        self.left = False
        shared.FEED_COMMIT_GUARD.put(crawler, self.outbox.guard)
        if reads_in_process(crawler.settings):
            # The first page would otherwise block the engine for seconds, with leases held.
            warmup.warm_up()
        for handler, signal in ((self.spider_opened, signals.spider_opened),
                                (self.coordinator.close_spider_if_failed, signals.engine_started),
                                (self.spider_idle, signals.spider_idle),
                                (self.spider_closed, signals.spider_closed),
                                (self.leave, signals.feed_exporter_closed),
                                (self.leave, signals.engine_stopped)):
            crawler.signals.connect(handler, signal=signal)

    @classmethod
    def from_crawler(cls, crawler: Any) -> DistributedWorker:
        return cls(crawler)

    def spider_opened(self, spider: Any) -> None:
        if self.coordinator.failure is not None:
            return
        stats = self.crawler.stats
        stats.set_value("distributed/crawl", self.coordinator.crawl_id)
        stats.set_value("distributed/run", self.coordinator.run)
        self.outbox.discard_stale_parts(self.coordinator.run_id)
        # An idle engine asks the scheduler for work every few seconds; here the shared queue is
        # filled by other workers, so ask as often as we poll Redis.
        scrapy_private.set_idle_poll_interval(self.crawler.engine, self.poll)
        self.pulse.start(self.poll)
        self.loop = task.LoopingCall(self.tick)
        self.loop.start(self.poll, now=False).addErrback(
            lambda failure: logger.error("Distributed tick failed", exc_info=failure.value))

    # --- periodic -------------------------------------------------------------------------------
    def tick(self) -> None:
        try:
            self.release_done()
            self.take_over(self.coordinator.status(may_finish=False))
        except StateUnavailable:
            self.stop_loop()

    def in_progress(self) -> set[str]:
        """Lease ids of the requests this engine still holds (downloading or being scraped)."""
        requests = scrapy_private.requests_in_progress(self.crawler.engine)
        return {r.meta[LEASE_META] for r in requests if LEASE_META in r.meta}

    def release_done(self) -> None:
        self.taken |= self.coordinator.taken
        self.coordinator.taken.clear()
        done = self.taken - self.in_progress()
        if done:
            key = self.coordinator.keys.leases(self.coordinator.run)
            self.coordinator.call(lambda: self.coordinator.client.hdel(key, *done))
            self.taken -= done
            self.crawler.stats.inc_value("distributed/leases_released", len(done))

    def take_over(self, status: dict[str, Any]) -> None:
        if status["requeued"]:
            self.crawler.stats.inc_value("distributed/requeued_dead", status["requeued"])
            logger.warning("Requeued %d requests leased by runs that stopped heartbeating",
                           status["requeued"])
        if status["orphans"]:
            adopted = self.outbox.adopt_orphans()
            self.crawler.stats.inc_value("distributed/adopted_records", adopted)

    # --- stopping -------------------------------------------------------------------------------
    def spider_idle(self, spider: Any) -> None:
        if self.coordinator.failure is not None:
            return
        try:
            self.release_done()
            self.take_over(self.coordinator.status(may_finish=False))
            status = self.coordinator.status(may_finish=True)
        except StateUnavailable:
            return
        if status["state"] in ("done", "over"):
            logger.info("Crawl %s is over: no request queued or in flight on any worker",
                        self.coordinator.crawl_id)
            return
        raise DontCloseSpider

    def stop_loop(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()

    def spider_closed(self, spider: Any, reason: str) -> None:
        self.stop_loop()
        if self.coordinator.failure is not None:
            self.crawler.stats.set_value("state/unavailable", 1)
            return
        keys = self.coordinator.keys
        try:  # what this engine did not finish goes back to the queue at once
            released = self.coordinator.script("RELEASE", [
                keys.requests, keys.leases(self.coordinator.run)], [])
        except StateUnavailable:
            return
        self.crawler.stats.set_value("distributed/requeued_at_close", released)

    def leave(self) -> None:
        if self.pulse.running:
            self.pulse.stop()
        if self.left or not self.coordinator.run or self.coordinator.failure is not None:
            return
        self.left = True
        stats = self.crawler.stats
        try:
            self.coordinator.update_run(
                status=stats.get_value("finish_reason"), ended=_iso(stats.get_value("finish_time")),
                pages_fetched=stats.get_value("response_received_count", 0),
                articles_emitted=stats.get_value("item_scraped_count", 0),
                seeded=bool(stats.get_value("distributed/seeded")), adopted=self.outbox.adopted)
            self.coordinator.leave()
        except StateUnavailable:
            pass


def reads_in_process(settings: Any) -> bool:
    """Pages are read on the reactor thread: READING_POOL_SIZE is 0 or absent (None: the pool's
    default size)."""
    if "READING_POOL_SIZE" not in settings:
        return True
    size = settings.get("READING_POOL_SIZE")  # Scrapy's get gives None for a None value
    return size is not None and int(size) == 0


def _iso(value: Any) -> Any:
    return value.isoformat(timespec="seconds") if hasattr(value, "isoformat") else value
