"""``scrapy crawl news -a start_urls=URL[,URL...]``: any news site, with no module of its own.

The routing is the shared NewsSpider's (lists, articles, related links, incremental skips, feeds,
barren-navigation and depth bounds); what a site module would say comes from evidence instead:
links are routed by URL shape and a fetched page is an article by what it shows
(crawler.classify); records are read by the shared ArticlePage with the generic extractor as its
fallback, and named after the page's canonical link (crawler.generic).

Arguments: ``start_urls`` (required), ``allowed_domains`` (default: the registered domains of the
start pages), ``site`` (record and output name; default: the first start page's registered
domain), ``timezone`` (zone of naive page times; default setting ``NEWS_TIMEZONE``, ``UTC``),
``max_articles``. Stats besides NewsSpider's: ``classify/article``, ``classify/navigation``.
"""

from __future__ import annotations

from typing import Any, cast

from scrapy.http import Response, TextResponse
from scrapy.settings import BaseSettings

from crawler.arguments import GenericArguments, SpiderArguments
from crawler.classify import page_evidence
from crawler.generic import GenericArticlePage, GenericRules, parse_timezone, site_name
from crawler.page import ArticlePage
from crawler.spider import NewsSpider
from crawler.urls import host_of, registered_domain


class GenericNewsSpider(NewsSpider):
    name = "news"
    page_class = GenericArticlePage
    arguments = GenericArguments

    def configure(self, settings: BaseSettings, args: SpiderArguments) -> None:
        assert isinstance(args, GenericArguments)
        start_urls = args.start_urls
        self.site = args.site or site_name(start_urls[0])  # GenericArguments derived it
        allowed = args.allowed_domains or tuple(
            dict.fromkeys(registered_domain(host_of(u)) for u in start_urls))
        self.site_rules = GenericRules(self.site, allowed, start_urls)  # type: ignore[assignment]
        tz = args.timezone or parse_timezone(settings.get("NEWS_TIMEZONE") or "UTC")
        # One page class per run: naive times on this site's pages are in this zone.
        self.page_class = cast("type[GenericArticlePage]",
                               type("NewsPage", (GenericArticlePage,), {"TIMEZONE": tz}))
        super().configure(settings, args)
        self.rules = self.site_rules

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        explicit = bool(settings.getdict("FEEDS"))
        super().update_settings(settings)
        if not explicit and settings.getbool("DEFAULT_FEED_ENABLED", True):
            # <DATA_DIR>/<site>/<run id>.jsonl: one folder per site, not one for all
            data_dir = settings.get("DATA_DIR", "./data").rstrip("/")
            feed = f"{data_dir}/%(site)s/%(run_id)s.jsonl"
            settings.set("FEEDS", {feed: {"format": "jsonlines"}}, priority="spider")

    def is_article_page(self, response: Response) -> bool:
        """By the page's evidence (URL shape, og:type, JSON-LD, dated title, text density);
        decided once per response."""
        if "page_is_article" not in response.meta:
            root = self.page_tree(response) if isinstance(response, TextResponse) else None
            verdict = root is not None and page_evidence(root, response.url).is_article
            response.meta["page_is_article"] = verdict
            self.crawler.stats.inc_value(f"classify/{'article' if verdict else 'navigation'}")
        return bool(response.meta["page_is_article"])

    def article_page(self, response: TextResponse) -> ArticlePage:
        page = super().article_page(response)
        assert isinstance(page, GenericArticlePage)
        self.rules.learn_canonical(response.url, page.canonical_link())  # type: ignore[attr-defined]
        return page

    def link_meta(self, response: Response) -> dict[str, Any]:
        """Article links carry the navigation context: one that turns out to be a navigation page
        is bounded like any list page (depth, barren hops)."""
        depth = response.meta.get("nav_depth", 0)
        barren = 0 if response.meta.get("page_is_article") else response.meta.get("barren", 0)
        return {"nav_depth": depth + 1, "barren": barren}

