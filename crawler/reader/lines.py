"""What one line of a page is, by its wording: a byline, a teaser of another article, a title badge.

Pure functions over text and reading blocks (``crawler.reader.document``); the patterns are data
a site
module extends through ``ArticlePage`` constants. No Scrapy here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml.etree import _Element

from crawler.reader.document import CUT_LEDE, Block, clean_label

_NAME = r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|van|von|de|der|da|di|le|la|bin|al-?\w*)){0,4}"
_ROLE_WORDS = (r"editor|writer|correspondent|reporter|contributor|columnist|analyst|staff|"
               r"journalist|author|director|chief|desk")
# Whole lines naming the author(s) in group "author" (case matters: names are capitalised).
# "By Jim Kaufmann, Contributing Editor", "By Jane Doe and John Roe", "BY LEONIE BARRIE"
BYLINE_PATTERNS: tuple[str, ...] = (
    r"[Bb][Yy]:?\s+(?P<author>" + _NAME + r"(?:\s*(?:,|and|&)\s*" + _NAME + r")*?)"
    r"(?:\s*[,|–—-]\s*(?P<role>(?:[\w-]+\s+){0,3}(?i:" + _ROLE_WORDS + r")\b[^.]{0,40}))?",
)
# A byline is a short line: at most this many characters.
BYLINE_MAX_CHARS = 120
# A teaser's linked title: mostly link text, and shorter than this.
TEASER_TITLE_MAX_CHARS = 200
TEASER_TITLE_LINK_DENSITY = 0.5
_NAME_SPLIT = re.compile(r"\s*(?:,|\band\b|&)\s*")
# A link at the end of a teaser of another article.
READ_MORE = re.compile(
    r"(read|see|view) (more|full (story|article))|more|continue reading|full story|details",
    re.IGNORECASE,
)


def compile_bylines(site_patterns: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    """The site's byline patterns, then the generic ones, each anchored to a whole line."""
    return tuple(re.compile(r"^\W{0,3}(?:" + p + r")\W{0,3}$")
                 for p in (*site_patterns, *BYLINE_PATTERNS))


def byline_names(text: str, patterns: Iterable[re.Pattern[str]]) -> list[str] | None:
    """The author names of a byline line (group ``author``), or None when ``text`` is no byline."""
    if len(text) > BYLINE_MAX_CHARS:
        return None
    for pattern in patterns:
        match = pattern.match(text)
        if match is not None:
            raw = match.groupdict().get("author") or ""
            return [n.strip() for n in _NAME_SPLIT.split(raw) if n.strip()]
    return None


def is_teaser(block: Block, previous: Block | None) -> bool:
    """A teaser of another article: a cut lede after its linked title, or a "Read more" link."""
    last = block.segments[-1] if block.segments else None
    if last is not None and last.href and READ_MORE.fullmatch(clean_label(last.text)):
        return True
    if not CUT_LEDE.search(block.text):
        return False
    titled = previous is not None and previous.link_density > TEASER_TITLE_LINK_DENSITY and (
        len(previous.text) < TEASER_TITLE_MAX_CHARS)
    return titled or any(s.href for s in block.segments)


def badge_pattern(badges: Iterable[str]) -> re.Pattern[str] | None:
    """Labels printed in or beside a headline ("Premium Article") as a regex for its ends."""
    badges = list(badges)
    if not badges:
        return None
    either = "|".join(badges)
    return re.compile(rf"^\s*(?:{either})\s*[:|–—-]?\s*|\s*[:|–—-]?\s*(?:{either})\s*$",
                      re.IGNORECASE)


def common_container(a: _Element, b: _Element) -> _Element | None:
    """The nearest element holding both ``a`` and ``b``: one of them when it holds the other.
    (The elements themselves are compared, not their id(): lxml frees an element's proxy once
    no reference holds it, and a later proxy may reuse the id.)"""
    ancestors = set(a.iterancestors()) | {a}
    node: _Element | None = b
    while node is not None and node not in ancestors:
        node = node.getparent()
    return node
