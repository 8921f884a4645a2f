"""The spider every site shares: it only routes (start pages, lists, articles, related, next).

All knowledge of a site is in its module under ``spiders/``: a ``SiteRules`` and an ``ArticlePage``
subclass. Extraction happens in the page object; this class never reads a field itself.
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import datetime, timezone
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler import feeds
from crawler.archive.options import ArchiveOptions
from crawler.arguments import SpiderArguments
from crawler.conditional import META_KEY, META_KIND, Outline, is_not_modified, validators_of
from crawler.dates import utc_now_iso
from crawler.exporters import journaled_exporters
from crawler.incremental import fetch_reason
from crawler.items import Article
from crawler.pool.middleware import PageNotRead, ReadingPoolMiddleware
from crawler.pool.reader import ArticleReading, PageReading, PageTask, ReaderSpec, read_page
from crawler.reader.page import ArticlePage
from crawler.site import SiteRules
from crawler.state import ArticleStore, store_for
from crawler.tombstones import GONE_STATUSES, tombstone
from crawler.urls import strip_tracking

# Fetch reasons that mean "do not fetch": the article was never emitted and its page is known to
# be another story's copy or a notice in place of an article.
KNOWN_UNFIT = ("known_duplicate", "known_placeholder")
# Callbacks whose pages are read (by the reading pool ahead of them, or in-process).
READ_CALLBACKS = ("parse", "parse_article", "parse_navigation")


class NewsSpider(scrapy.Spider):
    """Crawl one news site. Spider arguments: start_urls, allowed_domains, max_articles.

    Stats: ``pages/navigation``, ``pages/article``, ``pages/not_html``, ``navigation/barren``,
    ``links/dangling`` (an article link answered 4xx), ``extraction/fallback/<field>`` (per article
    page, emitted or not), ``extraction/source/<field>/<source>`` (which evidence won the field,
    crawler.reader.fields); ``tombstone/gone/<status>`` (an emitted article answered 404 or 410:
    its tombstone); ``incremental/skipped`` (emitted before, unchanged),
    ``incremental/skipped_known_duplicate``, ``incremental/skipped_known_placeholder``;
    ``download_error/<exception>`` and ``download_error_host/<exception>`` (an example host);
    feeds and sitemaps: ``feeds/documents/<kind>``, ``feeds/entries``, ``feeds/left_out``,
    ``feeds/not_feed``, ``feeds/failed``; ``links/capped`` (a page had more links than
    ``LINKS_PER_PAGE_MAX``); ``reading/warnings`` (what the reader warned of while reading a page,
    logged here: a worker process has no log). Settings: ``SITE_FEEDS_ENABLED``,
    ``SITE_FEEDS_MAX_ENTRIES`` (per document), ``SITE_FEEDS_MAX_DOCUMENTS`` (per run),
    ``LINKS_PER_PAGE_MAX``.
    Conditional requests (crawler.conditional): a page answered 304 counts as
    ``pages/not_modified`` besides its kind and is routed as unchanged (an article: its stored
    related and next links; a list page, feed or sitemap: its stored outline).

    Pages are read by page objects (``ArticlePage``, ``ListPage``) over one parse per response,
    in ``crawler.pool.reader.read_page``: in a worker process of the reading pool before the
    callback runs (``ReadingPoolMiddleware``), or here by the same function when the pool is off
    (``READING_POOL_SIZE=0``) or did not read the page. The spider only routes the readings.
    ``reading_pool/read_again``: a reading the spider's later learning made stale (spiders/news.py).
    """

    site_rules: SiteRules
    page_class: type[ArticlePage] = ArticlePage
    # A backfill from web archives (-a warc= / -a archive=: crawler.archive), or None when live.
    archive: ArchiveOptions | None = None
    # The -a arguments this spider takes, typed and checked (crawler.arguments).
    arguments: type[SpiderArguments] = SpiderArguments

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        if not settings.getdict("FEEDS") and settings.getbool("DEFAULT_FEED_ENABLED", True):
            data_dir = settings.get("DATA_DIR", "./data").rstrip("/")
            settings.set(
                "FEEDS",
                {f"{data_dir}/{cls.name}/%(run_id)s.jsonl": {"format": "jsonlines"}},
                priority="spider",
            )
        # Every exporter reports what it wrote to the run journal (crawler.exporters).
        settings.set("FEED_EXPORTERS", journaled_exporters(settings),
                     priority=max(settings.getpriority("FEED_EXPORTERS") or 0,
                                  SETTINGS_PRIORITIES["spider"]))
        # The User-Agent names whoever runs the crawler: -s CONTACT_URL=... is enough to say so.
        # A USER_AGENT a site module sets in custom_settings (or -s USER_AGENT) is kept whole.
        if (settings.getpriority("USER_AGENT") or 0) < SETTINGS_PRIORITIES["spider"]:
            settings.set("USER_AGENT", f"{settings['BOT_NAME']}/0.1 (+{settings['CONTACT_URL']})",
                         priority="spider")
        if settings.get("REDIS_URL"):  # distributed mode: docs/distributed.md
            from crawler import distributed

            distributed.configure(settings)

    @classmethod
    def handles_request(cls, request: scrapy.Request) -> bool:
        """A URL of the site's hosts (``scrapy parse URL`` finds the spider without --spider)."""
        rules = getattr(cls, "site_rules", None)
        return rules is not None and rules.on_site(request.url)

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> NewsSpider:
        arguments = cls.arguments.parse(kwargs)  # ArgumentError: `scrapy crawl` checked it first
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.configure(crawler.settings, arguments)
        return spider

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Names this run's output and report files; sortable, unique per run.
        self.run_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%f")[:-3] + "Z"

    def configure(self, settings: BaseSettings, args: SpiderArguments) -> None:
        self.rules = self.site_rules.configured(
            settings, start_urls=args.start_urls, allowed_domains=args.allowed_domains
        )
        self.allowed_domains = list(self.rules.allowed_domains)
        self.max_barren_hops = settings.getint("NAV_MAX_BARREN_HOPS", 1)
        self.max_nav_depth = settings.getint("NAV_MAX_DEPTH", 200)
        self.max_links = settings.getint("LINKS_PER_PAGE_MAX", 2000)
        self.max_articles = args.max_articles
        self.archive = args.archive_options
        # Article ids requested in this run, and ids skipped as emitted whose links were followed.
        self.requested: set[str] = set()
        self.expanded: set[str] = set()
        self.store = store_for(self.crawler)
        # Outlines of list pages, feeds and sitemaps are kept only where validators are sent.
        self.validators = self.store if isinstance(self.store, ArticleStore) and settings.getbool(
            "CONDITIONAL_REQUESTS_ENABLED", True) else None
        recheck = settings.get("RECHECK_AFTER_DAYS")
        self.recheck_after_days = float(recheck) if recheck not in (None, "") else None
        # Feeds and sitemaps (robots.txt Sitemap lines, <link rel=alternate> on start pages).
        self.feeds_enabled = settings.getbool("SITE_FEEDS_ENABLED", True)
        self.feed_max_entries = settings.getint("SITE_FEEDS_MAX_ENTRIES", 300)
        self.feed_max_documents = settings.getint("SITE_FEEDS_MAX_DOCUMENTS", 20)
        self.feed_documents: set[str] = set()
        # The robots.txt RobotsTxtMiddleware fetches is read for Sitemap lines: no second fetch.
        self.robots_seen = settings.getbool("ROBOTSTXT_OBEY")
        if self.feeds_enabled and self.robots_seen:
            self.crawler.signals.connect(self._robots_received, signal=signals.response_received)

    def request_key(self, url: str) -> str:
        """Identity of a page for the dupefilter (see crawler.fingerprint)."""
        return self.rules.request_key(url)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.rules.start_urls:
            if self.rules.is_article(url):
                for request in self.article_requests(url):
                    yield request
            else:
                yield scrapy.Request(url, self.parse_navigation, errback=self.on_error,
                                     meta={"nav_depth": 0, "barren": 0, META_KIND: "page"})
        for request in self.feed_start_requests():
            yield request

    # --- routing --------------------------------------------------------------------------------
    def parse(self, response: Response, **kwargs: Any) -> Iterator[scrapy.Request | Article]:
        """Any page, routed as the crawl routes it: an article page gives its record and the
        article links it leads to, any other page the article and list pages it links to.
        What ``scrapy parse --spider=<site> URL`` and ``scrapy shell`` call."""
        yield from self.parse_navigation(response)

    def article_requests(
        self, url: str, title: str | None = None, published_at: str | None = None,
        meta: dict[str, Any] | None = None, refetch: str | None = None,
    ) -> Iterator[scrapy.Request]:
        """A request for the article at ``url``, unless an earlier run emitted it unchanged
        (``refetch`` names a reason to fetch an emitted article all the same).

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
            reason = refetch or self._fetch_reason(record_id, title, published_at)
            if reason in KNOWN_UNFIT:
                # Never emitted and known not to be worth a fetch: no links to follow either.
                self.expanded.add(article_id)
                self.crawler.stats.inc_value(f"incremental/skipped_{reason}")
            elif reason is not None:
                self.requested.add(article_id)
                self.crawler.stats.inc_value(f"incremental/fetch/{reason}")
                if reason != "new":
                    self.logger.debug("Fetching %s again (%s): shown as %r, %r", record_id, reason,
                                      title, published_at)
                # A re-fetch of an emitted article is conditional (crawler.conditional).
                revalidate = {META_KEY: record_id} if reason != "new" else {}
                yield scrapy.Request(strip_tracking(url), self.parse_article, errback=self.on_error,
                                     meta={"article_id": article_id, META_KIND: "article",
                                           **revalidate, **(meta or {})})
            elif article_id not in self.expanded:
                # Skipped for now; a list page showing it changed may still ask for it later.
                self.expanded.add(article_id)
                self.crawler.stats.inc_value("incremental/skipped")
                linked = self.store.linked_urls(record_id)
                self._prefetch(linked)
                pending.extend((link, None, None) for link in linked)

    def _prefetch(self, urls: Iterable[str]) -> None:
        """What the store knows of the articles a page links to, read in one round trip."""
        if isinstance(self.store, ArticleStore):
            # Ids are worked out here, so that the state stage's timing holds the queries alone.
            ids = [self.rules.record_id(i) for i in map(self.rules.article_id, urls) if i]
            self.store.prefetch(ids)

    def _is_unseen(self, article_id: str) -> bool:
        return article_id not in self.requested and article_id not in self.expanded

    def _fetch_reason(self, record_id: str, title: str | None, published_at: str | None
                      ) -> str | None:
        """``new``, ``listing_changed``, ``recheck``; ``known_duplicate`` or ``known_placeholder``
        for a never-emitted article not to fetch; None for an emitted one to skip."""
        emitted = self.store.emitted(record_id)
        reason = fetch_reason(emitted, title, published_at, self.recheck_after_days)
        if reason == "new" and self.store.duplicate_of(record_id):
            return "known_duplicate"
        # A placeholder of an emitted article is fetched as any emitted article is (a tombstone
        # says it is gone); only pages that never held an article are remembered as placeholders.
        if reason == "new" and self.store.is_placeholder(record_id):
            return "known_placeholder"
        return reason

    def parse_navigation(self, response: Response) -> Iterator[scrapy.Request | Article]:
        if is_not_modified(response):
            self.crawler.stats.inc_value("pages/navigation")
            yield from self._replay(response, self.route_navigation)
            return
        yield from self.route_page(response)

    def route_page(self, response: Response) -> Iterator[scrapy.Request | Article]:
        """A fetched page by its reading: an article (wherever its link was found: a redirect
        may land a list link on an article, or an article link elsewhere) or a list."""
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("pages/not_html")
            return
        reading = self.read(response)
        for warning in reading.warnings:
            self.crawler.stats.inc_value("reading/warnings")
            self.logger.warning("%s", warning)
        if reading.capped:
            self.crawler.stats.inc_value("links/capped")
            self.logger.info("links per page capped at %d (LINKS_PER_PAGE_MAX)", self.max_links)
        if reading.article is not None:
            yield from self.route_article(response, reading.article)
            return
        self.crawler.stats.inc_value("pages/navigation")
        # The article links (with how the list shows them), list links and feeds of the page.
        outline = Outline(reading.articles, reading.follow, reading.feeds)
        self._remember_outline(response, outline)
        yield from self.route_navigation(response, outline)

    def route_navigation(self, response: Response, outline: Outline
                         ) -> Iterator[scrapy.Request | Article]:
        yield from self.feed_requests(outline.feeds)
        self._prefetch(url for url, _, _ in outline.articles)
        revealed = 0
        for url, title, shown in outline.articles:
            article_id = self.rules.article_id(url)
            if article_id is not None and self._is_unseen(article_id):
                revealed += 1
            yield from self.article_requests(url, title, shown, self.link_meta(response))
        yield from self._follow_navigation(response, outline.follow, revealed)

    def _remember_outline(self, response: Response, outline: Outline) -> None:
        etag, last_modified = validators_of(response)
        if self.validators and (etag or last_modified) and response.meta.get(META_KIND) == "page":
            self.validators.remember_validators(response.url, etag, last_modified,
                                                outline=outline.dumps())

    def _replay(self, response: Response, route: Any) -> Iterator[scrapy.Request | Article]:
        """A page answered 304: route its stored outline as if it had been read again."""
        self.crawler.stats.inc_value("pages/not_modified")
        stored = self.validators.page_outline(response.url) if self.validators else None
        if stored is None:  # validators without an outline: the state was edited; fetch it whole
            self.crawler.stats.inc_value("pages/not_modified_without_outline")
            yield response.request.replace(dont_filter=True,  # type: ignore[union-attr]
                                           meta={**response.meta, META_KIND: None})
            return
        yield from route(response, Outline.loads(stored))

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
                                     meta={"nav_depth": depth + 1, "barren": barren,
                                           META_KIND: "page"})

    def parse_article(self, response: Response) -> Iterator[scrapy.Request | Article]:
        if is_not_modified(response):
            yield from self._article_not_modified(response)
            return
        yield from self.route_page(response)

    def route_article(self, response: Response, article: ArticleReading
                      ) -> Iterator[scrapy.Request | Article]:
        self.crawler.stats.inc_value("pages/article")
        record = article.record
        for field in record["fallback_fields"]:
            self.crawler.stats.inc_value(f"extraction/fallback/{field}")
        for field, source in article.sources.items():  # which evidence won (crawler.reader.fields)
            self.crawler.stats.inc_value(f"extraction/source/{field}/{source}")
        yield Article(**record, crawled_at=utc_now_iso())
        yield from self._follow_article_links(article.links, record["related"],
                                              self.link_meta(response))

    def _article_not_modified(self, response: Response) -> Iterator[scrapy.Request]:
        """Unchanged since emitted: not read; its stored related and next links are followed."""
        stats = self.crawler.stats
        stats.inc_value("pages/article")
        stats.inc_value("pages/not_modified")
        record_id = self.rules.record_id(response.meta["article_id"])
        for link in self.store.linked_urls(record_id):
            yield from self.article_requests(link, meta=self.link_meta(response))

    def _follow_article_links(
        self, links: list[str], related: list[dict[str, Any]],
        meta: dict[str, Any] | None = None,
    ) -> Iterator[scrapy.Request]:
        """Related (as the record read them), next and every other article link on the page."""
        shown = {entry["url"]: entry for entry in related}
        # Most links of an article page (sidebars, related, next) lead to articles requested
        # already, which article_requests passes over: left out before the store is asked.
        links = [link for link in links if self.rules.article_id(link) not in self.requested]
        self._prefetch(links)
        for link in links:
            entry = shown.get(self.rules.canonical(link), {})
            yield from self.article_requests(link, entry.get("title"), entry.get("published_at"),
                                             meta)

    def gone_article(self, request: scrapy.Request, failure: Failure) -> Article | None:
        """The tombstone of an emitted article whose page answered 404 or 410, else None."""
        article_id = request.meta.get("article_id")
        if article_id is None or failure.value.response.status not in GONE_STATUSES:
            return None
        record_id = self.rules.record_id(article_id)
        emitted = self.store.emitted(record_id)
        if emitted is None:
            return None
        self.crawler.stats.inc_value(f"tombstone/gone/{failure.value.response.status}")
        self.logger.info("Emitted article %s is gone (%s): tombstone", record_id,
                         failure.value.response.status)
        return tombstone(record_id, emitted.url or self.rules.canonical(request.url), request.url)

    # --- reading (crawler.pool): in a worker process, or here by the same function ------------
    def reading_task(self, request: scrapy.Request, response: Response) -> PageTask | None:
        """What the reading pool reads ahead of the callback: a text page answered 2xx to an
        article or list request (ReadingPoolMiddleware asks); None for anything else."""
        callback = getattr(request.callback, "__name__", "parse")
        if callback not in READ_CALLBACKS or not isinstance(response, TextResponse):
            return None
        return self.page_task(response, request.meta) if 200 <= response.status < 300 else None

    def page_task(self, response: TextResponse, meta: dict[str, Any]) -> PageTask:
        """``meta``: the request's (a response is tied to it only once the pool has read it)."""
        return PageTask(response.url, response.body, response.encoding, self._reader_spec,
                        start_page=meta.get("nav_depth", 0) == 0, **self.reading_context())

    @cached_property
    def _reader_spec(self) -> bytes:
        return ReaderSpec(self.page_class, self.rules, self.max_links,
                          self.reads_by_evidence).dumps()

    @cached_property
    def _pool(self) -> ReadingPoolMiddleware | None:
        try:
            return self.crawler.get_downloader_middleware(ReadingPoolMiddleware)
        except RuntimeError:  # no engine: a spider driven by hand (a test)
            return None

    def read(self, response: TextResponse) -> PageReading:
        """The page's reading: the pool's when it read the page, else read here."""
        reading = self._pool.reading(response) if self._pool is not None else None
        if reading is None:
            reading = read_page(self.page_task(response, response.meta))
        self.observe(response, reading)
        if self.is_stale(reading):
            # Read in a worker before the run learned what its reading needs (pages in flight
            # while another page revealed it): read again here, with what is known now.
            self.crawler.stats.inc_value("reading_pool/read_again")
            reading = read_page(self.page_task(response, response.meta))
        return reading

    # --- what a spider may decide itself (the generic spider does: spiders/news.py) -------------
    # Whether pages are told apart by what they show (crawler.classify) instead of by their URL.
    reads_by_evidence = False

    def reading_context(self) -> dict[str, Any]:
        """What the run has learned that the reading needs (PageTask fields): nothing here."""
        return {}

    def observe(self, response: TextResponse, reading: PageReading) -> None:
        """What the spider keeps of a reading besides routing it: nothing here."""

    def is_stale(self, reading: PageReading) -> bool:
        """Whether the run has since learned something that changes the reading: never here."""
        return False

    def link_meta(self, response: Response) -> dict[str, Any]:
        """Extra meta for the article requests a page links to (none here)."""
        return {}

    # --- feeds and sitemaps (crawler.feeds) -----------------------------------------------------
    def feed_start_requests(self) -> Iterator[scrapy.Request]:
        """The known feeds, and robots.txt of each start host (for its ``Sitemap:`` lines) when
        RobotsTxtMiddleware does not fetch it anyway."""
        if not self.feeds_enabled:
            return
        starts = map(urlsplit, self.rules.start_urls)
        for origin in dict.fromkeys(f"{p.scheme}://{p.netloc}" for p in starts):
            if not self.robots_seen:
                yield scrapy.Request(f"{origin}/robots.txt", self.parse_robots,
                                     errback=self.on_feed_error)
        yield from self.feed_requests(self.rules.feed_urls)

    def _robots_received(self, response: Response, request: scrapy.Request, spider: Any) -> None:
        """A robots.txt RobotsTxtMiddleware fetched: its sitemaps are crawled as feeds."""
        if request.meta.get("dont_obey_robotstxt") and response.status == 200 and (
                urlsplit(request.url).path == "/robots.txt"):
            for feed_request in self.parse_robots(response):
                self.crawler.engine.crawl(feed_request)

    def feed_requests(self, urls: Iterable[str], depth: int = 0) -> Iterator[scrapy.Request]:
        """Each feed or sitemap on an allowed host once, at most SITE_FEEDS_MAX_DOCUMENTS a run."""
        for url in urls:
            if not self.feeds_enabled or not self.rules.on_site(url) or url in self.feed_documents:
                continue
            if len(self.feed_documents) >= self.feed_max_documents:
                self.crawler.stats.inc_value("feeds/left_out")
                continue
            self.feed_documents.add(url)
            yield scrapy.Request(url, self.parse_feed, errback=self.on_feed_error,
                                 meta={"feed_depth": depth, META_KIND: "page"})

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        if isinstance(response, TextResponse):
            yield from self.feed_requests(feeds.robots_sitemaps(response.text, response.url))

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request | Article]:
        """Articles a feed or sitemap lists, with its titles and dates for the incremental check."""
        if is_not_modified(response):
            yield from self._replay(response, self.route_feed)
            return
        document = feeds.parse_feed(response.body, response.url, self.feed_max_entries,
                                    self.page_class.TIMEZONE)
        stats = self.crawler.stats
        if not document.kind:
            stats.inc_value("feeds/not_feed")
            self.logger.warning("Not a feed or sitemap, nothing followed: %s", response.url)
            return
        stats.inc_value(f"feeds/documents/{document.kind}")
        stats.inc_value("feeds/left_out", document.left_out)
        outline = Outline(follow=list(document.sitemaps))
        for entry in document.entries:
            if self.rules.is_article(entry.url):
                stats.inc_value("feeds/entries")
                title = self.page_class.listing(entry.title)[0]
                outline.articles.append((entry.url, title, entry.published_at))
        self._remember_outline(response, outline)
        yield from self.route_feed(response, outline)

    def route_feed(self, response: Response, outline: Outline) -> Iterator[scrapy.Request]:
        depth = response.meta.get("feed_depth", 0)
        if depth == 0:  # an index lists sitemaps; an index listed by an index is not followed
            yield from self.feed_requests(outline.follow, depth + 1)
        self._prefetch(url for url, _, _ in outline.articles)
        for url, title, published_at in outline.articles:
            yield from self.article_requests(url, title, published_at)

    def on_feed_error(self, failure: Failure) -> None:
        """A missing robots.txt or feed is normal: counted, logged at INFO."""
        self.crawler.stats.inc_value("feeds/failed")
        self.logger.info("Feed or sitemap not fetched %s: %s", failure.request.url,  # type: ignore[attr-defined]
                         failure.getErrorMessage())

    def on_error(self, failure: Failure) -> Iterator[Article]:
        request = failure.request  # type: ignore[attr-defined]
        if failure.check(HttpError) and (gone := self.gone_article(request, failure)):
            yield gone
        elif failure.check(HttpError):
            status = failure.value.response.status
            referer = (request.headers.get("Referer") or b"").decode("latin-1") or "a start page"
            self.crawler.stats.inc_value(f"links/dangling/{status}")
            self.logger.warning("Dangling link %s answered %s (linked from %s)", request.url,
                                status, referer)
        elif failure.check(PageNotRead):
            pass  # the reading pool counted it and said so (crawler.pool.middleware)
        elif failure.check(IgnoreRequest):  # robots.txt, offsite, size cap: by design
            self.logger.info("Not fetched %s: %s", request.url, failure.getErrorMessage())
        else:
            name = failure.type.__name__
            self.crawler.stats.inc_value(f"download_error/{name}")
            # One example host per error kind, for the run summary ("DNS lookup failed for ...").
            if self.crawler.stats.get_value(f"download_error_host/{name}") is None:
                self.crawler.stats.set_value(f"download_error_host/{name}",
                                             urlsplit(request.url).hostname)
            self.logger.warning("Could not fetch %s: %s", request.url, failure.getErrorMessage())

