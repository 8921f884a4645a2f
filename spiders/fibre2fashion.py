"""fibre2fashion.com: everything known of the site (sister site alchempro.com shares the layout).

Facts (../shared/sites/other-sites.md): news at
``/news/<section>-news/<slug>-<id>-newsdetails.htm`` (a double hyphen before the id when the title
ended in punctuation), legacy ``/news/<section>-news/newsdetails.aspx?news_id=<id>`` (taken to be
the same id space), articles ``/industry-article/<id>/<slug>`` (their own id space). Sections seen:
textile, apparel, yarn, wool, company-reports, textiles-policy. Layout (seen on the sister site): a
breadcrumb whose separators are images (alt text "breadcru"), the title, the date ``01 Nov '10``,
``1 min read``, the body, ``Fibre2fashion News Desk - China`` (the byline, at the end),
newsletter prompts. Assumed, not seen: section lists ``/news/<section>-news/`` (``?page=<N>``),
India time (the publisher is in Ahmedabad). alchempro.com is not crawled: its URLs and ids are not
known; its pages read the same (``FIBRE2FASHION_ALLOWED_DOMAINS`` cannot map its ids).
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
    name="fibre2fashion",
    allowed_domains=("fibre2fashion.com",),
    start_urls=(
        "https://www.fibre2fashion.com/news/textile-news/",
        "https://www.fibre2fashion.com/news/apparel-news/",
    ),
    article_url_regex=(
        r"^/news/[a-z-]+-news/[a-z0-9-]+?-(?P<id>\d+)-newsdetails\.htm$"
        r"|^/news/[a-z-]+-news/newsdetails\.aspx\?news_id=(?P<id2>\d+)$"
        r"|^/industry-article/(?P<article_id>\d+)/[a-z0-9-]+/?$"
    ),
    list_url_regex=r"^/news/(?:[a-z-]+-news/?)?(?:\?page=\d+)?$",
    preferred_host="www.fibre2fashion.com",
)


class Fibre2fashionArticlePage(ArticlePage):
    TIMEZONE = ZoneInfo("Asia/Kolkata")
    LANGUAGE = "en"
    SITE_NAMES = ("Fibre2Fashion", "fibre2fashion.com", "Fibre2Fashion.com")
    HEADER_KEYWORDS = False
    # "Fibre2fashion News Desk - China", "Fibre2Fashion News Desk (KD)"
    BYLINE_LINES = (r"(?P<author>(?i:fibre2fashion) News Desk)(?:\s*[-–—(]\s*[\w ,.)]{1,40})?",)
    BOILERPLATE_LINES = (
        r"\d+ mins? read",
        r"breadcru(mb)?",
        r"(subscribe|sign up) (to|for) (our|the) (daily )?(newsletter|news ?letter).{0,80}",
        r"get (the )?(latest|daily) (textile|fashion|industry) news.{0,80}",
    )


class Fibre2fashionSpider(NewsSpider):
    name = "fibre2fashion"
    site_rules = RULES
    page_class = Fibre2fashionArticlePage

    # Contracts: `scrapy check` runs them on the stored pages (tests/fixtures/<site>/). Minimum
    # link counts are low: the two callbacks share one spider, whose links are requested once.
    def parse_article(self, response: Response) -> Iterator[Request | Article]:
        """An article page: its record, then the article links it shows.

        @url https://www.fibre2fashion.com/news/textile-news/india-halves-export-incentive-under-rodtep-scheme-308604-newsdetails.htm
        @returns items 1 1
        @returns requests 1
        @filled id url title body published_at authors category related
        """
        yield from super().parse_article(response)

    def parse_navigation(self, response: Response) -> Iterator[Request | Article]:
        """A list page: the article and list pages it links to, no record.

        @url https://www.fibre2fashion.com/news/textile-news/
        @returns items 0 0
        @returns requests 3
        """
        yield from super().parse_navigation(response)
