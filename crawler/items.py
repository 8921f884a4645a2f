"""The article record, one JSON Lines object per article. Schema: schema/article.schema.json."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from functools import lru_cache
from importlib import resources
from typing import Any

# Bump the minor part when a field is added, the major part when one changes meaning or goes.
SCHEMA_VERSION = "1.1"


@dataclass
class Article:
    id: str
    site: str
    url: str
    title: str | None = None
    published_at: str | None = None
    body: str | None = None
    source: str | None = None
    authors: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    category: str | None = None
    views: int | None = None
    description: str | None = None
    lead_image: str | None = None
    images: list[dict[str, Any]] = field(default_factory=list)
    related: list[dict[str, Any]] = field(default_factory=list)
    next: dict[str, Any] | None = None
    language: str | None = None
    fetched_url: str | None = None
    crawled_at: str | None = None
    # Backfills (crawler.archive): when and in which archive the page was captured; None if live.
    captured_at: str | None = None
    archive: str | None = None
    content_hash: str | None = None
    revision: int = 1
    updated: bool = False
    # 1.1: true in the tombstone of an article deleted from the site (crawler.tombstones).
    deleted: bool = False
    fallback_fields: list[str] = field(default_factory=list)
    schema_version: str = SCHEMA_VERSION


# The fixed field order of the JSON Lines feed.
ARTICLE_FIELDS: list[str] = [f.name for f in fields(Article)]


@lru_cache(maxsize=1)
def article_schema() -> dict[str, Any]:
    text = resources.files("crawler").joinpath("schema/article.schema.json").read_text("utf-8")
    return json.loads(text)
