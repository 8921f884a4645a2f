"""Objects one crawler's components share, found by role instead of hung on Scrapy's Crawler.

The article store, the stage timer, the Redis coordinator and the feed commit guard are each one
per crawler, used by the spider, pipelines, extensions and feed storage alike. They are not
extensions (the spider needs the store before Scrapy builds extensions), so
``crawler.get_extension`` cannot find them; this registry does, keyed weakly by the crawler so it
goes with it. Roles are the ``Role`` constants below; the value's type goes with the role.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar
from weakref import WeakKeyDictionary

T = TypeVar("T")

_BY_CRAWLER: WeakKeyDictionary[Any, dict[str, Any]] = WeakKeyDictionary()


class Role(Generic[T]):
    """A named slot for one object per crawler."""

    def __init__(self, name: str) -> None:
        self.name = name

    def get(self, crawler: Any) -> T | None:
        return _BY_CRAWLER.get(crawler, {}).get(self.name)

    def put(self, crawler: Any, value: T) -> T:
        _BY_CRAWLER.setdefault(crawler, {})[self.name] = value
        return value

    def get_or_create(self, crawler: Any, create: Callable[[], T]) -> T:
        found = self.get(crawler)
        return found if found is not None else self.put(crawler, create())


# The article store of crawler.state (ArticleStore or RedisArticleStore).
ARTICLE_STORE: Role[Any] = Role("article_store")
# The stage timer of crawler.extensions.timing.
STAGE_TIMER: Role[Any] = Role("stage_timer")
# The Redis coordinator of a distributed worker (crawler.distributed.coordinator).
REDIS_COORDINATOR: Role[Any] = Role("redis_coordinator")
# Called by crawler.feedstorage before a feed file is committed: (part, final) -> commit or not.
FEED_COMMIT_GUARD: Role[Callable[[str, str], bool]] = Role("feed_commit_guard")
