"""The spider every site shares: it only routes (start pages, lists, articles, related and next links).

All knowledge of a site is in its module under ``spiders/``: a ``SiteRules`` and an ``ArticlePage``
subclass. Extraction happens in the page object; this class never reads a field itself.
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timezone
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.exceptions import IgnoreRequest
from scrapy.settings import BaseSettings
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.dates import find_numeric_datetime, to_iso, utc_now_iso
from crawler.incremental import fetch_reason
from crawler.items import Article
from crawler.page import ArticlePage
from crawler.reading import PageText, link_listings, page_links
from crawler.site import SiteRules
from crawler.state import store_for
from crawler.urls import strip_tracking


class NewsSpider(scrapy.Spider):
    """Crawl one news site. Spider arguments: start_urls, allowed_domains, max_articles.

    Stats: ``pages/navigation``, ``pages/article``, ``pages/not_html``, ``navigation/barren``,
    ``links/dangling`` (an article link answered 4xx), ``extraction/fallback/<field>``.
    """

    site_rules: SiteRules
    page_class: type[ArticlePage] = ArticlePage

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        if not settings.getdict("FEEDS"):
            data_dir = settings.get("DATA_DIR", "./data").rstrip("/")
            settings.set(
                "FEEDS",
                {f"{data_dir}/{cls.name}/%(run_id)s.jsonl": {"format": "jsonlines"}},
                priority="spider",
            )
        if settings.get("REDIS_URL"):  # distributed mode: docs/distributed.md
            from crawler import distributed

            distributed.configure(settings)

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.configure(crawler.settings, kwargs)
        return spider

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Names this run's output and report files; sortable, unique per run.
        self.run_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%f")[:-3] + "Z"

    def configure(self, settings: BaseSettings, args: dict[str, Any]) -> None:
        self.rules = self.site_rules.configured(
            settings, start_urls=args.get("start_urls"), allowed_domains=args.get("allowed_domains")
        )
        self.allowed_domains = list(self.rules.allowed_domains)
        self.max_barren_hops = settings.getint("NAV_MAX_BARREN_HOPS", 1)
        self.max_nav_depth = settings.getint("NAV_MAX_DEPTH", 200)
        self.max_articles = int(args["max_articles"]) if args.get("max_articles") else None
        # Article ids requested in this run, and ids skipped as emitted whose links were followed.
        self.requested: set[str] = set()
        self.expanded: set[str] = set()
        self.store = store_for(self.crawler)
        recheck = settings.get("RECHECK_AFTER_DAYS")
        self.recheck_after_days = float(recheck) if recheck not in (None, "") else None

    def request_key(self, url: str) -> str:
        """Identity of a page for the dupefilter (see crawler.fingerprint)."""
        return self.rules.request_key(url)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.rules.start_urls:
            if self.rules.is_article(url):
                for request in self.article_requests(url):
                    yield request
            else:
                yield scrapy.Request(url, self.parse_navigation, meta={"nav_depth": 0, "barren": 0},
                                     errback=self.on_error)

    # --- routing --------------------------------------------------------------------------------
    def article_requests(
        self, url: str, title: str | None = None, published_at: str | None = None
    ) -> Iterator[scrapy.Request]:
        """A request for the article at ``url``, unless an earlier run emitted it unchanged.

        A skipped article's related and next links (kept in the store) are followed instead, so
        an article reachable only through an emitted article is still found.
        """
        pending = deque([(url, title, published_at)])
        while pending:
            url, title, published_at = pending.popleft()
            article_id = self.rules.article_id(url)
            if article_id is None or article_id in self.requested:
                continue
            record_id = self.rules.record_id(article_id)
            reason = self._fetch_reason(record_id, title, published_at)
            if reason is not None:
                self.requested.add(article_id)
                self.crawler.stats.inc_value(f"incremental/fetch/{reason}")
                if reason != "new":
                    self.logger.debug("Fetching %s again (%s): shown as %r, %r", record_id, reason,
                                      title, published_at)
                yield scrapy.Request(strip_tracking(url), self.parse_article, errback=self.on_error,
                                     meta={"article_id": article_id})
            elif article_id not in self.expanded:
                # Skipped for now; a list page showing it changed may still ask for it later.
                self.expanded.add(article_id)
                self.crawler.stats.inc_value("incremental/skipped")
                pending.extend((link, None, None) for link in self.store.linked_urls(record_id))

    def _is_unseen(self, article_id: str | None) -> bool:
        return article_id is not None and not (article_id in self.requested or article_id in self.expanded)

    def _fetch_reason(self, record_id: str, title: str | None, published_at: str | None
                      ) -> str | None:
        emitted = self.store.emitted(record_id)
        reason = fetch_reason(emitted, title, published_at, self.recheck_after_days)
        if reason == "new" and self.store.duplicate_of(record_id):
            return None
        return reason

    def parse_navigation(self, response: Response) -> Iterator[scrapy.Request | Article]:
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("pages/not_html")
            return
        if self.rules.is_article(response.url):  # a redirect landed on an article
            yield from self.parse_article(response)
            return
        self.crawler.stats.inc_value("pages/navigation")
        root = response.selector.root
        links = page_links(root, response.url)
        listings = link_listings(PageText(root, response.url), self.rules.article_id)
        revealed = 0
        for url in filter(self.rules.is_article, links):
            if self._is_unseen(self.rules.article_id(url)):
                revealed += 1
            title, after = listings.get(self.rules.article_id(url) or "", (None, ""))
            found = find_numeric_datetime(after, self.page_class.TIMEZONE)
            yield from self.article_requests(url, title, to_iso(found[0]) if found else None)
        yield from self._follow_navigation(response, links, revealed)

    def _follow_navigation(
        self, response: Response, links: list[str], revealed: int
    ) -> Iterator[scrapy.Request]:
        depth = response.meta.get("nav_depth", 0)
        barren = 0 if revealed or depth == 0 else response.meta.get("barren", 0) + 1
        if barren:
            self.crawler.stats.inc_value("navigation/barren")
        if barren >= self.max_barren_hops and depth > 0 or depth >= self.max_nav_depth:
            return
        for url in links:
            if self.rules.is_list(url):
                yield scrapy.Request(url, self.parse_navigation, errback=self.on_error,
                                     meta={"nav_depth": depth + 1, "barren": barren})

    def parse_article(self, response: Response) -> Iterator[scrapy.Request | Article]:
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("pages/not_html")
            return
        if not self.rules.is_article(response.url):  # a legacy URL redirected elsewhere
            yield from self.parse_navigation(response)
            return
        self.crawler.stats.inc_value("pages/article")
        page = self.page_class(response.url, response.text, self.rules)
        record = page.record()
        for field in record["fallback_fields"]:
            self.crawler.stats.inc_value(f"extraction/fallback/{field}")
        yield Article(**record, crawled_at=utc_now_iso())
        yield from self._follow_article_links(page, response.url)

    def _follow_article_links(self, page: ArticlePage, url: str) -> Iterator[scrapy.Request]:
        """Related, next and every other article link on an article page."""
        shown = {entry["url"]: entry for entry in page.related()}
        links = page_links(page.root, url) if page.root is not None else []
        for link in filter(self.rules.is_article, links):
            entry = shown.get(self.rules.canonical(link), {})
            yield from self.article_requests(link, entry.get("title"), entry.get("published_at"))

    def on_error(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        if failure.check(HttpError):
            status = failure.value.response.status
            referer = (request.headers.get("Referer") or b"").decode("latin-1") or "a start page"
            self.crawler.stats.inc_value(f"links/dangling/{status}")
            self.logger.warning("Dangling link %s answered %s (linked from %s)", request.url,
                                status, referer)
        elif failure.check(IgnoreRequest):  # robots.txt, offsite, size cap: by design
            self.logger.info("Not fetched %s: %s", request.url, failure.getErrorMessage())
        else:
            self.crawler.stats.inc_value(f"download_error/{failure.type.__name__}")
            self.logger.warning("Could not fetch %s: %s", request.url, failure.getErrorMessage())

