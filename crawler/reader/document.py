"""Read a page the way a person does: text runs in document order, grouped into blocks.

Site parsers find fields by meaning on top of this (a heading, a date pattern near the title, a
block labelled "Related reading"), never by one template's class names. No Scrapy here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, cast, final
from urllib.parse import urljoin

from lxml import html as lxml_html
from lxml.etree import (
    Comment,
    ElementDefaultClassLookup,
    ElementNamespaceClassLookup,
    Entity,
    ParserError,
    ProcessingInstruction,
    XPath,
    _Element,
    iterwalk,
)

from crawler.cleaning import is_boilerplate_line, normalize_space
from crawler.reader.fields.marks import (
    PLAIN_ATTRIBUTES,
    attribute_names,
    is_marked,
    marked_in,
    marks_element,
)

BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td "
    "tfoot th thead tr ul".split()
)
SKIP_TAGS = frozenset(
    "script style noscript template iframe svg select option textarea head".split()
)
HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())
# The kind of block a page element makes (the names of trafilatura's output: a heading is
# "head", a list item "item"); any other block element is a paragraph, "p".
BLOCK_KINDS = {
    "p": "p", "li": "item", "dd": "item", "dt": "item", "blockquote": "quote", "pre": "code",
    **dict.fromkeys(HEADING_TAGS, "head"),
}
# Containers that can hold a whole article body (scored to find the main content).
CONTAINER_TAGS = frozenset("article body div main section td blockquote form center".split())
# What crawler.cleaning.normalize_space changes besides trimming: odd and zero-width spaces, runs.
# Newlines too: a browser shows a source line break inside a paragraph as a space.
_ODD_TEXT = re.compile(
    r"[\u00a0\u1680\u2000-\u200d\u202f\u205f\u2060\u3000\ufeff\u00ad\t\f\v\n\r]| {2}"
)
_WHITESPACE = re.compile(r"\s+")


def _may_be_odd(text: str) -> bool:
    """Whether ``_ODD_TEXT`` finds something in ``text``. Most page text is plain ASCII without
    control characters (isascii is a flag, isprintable one scan in C): there only a double space
    can be odd, found without the regex trying each position."""
    if text.isascii() and text.isprintable():
        return "  " in text
    return _ODD_TEXT.search(text) is not None
# Every character str.isspace() (and a regex's \s) calls a space: what str.strip() strips.
SPACES = ("\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
          "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
# What a label's ends may carry besides its words: bullets, arrows, colons, spaces. Stripped by
# str.strip: a regex anchored at the end tries every position of the text, and every segment of
# a page is tried as a label.
_BULLETS = "•·●▪■◆◇►▶>»-–—*|:：" + SPACES


# The end of a teaser's lede, cut short ("… ", "...").
CUT_LEDE = re.compile(r"(…|\.\.\.?)\s*[\])»>›]*$")
# The article's container holds this share of the page's paragraph text (long, few links)...
CONTENT_SHARE = 0.8
CORE_MAX_LINK_DENSITY = 0.3
# A block of the article's text has at least this many characters.
CORE_MIN_CHARS = 40
# Where no container holds that share: a container's own paragraphs count whole, its
# parent's at this share (as readability scores them).
PARENT_SHARE = 0.5
# ...and is looked for this many containers above each paragraph.
CONTENT_MAX_LEVELS = 24
# A text is a picture's caption when one of its nearest ancestors (this many) holds the picture.
CAPTION_LEVELS = 3
PICTURE_TAGS: tuple[str, ...] = ("img", "picture", "video")
# ...or one named a caption by the page (class or id), as trafilatura's own rules read it.
CAPTION_CLASS = re.compile(r"caption", re.IGNORECASE)
# ...and holds little text besides it (a credit line).
CAPTION_BOX_SHARE = 1.5
CAPTION_BOX_SLACK = 80
# How many ancestors of a label ("Related reading") are tried for the box holding its links.
LABEL_REGION_MAX_LEVELS = 12
# Outside that box, a label's first entry is looked for this many blocks after it at most.
LABEL_ENTRIES_SPAN = 40
# What the page walk is told of: elements opening and closing, and the nodes that are only a
# tail of text for it (comments, processing instructions: the parser may keep some).
_WALK_EVENTS = ("start", "end", "comment", "pi")
# lxml's default parser stops at 256 levels of nesting and silently drops the rest of the page;
# huge_tree lifts that limit, so the text it is given is bounded here instead.
MAX_PAGE_CHARS = 16 * 1024 * 1024
# libxml2 stops at 2048 levels even then, and drops what follows: a run of this many tags with
# nothing between them (no page nests so for its layout) is cut down to it before parsing.
MAX_TAG_RUN = 256
_RUN = "{" + str(MAX_TAG_RUN + 1) + ",}"
_OPEN_RUN = re.compile(r"(?:<[a-zA-Z][^<>]{0,2000}>\s*)" + _RUN)
_CLOSE_RUN = re.compile(r"(?:</[a-zA-Z][^<>]{0,200}>\s*)" + _RUN)
_TAG = re.compile(r"<[^<>]*>")


def _html_parser(**options: Any) -> lxml_html.HTMLParser:
    """lxml.html's parser, its element classes (``HtmlElement``, ``FormElement`` for <form>...)
    found by lxml in C: lxml.html's own lookup is a Python method, called for every element
    a reader touches (the HTML parser gives lower-case names, as that lookup expects)."""
    parser = lxml_html.HTMLParser(**options)
    lookup = ElementNamespaceClassLookup(ElementDefaultClassLookup(
        element=lxml_html.HtmlElement, comment=lxml_html.HtmlComment,
        pi=lxml_html.HtmlProcessingInstruction, entity=lxml_html.HtmlEntity))
    lookup.get_namespace(None).update(lxml_html.HtmlElementClassLookup._default_element_classes)
    parser.set_element_class_lookup(lookup)
    return parser


_PARSER = _html_parser(huge_tree=True, remove_comments=True, remove_pis=True, collect_ids=False)
_BYTES_PARSER = _html_parser(huge_tree=True, remove_comments=True, remove_pis=True,
                             collect_ids=False, encoding="utf-8")


@dataclass(slots=True)
class Segment:
    """A run of text inside one block, with the link it belongs to (absolute URL) if any."""

    text: str
    href: str | None
    block: int


def _detached() -> _Element:
    return lxml_html.Element("p")


@dataclass(eq=True, slots=True)
class Block:
    """A block of text as a reader sees it (a paragraph, a heading, a list item, a line after
    <br>): the one block model of every reader.

    ``tag`` is the block's kind (``BLOCK_KINDS``: p, head, item, quote, code, and trafilatura's
    list, cell, row... for blocks of an extractor's output); ``element`` the element its text
    was read from (in the page, or in an extractor's output tree; a detached one for a block
    made of text alone); ``index`` and ``segments`` its place and runs of text in the page
    (``PageText``), -1 and none elsewhere. Blocks compare by kind, text and link text.
    """

    tag: str
    text: str
    link_chars: int
    element: _Element = field(default_factory=_detached, compare=False)
    index: int = field(default=-1, compare=False)
    segments: tuple[Segment, ...] = field(default=(), compare=False)
    # The characters link text is a share of: a page block's segments, without the spaces
    # joining them ("(" "dmk" ")" is a link line); 0: the whole text.
    text_chars: int = field(default=0, compare=False)

    @property
    def link_density(self) -> float:
        return self.link_chars / max(self.text_chars or len(self.text), 1)

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def is_heading(self) -> bool:
        return self.tag == "head"


def parse_html(html: str) -> _Element | None:
    """The one lxml tree of ``html`` (every reader of the project reads this tree), or None when
    there is nothing to parse. Deep nesting is kept; text past ``MAX_PAGE_CHARS`` is not read."""
    if not html or not html.strip():
        return None
    html = html[:MAX_PAGE_CHARS]
    root = _parse(html)
    if root is not None and any(e.type_name == "ERR_RESOURCE_LIMIT" for e in _PARSER.error_log):
        root = _parse(_flatten_runs(html))  # nested past libxml2's limit: the rest was dropped
    return root


def _parse(html: str) -> _Element | None:
    try:
        return lxml_html.document_fromstring(html, parser=_PARSER)
    except ValueError:  # a str with an XML encoding declaration: lxml wants bytes then
        data = html.encode("utf-8", "replace")
        try:
            return lxml_html.document_fromstring(data, parser=_BYTES_PARSER)
        except (ParserError, ValueError):
            return None
    except ParserError:
        return None


def _flatten_runs(html: str) -> str:
    """``html`` with runs of more than ``MAX_TAG_RUN`` bare opening (or closing) tags cut to
    that many: the parser keeps the text inside and after them."""

    def cut(match: re.Match[str]) -> str:
        return "".join(_TAG.findall(match.group(0))[:MAX_TAG_RUN])
    return _CLOSE_RUN.sub(cut, _OPEN_RUN.sub(cut, html))


# final: never subclassed, and without __bool__/__len__ an instance is always true
@final
class PageText:
    """The blocks and segments of one page's <body>, in document order; and what the same walk
    sees of the whole tree ``root`` (each element visited once for every reader of the page):
    ``hrefs``, every ``<a href>`` (the link as written, stripped, and joined to ``base_url``),
    and with ``marks`` the elements marked for machines (``crawler.reader.fields.marks``)."""

    def __init__(self, root: _Element, base_url: str, marks: bool = False) -> None:
        self.base_url = base_url
        self.blocks: list[Block] = []
        # every link as written, joined (None: no URL); the page's links in order, found as
        # each is joined the first time (links of a repeated href are already there)
        self._joins: dict[str, str | None] = {}
        self._links: dict[str, None] = {}
        self.marked: list[_Element] | None = [] if marks else None
        body = root.find("body")
        if body is None:
            self._walk(root, root)
            return
        self._scan_one(root)
        for child in root:  # the <head> and anything else beside the <body>, in page order
            if child is body:
                self._walk(body, root)
            else:
                self._scan(child)

    @property
    def segments(self) -> Iterator[Segment]:
        for block in self.blocks:
            yield from block.segments

    def links(self, limit: int | None = None) -> list[str]:
        """``page_links`` of the tree walked: the absolute URLs of its links (the first
        ``limit``), in order, without repeats, each joined once for the walk and this."""
        links = list(self._links)
        return links if limit is None else links[: max(limit, 0)]

    def _join(self, link: str) -> str | None:
        """The URL of a link as written (None when it makes none), noted among the page's
        links unless it is a script, mail or fragment link."""
        stripped = link.strip()
        url = absolute_url(self.base_url, stripped)
        if url and stripped and not stripped.startswith(_NOT_PAGE_LINKS):
            self._links[url] = None
        self._joins[link] = url or None
        return url or None

    def _scan_one(self, element: _Element) -> None:
        """Note ``element`` if it is marked (its subtree is the walk's)."""
        if self.marked is not None and is_marked(element):
            self.marked.append(element)

    def _scan(self, top: _Element) -> None:
        """The links and marks of a subtree whose text is not read (a <head>, a <script>, an
        <svg>...)."""
        if not len(top):  # most are childless (<br>, <script>): no link, one element
            self._scan_one(top)
            return
        if self.marked is not None:
            self.marked += marked_in(top)
        for link in top.iter("a"):  # few or none: cheaper than an XPath query's set-up
            href = link.get("href")
            if href and href not in self._joins:
                self._join(href)

    def _walk(self, top: _Element, owner: _Element) -> None:
        """Document order by lxml's own walk (no recursion: a page nested thousands of levels
        deep is read like any other), in one loop: a page has hundreds of elements, and a
        Python call per element and per text was most of the walk's cost. ``context`` holds,
        for each open element, the block and link its text belongs to, and whether it is a
        block of its own; each event adds at most one text (an element's own text on opening,
        its tail after closing) to ``runs``, the texts of the block being read. The names
        used per element are local ones (a global or attribute lookup per element adds up)."""
        href: str | None = None
        # for each open element: the block and link to return to when it closes, and whether
        # it is a block of its own
        context: list[tuple[_Element, str | None, bool]] = []
        push, pop = context.append, context.pop
        runs: list[tuple[str, str | None]] = []
        runs_owner = owner
        add_block, scan, join, joins = self._add_block, self._scan, self._join, self._joins
        marked = self.marked
        block_tags, no_text_tags, plain = BLOCK_TAGS, _NO_TEXT_TAGS, PLAIN_ATTRIBUTES
        walker = iterwalk(top, events=_WALK_EVENTS)
        skip = walker.skip_subtree
        for event, el in walker:
            if event == "start":
                tag = el.tag
                if tag in no_text_tags:
                    skip()
                    scan(el)
                    if tag == "br" and runs:
                        add_block(runs_owner, runs)
                        runs = []
                    push((owner, href, False))
                    continue  # its text is not read (a <br> has none)
                if marked is not None and (names := attribute_names(el)) and (  # is_marked
                        not plain.issuperset(names)) and marks_element(el, names):
                    marked.append(el)
                if tag in block_tags:
                    if runs:
                        add_block(runs_owner, runs)
                        runs = []
                    push((owner, href, True))
                    owner = el
                else:
                    push((owner, href, False))
                    if tag == "a":
                        link = el.get("href")
                        if link:  # a page repeats many of its links: each joined once
                            href = joins[link] if link in joins else join(link)
                text = el.text
            else:
                if event == "end":
                    owner, href, is_block = pop()
                    if is_block and runs:
                        add_block(runs_owner, runs)
                        runs = []
                    if el is top:
                        continue
                # An element's tail belongs to its parent (and the parent's link, if any); a
                # comment or processing instruction has a tail and nothing else.
                text = el.tail
            if text and not text.isspace():  # most tails are a source's indentation
                if not runs:
                    runs_owner = owner
                runs.append((text, href))
        if runs:  # the text at the end of a top that is no block (a <span>) is a block too
            add_block(runs_owner, runs)

    def _add_block(self, element: _Element, runs: list[tuple[str, str | None]]) -> None:
        """The block of ``runs`` (texts, each with its link), read from ``element``: its
        segments normalized, its counts carried along (one pass, no sums over it again)."""
        index = len(self.blocks)
        if len(runs) == 1:  # most blocks are one run of text: no joining, no sums
            text, href = runs[0]
            clean = text.strip()
            if _may_be_odd(clean):
                clean = normalize_space(_WHITESPACE.sub(" ", clean))
            if clean:
                tag = element.tag
                chars = len(clean)
                self.blocks.append(Block(
                    BLOCK_KINDS.get(tag, "p") if isinstance(tag, str) else "p", clean,
                    chars if href else 0, element, index, (Segment(clean, href, index),), chars))
            return
        segments: list[Segment] = []
        chars = link_chars = 0
        for text, href in runs:
            clean = text.strip()
            if _may_be_odd(clean):
                # normalize_space without its three substitutions when none would change anything
                clean = normalize_space(_WHITESPACE.sub(" ", clean))
            segments.append(Segment(clean, href, index))
            chars += len(clean)
            if href:
                link_chars += len(clean)
        texts = [s.text for s in segments]
        text = " ".join(texts)
        if not all(texts):  # zero-width characters alone; else single spaces keep it normalized
            text = normalize_space(text)
        if text:
            tag = element.tag
            kind = BLOCK_KINDS.get(tag, "p") if isinstance(tag, str) else "p"
            self.blocks.append(Block(kind, text, link_chars, element, index, tuple(segments),
                                     chars))


# Elements whose text is never read: scripts, styles, forms' option lists... and <br>, which only
# ends a line ("" is a tag no parser gives, read as none); and the nodes that are no element
# (lxml's tag of a comment, processing instruction or entity is the function making one).
_NO_TEXT_TAGS: frozenset[object] = SKIP_TAGS | {"br", "", Comment, ProcessingInstruction, Entity}


def _text_len(el: _Element) -> int:
    return sum(len(t) for t in el.itertext())


def _text_exceeds(el: _Element, bound: float) -> bool:
    """Whether ``el`` holds more than ``bound`` characters of text, read only as far as needed:
    a paragraph's box is often the whole article, judged for each of its paragraphs."""
    total = 0
    for text in el.itertext():
        total += len(text)
        if total > bound:
            return True
    return False


def is_caption(el: _Element, own: int | None = None) -> bool:
    """Text that sits alone with a picture: in a figure, or in a small box holding an image and
    little other text. ``own``: the length of the text judged, when not the whole element."""
    own = _text_len(el) if own is None else own  # a <br> line: its own length
    node: _Element | None = el
    for _ in range(CAPTION_LEVELS):
        if node is None or node.tag in ("body", "html"):
            return False
        if node.tag in ("figure", "figcaption") or CAPTION_CLASS.search(
                f'{node.get("class", "")} {node.get("id", "")}'):
            return True
        if _text_exceeds(node, CAPTION_BOX_SHARE * own + CAPTION_BOX_SLACK):
            return False  # the box holds more text than this: an image beside it is not its own
        if next(node.iter(*PICTURE_TAGS), None) is not None:
            return True
        node = node.getparent()
    return False


def clean_label(text: str) -> str:
    """Label text without bullets, arrows and colons: '• Related reading:' -> 'Related reading'."""
    return text.strip(_BULLETS)


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
    for segment in (s for block in page.blocks[label.block :] for s in block.segments):
        if segment is label:
            started = True
            continue
        if not started:
            continue
        if page.blocks[segment.block].element not in region:
            if entries or segment.block > label.block + LABEL_ENTRIES_SPAN:
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
    # each level reads the subtree once: a bounded climb keeps this linear in the page
    for _ in range(LABEL_REGION_MAX_LEVELS):
        if element is None:
            break
        subtree = set(element.iter())
        inside = [b for b in later if b.element in subtree]
        if any(s.href for b in inside for s in b.segments):
            return {b.element for b in inside} | {label_block.element}
        element = element.getparent()
    return {b.element for b in page.blocks}


def content_root(blocks: list[Block], min_chars: int = CORE_MIN_CHARS) -> _Element | None:
    """The deepest container holding ``CONTENT_SHARE`` of the paragraph text (long blocks, few
    links): an article split into several groups (WordPress blocks, chunks between ads) is read
    whole. Where only the whole page holds that much, the container with most text, as
    readability scores it."""
    paragraphs = [b for b in blocks if len(b.text) >= min_chars and (
        b.link_density <= CORE_MAX_LINK_DENSITY) and not (
        CUT_LEDE.search(b.text) or is_boilerplate_line(b.text))]  # a teaser's lede, a copyright
    deepest = content_region((b.element, len(b.text)) for b in paragraphs)
    if deepest is not None and deepest.tag not in ("body", "html"):
        return deepest
    return _densest_container(blocks, min_chars)


def content_region(texts: Iterable[tuple[_Element, int]], include_self: bool = True
                   ) -> _Element | None:
    """The one region finder: the deepest container holding ``CONTENT_SHARE`` of the text of
    ``texts`` (each an element and its text's length, which counts for the containers above it,
    itself too with ``include_self``); None without text."""
    weights: dict[_Element, int] = {}
    total = 0
    for element, chars in texts:
        total += chars
        node = _container_of(element, include_self)
        for _ in range(CONTENT_MAX_LEVELS):  # bounded: a page nested thousands deep stays linear
            if node is None:
                break
            weights[node] = weights.get(node, 0) + chars
            node = _container_of(node.getparent(), include_self=True)
    wide = [el for el, w in weights.items() if w >= CONTENT_SHARE * total]
    return max(wide, key=_depth, default=None) if total else None


def _depth(el: _Element) -> int:
    return sum(1 for _ in el.iterancestors())


def _densest_container(blocks: list[Block], min_chars: int) -> _Element | None:
    scores: dict[_Element, float] = {}
    for block in blocks:
        text = block.text
        if len(text) < min_chars or block.link_density > CORE_MAX_LINK_DENSITY:
            continue
        weight = float(len(text))
        container = _container_of(block.element, include_self=True)
        for share in (1.0, PARENT_SHARE):
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
    """How a list shows each item: (its title, the text after it in its block up to the next
    item's link), by ``key(url)``. Linear in the page: each segment is read once.

    An item often has several links (title, image, "6 comments"): the longest text is the title.
    """
    listings: dict[str, tuple[str, str]] = {}
    for block in page.blocks:
        for item, shown in _block_listings(block, key).items():
            if item not in listings or len(shown[0]) > len(listings[item][0]):
                listings[item] = shown
    return listings


def _block_listings(block: Block, key: Callable[[str], str | None]
                    ) -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    after: list[str] = []  # plain text after the current segment, up to the next item's link
    for segment in reversed(block.segments):  # backwards: ``after`` is built once per item
        item = key(segment.href) if segment.href else None
        if item is None:
            if not segment.href:
                after.append(segment.text)
            continue
        # >=: read backwards, the first of equally long titles comes last
        if segment.text and (item not in found or len(segment.text) >= len(found[item][0])):
            found[item] = (segment.text, " ".join(reversed(after)))
        after = []
    return found


def page_links(root: _Element, base_url: str, limit: int | None = None) -> list[str]:
    """Absolute URLs of the links on the page (the first ``limit``), in order, without repeats."""
    links: dict[str, None] = {}
    for href in cast("list[str]", _LINK_TARGETS(root)):  # lxml-stubs: any XPath result kind
        href = href.strip()
        if not href or href.startswith(_NOT_PAGE_LINKS):
            continue
        url = absolute_url(base_url, href)
        if url:
            links[url] = None
        if limit is not None and len(links) >= limit:
            break
    return list(links)


# Every <a href> of a subtree in document order, read by libxml2 in one call (the link elements
# themselves are not needed: building a Python object for each cost more than the rest).
_LINK_TARGETS = XPath("descendant-or-self::a/@href", smart_strings=False)
_NOT_PAGE_LINKS = ("javascript:", "mailto:", "#")


def absolute_url(base_url: str, href: str) -> str:
    """``urljoin(base_url, href)``; "" for a link no URL can be made of (``http://[x``: urljoin
    raises ValueError).

    A root-relative (``/path``) or absolute ``http(s)://`` link resolves against the base's
    scheme and host only, so those are remembered by (scheme://host, link): the navigation,
    sidebars and article links repeated on every page of a site are joined once per run, not
    once per page (most of a page's links are of these two kinds). Other links are joined to the
    page's URL (the page walk joins each link of its page once: ``PageText``).
    """
    try:
        if _ORIGIN_RELATIVE.match(href):
            origin = _plain_origin(base_url)
            if origin:
                return _join_origin(origin, href)
        return urljoin(base_url, href)
    except ValueError:
        return ""


# A link that needs only the base's scheme and host: "/path" (not "//host"), or "http(s)://host...".
_ORIGIN_RELATIVE = re.compile(r"/(?!/)|https?://[^/?#]")
# How many sites' scheme://host are remembered (one per page base: a run reads few sites at once).
ORIGINS_REMEMBERED = 256
# The root-relative and absolute links remembered by site (a site's navigation repeats).
ORIGIN_LINKS_REMEMBERED = 16384


@lru_cache(maxsize=ORIGINS_REMEMBERED)
def _plain_origin(base_url: str) -> str:
    """``scheme://host`` of an ``http(s)`` base URL; "" for another base (no scheme, an odd host
    with ``?`` or ``#`` in it), which ``urljoin`` reads whole."""
    end = base_url.find("/", base_url.find("://") + 3) if "://" in base_url else -1
    origin = base_url if end == -1 else base_url[:end]
    if origin.startswith(("http://", "https://")) and "?" not in origin and "#" not in origin:
        return origin
    return ""


@lru_cache(maxsize=ORIGIN_LINKS_REMEMBERED)
def _join_origin(origin: str, href: str) -> str:
    return urljoin(origin + "/", href)
