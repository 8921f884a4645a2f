"""textileworld.com (Textile World): everything known of the site.

Facts (../shared/sites/other-sites.md): articles at ``/textile-world/<YYYY>/<MM>/<slug>/`` and
``/textile-world/<section>/<YYYY>/<MM>/<slug>/``; legacy ``/Issues/<YYYY>/<Month-Month>/<Section>/
<Title_With_Underscores>`` (pages with "Printer Friendly", "Full Site"). Lists: WordPress
``/page/<N>/`` (also seen with junk query strings such as ``?cat=free``, ``?json=true``: dropped
from URLs) and issue contents ``/issues/may-june-2022``. News bodies open with a dateline
``WASHINGTON — May 11, 2022 — ...`` and close with ``Editor's Note: ...`` (kept: it is editorial
text), ``Posted May 11 2022`` / ``Posted: May 29, 2025`` (the date; not body) and ``Source: NCTO``.
Features carry ``By Jim Kaufmann, Contributing Editor``. Assumed, not seen: US Eastern time (the
magazine is published in Atlanta), the home page as a list.
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
    name="textileworld",
    allowed_domains=("textileworld.com",),
    start_urls=("https://www.textileworld.com/",),
    article_url_regex=(
        r"^/textile-world/(?:[a-z0-9-]+/)?(?:19|20)\d{2}/\d{2}/(?P<id>[a-z0-9][a-z0-9-]*)/?$"
        r"|^/Issues/\d{4}/[\w-]+/[\w-]+/(?P<legacy_id>\w+)/?$"
    ),
    # Home, sections and their /page/<N>/, issue contents.
    list_url_regex=(
        r"^/(?:textile-world/(?:[a-z0-9-]+/)?)?(?:page/\d+/)?$|^/issues/[a-z]+-[a-z]+-\d{4}/?$"
    ),
    preferred_host="www.textileworld.com",
    junk_params=("cat", "json"),
)


class TextileworldArticlePage(ArticlePage):
    TIMEZONE = ZoneInfo("America/New_York")
    LANGUAGE = "en"
    SITE_NAMES = ("Textile World", "textileworld.com")
    HEADER_KEYWORDS = False
    BOILERPLATE_LINES = (
        r"printer friendly( version)?",
        r"full site",
        r"[a-z]+/[a-z]+ (19|20)\d{2}",  # the issue label of legacy pages: "March/April 2006"
    )


class TextileworldSpider(NewsSpider):
    name = "textileworld"
    site_rules = RULES
    page_class = TextileworldArticlePage

    # Contracts: `scrapy check` runs them on the stored pages (tests/fixtures/<site>/). Minimum
    # link counts are low: the two callbacks share one spider, whose links are requested once.
    def parse_article(self, response: Response) -> Iterator[Request | Article]:
        """An article page: its record, then the article links it shows.

        @url https://www.textileworld.com/textile-world/2022/05/ncto-annual-meeting-state-of-the-u-s-textile-industry-address/?cat=free
        @returns items 1 1
        @returns requests 1
        @filled id url title body published_at source category lead_image
        """
        yield from super().parse_article(response)

    def parse_navigation(self, response: Response) -> Iterator[Request | Article]:
        """A list page: the article and list pages it links to, no record.

        @url https://www.textileworld.com/
        @returns items 0 0
        @returns requests 4
        """
        yield from super().parse_navigation(response)
