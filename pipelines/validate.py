"""Validate stage: drop records that are not articles; check every record against the schema.

Stats: ``validate/dropped/<reason>`` with reasons ``missing_url``, ``missing_title``,
``missing_body``, ``placeholder_body``, ``schema``; ``validate/placeholders_remembered``.

A placeholder page (a deleted-article notice) of an article never emitted is remembered in the
article store, so later runs do not fetch it again (crawler.spider). A placeholder standing for an
article emitted before is not remembered here: that article was deleted, and its tombstone record
says so to consumers.
"""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from jsonschema import Draft202012Validator
from scrapy.exceptions import DropItem

from crawler.cleaning import is_placeholder
from crawler.extensions.timing import StageTimer, timer_for
from crawler.items import article_schema
from crawler.state import store_for
from crawler.state.store import ContentIndex

logger = logging.getLogger(__name__)


def problems(record: dict[str, Any], validator: Draft202012Validator) -> tuple[str, str] | None:
    """(reason, detail) of the first thing wrong with ``record``; None for a good article."""
    for field in ("url",) if record.get("deleted") else ("url", "title", "body"):
        if not record.get(field):
            return f"missing_{field}", f"no {field}"
    if not record.get("deleted") and is_placeholder(record["body"], record.get("title")):
        return "placeholder_body", repr(record["body"][:80])
    error = next(iter(validator.iter_errors(record)), None)
    if error is not None:
        where = "/".join(map(str, error.absolute_path)) or "record"
        return "schema", f"{where}: {error.message[:200]}"
    return None


class PlaceholderPage(DropItem):
    """The page is a notice (deleted, missing, not yet published) in place of an article."""


class ValidatePipeline:
    def __init__(self, stats: Any, timer: StageTimer | None = None,
                 store: ContentIndex | None = None) -> None:
        self.stats = stats
        self.timer = timer or StageTimer()
        self.store = store
        self.validator = Draft202012Validator(article_schema())

    @classmethod
    def from_crawler(cls, crawler: Any) -> ValidatePipeline:
        return cls(crawler.stats, timer_for(crawler), store_for(crawler))

    def process_item(self, item: Any) -> Any:
        with self.timer.stage("validation"):
            record = ItemAdapter(item).asdict()
            found = problems(record, self.validator)
        if found is None:
            return item
        reason, detail = found
        self.stats.inc_value(f"validate/dropped/{reason}")
        where = record.get("fetched_url") or record.get("url")
        message = f"invalid article {where}: {reason} ({detail})"
        if reason == "placeholder_body":
            self._remember_placeholder(record.get("id"))
            raise PlaceholderPage(message, log_level="WARNING")
        raise DropItem(message, log_level="WARNING")

    def _remember_placeholder(self, article_id: str | None) -> None:
        if self.store is None or not article_id or self.store.emitted(article_id) is not None:
            return
        self.store.remember_placeholder(article_id)
        self.stats.inc_value("validate/placeholders_remembered")
