"""Dedup stage: one record per article id per run, and one record per story.

A body republished under another id, identical (``exact``) or nearly so (``near``: MinHash over
word shingles, see crawler.nearduplicates), is dropped, in this run and against earlier runs
(the content index lives in the article store). Stats: ``dedup/dropped/id``,
``dedup/dropped/exact``, ``dedup/dropped/near``. Setting: ``NEAR_DUPLICATE_THRESHOLD``.
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from crawler import nearduplicates
from crawler.extensions.timing import StageTimer, timer_for
from crawler.state import store_for
from crawler.state.store import ContentIndex

body_hash = nearduplicates.body_hash  # the content index's hash (crawler.state.store uses it too)


class DedupPipeline:
    def __init__(self, store: ContentIndex, stats: Any, threshold: float,
                 timer: StageTimer | None = None) -> None:
        self.store = store
        self.stats = stats
        self.threshold = threshold
        self.timer = timer or StageTimer()
        self.ids_this_run: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> DedupPipeline:
        return cls(store_for(crawler), crawler.stats,
                   crawler.settings.getfloat("NEAR_DUPLICATE_THRESHOLD", 0.7), timer_for(crawler))

    def process_item(self, item: Any) -> Any:
        with self.timer.stage("dedup"):
            return self._process(ItemAdapter(item), item)

    def _process(self, adapter: ItemAdapter, item: Any) -> Any:
        if adapter.get("deleted"):  # a tombstone: no story to compare
            return item
        article_id, body = adapter["id"], adapter["body"]
        if article_id in self.ids_this_run:
            self._drop("id", article_id, article_id, "emitted earlier in this run")
        digest, signature = nearduplicates.fingerprint(body)  # the body's words found once
        same = self.store.find_exact(digest, article_id)
        if same is not None:
            self._drop("exact", article_id, same, "same body")
        near = self.store.find_near(signature, article_id, self.threshold)
        if near is not None:
            self._drop("near", article_id, near[0], f"{near[1]:.2f} similar")
        self.ids_this_run.add(article_id)
        self.store.remember_content(article_id, digest, signature)
        return item

    def _drop(self, kind: str, article_id: str, original: str, relation: str) -> None:
        self.stats.inc_value(f"dedup/dropped/{kind}")
        if original != article_id:
            self.store.remember_duplicate(article_id, original, kind)
        # Logged as "Dropped <id>: <this>" (crawler.logformat): the id is not repeated here.
        raise DropItem(f"duplicate ({kind}) of {original}: {relation}", log_level="INFO")
