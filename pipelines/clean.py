"""Clean stage: NFC, odd spaces, leftover tags and entities, boilerplate lines; content hash."""

from __future__ import annotations

from hashlib import blake2b
from typing import Any

from itemadapter import ItemAdapter

from crawler.cleaning import clean_body, normalize_space, normalize_text
from crawler.extensions.timing import StageTimer, timer_for

TEXT_FIELDS = ("title", "source", "category", "description")


def content_hash(title: str | None, body: str | None) -> str:
    """Changes exactly when the cleaned title or body changes."""
    data = f"{title or ''}\n{body or ''}".encode()
    return blake2b(data, digest_size=16).hexdigest()


def clean_line(value: Any) -> str | None:
    if not isinstance(value, str):
        return value
    return normalize_space(normalize_text(value).replace("\n\n", " ")) or None


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
    """Normalizes every text field of an article in place (see crawler.cleaning)."""

    def __init__(self, timer: StageTimer | None = None) -> None:
        self.timer = timer or StageTimer()

    @classmethod
    def from_crawler(cls, crawler: Any) -> CleanPipeline:
        return cls(timer_for(crawler))

    def process_item(self, item: Any) -> Any:
        if ItemAdapter(item).get("deleted"):  # a tombstone has no text
            return item
        with self.timer.stage("cleaning"):
            clean_record(ItemAdapter(item))
        return item
