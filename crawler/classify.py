"""Article or navigation? URL shape before a fetch, page evidence after it (generic mode).

No Scrapy here. ``url_shape(url)`` is the prior that routes a link before it is fetched;
``page_evidence(root, url)`` weighs what a fetched page says of itself: URL shape, ``og:type``,
JSON-LD type, a publication date near the title, and text density (a run of long, link-poor
paragraphs, which list pages with one teaser per item never have). Weights are data below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

from lxml.etree import _Element

from crawler.dates import find_numeric_datetime
from crawler.reader.document import Block, PageText
from crawler.reader.metadata import ARTICLE_TYPES, PageMetadata

ARTICLE, NAVIGATION, UNKNOWN = 1, -1, 0

# Path segments that name a navigation page (a section, an index, a listing by tag or date).
NAV_SEGMENTS = frozenset(
    "archive archives tag tags category categories section sections topic topics author authors "
    "search page pages index list lists feed feeds rss sitemap calendar date dates".split()
)
# Links never worth fetching in a news crawl: accounts, forms, sharing, printing.
AVOID_SEGMENTS = frozenset(
    "login logout signin signup register member members account cart checkout subscribe print "
    "share comment comments reply wp-admin wp-login admin".split()
)
NOT_PAGE_EXTENSIONS = frozenset(
    "jpg jpeg png gif webp svg ico bmp css js json xml rss atom pdf doc docx xls xlsx ppt pptx zip "
    "rar gz 7z mp3 mp4 avi mov wmv flv swf exe apk dmg woff woff2 ttf eot txt csv".split()
)
ID_PARAMS = frozenset(
    "id aid articleid article_id newsid news_id nid postid post_id p storyid".split()
)
_NUMERIC_ID = re.compile(r"(?<!\d)\d{4,}(?!\d)")
_PURE_DATE = re.compile(r"^(19|20)\d{2}[-_.]\d{1,2}([-_.]\d{1,2})?$")
# Ideographs carry a word each: weighted like three Latin characters in text lengths.
_IDEOGRAPH = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_DATE_PATH = re.compile(r"/(19|20)\d{2}/(0?[1-9]|1[0-2])(/\d{1,2})?/|/(19|20)\d{6}/")
_PAGINATION = re.compile(r"^(index|default|list|page|p)?[-_]?\d{1,3}$|^(index|default|home)$")
_SLUG_WORD = re.compile(r"[^\W\d_]{2,}")
LD_LISTING_TYPES = frozenset({"CollectionPage", "ItemList", "SearchResultsPage", "WebSite"})

# Page evidence weights; a page is an article at ARTICLE_THRESHOLD or above.
WEIGHTS = {
    "url_article": 1, "url_navigation": -1, "og_article": 2, "og_other": -1, "ld_article": 2,
    "ld_listing": -2, "dated_title": 1, "text_long": 2, "text_some": 1, "text_none": -3,
}
ARTICLE_THRESHOLD = 2
# A body paragraph: at least this long, at most this share of its text linked.
PARAGRAPH_CHARS = 80
PARAGRAPH_LINK_DENSITY = 0.3
# A run of paragraphs this long (characters, or paragraphs) is an article body.
LONG_RUN_CHARS, LONG_RUN_PARAGRAPHS = 500, 3
SOME_RUN_CHARS = 200


def _segments(path: str) -> list[str]:
    return [unquote(s).lower() for s in path.split("/") if s]


def _stem(segment: str) -> tuple[str, str]:
    stem, dot, ext = segment.rpartition(".")
    return (stem, ext) if dot and stem and ext.isalnum() and len(ext) <= 5 else (segment, "")


def is_page_link(url: str) -> bool:
    """An http(s) link that may hold a page: not a file download, not an account or share form."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return False
    segments = _segments(parts.path)
    if any(s in AVOID_SEGMENTS for s in segments):
        return False
    return not segments or _stem(segments[-1])[1] not in NOT_PAGE_EXTENSIONS


def url_shape(url: str) -> int:
    """ARTICLE when the URL looks like one story (numeric id, long slug, dated path with a slug),
    NAVIGATION when it names a section, index, tag, pagination or a date archive, else UNKNOWN."""
    parts = urlsplit(url)
    segments = _segments(parts.path)
    if not is_page_link(url):
        return UNKNOWN
    if any(k.lower() in ID_PARAMS and v.isdigit() and len(v) >= 3
           for k, v in parse_qsl(parts.query)):
        return ARTICLE
    if not segments:
        return NAVIGATION
    stem = _stem(segments[-1])[0]
    if any(s in NAV_SEGMENTS for s in segments) or _PURE_DATE.match(stem):
        return NAVIGATION
    if _PAGINATION.match(stem):
        return NAVIGATION
    if _NUMERIC_ID.search(stem) or len(_SLUG_WORD.findall(stem)) >= 4:
        return ARTICLE
    if _DATE_PATH.search(parts.path) and len(_SLUG_WORD.findall(stem)) >= 2:
        return ARTICLE
    return NAVIGATION if parts.path.endswith("/") else UNKNOWN


@dataclass(frozen=True)
class Evidence:
    """What a fetched page says of itself, and the verdict weighed from it."""

    url: int
    og_type: str | None
    ld_types: frozenset[str]
    dated_title: bool
    run_paragraphs: int
    run_chars: int

    def signals(self) -> list[str]:
        found = []
        if self.url:
            found.append("url_article" if self.url == ARTICLE else "url_navigation")
        if self.og_type:
            found.append("og_article" if self.og_type == "article" else "og_other")
        if self.ld_types & ARTICLE_TYPES:
            found.append("ld_article")
        elif self.ld_types & LD_LISTING_TYPES:
            found.append("ld_listing")
        if self.dated_title:
            found.append("dated_title")
        found.append(self._text_signal())
        return found

    def _text_signal(self) -> str:
        if self.run_chars >= LONG_RUN_CHARS or self.run_paragraphs >= LONG_RUN_PARAGRAPHS:
            return "text_long"
        return "text_some" if self.run_chars >= SOME_RUN_CHARS else "text_none"

    @property
    def score(self) -> int:
        return sum(WEIGHTS[s] for s in self.signals())

    @property
    def is_article(self) -> bool:
        # Whatever the metadata says, a page without one real paragraph has no story to emit.
        return self.score >= ARTICLE_THRESHOLD and self.run_paragraphs >= 1


def text_weight(text: str) -> int:
    return len(text) + 2 * len(_IDEOGRAPH.findall(text))


def paragraph_run(blocks: list[Block]) -> tuple[int, int]:
    """(paragraphs, characters) of the longest run of long link-poor blocks that no link-heavy
    block interrupts: an article body is one such run, a list of teasers is many runs of one."""
    best = current = (0, 0)
    for block in blocks:
        weight = text_weight(block.text)
        if block.link_density >= 0.5:
            best, current = max(best, current, key=lambda r: r[1]), (0, 0)
        elif weight >= PARAGRAPH_CHARS and block.link_density < PARAGRAPH_LINK_DENSITY:
            current = (current[0] + 1, current[1] + weight)
    return max(best, current, key=lambda r: r[1])


def dated_title(blocks: list[Block], span: int = 6) -> bool:
    """A date in the few unlinked blocks after the first <h1>: a story's byline, not a list's."""
    start = next((b.index for b in blocks if b.element.tag == "h1"), None)
    if start is None:
        return False
    return any(
        b.link_density < 0.5 and find_numeric_datetime(b.text) is not None
        for b in blocks[start : start + span + 1]
    )


def page_evidence(root: _Element, url: str, walk: PageText | None = None,
                  meta: PageMetadata | None = None) -> Evidence:
    """``walk`` and ``meta``: the root's ``PageText`` and metadata, if the caller read them
    (to hand them on to the page object that reads the page next)."""
    blocks = (walk or PageText(root, url)).blocks
    meta = meta or PageMetadata(root)
    og_type = (meta.first("og:type") or "").lower() or None
    if og_type and og_type.startswith("article"):
        og_type = "article"
    dated = dated_title(blocks) or bool(meta.first("article:published_time"))
    paragraphs, chars = paragraph_run(blocks)
    structured = text_weight(meta.ld_text("articleBody") or "")
    if meta.ld_types() & ARTICLE_TYPES and structured > chars:
        # Script-rendered pages: the story is in the JSON-LD articleBody, not in the HTML.
        paragraphs, chars = max(paragraphs, 1), structured
    return Evidence(url_shape(url), og_type, frozenset(meta.ld_types()), dated, paragraphs, chars)


def is_article_page(root: _Element | None, url: str) -> bool:
    return root is not None and page_evidence(root, url).is_article
