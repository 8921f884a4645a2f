"""Validate stage: drop records that are not articles; check every record against the schema.

Stats: ``validate/dropped/<reason>`` with reasons ``missing_url``, ``missing_title``,
``missing_body``, ``placeholder_body``, ``schema``; ``validate/placeholders_remembered``.

The schema is checked by ``ArticleSchema``: a compiled validator (fastjsonschema, 0.02 ms a
record) passes the good records; jsonschema, the reference (0.35 ms), judges the others and says
what is wrong, so a record is dropped only when the reference finds an error.

A placeholder page (a deleted-article notice) of an article never emitted is remembered in the
article store, so later runs do not fetch it again (crawler.spider). A placeholder standing for an
article emitted before is not remembered here: that article was deleted, and its tombstone record
says so to consumers.
"""

from __future__ import annotations

import logging
from typing import Any

import fastjsonschema
from itemadapter import ItemAdapter
from jsonschema import Draft202012Validator
from scrapy.exceptions import DropItem

from crawler.cleaning import is_placeholder
from crawler.extensions.timing import StageTimer, timer_for
from crawler.items import article_schema
from crawler.state import store_for
from crawler.state.store import ContentIndex

logger = logging.getLogger(__name__)


# fastjsonschema knows drafts 4 to 7; the article schema uses nothing of 2020-12 that draft 7
# lacks (type, pattern, minLength, minimum, required, properties, additionalProperties, items as
# one schema, const, if/then/else), so it is compiled as draft 7. The reference keeps 2020-12.
FAST_DRAFT = "http://json-schema.org/draft-07/schema#"


class ArticleSchema:
    """The article schema: ``first_error(record)`` is None for a record that conforms, else a
    short "<where>: <message>" from the reference validator."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.reference = Draft202012Validator(schema)
        self._fast = fastjsonschema.compile({**schema, "$schema": FAST_DRAFT})

    def first_error(self, record: dict[str, Any]) -> str | None:
        if self.passes_fast(record):
            return None
        # Nested items (if any) as plain dicts, as the exporter writes them.
        error = next(iter(self.reference.iter_errors(ItemAdapter(record).asdict())), None)
        if error is None:
            return None
        where = "/".join(map(str, error.absolute_path)) or "record"
        return f"{where}: {error.message[:200]}"

    def passes_fast(self, record: dict[str, Any]) -> bool:
        # The compiled check takes a tuple for an array, the reference does not: records of
        # other than JSON types (tuples, sets, nested items) are left to the reference.
        if not is_plain_json(record):
            return False
        try:
            self._fast(record)
        except Exception:  # noqa: BLE001 (invalid, or a value it cannot judge: the reference will)
            return False
        return True


def is_plain_json(value: Any) -> bool:
    """Whether ``value`` is made of dicts (string keys), lists, strings, numbers, booleans and
    None only."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and is_plain_json(v) for k, v in value.items())
    if isinstance(value, list):
        return all(map(is_plain_json, value))
    return value is None or isinstance(value, (str, int, float))  # bool is an int


def problems(record: dict[str, Any], schema: ArticleSchema) -> tuple[str, str] | None:
    """(reason, detail) of the first thing wrong with ``record``; None for a good article."""
    for field in ("url",) if record.get("deleted") else ("url", "title", "body"):
        if not record.get(field):
            return f"missing_{field}", f"no {field}"
    if not record.get("deleted") and is_placeholder(record["body"], record.get("title")):
        return "placeholder_body", repr(record["body"][:80])
    error = schema.first_error(record)
    return ("schema", error) if error is not None else None


class PlaceholderPage(DropItem):
    """The page is a notice (deleted, missing, not yet published) in place of an article."""


class ValidatePipeline:
    def __init__(self, stats: Any, timer: StageTimer | None = None,
                 store: ContentIndex | None = None) -> None:
        self.stats = stats
        self.timer = timer or StageTimer()
        self.store = store
        self.schema = ArticleSchema(article_schema())

    @classmethod
    def from_crawler(cls, crawler: Any) -> ValidatePipeline:
        return cls(crawler.stats, timer_for(crawler), store_for(crawler))

    def process_item(self, item: Any) -> Any:
        with self.timer.stage("validation"):
            # Read only: a shallow view (ArticleSchema converts nested items when it must).
            record = dict(ItemAdapter(item).items())
            found = problems(record, self.schema)
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
