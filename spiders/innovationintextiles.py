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

from zoneinfo import ZoneInfo

from crawler.page import ArticlePage
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
