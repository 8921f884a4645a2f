"""The deterministic model of the site: its articles, list pages, mutations and expected records."""

from __future__ import annotations

import random
import threading
from datetime import timedelta
from typing import Any

from localsite import timeline
from localsite.article import ARTICLE, DELETED, MISSING, OFFSITE, PRIVATE, Article, iso_time
from localsite.timeline import Specials

PAGE_SIZE = 20
SITE = "sjfzxm"


class SiteModel:
    """All articles by id, plus what the pages derive from them.

    `version` grows with every mutation so that renderers can drop cached pages.
    """

    def __init__(
        self, articles: list[Article], specials: Specials, seed: int, layouts: tuple[str, ...]
    ) -> None:
        self.articles: dict[int, Article] = {a.id: a for a in articles}
        self.specials = specials
        self.seed = seed
        self.layouts = layouts
        self.version = 0
        self.lock = threading.RLock()
        self._builder = timeline.Builder(seed + 1, layouts)  # a separate stream for additions
        self._builder.titles = {a.title for a in articles}
        self._listed = sorted((a.id for a in articles if a.listed), reverse=True)
        self._content = sorted(a.id for a in articles if a.kind == ARTICLE)

    @classmethod
    def generate(
        cls,
        n_articles: int,
        seed: int = 0,
        layouts: tuple[str, ...] = ("portal", "redesign"),
    ) -> SiteModel:
        articles, specials = timeline.build(n_articles, seed, tuple(layouts))
        return cls(articles, specials, seed, tuple(layouts))

    # -- reading -------------------------------------------------------------------------------

    def article(self, article_id: int) -> Article | None:
        return self.articles.get(article_id)

    @property
    def listed_count(self) -> int:
        return len(self._listed)

    @property
    def page_count(self) -> int:
        return max(1, -(-len(self._listed) // PAGE_SIZE))

    def list_page(self, page: int) -> list[Article]:
        """The articles of list page `page` (1-based), newest first."""
        ids = self._listed[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        return [self.articles[i] for i in ids]

    def page_layout(self, page: int) -> str:
        # The site is mid-redesign: list pages alternate, so both list layouts are live.
        return self.layouts[(page - 1) % len(self.layouts)]

    def newest(self) -> Article:
        return self.articles[self._listed[0]]

    def hot(self, count: int = 10) -> list[Article]:
        """Most viewed among recent listed articles: the "Hot news" sidebar."""
        recent = [self.articles[i] for i in self._content[-300:]]
        return sorted(recent, key=lambda a: (-a.views, -a.id))[:count]

    def recommended(self, for_id: int, count: int = 8) -> list[Article]:
        """A stable per-page pick of recent listed articles: the "Recommended" sidebar."""
        pool = [i for i in self._content[-500:] if i != for_id]
        picked = random.Random(for_id).sample(pool, min(count, len(pool)))
        return [self.articles[i] for i in picked]

    # -- mutations for incremental-crawl tests -------------------------------------------------

    def add_articles(self, k: int) -> list[int]:
        """Publish `k` new articles; they appear at the top of list page 1. Returns their ids."""
        with self.lock:
            top = max(self.articles)
            newest = max(a.published for a in self.articles.values() if a.published)
            ids = [top + self._builder.rng.randint(1, 3)]
            while len(ids) < k:
                ids.append(ids[-1] + self._builder.rng.randint(1, 3))
            for offset, article_id in enumerate(ids, start=1):
                self._publish(
                    self._builder.ordinary(article_id, newest + timedelta(minutes=17 * offset))
                )
            self.version += 1
            return ids

    def _publish(self, article: Article) -> None:
        same_category = [i for i in self._content if self.articles[i].category == article.category]
        article.related = timeline.pick_related(
            article, self._content, same_category, self._builder.rng
        )
        article.next_id = self._content[-1]
        self.articles[article.id] = article
        self._listed.insert(0, article.id)
        self._content.append(article.id)

    def retitle(self, article_id: int, new_title: str) -> None:
        """Change a headline; list pages, sidebars and related blocks follow."""
        with self.lock:
            self.articles[article_id].title = new_title
            self.version += 1

    def delete(self, article_id: int) -> None:
        """Delete an article as the site does: still listed, its page a "deleted" notice."""
        with self.lock:
            self.articles[article_id].kind = DELETED
            self.version += 1

    # -- expectations --------------------------------------------------------------------------

    def duplicates(self) -> dict[int, int]:
        """Republished id -> id of the story it repeats."""
        return {a.id: a.duplicate_of for a in self.articles.values() if a.duplicate_of is not None}

    def emitted_ids(self) -> set[int]:
        """Ids a correct crawl emits: pages with a body, minus later republications."""
        excluded = {DELETED, MISSING, OFFSITE, PRIVATE}
        return {
            a.id
            for a in self.articles.values()
            if a.kind not in excluded and a.duplicate_of is None
        }

    def truth(self, base_url: str, include_duplicates: bool = False) -> dict[int, dict[str, Any]]:
        """Expected record fields for every id in `emitted_ids()` (and republications if asked)."""
        ids = set(self.emitted_ids())
        if include_duplicates:
            ids |= set(self.duplicates())
        base = base_url.rstrip("/")
        return {i: self.record(self.articles[i], base) for i in sorted(ids)}

    def record(self, article: Article, base: str) -> dict[str, Any]:
        nxt = self.articles.get(article.next_id) if article.next_id else None
        return {
            "id": f"{SITE}:{article.id}",
            "site": SITE,
            "url": article_url(base, article.id),
            "title": article.title,
            "published_at": iso_time(article.published),
            "body": "\n\n".join(article.paragraphs),
            "source": article.source,
            "keywords": list(article.keywords),
            "category": article.category,
            "views": article.views,
            "related": [self._related_entry(i, base) for i in article.related],
            "next": None if nxt is None else {"url": article_url(base, nxt.id), "title": nxt.title},
        }

    def _related_entry(self, article_id: int, base: str) -> dict[str, Any]:
        other = self.articles[article_id]
        return {
            "url": article_url(base, other.id),
            "title": other.title,
            "category": other.category,
            "published_at": iso_time(other.published),
        }


def article_url(base: str, article_id: int) -> str:
    return f"{base}/global/en/{article_id}.html"
