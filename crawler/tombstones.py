"""Tombstone records: an emitted article the site has deleted, so that an upserting consumer
removes it. A tombstone keeps the article's ``id``, ``site`` and ``url``, says ``deleted: true``
and carries no content (title, body and content hash null, lists empty); the incremental stage
numbers it as the next revision and drops a repeat (its content hash, null, is unchanged)."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter

from crawler.dates import utc_now_iso
from crawler.items import Article

# HTTP statuses that say a page is gone (a 5xx or a timeout says nothing of the kind).
GONE_STATUSES = frozenset({404, 410})
# Content fields a tombstone empties, with their empty value.
EMPTIED: dict[str, Any] = {
    "title": None, "published_at": None, "body": None, "source": None, "authors": [],
    "keywords": [], "category": None, "views": None, "description": None, "lead_image": None,
    "images": [], "related": [], "next": None, "language": None, "content_hash": None,
    "fallback_fields": [],
}


def make_tombstone(item: Any, url: str | None = None) -> None:
    """Turn a record read from a deleted-article notice into the tombstone of its article."""
    adapter = ItemAdapter(item)
    for field, empty in EMPTIED.items():
        adapter[field] = list(empty) if isinstance(empty, list) else empty
    adapter["deleted"] = True
    if url:
        adapter["url"] = url


def tombstone(record_id: str, url: str, fetched_url: str) -> Article:
    """The tombstone of an emitted article whose page answered 404 or 410."""
    record = Article(id=record_id, site=record_id.split(":", 1)[0], url=url,
                     fetched_url=fetched_url, crawled_at=utc_now_iso())
    make_tombstone(record)
    return record
