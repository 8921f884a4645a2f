"""State kept between runs under ``STATE_DIR``: the article store, the run lock, crash recovery."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy.utils.defer import deferred_from_coro

from crawler import shared
from crawler.state import lock
from crawler.state.schema import STATE_FAILED_REASON, StateUnavailable
from crawler.state.store import ArticleStore

if TYPE_CHECKING:
    from crawler.distributed.store import RedisArticleStore

__all__ = ["ArticleStore", "StateUnavailable", "stop_crawl", "store_for"]

# Stores opened (and checked) by preflight, by path, until the crawler takes them (store_for).
_OPENED: dict[str, ArticleStore] = {}



def state_path(settings: Any, spider_name: str, suffix: str) -> Path:
    if suffix == ".lock" and settings.get("REDIS_URL"):
        # Distributed mode: workers may share STATE_DIR; one lock per worker (its DATA_DIR).
        from crawler.distributed.coordinator import worker_id

        suffix = f".{worker_id(settings).rsplit('-', 1)[-1]}.lock"
    return Path(settings.get("STATE_DIR", "./state")) / f"{spider_name}{suffix}"


def store_for(crawler: Any) -> ArticleStore | RedisArticleStore:
    """The crawler's one article store, opened on first use (or by preflight); closed by the run
    state extension once the feeds are recorded.

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
        store = _OPENED.pop(str(path.resolve()), None) or ArticleStore(
            path, commit_every=crawler.settings.getint("STATE_COMMIT_EVERY", 200))
        store.on_failure = lambda message: _state_failed(crawler)
        # Closed by the run-state extension once the feeds are recorded, not at engine_stopped:
        # a feed still closing (SIGTERM during a close timeout) would find the store closed.
        shared.ARTICLE_STORE.put(crawler, store)
    return store


def preflight(settings: Any, spider_name: str) -> None:
    """Take the run lock and open the store once, before a crawler starts, so that a state that
    can not be used is one clear line and exit status 8, not a traceback. Raises LockHeld or
    StateUnavailable."""
    lock_path = state_path(settings, spider_name, ".lock")
    try:
        lock.acquire(lock_path)
    except lock.LockHeld:
        raise
    except OSError as error:
        raise StateUnavailable(f"state directory {lock_path.parent} can not be used: "
                               f"{error}") from None
    if not settings.get("REDIS_URL"):
        path = state_path(settings, spider_name, ".sqlite3")
        # Kept open for the crawler (store_for): checking a large store takes a second.
        _OPENED[str(path.resolve())] = ArticleStore(
            path, commit_every=settings.getint("STATE_COMMIT_EVERY", 200))


def _state_failed(crawler: Any) -> None:
    crawler.stats.set_value("state/unavailable", 1)
    stop_crawl(crawler, STATE_FAILED_REASON)


def stop_crawl(crawler: Any, reason: str) -> None:
    """Close the spider with ``reason`` if it is running (output or state failures)."""
    try:
        engine = crawler.engine
    except AttributeError:  # before the crawl: Crawler.engine is set when it starts
        return
    if engine is not None and engine.running and engine.spider is not None:
        deferred_from_coro(engine.close_spider_async(reason=reason))
