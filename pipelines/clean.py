"""Clean stage: valid text, NFC, odd spaces, leftover tags and entities, boilerplate; content hash.

Stats: ``clean/invalid_text`` (records that held lone surrogates or control characters, removed).
"""

from __future__ import annotations

import logging
import re
from hashlib import blake2b
from typing import Any

from itemadapter import ItemAdapter

from crawler.cleaning import clean_body, normalize_space, normalize_text
from crawler.extensions.timing import StageTimer, timer_for

TEXT_FIELDS = ("title", "source", "category", "description")
# Lone surrogates (from JSON-LD "\\udc00" escapes or undecodable bytes) cannot be encoded as
# UTF-8, and C0/C1 control characters break consumers; newline and tab are text.
_INVALID = re.compile("[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CARRIAGE_RETURN = re.compile("\r\n?")

logger = logging.getLogger(__name__)


def valid_text(value: str) -> str:
    """``value`` without lone surrogates or control characters (CR becomes a newline)."""
    if "\r" not in value and _INVALID.search(value) is None:
        return value  # nearly every string: one scan, no copy
    return _INVALID.sub("", _CARRIAGE_RETURN.sub("\n", value))


def make_valid(value: Any) -> tuple[Any, bool]:
    """``value`` with every string in it made valid (lists and dicts walked); and whether any
    string changed. Records are a few levels deep, so the walk is bounded by the record's size."""
    if isinstance(value, str):
        fixed = valid_text(value)
        return fixed, fixed != value
    if isinstance(value, list):
        pairs = [make_valid(v) for v in value]
        return [v for v, _ in pairs], any(c for _, c in pairs)
    if isinstance(value, dict):
        pairs_by_key = {k: make_valid(v) for k, v in value.items()}
        return ({k: v for k, (v, _) in pairs_by_key.items()},
                any(c for _, c in pairs_by_key.values()))
    return value, False


def has_invalid(value: Any) -> bool:
    """Whether ``make_valid`` would change anything in ``value``: the same walk, building
    nothing (nearly every record has nothing to remove)."""
    if isinstance(value, str):
        return "\r" in value or _INVALID.search(value) is not None
    if isinstance(value, list):
        return any(map(has_invalid, value))
    if isinstance(value, dict):
        return any(map(has_invalid, value.values()))
    return False


def content_hash(title: str | None, body: str | None) -> str:
    """Changes exactly when the cleaned title or body changes (never raises: any text hashes)."""
    data = f"{title or ''}\n{body or ''}".encode("utf-8", "surrogatepass")
    return blake2b(data, digest_size=16).hexdigest()


def clean_line(value: Any) -> str | None:
    if not isinstance(value, str):
        return value
    return normalize_space(normalize_text(value).replace("\n\n", " ")) or None


def make_record_valid(adapter: ItemAdapter) -> bool:
    """Make every string of the record valid in place; True when something was removed."""
    changed = False
    for field in list(adapter.field_names()):
        if field in adapter and has_invalid(adapter[field]):
            value, fixed = make_valid(adapter[field])
            if fixed:
                adapter[field] = value
                changed = True
    return changed


def clean_record(adapter: ItemAdapter) -> None:
    for field in TEXT_FIELDS:
        adapter[field] = clean_line(adapter.get(field))
    if isinstance(adapter.get("body"), str):
        adapter["body"] = clean_body(adapter["body"]) or None
    adapter["keywords"] = [k for k in (clean_line(k) for k in adapter.get("keywords") or []) if k]
    adapter["authors"] = [a for a in (clean_line(a) for a in adapter.get("authors") or []) if a]
    for entry in adapter.get("related") or []:
        entry["title"] = clean_line(entry.get("title")) or ""
        entry["category"] = clean_line(entry.get("category"))
    if adapter.get("next"):
        adapter["next"]["title"] = clean_line(adapter["next"].get("title")) or ""
    adapter["content_hash"] = content_hash(adapter.get("title"), adapter.get("body"))


class CleanPipeline:
    """Makes every string of an article valid, then normalizes its text fields in place (see
    crawler.cleaning). Stats: ``clean/invalid_text``."""

    def __init__(self, timer: StageTimer | None = None, stats: Any = None) -> None:
        self.timer = timer or StageTimer()
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> CleanPipeline:
        return cls(timer_for(crawler), crawler.stats)

    def process_item(self, item: Any) -> Any:
        if ItemAdapter(item).get("deleted"):  # a tombstone has no text
            return item
        with self.timer.stage("cleaning"):
            adapter = ItemAdapter(item)
            if make_record_valid(adapter):
                logger.warning("Removed lone surrogates or control characters from %s",
                               adapter.get("id"))
                if self.stats is not None:
                    self.stats.inc_value("clean/invalid_text")
            clean_record(adapter)
        return item
