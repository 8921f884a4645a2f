"""scrapy-redis's scheduler with leases: a request taken from the queue is not lost with its worker.

scrapy-redis pops a request and forgets it (rmax/scrapy-redis#108, #168). Here the pop moves it, in
one Lua step, into the run's lease hash; the worker releases the lease once Scrapy is done with the
request (crawler.distributed.worker), and the leases of a run whose heartbeat expired go back to the
queue. scrapy-redis also marks a request seen and queues it in two commands; here one Lua step does
both, so no fingerprint is ever left without its request. The dupefilter uses the project's request
fingerprints (mirror hosts share one).
"""

from __future__ import annotations

from itertools import count
from typing import Any

from scrapy import Request
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

from crawler.distributed.coordinator import Coordinator, StateUnavailable, coordinator_for

# Request meta key holding the lease id of the request as taken from the queue.
LEASE_META = "redis_lease"


class LeasedQueue(PriorityQueue):
    """Priority queue (sorted set) whose pop leases the request to this run."""

    def __init__(self, coordinator: Coordinator, spider: Any) -> None:
        super().__init__(coordinator.client, spider, coordinator.keys.requests)
        self.coordinator = coordinator
        self._ids = count(1)

    def pop(self, timeout: int = 0) -> Request | None:
        keys = self.coordinator.keys
        lease = f"{next(self._ids)}"
        data = self.coordinator.script("LEASE", [
            keys.requests, keys.leases(self.coordinator.run), keys.alive(self.coordinator.run)],
            [lease])
        if not data:
            return None
        request = self._decode_request(data)
        request.meta[LEASE_META] = lease
        self.coordinator.taken.add(lease)
        return request


class SiteDupeFilter(RFPDupeFilter):
    """scrapy-redis's dupefilter with Scrapy's configured fingerprinter (crawler.fingerprint)."""

    def __init__(self, server: Any, key: str, fingerprinter: Any, debug: bool = False) -> None:
        super().__init__(server, key, debug)
        self.fingerprinter = fingerprinter

    def request_fingerprint(self, request: Request) -> str:
        return self.fingerprinter.fingerprint(request).hex()

    def close(self, reason: str = "") -> None:
        """Kept: the fingerprints belong to the crawl, not to this worker."""


class DistributedScheduler(Scheduler):
    """Stats: ``scheduler/enqueued/redis``, ``scheduler/dequeued/redis`` (scrapy-redis's)."""

    def __init__(self, coordinator: Coordinator, crawler: Any) -> None:
        dupefilter = SiteDupeFilter(coordinator.client, coordinator.keys.dupefilter,
                                    crawler.request_fingerprinter,
                                    crawler.settings.getbool("DUPEFILTER_DEBUG"))
        super().__init__(coordinator.client, persist=True, queue_key=coordinator.keys.requests,
                         dupefilter=dupefilter, dupefilter_key=coordinator.keys.dupefilter)
        self.coordinator = coordinator
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> DistributedScheduler:
        return cls(coordinator_for(crawler), crawler)

    def open(self, spider: Any) -> None:
        self.spider = spider
        self.queue = LeasedQueue(self.coordinator, spider)
        try:
            self.coordinator.open_crawl(spider.run_id)
        except StateUnavailable:
            return  # the worker closes the spider once the engine runs (exit status 8)
        self.coordinator.start_heartbeat()

    def close(self, reason: str) -> None:
        """The queue and the fingerprints stay for the other workers and the next run."""

    def enqueue_request(self, request: Request) -> bool:
        """scrapy-redis's, with the fingerprint and the request written in one step (ENQUEUE)."""
        keys = self.coordinator.keys
        fingerprint = "" if request.dont_filter else self.df.request_fingerprint(request)
        try:
            queued = self.coordinator.script(
                "ENQUEUE", [keys.dupefilter, keys.requests, keys.alive(self.coordinator.run)],
                [fingerprint, -request.priority, self.queue._encode_request(request)])
        except StateUnavailable:
            return False  # its parent's lease is still held: it comes back with it
        if not queued:
            self.df.log(request, self.spider)
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        try:
            return self.coordinator.call(lambda: super(DistributedScheduler, self).next_request())
        except StateUnavailable:
            return None

    def has_pending_requests(self) -> bool:
        try:
            return self.coordinator.call(lambda: len(self.queue) > 0)
        except StateUnavailable:
            return False
