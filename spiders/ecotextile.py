"""ecotextile.com (Ecotextile News): everything known of the site.

Facts (../shared/sites/other-sites.md): articles at ``/<YYYYMMDD><5-digit
id>/<section>/<slug>.html`` with a print variant ``.../<slug>/print.html`` (the same article: one
id; the record takes the URL the page's canonical link names). Bodies may open with a dateline
without a date (``ADDIS ABABA – ...``). Around them: ``Social Media Twitter Facebook Linked In RSS
Feed Podcasts``, ``Login``, the paywall ``Why Subscribe?``, ``Sales: +44 1977 708488``; sidebar
items ``• Friday, 21 September 2018`` / title / lede ending in ``…``; some titles carry the badge
``Premium Article``. Assumed, not seen: where the article's own date is printed (taken: a date line
above or under the headline), section lists ``/<section>.html`` or ``/<section>/`` (``?start=<N>``),
UK time (a +44 sales line).
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
    name="ecotextile",
    allowed_domains=("ecotextile.com",),
    start_urls=("https://www.ecotextile.com/",),
    # 2018041123394: the first eight digits are the date (inferred), the id is all thirteen.
    article_url_regex=r"^/(?P<id>(?:19|20)\d{6}\d{5})/[a-z0-9-]+/[a-z0-9-]+(?:\.html|/print\.html)$",
    list_url_regex=(
        r"^/(?!(?:login|logout|register|why-subscribe|podcasts|contact|advertise)\b)"
        r"(?:[a-z][a-z0-9-]*(?:\.html|/)?)?(?:\?start=\d+)?$"
    ),
    preferred_host="www.ecotextile.com",
)


class EcotextileArticlePage(ArticlePage):
    TIMEZONE = ZoneInfo("Europe/London")
    LANGUAGE = "en"
    SITE_NAMES = ("Ecotextile News", "Ecotextile", "ecotextile.com")
    TITLE_BADGES = ("Premium Article",)
    HEADER_KEYWORDS = False
    BOILERPLATE_LINES = (
        r"social media( (twitter|facebook|linked ?in|rss feed|podcasts|youtube|instagram))+",
        r"log ?in|log ?out|register",
        r"why subscribe\??",
        r"sales\s*:?\s*\+?[\d ()]{8,20}",
        r"premium article",
        r"(already a subscriber|subscribe now|to read the full (article|story)).{0,120}",
    )


class EcotextileSpider(NewsSpider):
    name = "ecotextile"
    site_rules = RULES
    page_class = EcotextileArticlePage

    # Contracts: `scrapy check` runs them on the stored pages (tests/fixtures/<site>/). Minimum
    # link counts are low: the two callbacks share one spider, whose links are requested once.
    def parse_article(self, response: Response) -> Iterator[Request | Article]:
        """An article page: its record, then the article links it shows.

        @url https://www.ecotextile.com/2018041123394/editor-s-pick/caution-urged-on-spandex-chemical.html
        @returns items 1 1
        @returns requests 1
        @filled id url title body published_at description lead_image
        """
        yield from super().parse_article(response)

    def parse_navigation(self, response: Response) -> Iterator[Request | Article]:
        """A list page: the article and list pages it links to, no record.

        @url https://www.ecotextile.com/
        @returns items 0 0
        @returns requests 3
        """
        yield from super().parse_navigation(response)
