"""A distributed worker's run report: the usual one plus which crawl, which worker, what it did."""

from __future__ import annotations

import json
import os
from typing import Any

from crawler import shared
from crawler.distributed.worker import DistributedWorker
from crawler.extensions.report import RunReport


def distributed_section(crawler: Any) -> dict[str, Any]:
    stats = crawler.stats.get_stats()
    coordinator = shared.REDIS_COORDINATOR.get(crawler)
    worker = crawler.get_extension(DistributedWorker)
    return {
        "crawl": stats.get("distributed/crawl"),
        "run": stats.get("distributed/run"),
        "worker": getattr(coordinator, "worker", None),
        "key_prefix": getattr(getattr(coordinator, "keys", None), "prefix", None),
        "seeded_start_pages": bool(stats.get("distributed/seeded")),
        "articles_claimed": stats.get("distributed/claimed", 0),
        "already_claimed_by_others": stats.get("distributed/dropped/claimed", 0),
        "leases_released": stats.get("distributed/leases_released", 0),
        "requeued_from_dead_runs": stats.get("distributed/requeued_dead", 0),
        "requeued_at_close": stats.get("distributed/requeued_at_close", 0),
        "adopted": worker.outbox.adopted if worker is not None else [],
        "redis_failure": getattr(coordinator, "failure", None),
    }


class DistributedRunReport(RunReport):
    """Adds a ``distributed`` section to ``<run id>.stats.json``."""

    def engine_stopped(self) -> None:
        super().engine_stopped()
        path = self.report_path()
        report = json.loads(path.read_text("utf-8"))
        report["distributed"] = distributed_section(self.crawler)
        tmp = path.with_name(path.name + ".part")
        text = json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n"
        tmp.write_text(text, "utf-8")
        os.replace(tmp, path)
