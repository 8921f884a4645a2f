"""The scheduler's compact memory queue (crawler.queues): requests come back as they went in,
last in first out, and wait in a fraction of the memory of Request objects."""

from __future__ import annotations

import gc
import tracemalloc
from types import SimpleNamespace
from typing import Any

import scrapy
from scrapy.squeues import LifoMemoryQueue

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
    for before, after in zip(reversed(sent), back, strict=True):
        assert after is not None and after is not before
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
