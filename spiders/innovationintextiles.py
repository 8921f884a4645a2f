"""innovationintextiles.com (Innovation in Textiles): everything known of the site.

Facts (../shared/sites/other-sites.md): articles at ``/<category>/<slug>/``, e.g.
``/industry-talk/ncto-to-discuss-state-of-the-us-textile-industry/``. Layout: ``Inside Textiles``,
``Free membership``, a newsletter prompt, the category, the title, the standfirst, the date
``21st March 2017``, the credit line ``Innovation in Textiles | Washington, DC`` (read as the
byline: the desk and the place), the body. Assumed, not seen: category lists ``/<category>/`` with
WordPress-style ``page/<N>/``, the words that are no categories (about, contact...), UK time (the
publisher, Inside Textiles Ltd, is in the UK).
"""

from __future__ import annotations

from collections.abc import Iterator
from zoneinfo import ZoneInfo

from scrapy.http import Request, Response

from crawler.items import Article
from crawler.reader.page import ArticlePage
from crawler.site import SiteRules
from crawler.spider import NewsSpider

# First path segments that are site pages, not article categories.
_NOT_CATEGORIES = (r"about|contact|tag|tags|author|page|search|membership|newsletter|events|login"
                   r"|register|privacy|terms|advertise|subscribe|wp-content|wp-admin|feed")

RULES = SiteRules(
    name="innovationintextiles",
    allowed_domains=("innovationintextiles.com",),
    start_urls=("https://www.innovationintextiles.com/",),
    article_url_regex=(
        rf"^/(?!(?:{_NOT_CATEGORIES})/)[a-z][a-z0-9-]*/(?!page/)(?P<id>[a-z0-9][a-z0-9-]*)/?$"
    ),
    list_url_regex=rf"^/(?:(?!(?:{_NOT_CATEGORIES})/)[a-z][a-z0-9-]*/(?:page/\d+/)?)?$",
    preferred_host="www.innovationintextiles.com",
)


class InnovationintextilesArticlePage(ArticlePage):
    TIMEZONE = ZoneInfo("Europe/London")
    LANGUAGE = "en"
    SITE_NAMES = ("Innovation in Textiles", "innovationintextiles.com")
    HEADER_KEYWORDS = False
    # "Innovation in Textiles | Washington, DC", also after the date: "14th June 2023 | ..."
    BYLINE_LINES = (r"(?:[^|]{4,30}\|\s*)?(?P<author>Innovation in Textiles)\s*\|\s*[^|]{2,40}",)
    BOILERPLATE_LINES = (
        r"inside textiles",
        r"free membership",
        r"(sign up|register) (for|to) (our|the) (free )?(weekly )?newsletter.{0,80}",
    )


class InnovationintextilesSpider(NewsSpider):
    name = "innovationintextiles"
    site_rules = RULES
    page_class = InnovationintextilesArticlePage

    # Contracts: `scrapy check` runs them on the stored pages (tests/fixtures/<site>/). Minimum
    # link counts are low: the two callbacks share one spider, whose links are requested once.
    def parse_article(self, response: Response) -> Iterator[Request | Article]:
        """An article page: its record, then the article links it shows.

        @url https://www.innovationintextiles.com/sustainability/recycled-nylon-plant-opens-in-leeds/
        @returns items 1 1
        @returns requests 1
        @filled id url title body published_at authors category description
        """
        yield from super().parse_article(response)

    def parse_navigation(self, response: Response) -> Iterator[Request | Article]:
        """A list page: the article and list pages it links to, no record.

        @url https://www.innovationintextiles.com/industry-talk/
        @returns items 0 0
        @returns requests 3
        """
        yield from super().parse_navigation(response)
