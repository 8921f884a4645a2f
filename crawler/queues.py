"""The scheduler's in-memory queue of pending requests, each kept as a pickled dict.

A news site's article pages link to more articles than the crawl has fetched (related, next,
sidebars), so the requests waiting in the scheduler grow with the site (1,940 at most in a crawl of
the local site of 5,000 articles, `benchmarks/crawl.py`). A ``scrapy.Request`` waiting there costs
about 1.7 KB (the object and its meta, the Referer header, Scrapy's parsed-URL cache and live-
reference entry); the same request as ``Request.to_dict`` pickled (as Scrapy's disk queues keep
it), fields at their default left out, about 0.3 KB. This queue keeps it so in memory
(``SCHEDULER_MEMORY_QUEUE``): no ``JOBDIR`` and no files, and each request is rebuilt when the
scheduler takes it (``request_from_dict``, callbacks found on the spider by name), as after a disk
queue.
A request that can not be pickled (a callback that is not a spider method, an object in its meta)
waits as itself. Last in, first out, as Scrapy's default.

The newest request waits as itself until the next one comes: whoever scheduled it may still change
it. ``scrapy shell`` does: it hands its request to ``engine.crawl`` and only then sets the callbacks
that bring the response back to the shell; a copy rebuilt from the request as it was pushed went
to the spider's ``parse`` instead and the shell waited forever. The next push can only come after
that code has run (it runs in the event loop's thread, without yielding).
"""

from __future__ import annotations

import pickle
from collections import deque
from typing import Any

from scrapy import Request
from scrapy.utils.request import request_from_dict

# Pickle protocol of the waiting requests (5: out-of-band buffers unused, the smallest output).
PICKLE_PROTOCOL = 5
# What ``Request.to_dict`` gives for a request that sets nothing but its URL: the fields a waiting
# request leaves out when they have these values (``request_from_dict`` puts them back).
_DEFAULTS = Request("http://example.com").to_dict()
_COMPARED = tuple(name for name in Request.attributes
                  if name not in ("url", "callback", "errback"))


class CompactLifoMemoryQueue:
    """Scrapy's ``LifoMemoryQueue`` with each request pickled while it waits."""

    def __init__(self, crawler: Any, key: str = "") -> None:
        self.crawler = crawler
        # The older requests, oldest first; the newest is kept apart, whole (see the module).
        self._waiting: deque[bytes | Request] = deque()
        self._newest: Request | None = None

    @classmethod
    def from_crawler(cls, crawler: Any, key: str = "", *args: Any, **kwargs: Any
                     ) -> CompactLifoMemoryQueue:
        return cls(crawler, key)

    def push(self, request: Request) -> None:
        if self._newest is not None:
            self._waiting.append(self._packed(self._newest))
        self._newest = request

    def pop(self) -> Request | None:
        if self._newest is not None:
            newest, self._newest = self._newest, None
            return newest
        return self._unpacked(self._waiting.pop()) if self._waiting else None

    def peek(self) -> Request | None:
        if self._newest is not None:
            return self._newest
        return self._unpacked(self._waiting[-1]) if self._waiting else None

    def close(self) -> None:
        self._waiting.clear()
        self._newest = None

    def __len__(self) -> int:
        return len(self._waiting) + (self._newest is not None)

    def _packed(self, request: Request) -> bytes | Request:
        fields = self._fields(request)
        if fields is None:
            return request
        try:
            return pickle.dumps(fields, protocol=PICKLE_PROTOCOL)
        except (TypeError, AttributeError, pickle.PicklingError):  # an object in its meta
            return request

    def _fields(self, request: Request) -> dict[str, Any] | None:
        """``Request.to_dict``'s fields that differ from a bare request's, callbacks by name;
        None for a request of another class or with a callback that is not a spider method
        (``scrapy shell``'s, a Deferred's). Not ``to_dict`` itself: it looks a callback up among
        all the spider's members (each property evaluated) on every request."""
        if type(request) is not Request:
            return None
        fields: dict[str, Any] = {"url": request.url}
        for name in ("callback", "errback"):
            method = getattr(request, name)
            if method is None:
                continue
            spider = self.crawler.spider
            found = getattr(spider, getattr(method, "__name__", ""), None)
            if getattr(method, "__self__", None) is not spider or found != method:
                return None
            fields[name] = method.__name__
        for name in _COMPARED:
            value = getattr(request, name)
            value = dict(value) if name == "headers" else value
            if value != _DEFAULTS[name]:
                fields[name] = value
        return fields

    def _unpacked(self, item: bytes | Request) -> Request:
        if isinstance(item, Request):
            return item
        return request_from_dict(pickle.loads(item), spider=self.crawler.spider)
