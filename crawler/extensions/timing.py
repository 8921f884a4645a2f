"""CPU time per stage of a run (page reading, cleaning, validation, dedup, export, state), as stats.

Each stage is timed exclusively: time spent in a nested stage (a state lookup made while reading
a page, or by the dedup stage) counts for the nested one only. Stages are synchronous code in the
reactor thread, timed with the thread's CPU clock, so the cost is two clock reads per stage entry.

- ``StageTimer``: the accumulator; ``timer_for(crawler)`` gives the crawler's one timer, which the
  pipelines use directly (``with timer.stage("cleaning"): ...``).
- ``StageTiming`` (extension): times the article store's methods as ``state`` and the feed
  exporters as ``export``, and writes the stats. Setting: ``STAGE_TIMING_ENABLED`` (default on).
- ``CallbackTiming`` (spider middleware): times spider callbacks, ``extraction`` for article pages
  and ``navigation`` for list pages (``parse_<name>`` callbacks other than those: ``<name>``).

Stats: ``timing/<stage>_ms`` (CPU milliseconds), ``timing/cpu_ms`` (the process's CPU time from
spider open to engine stop, all threads: what is not in a stage is Scrapy's own work).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from functools import wraps
from typing import Any, TypeVar

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler import scrapy_private, shared

F = TypeVar("F", bound=Callable[..., Any])

# Methods of the article store (SQLite or distributed) that count as the ``state`` stage.
STORE_METHODS = (
    "emitted", "record_emitted", "linked_urls", "find_exact", "find_near", "remember_content",
    "remember_duplicate", "duplicate_of", "commit", "remember_validators", "article_validators",
    "page_validators", "page_outline", "prefetch", "is_placeholder", "remember_placeholder",
)
# Spider callbacks by name -> stage; other ``parse_<name>`` callbacks are timed as ``<name>``.
CALLBACK_STAGES = {"parse_article": "extraction", "parse_navigation": "navigation"}


class StageTimer:
    """Exclusive thread CPU time per stage name, in nanoseconds."""

    def __init__(self) -> None:
        self.totals: dict[str, int] = {}
        self._stack: list[str] = []
        self._since = 0

    def push(self, name: str) -> None:
        now = time.thread_time_ns()
        if self._stack:
            top = self._stack[-1]
            self.totals[top] = self.totals.get(top, 0) + now - self._since
        self._stack.append(name)
        self._since = now

    def pop(self) -> None:
        now = time.thread_time_ns()
        if self._stack:
            top = self._stack.pop()
            self.totals[top] = self.totals.get(top, 0) + now - self._since
        self._since = now

    def stage(self, name: str) -> _Stage:
        return _Stage(self, name)

    def wrap(self, name: str, func: F) -> F:
        @wraps(func)
        def timed(*args: Any, **kwargs: Any) -> Any:
            self.push(name)
            try:
                return func(*args, **kwargs)
            finally:
                self.pop()

        return timed  # type: ignore[return-value]

    def totals_ms(self) -> dict[str, float]:
        return {name: round(ns / 1e6, 1) for name, ns in sorted(self.totals.items())}


class _Stage:
    __slots__ = ("name", "timer")

    def __init__(self, timer: StageTimer, name: str) -> None:
        self.timer, self.name = timer, name

    def __enter__(self) -> None:
        self.timer.push(self.name)

    def __exit__(self, *exc: object) -> None:
        self.timer.pop()


def timer_for(crawler: Any) -> StageTimer:
    """The crawler's one stage timer (created on first use)."""
    timer: StageTimer = shared.STAGE_TIMER.get_or_create(crawler, StageTimer)
    return timer


class StageTiming:
    """Times the state and the export, and writes ``timing/*`` stats when the spider closes."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.timer = timer_for(crawler)
        self._cpu_start = time.process_time()
        self._exporters: set[int] = set()
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.write_stats, signal=signals.spider_closed)
        crawler.signals.connect(self.write_stats, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: Any) -> StageTiming:
        if not crawler.settings.getbool("STAGE_TIMING_ENABLED", True):
            raise NotConfigured
        return cls(crawler)

    def spider_opened(self) -> None:
        self._cpu_start = time.process_time()
        store = shared.ARTICLE_STORE.get(self.crawler)
        for name in STORE_METHODS if store is not None else ():
            if hasattr(store, name):
                setattr(store, name, self.timer.wrap("state", getattr(store, name)))

    def item_scraped(self) -> None:
        # Exporters are created with the first item of each feed; time them from then on.
        for exporter in scrapy_private.feed_item_exporters(self.crawler):
            if id(exporter) not in self._exporters:
                self._exporters.add(id(exporter))
                exporter.export_item = self.timer.wrap("export", exporter.export_item)

    def write_stats(self) -> None:
        stats = self.crawler.stats
        for name, ms in self.timer.totals_ms().items():
            stats.set_value(f"timing/{name}_ms", ms)
        stats.set_value("timing/cpu_ms", round((time.process_time() - self._cpu_start) * 1e3, 1))


class CallbackTiming:
    """Spider middleware closest to the spider: times each callback's own work (not what Scrapy
    and the pipelines do with its output)."""

    def __init__(self, timer: StageTimer) -> None:
        self.timer = timer

    @classmethod
    def from_crawler(cls, crawler: Any) -> CallbackTiming:
        if not crawler.settings.getbool("STAGE_TIMING_ENABLED", True):
            raise NotConfigured
        return cls(timer_for(crawler))

    async def process_spider_output(self, response: Any, result: AsyncIterator[Any]
                                    ) -> AsyncIterator[Any]:
        callback = getattr(getattr(response, "request", None), "callback", None)
        name = getattr(callback, "__name__", "parse")
        stage = CALLBACK_STAGES.get(name) or name.removeprefix("parse_")
        iterator = aiter(result)
        while True:
            self.timer.push(stage)
            try:
                output = await anext(iterator)
            except StopAsyncIteration:
                return
            finally:
                self.timer.pop()
            yield output
