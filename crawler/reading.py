"""Read a page the way a person does: text runs in document order, grouped into blocks.

Site parsers find fields by meaning on top of this (a heading, a date pattern near the title, a
block labelled "Related reading"), never by one template's class names. No Scrapy here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import final
from urllib.parse import urljoin

from lxml import html as lxml_html
from lxml.etree import ParserError, _Element

from crawler.cleaning import normalize_space

BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td "
    "tfoot th thead tr ul".split()
)
SKIP_TAGS = frozenset(
    "script style noscript template iframe svg select option textarea head".split()
)
HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())
# Containers that can hold a whole article body (scored to find the main content).
CONTAINER_TAGS = frozenset("article body div main section td blockquote form center".split())
# What crawler.cleaning.normalize_space changes besides trimming: odd and zero-width spaces, runs.
_ODD_TEXT = re.compile(
    r"[\u00a0\u1680\u2000-\u200d\u202f\u205f\u2060\u3000\ufeff\u00ad\t\f\v]| {2}"
)
_BULLETS = re.compile(r"^[\s•·●▪■◆◇►▶>»\-–—*|:：]+|[\s•·●▪■◆◇►▶>»\-–—*|:：]+$")


@dataclass
class Segment:
    """A run of text inside one block, with the link it belongs to (absolute URL) if any."""

    text: str
    href: str | None
    block: int


@dataclass
class Block:
    """A block of text as a reader sees it (a paragraph, a heading, a list item, a line after <br>).

    ``text`` and ``link_density`` are computed once: a block's segments are complete when
    ``PageText`` hands it out.
    """

    index: int
    element: _Element
    segments: list[Segment] = field(default_factory=list)

    @cached_property
    def text(self) -> str:
        texts = [s.text for s in self.segments]
        # Segments are normalized already: joined by single spaces, they stay normalized
        # unless one is empty.
        return " ".join(texts) if all(texts) else normalize_space(" ".join(texts))

    @cached_property
    def link_density(self) -> float:
        total = sum(len(s.text) for s in self.segments) or 1
        return sum(len(s.text) for s in self.segments if s.href) / total

    @property
    def is_heading(self) -> bool:
        return self.element.tag in HEADING_TAGS


def parse_html(html: str) -> _Element | None:
    """An lxml tree of ``html``, or None when there is nothing to parse."""
    if not html or not html.strip():
        return None
    try:
        return lxml_html.document_fromstring(html)
    except (ParserError, ValueError):
        return None


# final: never subclassed, and without __bool__/__len__ an instance is always true
@final
class PageText:
    """The blocks and segments of one page's <body>, in document order."""

    def __init__(self, root: _Element, base_url: str) -> None:
        self.base_url = base_url
        self.blocks: list[Block] = []
        self._current: Block | None = None
        body = root.find("body")
        self._walk(body if body is not None else root, root, None)

    @property
    def segments(self) -> Iterator[Segment]:
        for block in self.blocks:
            yield from block.segments

    def _flush(self) -> None:
        if self._current is not None and self._current.text:
            self.blocks.append(self._current)
        self._current = None

    def _add(self, text: str, owner: _Element, href: str | None) -> None:
        if not text.strip():
            return
        if self._current is None:
            self._current = Block(len(self.blocks), owner)
        # normalize_space without its three substitutions when none would change anything
        clean = normalize_space(text) if _ODD_TEXT.search(text) else text.strip()
        self._current.segments.append(Segment(clean, href, self._current.index))

    def _walk(self, el: _Element, owner: _Element, href: str | None) -> None:
        tag = el.tag
        if not isinstance(tag, str) or not tag or tag in SKIP_TAGS:
            return
        if tag == "br":
            self._flush()
            return
        is_block = tag in BLOCK_TAGS
        if is_block:
            self._flush()
            owner = el
        if tag == "a":
            link = el.get("href")
            if link:
                href = absolute_url(self.base_url, link.strip())
        if el.text:
            self._add(el.text, owner, href)
        for child in el:
            self._walk(child, owner, href)
            # A child's tail belongs to this element (and this element's link, if any).
            if child.tail:
                self._add(child.tail, owner, href)
        if is_block:
            self._flush()


def clean_label(text: str) -> str:
    """Label text without bullets, arrows and colons: '• Related reading:' -> 'Related reading'."""
    return _BULLETS.sub("", text).strip()


def find_label(page: PageText, pattern: re.Pattern[str], start: int = 0) -> Segment | None:
    """The first segment from block ``start`` on whose whole text is a label ``pattern`` matches."""
    for block in page.blocks[start:]:
        for segment in block.segments:
            if pattern.fullmatch(clean_label(segment.text)):
                return segment
    return None


@dataclass
class LinkEntry:
    """A linked title and the text after it up to the next link (category, date, count...)."""

    url: str
    title: str
    extra: str = ""


def entries_after(
    page: PageText,
    label: Segment,
    is_wanted: Callable[[str], bool],
    stop: re.Pattern[str] | None = None,
    limit: int = 50,
) -> list[LinkEntry]:
    """The wanted links listed after ``label`` inside the label's own region of the page."""
    region = _region_elements(page, label)
    entries: list[LinkEntry] = []
    started = False
    for segment in page.segments:
        if segment is label:
            started = True
            continue
        if not started:
            continue
        if page.blocks[segment.block].element not in region:
            if entries or segment.block > label.block + 40:
                break
            continue
        if stop is not None and not segment.href and stop.fullmatch(clean_label(segment.text)):
            break
        if segment.href and is_wanted(segment.href):
            if entries and entries[-1].url == segment.href and not entries[-1].extra:
                entries[-1].title = normalize_space(entries[-1].title + " " + segment.text)
            elif len(entries) < limit:
                entries.append(LinkEntry(segment.href, segment.text))
            else:
                break
        elif entries:
            entries[-1].extra = normalize_space(entries[-1].extra + " " + segment.text)
    return entries


def _region_elements(page: PageText, label: Segment) -> set[_Element]:
    """Block elements of the smallest ancestor of the label that also holds links after it."""
    label_block = page.blocks[label.block]
    if any(s.href for s in label_block.segments if s is not label):
        return {label_block.element}
    element: _Element | None = label_block.element
    later = page.blocks[label.block + 1 :]
    while element is not None:
        subtree = set(element.iter())
        inside = [b for b in later if b.element in subtree]
        if any(s.href for b in inside for s in b.segments):
            return {b.element for b in inside} | {label_block.element}
        element = element.getparent()
    return {b.element for b in page.blocks}


def content_root(blocks: list[Block], min_chars: int = 40) -> _Element | None:
    """The container holding most paragraph text (long blocks, few links), as readability does."""
    scores: dict[_Element, float] = {}
    for block in blocks:
        text = block.text
        if len(text) < min_chars or block.link_density > 0.3:
            continue
        weight = float(len(text))
        container = _container_of(block.element, include_self=True)
        for share in (1.0, 0.5):
            if container is None or (share < 1.0 and container.tag in ("body", "html")):
                break  # the whole page is never the article just because it holds two paragraphs
            scores[container] = scores.get(container, 0.0) + weight * share
            container = _container_of(container.getparent(), include_self=True)
    if not scores:
        return None
    return max(scores, key=lambda el: scores[el])


def _container_of(element: _Element | None, include_self: bool) -> _Element | None:
    node = element if include_self else (element.getparent() if element is not None else None)
    while node is not None and node.tag not in CONTAINER_TAGS:
        node = node.getparent()
    return node


def blocks_within(blocks: list[Block], root: _Element) -> list[Block]:
    subtree = set(root.iter())
    return [b for b in blocks if b.element in subtree]


def link_listings(
    page: PageText, key: Callable[[str], str | None]
) -> dict[str, tuple[str, str]]:
    """How a list shows each item: (its title, the text after it in its block), by ``key(url)``.

    An item often has several links (title, image, "6 comments"): the longest text is the title.
    """
    listings: dict[str, tuple[str, str]] = {}
    for block in page.blocks:
        for i, segment in enumerate(block.segments):
            item = key(segment.href) if segment.href else None
            if item is None or not segment.text:
                continue
            if item not in listings or len(segment.text) > len(listings[item][0]):
                after = " ".join(s.text for s in block.segments[i + 1 :] if not s.href)
                listings[item] = (segment.text, after)
    return listings


def page_links(root: _Element, base_url: str) -> list[str]:
    """Absolute URLs of every link on the page, in order, without repeats."""
    hrefs = (a.get("href", "").strip() for a in root.iter("a"))
    return list(dict.fromkeys(absolute_url(base_url, h) for h in hrefs if h and not h.startswith(
        ("javascript:", "mailto:", "#"))))


def absolute_url(base_url: str, href: str) -> str:
    """``urljoin(base_url, href)``, remembered for the links pages of a site share.

    A root-relative (``/path``) or absolute ``http(s)://`` link resolves against the base's
    scheme and host only, so those are cached by (scheme://host, link): the navigation, sidebars
    and article links repeated on every page are joined once per run, not once per page.
    """
    if href[:1] == "/" and href[1:2] != "/" or _has_host(href):
        end = base_url.find("/", base_url.find("://") + 3) if "://" in base_url else -1
        if end == -1:
            end = len(base_url)
        origin = base_url[:end]
        if origin.startswith(("http://", "https://")) and "?" not in origin and "#" not in origin:
            return _join_origin(origin, href)
    return urljoin(base_url, href)


def _has_host(href: str) -> bool:
    if not href.startswith(("http://", "https://")):
        return False
    return href[href.find("//") + 2 : href.find("//") + 3] not in ("", "/", "?", "#")


@lru_cache(maxsize=16384)
def _join_origin(origin: str, href: str) -> str:
    return urljoin(origin + "/", href)
