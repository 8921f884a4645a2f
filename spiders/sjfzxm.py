"""sjfzxm.com, English section ("World Clothes Shoes & Hats Net"): everything known of the site.

Facts (../shared/sites/sjfzxm/): articles live at ``http://<host>.sjfzxm.com/global/en/<id>.html``
on the main host and on member mirror subdomains; the info line under the title reads
``2021/9/7 15:08:00 0`` (China time, then a bare count); a keywords line follows; the body ends with
``(source: ...)``; then "Related reading" (title, category | time, count) and "Read the next
article" (title and a teaser of that other article). List page URLs are not known: the defaults
below are assumptions an operator corrects with ``SJFZXM_*`` settings.
"""

from __future__ import annotations

from collections.abc import Iterator

from scrapy.http import Request, Response

from crawler.dates import CHINA_TIME
from crawler.items import Article
from crawler.reader.page import ArticlePage
from crawler.site import SiteRules
from crawler.spider import NewsSpider

RULES = SiteRules(
    name="sjfzxm",
    allowed_domains=("sjfzxm.com",),
    start_urls=(
        "http://www.sjfzxm.com/global/en/",
        "http://weixifushi88.sjfzxm.com/global/en/587064.html",
    ),
    article_url_regex=r"^/global/en/(?P<id>\d+)\.html$",
    # Anything else in the English section: index, pagination, section lists.
    list_url_regex=r"^/global/en/",
    preferred_host="www.sjfzxm.com",
)


class SjfzxmArticlePage(ArticlePage):
    TIMEZONE = CHINA_TIME
    LANGUAGE = "en"
    SITE_NAMES = ("World Clothes Shoes & Hats Net", "世界服装鞋帽网")
    BOILERPLATE_LINES = (
        r"world clothes shoes (&|and) hats net.{0,40}",
        r"(views|hits|comments?)\s*[:：]?\s*\d*",
    )


class SjfzxmSpider(NewsSpider):
    name = "sjfzxm"
    site_rules = RULES
    page_class = SjfzxmArticlePage

    # Contracts: `scrapy check` runs them on the stored pages (tests/fixtures/<site>/). Minimum
    # link counts are low: the two callbacks share one spider, whose links are requested once.
    def parse_article(self, response: Response) -> Iterator[Request | Article]:
        """An article page: its record, then the article links it shows.

        @url http://weixifushi88.sjfzxm.com/global/en/587064.html
        @returns items 1 1
        @returns requests 1
        @filled id url title body published_at source keywords category related next
        """
        yield from super().parse_article(response)

    def parse_navigation(self, response: Response) -> Iterator[Request | Article]:
        """A list page: the article and list pages it links to, no record.

        @url http://www.sjfzxm.com/global/en/
        @returns items 0 0
        @returns requests 12
        """
        yield from super().parse_navigation(response)
