"""Distributed crawling on Redis: many workers, one frontier, each article emitted once.

``-s REDIS_URL=redis://host:port/db`` switches a spider to distributed mode (see
docs/distributed.md); without it nothing here is loaded. ``configure`` swaps in the components:
scrapy-redis's scheduler with leases, the Redis article store, the claim stage, seeding once per
crawl, the worker extension and its report.
"""

from __future__ import annotations

from typing import Any

SETTING_PRIORITY = "spider"

# Components of distributed mode, by setting: what to add, what they replace.
COMPONENTS: dict[str, dict[str, int | None]] = {
    "ITEM_PIPELINES": {"crawler.distributed.claim.ClaimPipeline": 950},
    "SPIDER_MIDDLEWARES": {"crawler.distributed.seed.SeedOnceMiddleware": 10},
    "EXTENSIONS": {
        "crawler.distributed.worker.DistributedWorker": 105,
        "crawler.extensions.report.RunReport": None,
        "crawler.distributed.report.DistributedRunReport": 110,
    },
}


def is_distributed(settings: Any) -> bool:
    return bool(settings.get("REDIS_URL"))


def configure(settings: Any) -> None:
    """Switch a crawler's settings to distributed mode (called from NewsSpider.update_settings)."""
    settings.set("SCHEDULER", "crawler.distributed.scheduler.DistributedScheduler",
                 priority=SETTING_PRIORITY)
    for name, components in COMPONENTS.items():
        merged = dict(settings.getdict(name))
        merged.update(components)
        settings.set(name, merged, priority=SETTING_PRIORITY)
