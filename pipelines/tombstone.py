"""Tombstone stage: an emitted article whose page is now a deleted-article notice.

Such a page would be dropped as a placeholder; when an earlier run emitted the article, it becomes
a tombstone record instead (crawler.tombstones), so that consumers remove the article. Stats:
``tombstone/notice`` (a notice page of an emitted article).
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter

from crawler.cleaning import is_placeholder
from crawler.state import store_for
from crawler.state.store import ContentIndex
from crawler.tombstones import make_tombstone


class TombstonePipeline:
    def __init__(self, store: ContentIndex, stats: Any) -> None:
        self.store = store
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> TombstonePipeline:
        return cls(store_for(crawler), crawler.stats)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        body = adapter.get("body")
        if adapter.get("deleted") or not body or not is_placeholder(body, adapter.get("title")):
            return item
        emitted = self.store.emitted(adapter["id"])
        if emitted is not None:
            self.stats.inc_value("tombstone/notice")
            make_tombstone(item, emitted.url)
        return item
