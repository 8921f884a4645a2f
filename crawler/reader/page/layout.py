"""Where things are on an article page: headline, header lines, dates, bylines, body blocks.

Found by meaning (a heading matching the metadata title, a date pattern near it, a block labelled
"Related reading"), never by one template's class names. A site changes the class constants.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import TYPE_CHECKING, Any

from crawler import cleaning
from crawler.dates import date_line, dateline_datetime, find_datetime
from crawler.reader import lines
from crawler.reader.document import (
    Block,
    PageText,
    Segment,
    blocks_within,
    content_root,
    find_label,
    is_caption,
    parse_html,
)
from crawler.reader.fields.headline import Shown, find_headline, title_keys
from crawler.reader.fields.marks import PageMarks
from crawler.reader.page.reader import PageReader
from crawler.site import SiteRules

if TYPE_CHECKING:
    from lxml.etree import _Element

    from crawler.reader.metadata import PageMetadata

_TITLE_SPLIT = re.compile(r"\s+[-|–—_]\s+|_{1,2}|\s*\|\s*")
_SENTENCE_END = re.compile(r"[.!?。！？\"”]\s*$")
_BREADCRUMB = re.compile(r"(^|[\s:：])home\s*(>|»|/|›)", re.IGNORECASE)


def _shown(block: Block) -> Shown:
    return Shown(block.text, block.is_heading)


class PageLayout(PageReader):
    """Where an article's parts are. Class constants are the site knowledge a subclass overrides
    (also ``PageReader``'s: ``TIMEZONE``, ``LANGUAGE``, ``SITE_NAMES``)."""

    RELATED_LABEL = re.compile(
        r"related (reading|articles?|news|stories|posts)|you may also like|recommended reading",
        re.IGNORECASE,
    )
    NEXT_LABEL = re.compile(r"(read the )?next (article|story|post|news)|next", re.IGNORECASE)
    KEYWORDS_LABEL = re.compile(r"(key ?words?|tags?)\s*[:：]?\s*(?P<rest>.*)", re.IGNORECASE)
    SOURCE_LINE = re.compile(
        r"[(（]?\s*source\s*[:：]\s*(?P<source>[^()（）]{1,120}?)\s*[)）]?\s*\.?", re.IGNORECASE
    )
    # "(source: X)" run on at the end of the last paragraph instead of standing on its own line.
    TRAILING_SOURCE = re.compile(
        r"\s*[(（]\s*source\s*[:：]\s*(?P<source>[^()（）]{1,120}?)\s*[)）]\s*\.?\s*$",
        re.IGNORECASE,
    )
    # Whole lines this site prints around articles that are not article text.
    BOILERPLATE_LINES: tuple[str, ...] = ()
    # Labels printed in or beside the headline that are not part of it ("Premium Article").
    TITLE_BADGES: tuple[str, ...] = ()
    # Whole lines naming the author(s) in group "author" (crawler.reader.lines adds
    # "By <name>, <role>").
    BYLINE_LINES: tuple[str, ...] = ()
    # How many blocks after the title may still be header lines (date, keywords, share bar).
    HEADER_SPAN = 8
    # Paragraphs (a standfirst) between the title and the date line that the header may skip.
    STANDFIRST_SPAN = 1
    # Blocks before the title, in the article's own container, that may carry its date.
    PRE_TITLE_SPAN = 3
    # A short unlabelled line under the date is the keywords line (sjfzxm); else only labelled
    # lines ("Tags: ...") and rows of tag links are keywords.
    HEADER_KEYWORDS = True
    # A block this much link text is navigation or a teaser, never article text.
    LINK_DENSE = 0.5
    # A paragraph: few links, and long, or a sentence of some length.
    PARAGRAPH_MAX_LINK_DENSITY = 0.3
    PARAGRAPH_MIN_CHARS = 120
    SENTENCE_MIN_CHARS = 40
    # A second copy of a text this long (a repeated standfirst) leaves the body.
    REPEAT_MIN_KEY_CHARS = 30
    # A standfirst is looked past when a date line follows within this many blocks.
    STANDFIRST_DATE_SPAN = 2
    # An info line opens with its date: it starts within this many characters.
    INFO_LINE_DATE_START = 40
    # A dateline ("WASHINGTON — May 11, 2022 — ...") opens one of the first paragraphs.
    DATELINE_PARAGRAPHS = 3
    # A breadcrumb of links led by "Home" with images between: this much link text, at least.
    BREADCRUMB_LINK_DENSITY = 0.8

    def __init__(self, url: str, html: str, rules: SiteRules, root: _Element | None = None,
                 walk: PageText | None = None, meta: PageMetadata | None = None) -> None:
        """``root``: the page already parsed (by ``crawler.reader.document.parse_html``), if it
        was; ``walk`` (its ``PageText`` with marks) and ``meta``: read from it already, if they
        were (the generic mode reads them to tell an article from a list page)."""
        super().__init__(url, root if root is not None else parse_html(html), meta)
        self.rules = rules
        if walk is None and self.root is not None:
            walk = PageText(self.root, url, marks=True)
        self.text = walk
        self._extra_boilerplate = cleaning.compile_line_patterns(self.BOILERPLATE_LINES)
        self._bylines = lines.compile_bylines(self.BYLINE_LINES)
        self._badges = lines.badge_pattern(self.TITLE_BADGES)

    @cached_property
    def marks(self) -> PageMarks | None:
        """The page's marked elements, as the page walk found them (it visits every element)
        when it walked the whole document (a subtree given as the page is not all of it)."""
        if self.root is None:
            return None
        whole = self.text is not None and self.root.getparent() is None
        return PageMarks(self.root, self.text.marked if whole and self.text is not None else None)

    @property
    def blocks(self) -> list[Block]:
        return self.text.blocks if self.text else []

    @cached_property
    def _title_block(self) -> Block | None:
        """The block showing a title the page states (``crawler.reader.fields.headline``), a heading
        first; with no title stated, the first ``<h1>``."""
        wanted = title_keys(self._meta_titles())
        if not wanted:
            return next((b for b in self.blocks if b.element.tag == "h1"), None)
        # the other blocks are judged only when no heading shows the title (on most pages one does)
        headings = [b for b in self.blocks if b.is_heading and b.link_density < self.LINK_DENSE]
        readable = (b for b in self.blocks if b.link_density < self.LINK_DENSE)
        return find_headline((headings, readable), wanted, _shown)

    @cached_property
    def _date_found(self) -> tuple[Block, Any] | None:
        """The date in the header lines under the title (never a page-header widget: without a
        title there is no header to trust)."""
        if self._title_block is None:
            return None
        for block in self._header_blocks():
            found = find_datetime(block.text, self.TIMEZONE)
            if found:
                return block, found
        return None

    def _header_blocks(self) -> list[Block]:
        return self._header

    @cached_property
    def _header(self) -> list[Block]:
        """Lines under the title up to the body: date, byline, keywords, share bar. A standfirst
        between the title and a date line is looked past, and stays body text."""
        start = self._body_start
        window = self.blocks[start : start + self.HEADER_SPAN]
        header: list[Block] = []
        skipped, dated = 0, False
        for i, block in enumerate(window):
            if self._is_paragraph(block) and not self._is_info_line(block):
                date_follows = any(self._is_dated_line(b)
                                   for b in window[i + 1 : i + 1 + self.STANDFIRST_DATE_SPAN])
                if dated or skipped >= self.STANDFIRST_SPAN or not date_follows:
                    break
                skipped += 1
                continue
            header.append(block)
            dated = dated or find_datetime(block.text, self.TIMEZONE) is not None
        return header

    def _is_info_line(self, block: Block) -> bool:
        """A long line that opens with the date ("2021/9/7 15:08:00 Source: ..."), no dateline."""
        found = find_datetime(block.text, self.TIMEZONE)
        return found is not None and found[1].start() < self.INFO_LINE_DATE_START and (
            dateline_datetime(block.text, self.TIMEZONE) is None)

    def _is_dated_line(self, block: Block) -> bool:
        return not self._is_paragraph(block) and bool(find_datetime(block.text, self.TIMEZONE))

    def _is_paragraph(self, block: Block) -> bool:
        text = block.text
        return block.link_density < self.PARAGRAPH_MAX_LINK_DENSITY and (
            len(text) >= self.PARAGRAPH_MIN_CHARS or (
                len(text) >= self.SENTENCE_MIN_CHARS and bool(_SENTENCE_END.search(text))))

    @cached_property
    def _related_label(self) -> Segment | None:
        return self.text and find_label(self.text, self.RELATED_LABEL, self._body_start)

    @cached_property
    def _next_label(self) -> Segment | None:
        return self.text and find_label(self.text, self.NEXT_LABEL, self._body_start)

    @cached_property
    def _body_start(self) -> int:
        return self._title_block.index + 1 if self._title_block else 0

    @cached_property
    def _body_range(self) -> list[Block]:
        stops = [s.block for s in (self._related_label, self._next_label) if s is not None]
        end = min(stops) if stops else len(self.blocks)
        candidates = self.blocks[self._body_start : end]
        root = content_root(candidates)
        inside = blocks_within(candidates, root) if root is not None else []
        return self._lead_paragraphs(candidates, inside) + inside

    def _lead_paragraphs(self, candidates: list[Block], inside: list[Block]) -> list[Block]:
        """A standfirst printed between the title and the body's own container (same article)."""
        if not inside or self._title_block is None:
            return []
        header = {b.index for b in self._header_blocks()}
        lead = [b for b in candidates[: self.HEADER_SPAN] if b.index < inside[0].index]
        shared = lines.common_container(inside[0].element, self._title_block.element)
        if shared is None or shared.tag in ("body", "html"):
            return []
        # a few blocks, each looked up among its ancestors: cheaper than a set of the subtree
        return [b for b in lead if b.index not in header and self._is_paragraph(b)
                and (b.element is shared or shared in b.element.iterancestors())]

    def _meta_titles(self) -> list[str]:
        if self.meta is None:
            return []
        parts = self._html_title_parts()
        titles = [
            self.meta.first("og:title", "twitter:title"),
            self.meta.ld_text("headline"),
            self.meta.html_title if len(parts) < 2 else None,
        ]
        return [t for t in titles + parts if t]

    def _html_title_parts(self) -> list[str]:
        """The parts of <title> that are not the site's name ("Title_World Clothes ... Net")."""
        if self.meta is None or not self.meta.html_title:
            return []
        names = {n.casefold() for n in self.SITE_NAMES}
        parts = [p.strip() for p in _TITLE_SPLIT.split(self.meta.html_title) if p.strip()]
        return [p for p in parts if p.casefold() not in names]

    def _without_badges(self, title: str | None) -> str | None:
        return self._badges.sub("", title).strip() or title if self._badges and title else title

    def _pre_title_date(self) -> Any:
        """A date line just above the headline, in its container, with no navigation between."""
        if self._title_block is None:
            return None
        title = self._title_block
        for block in reversed(self.blocks[max(0, title.index - self.PRE_TITLE_SPAN) : title.index]):
            if block.link_density > self.LINK_DENSE:
                return None
            found = self._line_date(block)
            shared = lines.common_container(block.element, title.element)
            if found is not None and shared is not None and shared.tag not in ("body", "html"):
                return found
        return None

    def _body_date(self) -> Any:
        """A date line in the body ("Posted: May 29, 2025", not a listing's), else a dateline
        opening one of its first paragraphs ("WASHINGTON — May 11, 2022 — ...")."""
        blocks = self._body_range
        for i, block in enumerate(blocks):
            listing = i + 1 < len(blocks) and blocks[i + 1].link_density > self.LINK_DENSE
            found = self._line_date(block)
            if found is not None and not listing:
                return found
        for block in self.body_blocks()[: self.DATELINE_PARAGRAPHS]:
            found = dateline_datetime(block.text, self.TIMEZONE)
            if found is not None:
                return found
        return None

    def _line_date(self, block: Block) -> Any:
        """The date of a line that is only a (labelled) date, or a byline with its date."""
        found = date_line(block.text, self.TIMEZONE)
        if found is None and block.index in self._byline_blocks:
            dated = find_datetime(block.text, self.TIMEZONE)
            found = dated[0] if dated else None
        return found

    def _time_element(self) -> str | None:
        """A <time datetime> of the article itself (header or body), never of a related entry."""
        if self.root is None or next(self.root.iter("time"), None) is None:
            return None  # most pages have none: no block need be searched for one
        for block in self._header_blocks() + self._body_range:
            node = next(block.element.iter("time"), None)
            if node is not None and node.get("datetime"):
                return node.get("datetime")
        return None

    def body_blocks(self) -> list[Block]:
        """The article's paragraphs: no header line, byline, date line, source line, boilerplate,
        teaser of another article, nor a second copy of a paragraph (a repeated standfirst)."""
        return list(self._body_blocks)  # the body, the language and the dateline all read them

    @cached_property
    def _body_blocks(self) -> list[Block]:
        skip = {b.index for b in self._header_blocks()} | set(self._byline_blocks)
        seen = {cleaning.text_key(self._title_block.text)} if self._title_block else set()
        kept: list[Block] = []
        previous: Block | None = None
        for block in self._body_range:
            before, previous = previous, block
            if block.index in skip or block.link_density > self.LINK_DENSE or is_caption(
                    block.element, len(block.text)):
                continue
            if self.SOURCE_LINE.fullmatch(block.text):
                break
            key = cleaning.text_key(block.text)
            if self._is_boilerplate(block.text) or self._is_breadcrumb(block) or key in seen or (
                    date_line(block.text, self.TIMEZONE) or lines.is_teaser(block, before)):
                continue
            if len(key) >= self.REPEAT_MIN_KEY_CHARS:
                seen.add(key)
            kept.append(block)
        while kept and kept[-1].is_heading:  # a section heading leads paragraphs: a box's title
            kept.pop()
        return kept

    @cached_property
    def _byline_blocks(self) -> dict[int, list[str]]:
        """Lines naming the author(s), by block index: under the title or in the body."""
        found: dict[int, list[str]] = {}
        for block in self._header_blocks() + self._body_range:
            names = lines.byline_names(block.text, self._bylines)
            if names is not None and block.link_density <= self.LINK_DENSE:
                found[block.index] = names
        return found

    def _is_breadcrumb(self, block: Block) -> bool:
        """"Home > News > ...", or links led by "Home" with images between (alt "breadcru")."""
        if _BREADCRUMB.search(block.text):
            return True
        linked = [s for s in block.segments if s.href]
        return len(linked) >= 2 and linked[0].text.casefold() == "home" and (
            block.link_density > self.BREADCRUMB_LINK_DENSITY
            and next(block.element.iter("img"), None) is not None)

    def _is_boilerplate(self, line: str) -> bool:
        return cleaning.is_boilerplate_line(line, self._extra_boilerplate)
