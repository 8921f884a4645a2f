"""Limit stage: ``-a max_articles=N`` emits exactly N articles, then closes the spider cleanly."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro

logger = logging.getLogger(__name__)


class MaxArticlesPipeline:
    """Last stage. Stats: ``max_articles/dropped`` (items that arrived after the limit)."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.passed = 0

    @classmethod
    def from_crawler(cls, crawler: Any) -> MaxArticlesPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        spider = self.crawler.spider
        limit = getattr(spider, "max_articles", None)
        if limit is None:
            return item
        if self.passed >= limit:
            self.crawler.stats.inc_value("max_articles/dropped")
            raise DropItem("max_articles reached", log_level="DEBUG")
        self.passed += 1
        if self.passed == limit:
            # Scheduled, not awaited: closing waits for the items in progress, this one included.
            closing = deferred_from_coro(
                self.crawler.engine.close_spider_async(reason="max_articles"))
            closing.addErrback(lambda failure: logger.error(
                "Closing the spider at max_articles failed: %s", failure.getErrorMessage()))
        return item
