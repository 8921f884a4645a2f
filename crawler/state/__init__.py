"""State kept between runs under ``STATE_DIR``: the article store, the run lock, crash recovery."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals

from crawler import shared
from crawler.state.store import ArticleStore

if TYPE_CHECKING:
    from crawler.distributed.store import RedisArticleStore

__all__ = ["ArticleStore", "store_for"]


def state_path(settings: Any, spider_name: str, suffix: str) -> Path:
    if suffix == ".lock" and settings.get("REDIS_URL"):
        # Distributed mode: workers may share STATE_DIR; one lock per worker (its DATA_DIR).
        from crawler.distributed.coordinator import worker_id

        suffix = f".{worker_id(settings).rsplit('-', 1)[-1]}.lock"
    return Path(settings.get("STATE_DIR", "./state")) / f"{spider_name}{suffix}"


def store_for(crawler: Any) -> ArticleStore | RedisArticleStore:
    """The crawler's one article store, opened on first use and closed when the engine stops.

    With ``REDIS_URL`` set, the store shared by the workers of a distributed crawl.
    """
    store = shared.ARTICLE_STORE.get(crawler)
    if store is None and crawler.settings.get("REDIS_URL"):
        from crawler.distributed.coordinator import coordinator_for
        from crawler.distributed.store import RedisArticleStore

        store = shared.ARTICLE_STORE.put(crawler, RedisArticleStore(coordinator_for(crawler)))
    if store is None and not crawler.settings.getbool("RUN_STATE_ENABLED", True):
        # Look-only commands (scrapy parse, check, shell): an empty store that leaves no file.
        store = shared.ARTICLE_STORE.put(crawler, ArticleStore(":memory:"))
    if store is None:
        path = state_path(crawler.settings, crawler.spidercls.name, ".sqlite3")
        store = ArticleStore(path, commit_every=crawler.settings.getint("STATE_COMMIT_EVERY", 200))
        shared.ARTICLE_STORE.put(crawler, store)
        crawler.signals.connect(store.close, signal=signals.engine_stopped)
    return store
