"""Validate stage: drop records that are not articles; check every record against the schema.

Stats: ``validate/dropped/<reason>`` with reasons ``missing_url``, ``missing_title``,
``missing_body``, ``placeholder_body``, ``schema``.
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

logger = logging.getLogger(__name__)


def problems(record: dict[str, Any], validator: Draft202012Validator) -> tuple[str, str] | None:
    """(reason, detail) of the first thing wrong with ``record``; None for a good article."""
    for field in ("url", "title", "body"):
        if not record.get(field):
            return f"missing_{field}", f"no {field}"
    if is_placeholder(record["body"], record.get("title")):
        return "placeholder_body", repr(record["body"][:80])
    error = next(iter(validator.iter_errors(record)), None)
    if error is not None:
        where = "/".join(map(str, error.absolute_path)) or "record"
        return "schema", f"{where}: {error.message[:200]}"
    return None


class ValidatePipeline:
    def __init__(self, stats: Any, timer: StageTimer | None = None) -> None:
        self.stats = stats
        self.timer = timer or StageTimer()
        self.validator = Draft202012Validator(article_schema())

    @classmethod
    def from_crawler(cls, crawler: Any) -> ValidatePipeline:
        return cls(crawler.stats, timer_for(crawler))

    def process_item(self, item: Any) -> Any:
        with self.timer.stage("validation"):
            record = ItemAdapter(item).asdict()
            found = problems(record, self.validator)
        if found is None:
            return item
        reason, detail = found
        self.stats.inc_value(f"validate/dropped/{reason}")
        raise DropItem(f"Invalid article {record.get('fetched_url') or record.get('url')}: "
                       f"{reason} ({detail})", log_level="WARNING")
