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

from datetime import tzinfo
from typing import Any

from scrapy.http import Response, TextResponse
from scrapy.settings import BaseSettings

from crawler import timezone
from crawler.arguments import GenericArguments, SpiderArguments
from crawler.generic import GenericArticlePage, GenericRules, parse_timezone, site_name
from crawler.pool.reader import PageReading
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
        self.generic_rules = GenericRules(self.site, allowed, start_urls)
        self.site_rules = self.generic_rules  # type: ignore[assignment]  # duck-types SiteRules
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

    # Pages are articles by their evidence (URL shape, og:type, JSON-LD, dated title, text
    # density: crawler.classify), read in the reading pool with the page.
    reads_by_evidence = True

    def reading_context(self) -> dict[str, Any]:
        """The site's zone and mirror hosts as learned so far, for the page's reading."""
        return {"zone": self.site_zone.zone, "zone_assumed": self.site_zone.assumed,
                "aliases": dict(self.generic_rules.aliases)}

    def observe(self, response: TextResponse, reading: PageReading) -> None:
        """Count the page's class; learn the zone and the mirror host an article reveals."""
        verdict = reading.article is not None
        response.meta["page_is_article"] = verdict
        self.crawler.stats.inc_value(f"classify/{'article' if verdict else 'navigation'}")
        if reading.article is None:
            return
        # The revealing page itself is right either way: its stated instant wins its date.
        if reading.article.revealed_zone is not None:
            self.learn_zone(reading.article.revealed_zone, response.url)
        self.generic_rules.learn_canonical(response.url, reading.article.canonical)
        if self.site_zone.assumed and not reading.article.zone_stated:
            self.crawler.stats.inc_value("timezone/assumed_utc")

    def is_stale(self, reading: PageReading) -> bool:
        """An article read as UTC before another page revealed the site's zone (unless it
        states its own), or before a mirror host was learned: its dates or id would differ."""
        article = reading.article
        if article is None:
            return False
        zone_late = (reading.zone_assumed and not self.site_zone.assumed
                     and not article.zone_stated and article.revealed_zone is None)
        return zone_late or reading.aliases != len(self.generic_rules.aliases)

    def learn_zone(self, zone: tzinfo, url: str) -> None:
        """Take the zone a page reveals as the site's, for this run and later ones."""
        if self.site_zone.learn(zone):
            self.store.remember_fact(timezone.FACT, timezone.offset_text(zone))
            self.crawler.stats.inc_value("timezone/learned")
            self.logger.info("%s: naive times are %s (a page states its shown time with that "
                             "offset: %s)", self.site, timezone.offset_text(zone), url)

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

