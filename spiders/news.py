"""``scrapy crawl news -a start_urls=URL[,URL...]``: any news site, with no module of its own.

The routing is the shared NewsSpider's (lists, articles, related links, incremental skips, feeds,
barren-navigation and depth bounds); what a site module would say comes from evidence instead:
links are routed by URL shape and a fetched page is an article by what it shows
(crawler.classify); records are read by the shared ArticlePage with the generic extractor as its
fallback, and named after the page's canonical link (crawler.generic).

Arguments: ``start_urls`` (required), ``allowed_domains`` (default: the registered domains of the
start pages), ``site`` (record and output name; default: the first start page's registered
domain), ``timezone`` (zone of naive page times; default setting ``NEWS_TIMEZONE``, else the
zone the site's own pages reveal (crawler.timezone, kept in the state), else UTC),
``max_articles``. Stats besides NewsSpider's: ``classify/article``, ``classify/navigation``,
``timezone/learned``, ``timezone/assumed_utc`` (article pages whose naive times were read as
UTC because no zone was known: one WARNING at the end names ``-a timezone``).
"""

from __future__ import annotations

from typing import Any

from scrapy.http import Response, TextResponse
from scrapy.settings import BaseSettings

from crawler import timezone
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
        setting = settings.get("NEWS_TIMEZONE")
        explicit = args.timezone or (parse_timezone(setting) if setting else None)
        super().configure(settings, args)
        self.rules = self.site_rules
        remembered = self.store.fact(timezone.FACT)
        self.site_zone = timezone.SiteZone(
            explicit, parse_timezone(remembered) if remembered else None)

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
        page = GenericArticlePage(response.url, response.text, self.rules,
                                  self.page_tree(response), self.site_zone.zone)
        # The revealing page itself is right either way: its stated instant wins its date.
        self.learn_zone(page)
        self.rules.learn_canonical(response.url, page.canonical_link())  # type: ignore[attr-defined]
        if self.site_zone.assumed and not page.zone_stated:
            self.crawler.stats.inc_value("timezone/assumed_utc")
        return page

    def learn_zone(self, page: GenericArticlePage) -> None:
        """Take the zone a page reveals as the site's, for this run and later ones."""
        zone = page.revealed_zone() if self.site_zone.assumed else None
        if zone is not None and self.site_zone.learn(zone):
            self.store.remember_fact(timezone.FACT, timezone.offset_text(zone))
            self.crawler.stats.inc_value("timezone/learned")
            self.logger.info("%s: naive times are %s (a page states its shown time with that "
                             "offset: %s)", self.site, timezone.offset_text(zone), page.url)

    def closed(self, reason: str) -> None:
        assumed = self.crawler.stats.get_value("timezone/assumed_utc", 0)
        if assumed and self.site_zone.assumed:
            self.logger.warning(
                "%s: %d article pages print times without a zone and none stated one: they "
                "were read as UTC; pass -a timezone=+08:00 (or an IANA name such as "
                "Asia/Shanghai) if the site prints local time", self.site, assumed)

    def link_meta(self, response: Response) -> dict[str, Any]:
        """Article links carry the navigation context: one that turns out to be a navigation page
        is bounded like any list page (depth, barren hops)."""
        depth = response.meta.get("nav_depth", 0)
        barren = 0 if response.meta.get("page_is_article") else response.meta.get("barren", 0)
        return {"nav_depth": depth + 1, "barren": barren}

