"""just-style.com ("Just Style"): everything known of the site.

Facts (../shared/sites/other-sites.md): articles at ``/news/<slug>/`` and ``/features/<slug>``,
shortlinks ``/?p=<post id>``, legacy ``/<section>/<slug>_id<NNNN>.aspx``; lists ``/analysis/``.
Current pages: ``<title>`` "<Title> - Just Style", a "Join Our Newsletter - ..." prompt, the title,
the date ``23 Jul 2021``, the standfirst. Old pages: headlines like ``SRI LANKA: Garment exports up
6.6% in February``, the standfirst often printed twice. Blog bylines ``Leonie Barrie | 8 April
2019``. Inline advertising: "Discover B2B Marketing That Performs", "Combine business intelligence
and editorial excellence ...", "Find out more". Assumed, not seen: the ``/news/`` and ``/features/``
lists, WordPress pagination ``/page/<N>/``, and UK time (the site is edited in the UK).
"""

from __future__ import annotations

from collections.abc import Iterator
from zoneinfo import ZoneInfo

from scrapy.http import Request, Response

from crawler.items import Article
from crawler.reader.page import ArticlePage
from crawler.site import SiteRules
from crawler.spider import NewsSpider

RULES = SiteRules(
    name="juststyle",
    allowed_domains=("just-style.com",),
    start_urls=("https://www.just-style.com/news/", "https://www.just-style.com/analysis/"),
    article_url_regex=(
        r"^/(?:news|features)/(?P<id>[a-z0-9][a-z0-9-]*)/?$"
        r"|^/\?p=(?P<p_id>\d+)$"  # WordPress shortlink: redirects to the article
        r"|^/[a-z-]+/[\w-]+_id(?P<legacy_id>\d+)\.aspx$"
    ),
    list_url_regex=r"^/(?:(?:news|features|analysis|comment)/(?:page/\d+/)?)?$",
    preferred_host="www.just-style.com",
)


class JuststyleArticlePage(ArticlePage):
    TIMEZONE = ZoneInfo("Europe/London")
    LANGUAGE = "en"
    SITE_NAMES = ("Just Style", "just-style", "just-style.com")
    HEADER_KEYWORDS = False
    # Blog bylines: "Leonie Barrie | 8 April 2019"
    BYLINE_LINES = (
        r"(?P<author>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3})\s*\|\s*\d{1,2}\s+\w+\s+\d{4}",
    )
    BOILERPLATE_LINES = (
        r"join our newsletter.{0,160}",
        r"discover b2b marketing that performs",
        r"combine business intelligence and editorial excellence.{0,200}",
        r"find out more",
    )


class JuststyleSpider(NewsSpider):
    name = "juststyle"
    site_rules = RULES
    page_class = JuststyleArticlePage

    # Contracts: `scrapy check` runs them on the stored pages (tests/fixtures/<site>/). Minimum
    # link counts are low: the two callbacks share one spider, whose links are requested once.
    def parse_article(self, response: Response) -> Iterator[Request | Article]:
        """An article page: its record, then the article links it shows.

        @url https://www.just-style.com/news/vietnam-apparel-makers-see-orders-return-as-factories-reopen/
        @returns items 1 1
        @returns requests 1
        @filled id url title body published_at authors keywords category related
        """
        yield from super().parse_article(response)

    def parse_navigation(self, response: Response) -> Iterator[Request | Article]:
        """A list page: the article and list pages it links to, no record.

        @url https://www.just-style.com/news/
        @returns items 0 0
        @returns requests 3
        """
        yield from super().parse_navigation(response)
