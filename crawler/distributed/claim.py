"""Claim stage (last, distributed mode only): an article is emitted by one worker of a crawl, once.

In one Lua step the article is marked emitted in the shared store and its record, serialised
exactly as the feed writes it, goes into this run's outbox in Redis. Only then does the item reach
this worker's output file. The outbox keeps the line until a complete output file holds it (see
crawler.distributed.outbox); if this worker dies first, another one writes it.
Stats: ``distributed/claimed``, ``distributed/dropped/claimed``.
"""

from __future__ import annotations

import io
import json
from itertools import count
from typing import Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem
from scrapy.exporters import JsonLinesItemExporter

from crawler.distributed.coordinator import Coordinator, coordinator_for
from crawler.distributed.store import emitted_entry


class ClaimPipeline:
    def __init__(self, coordinator: Coordinator, stats: Any, fields: list[str] | None,
                 encoding: str | None) -> None:
        self.coordinator = coordinator
        self.stats = stats
        self.buffer = io.BytesIO()
        self.claims = count(1)
        # The feed's own exporter, so the outbox line is byte for byte the line in the file.
        self.exporter = JsonLinesItemExporter(self.buffer, fields_to_export=fields,
                                              encoding=encoding)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ClaimPipeline:
        settings = crawler.settings
        return cls(coordinator_for(crawler), crawler.stats,
                   settings.getlist("FEED_EXPORT_FIELDS") or None,
                   settings.get("FEED_EXPORT_ENCODING") or "utf-8")

    def line(self, item: Any) -> bytes:
        self.buffer.seek(0)
        self.buffer.truncate()
        self.exporter.export_item(item)
        return self.buffer.getvalue()

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        coordinator, keys = self.coordinator, self.coordinator.keys
        entry = emitted_entry(adapter.asdict(), coordinator.crawl_id, coordinator.worker)
        entry["claim"] = f"{coordinator.run}#{next(self.claims)}"  # a retried call knows its own
        claimed = coordinator.script(
            "CLAIM",
            [keys.articles, keys.outbox(coordinator.run), keys.alive(coordinator.run),
             keys.outboxes],
            [adapter["id"], coordinator.crawl_id, adapter.get("content_hash") or "",
             json.dumps(entry), self.line(item), coordinator.run, coordinator.outbox_meta()])
        if not claimed:
            self.stats.inc_value("distributed/dropped/claimed")
            raise DropItem(f"Already emitted in this crawl by another worker: {adapter['id']}",
                           log_level="INFO")
        self.stats.inc_value("distributed/claimed")
        return item
