"""The reading pool in a crawl: a downloader middleware that reads each article and list page in
a worker process before its callback runs; the spider then only routes the reading.

Settings: ``READING_POOL_SIZE`` (worker processes; unset: the machine's cores minus one, at least
1; 0: pages are read in-process by the same function, and this middleware is off),
``READING_TIMEOUT`` (seconds one page may take before its worker is killed),
``READING_WORKER_MAX_PAGES`` (pages a worker reads before a new one takes its place; 0: never).
Stats: ``reading_pool/size`` (0: in-process), ``reading_pool/pages``, ``reading_pool/cpu_ms``
(CPU the workers spent reading, measured in the worker per page), ``reading_pool/worker_died``,
``reading_pool/timeout`` (a page that cost its worker: skipped, one ERROR line naming it),
``reading_pool/workers_recycled`` (workers replaced after their READING_WORKER_MAX_PAGES);
``timing/reading_pool_ms``: the reactor thread's CPU handing pages to the pool.
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import Future
from typing import Any, Protocol
from weakref import WeakKeyDictionary

from scrapy import Request, signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred

from crawler import settings as defaults
from crawler.extensions.timing import timer_for
from crawler.pool import workers
from crawler.pool.reader import PageReading, PageTask
from crawler.pool.workers import PoolClosed, ReadingFailed, ReadingPool, WorkerLost
from crawler.warmup import settle_collector

logger = logging.getLogger(__name__)


class ReadsPages(Protocol):
    """A spider whose pages the pool reads (crawler.spider.NewsSpider)."""

    def reading_task(self, request: Request, response: Response) -> PageTask | None: ...


class PageNotRead(IgnoreRequest):
    """The page cost its worker (died, or killed for its timeout): counted and logged here."""


def pool_size(settings: Any) -> int:
    """``READING_POOL_SIZE``, its default worked out: the cores but the reactor's, at least 1."""
    value = settings.get("READING_POOL_SIZE")
    if value in (None, ""):
        return max(1, (os.cpu_count() or 1) - 1)
    return int(value)


def prestart_pool(settings: Any, spidercls: type) -> None:
    """Start the pool's workers before the crawler is built (``scrapy crawl``, once its checks
    passed): the middleware's pool takes them. Nothing for a spider that reads no pages, or
    whose settings turn the pool off."""
    if hasattr(spidercls, "reading_task"):
        merged = settings.copy()
        merged.setdict(getattr(spidercls, "custom_settings", None) or {}, priority="spider")
        workers.prestart(pool_size(merged))


class ReadingPoolMiddleware:
    """Reads the pages a ``ReadsPages`` spider hands it in the process-wide pool; the reading
    waits for the callback in ``readings`` (by response). A failed reading is kept for the
    callback to raise, as an in-process reading would."""

    def __init__(self, crawler: Any, size: int, timeout: float, max_pages: int = 0) -> None:
        self.crawler = crawler
        self.size, self.timeout, self.max_pages = size, timeout, max_pages
        self.pool: ReadingPool | None = None
        self.timer = timer_for(crawler)
        self.readings: WeakKeyDictionary[Response, PageReading | ReadingFailed] = (
            WeakKeyDictionary())
        crawler.signals.connect(self.open, signal=signals.spider_opened)
        crawler.signals.connect(self.close, signal=signals.spider_closed)
        crawler.signals.connect(self.close, signal=signals.engine_stopped)
        # The workers start now, while Scrapy builds the rest of the crawl and opens the spider:
        # a worker's imports and warm-up (about a second) are then not waited for by the first
        # page, as they were when the pool started with the spider.
        if hasattr(crawler.spidercls, "reading_task"):  # else nothing to read
            self.pool = SHARED.acquire(size, timeout, max_pages)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ReadingPoolMiddleware:
        size = pool_size(crawler.settings)
        crawler.stats.set_value("reading_pool/size", size)
        if size == 0:
            raise NotConfigured
        # the project's defaults (crawler/settings.py) when another settings module leaves them out
        return cls(crawler, size,
                   crawler.settings.getfloat("READING_TIMEOUT", defaults.READING_TIMEOUT),
                   crawler.settings.getint("READING_WORKER_MAX_PAGES",
                                           defaults.READING_WORKER_MAX_PAGES))

    def open(self, spider: Any) -> None:
        if self.pool is None:  # not a ReadsPages spider: nothing to read
            self.crawler.stats.set_value("reading_pool/size", 0)
            return
        settle_collector()  # the crawl process has started: see crawler.warmup

    def close(self) -> None:
        if self.pool is not None:
            if self.pool.recycled:
                self.crawler.stats.set_value("reading_pool/workers_recycled", self.pool.recycled)
            SHARED.release(self.pool)
            self.pool = None
        cpu_ms = self.crawler.stats.get_value("reading_pool/cpu_ms")
        if cpu_ms is not None:
            self.crawler.stats.set_value("reading_pool/cpu_ms", round(cpu_ms, 1))

    async def process_response(self, request: Request, response: Response) -> Response:
        if self.pool is None:
            return response
        spider: ReadsPages = self.crawler.spider
        with self.timer.stage("reading_pool"):  # the reactor's part: the task, its sending
            task = spider.reading_task(request, response)
            future = self.pool.read(task) if task is not None else None
        if future is None:
            return response
        try:
            reading = await maybe_deferred_to_future(_deferred(future))
        except WorkerLost as lost:
            self._lost(lost)
            raise PageNotRead(str(lost)) from None
        except PoolClosed:  # the crawl is ending: the page is left, as an unfinished download
            raise PageNotRead(f"reading pool closed before {response.url} was read") from None
        except ReadingFailed as failed:
            self.readings[response] = failed
            return response
        self.readings[response] = reading
        self.crawler.stats.inc_value("reading_pool/pages")
        self.crawler.stats.inc_value("reading_pool/cpu_ms", reading.cpu_ms)
        return response

    def reading(self, response: Response) -> PageReading | None:
        """The pool's reading of ``response`` (once), None when the pool did not read it."""
        found = self.readings.pop(response, None)
        if isinstance(found, ReadingFailed):
            raise found
        return found

    def _lost(self, lost: WorkerLost) -> None:
        name = "timeout" if lost.reason == "timeout" else "worker_died"
        self.crawler.stats.inc_value(f"reading_pool/{name}")
        if lost.reason == "timeout":
            logger.error("Page %s not read: its worker took more than READING_TIMEOUT=%ss and "
                         "was killed; the crawl goes on", lost.url, self.timeout)
        else:
            logger.error("Page %s not read: its worker died (exit status %s); the crawl goes "
                         "on", lost.url, lost.exitcode)


def _deferred(future: Future[PageReading]) -> Deferred[PageReading]:
    """A Deferred fired by ``future`` (set in the reactor's thread, so the callbacks run there)."""
    deferred: Deferred[PageReading] = Deferred()

    def fire(done: Future[PageReading]) -> None:
        error = done.exception()
        if error is not None:
            deferred.errback(error)
        else:
            deferred.callback(done.result())

    future.add_done_callback(fire)
    return deferred


class SharedPool:
    """One pool per process, whatever the number of crawlers (``scrapy crawlall`` runs every
    site in one process): made by the first crawler to open, closed when the last one closes."""

    def __init__(self) -> None:
        self.pool: ReadingPool | None = None
        self.users = 0

    def acquire(self, size: int, timeout: float, max_pages: int = 0) -> ReadingPool:
        if self.pool is None:
            from twisted.internet import reactor  # the one Scrapy installed

            self.pool = ReadingPool(size, timeout, reactor.callLater, reactor.callFromThread,
                                    max_pages)
            logger.info("Reading pool: %d worker process(es), pids %s", size, self.pool.pids())
        self.users += 1
        return self.pool

    def release(self, pool: ReadingPool) -> None:
        self.users -= 1
        if self.users == 0 and self.pool is pool:
            self.pool = None
            pool.close()


SHARED = SharedPool()
