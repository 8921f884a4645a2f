"""The scheduler's compact memory queue (crawler.queues), the project's default: requests come back
as they went in (callbacks, errbacks, meta, cb_kwargs, dont_filter...), last in first out within a
priority and in priority order, the newest as itself (``scrapy shell`` changes it after pushing it),
and wait in a fraction of the memory of Request objects."""

from __future__ import annotations

import gc
import tracemalloc
from types import SimpleNamespace
from typing import Any

import scrapy
from scrapy.core.downloader import Downloader
from scrapy.core.scheduler import Scheduler
from scrapy.shell import _request_deferred
from scrapy.squeues import LifoMemoryQueue
from scrapy.utils.test import get_crawler

from crawler import settings as project_settings
from crawler.queues import CompactLifoMemoryQueue

# Requests held to measure what one waiting request costs.
MEASURED_REQUESTS = 2000
# What one waiting request may cost at most, as a share of a Request object's cost.
MAX_SHARE_OF_A_REQUEST = 0.3


class Site(scrapy.Spider):
    name = "site"

    def parse_article(self, response: Any) -> None:
        """A callback found by name when the request is rebuilt."""

    def on_error(self, failure: Any) -> None:
        """An errback found by name when the request is rebuilt."""


def queue_of(spider: scrapy.Spider) -> CompactLifoMemoryQueue:
    return CompactLifoMemoryQueue.from_crawler(SimpleNamespace(spider=spider), "slot/0")


def article_request(spider: Site, number: int) -> scrapy.Request:
    """A request as the spider makes one for an article found on a page (Referer set)."""
    request = scrapy.Request(f"http://www.sjfzxm.com/global/en/{number}.html",
                             spider.parse_article, errback=spider.on_error, priority=3,
                             meta={"article_id": str(number), "kind": "article"})
    request.headers.setdefault("Referer", "http://www.sjfzxm.com/global/en/587000.html")
    return request


def test_requests_come_back_last_in_first_out_as_they_went_in() -> None:
    spider = Site()
    queue = queue_of(spider)
    sent = [article_request(spider, n) for n in (1, 2, 3)]
    for request in sent:
        queue.push(request)
    assert len(queue) == 3
    assert queue.peek().url == sent[-1].url  # type: ignore[union-attr]
    back = [queue.pop() for _ in sent]
    assert queue.pop() is None and len(queue) == 0
    assert back[0] is sent[-1]  # the newest waits as itself
    for before, after in zip(reversed(sent), back, strict=True):
        assert after is not None and (after is not before or after is back[0])
        assert after.url == before.url and after.priority == before.priority
        assert after.callback == spider.parse_article and after.errback == spider.on_error
        assert after.meta == before.meta
        assert after.headers.get("Referer") == before.headers.get("Referer")


def test_a_request_that_can_not_be_pickled_waits_as_itself_the_others_come_back_whole() -> None:
    spider = Site()
    queue = queue_of(spider)
    foreign = scrapy.Request("http://www.sjfzxm.com/a.html", lambda response: None)
    plain = scrapy.Request("http://www.sjfzxm.com/c.html", dont_filter=True, method="HEAD")
    unpicklable = scrapy.Request("http://www.sjfzxm.com/b.html", spider.parse_article,
                                 meta={"lock": __import__("threading").Lock()})
    for request in (plain, foreign, unpicklable):
        queue.push(request)
    assert queue.pop() is unpicklable and queue.pop() is foreign
    back = queue.pop()
    assert back is not None and back is not plain
    assert back.to_dict() == plain.to_dict()  # defaults left out come back


def test_every_field_of_a_request_comes_back_after_waiting_packed() -> None:
    spider = Site()
    queue = queue_of(spider)
    full = scrapy.Request("http://www.sjfzxm.com/global/en/9.html?x=1", spider.parse_article,
                          errback=spider.on_error, method="POST", body=b"q=1",
                          headers={"Referer": "http://www.sjfzxm.com/"}, cookies={"s": "1"},
                          meta={"article_id": "9", "nav_depth": 2, "flags": [1, 2]},
                          encoding="gb18030", priority=-4, dont_filter=True, flags=["retry"],
                          cb_kwargs={"page": 9})
    queue.push(full)
    queue.push(article_request(spider, 10))  # the first now waits packed
    queue.pop()
    back = queue.pop()
    assert back is not None and back is not full
    assert back.to_dict(spider=spider) == full.to_dict(spider=spider)
    assert back.callback == spider.parse_article and back.errback == spider.on_error
    assert back.cb_kwargs == {"page": 9} and back.dont_filter and back.flags == ["retry"]


def test_a_request_changed_after_its_push_comes_back_changed_as_scrapy_shell_needs() -> None:
    """``scrapy shell`` calls ``engine.crawl(request)``, then points the request's callbacks at
    a Deferred the shell waits on (``_request_deferred``): a copy made at the push went to the
    spider's ``parse`` and the shell hung."""
    spider = Site()
    queue = queue_of(spider)
    queue.push(article_request(spider, 1))
    fetched = scrapy.Request("http://www.sjfzxm.com/global/en/2.html", dont_filter=True)
    queue.push(fetched)
    waited = _request_deferred(fetched)  # after the push, as the shell does
    back = queue.pop()
    assert back is fetched
    answers: list[Any] = []
    waited.addCallback(answers.append)
    back.callback("the response")  # type: ignore[misc]
    assert answers == ["the response"]


def scheduler_of(spider: scrapy.Spider) -> Scheduler:
    """Scrapy's scheduler with the project's settings (its queue among them), opened."""
    settings = {name: getattr(project_settings, name) for name in dir(project_settings)
                if name.isupper()}
    crawler = get_crawler(type(spider), settings)
    crawler.spider = spider
    # Scrapy's default priority queue keeps a queue per download slot: it asks the downloader.
    crawler.engine = SimpleNamespace(downloader=Downloader(crawler))
    scheduler = Scheduler.from_crawler(crawler)
    scheduler.open(spider)
    return scheduler


def test_the_project_scheduler_waits_requests_compact_in_priority_order() -> None:
    assert project_settings.SCHEDULER_MEMORY_QUEUE == "crawler.queues.CompactLifoMemoryQueue"
    spider = Site()
    scheduler = scheduler_of(spider)
    sent = {number: article_request(spider, number) for number in range(6)}
    for number, request in sent.items():
        request.priority = number % 3  # higher first; within one priority, last in first out
        assert scheduler.enqueue_request(request)
    assert len(scheduler) == 6
    queues = [queue for by_slot in scheduler.mqs.pqueues.values()
              for queue in by_slot.queues.values()]
    assert len(queues) == 3 and all(isinstance(q, CompactLifoMemoryQueue) for q in queues)
    order = [scheduler.next_request() for _ in sent]
    assert scheduler.next_request() is None
    assert [r.url for r in order if r is not None] == [
        sent[n].url for n in (5, 2, 4, 1, 3, 0)]
    assert all(r is not None and r.callback == spider.parse_article
               and r.meta == sent[int(r.meta["article_id"])].meta for r in order)
    scheduler.close("finished")


def held_bytes_per_request(queue: Any, spider: Site) -> float:
    queue.push(article_request(spider, 1))  # what the first push imports is not the queue's
    queue.pop()
    gc.collect()
    tracemalloc.start()
    try:
        for number in range(MEASURED_REQUESTS):
            queue.push(article_request(spider, 587000 + number))
        gc.collect()
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return held / MEASURED_REQUESTS


def test_a_waiting_request_costs_a_fraction_of_a_request_object() -> None:
    spider = Site()
    compact = held_bytes_per_request(queue_of(spider), spider)
    plain = held_bytes_per_request(LifoMemoryQueue(), spider)
    assert compact < MAX_SHARE_OF_A_REQUEST * plain, (compact, plain)
