"""Start pages once per crawl: the first worker seeds them, the others wait until that is done.

A spider middleware around ``Spider.start()``. The seeder marks the crawl seeded only after its
last start request is in the shared queue, so no worker can find the crawl empty before it began.
A worker that joins waits (crawling what the queue gives it meanwhile); if the seeder dies before
it finished, the waiting worker seeds instead. Stat: ``distributed/seeded`` (1 on the seeder).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

from crawler.distributed.coordinator import Coordinator, StateUnavailable, coordinator_for

logger = logging.getLogger(__name__)
SEED, SEEDED, WAIT, OVER = 1, 0, 2, -1


class SeedOnceMiddleware:
    def __init__(self, coordinator: Coordinator, stats: Any, poll: float) -> None:
        self.coordinator = coordinator
        self.stats = stats
        self.poll = poll

    @classmethod
    def from_crawler(cls, crawler: Any) -> SeedOnceMiddleware:
        return cls(coordinator_for(crawler), crawler.stats,
                   crawler.settings.getfloat("REDIS_POLL_INTERVAL", 0.5))

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        try:
            while (answer := self.coordinator.claim_seeding()) == WAIT:
                await asyncio.sleep(self.poll)
        except StateUnavailable:
            return
        if answer != SEED:
            logger.info("Joined crawl %s: its start pages are seeded already",
                        self.coordinator.crawl_id)
            return
        async for request in start:
            yield request
        try:
            self.coordinator.mark_seeded()
        except StateUnavailable:
            return
        self.stats.set_value("distributed/seeded", 1)
        logger.info("Seeded crawl %s with the start pages", self.coordinator.crawl_id)
