"""texleader.com.cn (China Textile Leader), English pages: everything known of the site.

Facts (../shared/sites/other-sites.md): articles at ``/en/newsevents/detail-<id>.html``; lists
``/en/newsevents-<page>.html``; journal abstracts ``/en/summary/<id>.html`` (not news: not
crawled). Dates ``Updated: 3/21/2018 9:47:02 AM`` (US order, 12-hour clock) or ``Updated: 2020/3/2
20:53:20``, China time; older list titles end with their date `` (06/18/2012)``. Closing
``Source: China Textile Leader Express``; footer ``Authority in Charge: ... (CNTAC)``,
``Sponsor :... (CTIC)``, ``ISSN 1003-3025 CN11-1714/TS``. The site is also served on a bare IP
address (not known here: add it with ``TEXLEADER_ALLOWED_DOMAINS``). Assumed, not seen: the
first list page ``/en/newsevents.html``.
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
    name="texleader",
    allowed_domains=("texleader.com.cn",),
    start_urls=("http://www.texleader.com.cn/en/newsevents-1.html",),
    article_url_regex=r"^/en/newsevents/detail-(?P<id>\d+)\.html$",
    list_url_regex=r"^/en/newsevents(?:-\d+)?\.html$",
    preferred_host="www.texleader.com.cn",
)


class TexleaderArticlePage(ArticlePage):
    TIMEZONE = CHINA_TIME
    LANGUAGE = "en"
    SITE_NAMES = ("China Textile Leader", "Texleader", "纺织导报")
    HEADER_KEYWORDS = False
    BOILERPLATE_LINES = (
        r"authority in charge\s*[:：].{0,160}",
        r"sponsor\s*[:：].{0,160}",
        r"issn\s*1003-3025.{0,40}",
        r"(tel|fax|e-?mail|add(ress)?)\s*[:：].{0,120}",
    )


class TexleaderSpider(NewsSpider):
    name = "texleader"
    site_rules = RULES
    page_class = TexleaderArticlePage

    # Contracts: `scrapy check` runs them on the stored pages (tests/fixtures/<site>/). Minimum
    # link counts are low: the two callbacks share one spider, whose links are requested once.
    def parse_article(self, response: Response) -> Iterator[Request | Article]:
        """An article page: its record, then the article links it shows.

        @url http://www.texleader.com.cn/en/newsevents/detail-3984.html
        @returns items 1 1
        @returns requests 1
        @filled id url title body published_at keywords category
        """
        yield from super().parse_article(response)

    def parse_navigation(self, response: Response) -> Iterator[Request | Article]:
        """A list page: the article and list pages it links to, no record.

        @url http://www.texleader.com.cn/en/newsevents-1.html
        @returns items 0 0
        @returns requests 3
        """
        yield from super().parse_navigation(response)
