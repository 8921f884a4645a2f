"""Incremental stage: drop articles emitted before with the same content; number new revisions.

A tombstone (crawler.tombstones) is a revision like any other: emitted once, then unchanged.
Stats: ``incremental/dropped/unchanged``, ``incremental/updated``, ``incremental/deleted``
(tombstones, counted in ``updated`` too).
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from crawler.extensions.timing import StageTimer, timer_for
from crawler.state import store_for
from crawler.state.store import ContentIndex


class IncrementalPipeline:
    def __init__(self, store: ContentIndex, stats: Any, timer: StageTimer | None = None) -> None:
        self.store = store
        self.stats = stats
        self.timer = timer or StageTimer()

    @classmethod
    def from_crawler(cls, crawler: Any) -> IncrementalPipeline:
        return cls(store_for(crawler), crawler.stats, timer_for(crawler))

    def process_item(self, item: Any) -> Any:
        with self.timer.stage("incremental"):
            return self._process(ItemAdapter(item), item)

    def _process(self, adapter: ItemAdapter, item: Any) -> Any:
        emitted = self.store.emitted(adapter["id"])
        if emitted is None:
            return item
        if emitted.content_hash == adapter["content_hash"]:
            self.stats.inc_value("incremental/dropped/unchanged")
            raise DropItem(f"Unchanged since revision {emitted.revision}", log_level="INFO")
        adapter["revision"] = emitted.revision + 1
        adapter["updated"] = True
        self.stats.inc_value("incremental/updated")
        if adapter.get("deleted"):
            self.stats.inc_value("incremental/deleted")
        return item
