"""State kept between runs under ``STATE_DIR``: the article store, the run lock, crash recovery."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scrapy import signals

from crawler.state.store import ArticleStore

__all__ = ["ArticleStore", "store_for"]


def state_path(settings: Any, spider_name: str, suffix: str) -> Path:
    return Path(settings.get("STATE_DIR", "./state")) / f"{spider_name}{suffix}"


def store_for(crawler: Any) -> ArticleStore:
    """The crawler's one article store, opened on first use and closed when the engine stops."""
    store = getattr(crawler, "article_store", None)
    if store is None:
        path = state_path(crawler.settings, crawler.spidercls.name, ".sqlite3")
        store = ArticleStore(path, commit_every=crawler.settings.getint("STATE_COMMIT_EVERY", 200))
        crawler.article_store = store
        crawler.signals.connect(store.close, signal=signals.engine_stopped)
    return store
