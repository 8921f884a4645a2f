"""Locate the article's region in the page DOM and judge extracted blocks by where they come from.

Trafilatura returns text, not positions. Mapping each block back to the page element that holds
the same words tells whether it sits with the article's paragraphs or in a newsletter box, a
print footer or a teaser rail that the extractor swept in with them.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import accumulate, count, islice
from operator import add
from typing import TypeAlias, cast

from lxml import etree, html

from crawler.cleaning import normalize_space, text_key
from crawler.reader.document import content_region, is_caption
from crawler.reader.generic import patterns as pat
from crawler.reader.generic.blocks import Block, with_links

# lxml-stubs 0.5.1 do not declare HtmlElement (it resolves to Any there)
Element: TypeAlias = html.HtmlElement

# A word of ``crawler.cleaning.text_key`` (tests/test_region.py holds the two together).
WORD = re.compile(r"\w+")
_WORD_SPLIT = re.compile(rf"({WORD.pattern})")
_BLOCK_TAGS = frozenset(pat.BLOCK_TAGS)


def index_elements(root: Element, keys: set[str]) -> dict[str, list[Element]]:
    """Page elements whose words are exactly each wanted key, in document order.

    An element's words are a stretch of the words of the outermost block element it is in (a
    word cut by a tag cut with it): one walk places every block element's stretch, and a
    stretch is read only where its length is a wanted key's. ``text_content()`` of each element
    instead would copy the text once per level above it: quadratic on soup nested thousands
    deep."""
    if not keys:
        return {}
    lengths = {len(k) for k in keys}
    words = PageWords(root)
    found: dict[str, list[Element]] = {}
    asked: dict[tuple[int, int], str | None] = {}  # nested elements often share their words
    for el, start, end in words.blocks:
        span = words.span(start, end)
        if span not in asked:
            key = words.key[span[0]:span[1]] if span[1] - span[0] in lengths else None
            asked[span] = key if key in keys else None
        key = asked[span]
        if key is not None:
            found.setdefault(key, []).append(el)
    return found


class PageWords:
    """The words of the page's block elements: where each block element's text starts and ends
    in the case-folded text of the outermost ones, one after the other, and their words
    (``key``: their ``text_key``s, one after the other) with where each word is."""

    def __init__(self, root: Element) -> None:
        text, self.blocks = _block_ranges(root)
        # C loops throughout (no match object per word): the text, then words and the text
        # between them by turns
        parts = _WORD_SPLIT.split(text)
        offsets = list(accumulate(map(len, parts), initial=0))
        self.starts = offsets[1::2]
        self.ends = offsets[2::2]
        words = parts[1::2]
        self.key = " ".join(words)
        # where each word is in ``key``: the words before it and a space after each
        self.at = list(map(add, accumulate(map(len, words), initial=0), count()))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Where the words of the text from ``start`` to ``end`` are in ``key`` (a word cut at
        either end cut with it, as ``text_key`` of that text would find it)."""
        first = bisect_right(self.ends, start)  # the first word ending after start
        last = bisect_left(self.starts, end) - 1  # the last word starting before end
        if first > last:
            return 0, 0
        return (self.at[first] + max(0, start - self.starts[first]),
                self.at[last] + min(end, self.ends[last]) - self.starts[last])


def _block_ranges(root: Element) -> tuple[str, list[tuple[Element, int, int]]]:
    """The case-folded text of the outermost block elements of ``root`` (each one's
    ``text_content()``, one after the other) and, for each block element in document order,
    where its text starts and ends in it. Text outside block elements (scripts, most of a
    page's markup) is never read."""
    pieces: list[str] = []
    ranges: list[tuple[Element, int, int]] = []
    blocks = root.iter(*pat.BLOCK_TAGS)
    size = 0
    for top in blocks:
        size, nested = _walk_block(top, size, pieces, ranges)
        next(islice(blocks, nested, nested), None)  # the walk has placed them
    return "".join(pieces), ranges


def _walk_block(top: Element, size: int, pieces: list[str],
                ranges: list[tuple[Element, int, int]]) -> tuple[int, int]:
    """Adds the text of ``top`` to ``pieces`` from ``size`` on, and the range of each block
    element in it to ``ranges``; the text's new size and how many block elements are below
    ``top``."""
    first = len(ranges)
    slots: list[int] = []  # each open element's place in ``ranges`` (-1: no block element)
    for event, el in etree.iterwalk(top, events=("start", "end", "comment", "pi")):
        if event == "start":
            slots.append(len(ranges) if el.tag in _BLOCK_TAGS else -1)
            if slots[-1] >= 0:
                ranges.append((el, size, size))
            text = el.text
        else:  # the text after an element, a comment or a processing instruction
            if event == "end" and (slot := slots.pop()) >= 0:
                ranges[slot] = (el, ranges[slot][1], size)
            text = el.tail if el is not top else None
        if text:
            pieces.append(text.casefold())
            size += len(pieces[-1])
    return size, len(ranges) - first - 1


def dom_link_chars(el: Element) -> int:
    """Characters of link text inside a page element."""
    return sum(len(normalize_space(a.text_content())) for a in el.iter("a"))


def is_paragraph(block: Block) -> bool:
    """Long enough, and few enough links, to be a paragraph of the article's text."""
    return block.words >= pat.CORE_MIN_WORDS and block.link_density < pat.CORE_MAX_LINK_DENSITY


def is_core(block: Block) -> bool:
    return block.tag in ("p", "div") and is_paragraph(block)


def find_region(located: Iterable[tuple[Block, Element]]) -> Element | None:
    """The region of the core paragraphs (``crawler.reader.document.content_region``, the one region
    finder of both readers)."""
    return content_region(((el, len(b.text)) for b, el in located if is_core(b)), False)


def _inside(el: Element, region: Element) -> bool:
    return any(anc is region for anc in el.iterancestors())


def locate(blocks: list[Block], root: Element) -> tuple[list[Block], list[list[Element]]]:
    """Each block's page elements; link counts topped up from the page, where the
    extractor's fallbacks lost the links. A paragraph the extractor split off a unit (at a
    ``<br><br>``) is no page element of its own: it is placed by its whole unit (a short line,
    a product's name over its picture, stays unplaced: it would be judged a caption; so does
    a fallback's text dump, a unit without markup)."""
    keys = [text_key(b.text) for b in blocks]
    lines = Counter(id(b.element) for b in blocks)
    units: dict[int, str] = {}  # a unit's key, once for all its lines: n lines once cost n * n
    unit_keys = [_unit_key(b, units)
                 if lines[id(b.element)] > 1 and len(b.element) and is_paragraph(b)
                 else "" for b in blocks]
    where = index_elements(root, {*keys, *filter(None, unit_keys)})
    found = [where.get(k) or (where.get(u, []) if u else [])
             for k, u in zip(keys, unit_keys, strict=True)]
    # once per distinct text: a text repeated n times would otherwise cost n * n
    least = {k: min(map(dom_link_chars, els)) for k, els in where.items()}
    blocks = [
        with_links(b, least[k]) if k in where else b
        for b, k in zip(blocks, keys, strict=True)
    ]
    return blocks, found


def _unit_key(block: Block, known: dict[int, str]) -> str:
    unit = block.element
    if id(unit) not in known:
        # lxml-stubs say itertext() yields str | bytes; on Python 3 lxml yields str
        known[id(unit)] = text_key(" ".join(cast("Iterator[str]", unit.itertext())))
    return known[id(unit)]


def _within(el: Element, outer: Element) -> bool:
    return el is outer or _inside(el, outer)


def keep_in_region(
    blocks: list[Block], found: list[list[Element]], widest: Element | None = None
) -> list[Block]:
    """Drop blocks found in the page outside the region of the article's paragraphs; a region
    inside ``widest`` (an article in several containers) is widened to it."""
    # a text found twice (a lead repeated in a teaser box) counts where it first appears...
    region = find_region((b, els[0]) for b, els in zip(blocks, found, strict=True) if els)
    if region is None:
        return blocks
    if widest is not None and _within(region, widest):
        region = widest
    # the region's elements, gathered once: a walk up from each block costs its depth per block
    within = set(region.iterdescendants())
    lead = _lead_paragraphs(blocks, found, within)
    # ...but stays if any of its copies is in the region (asked once per list of copies: blocks
    # of one text share the list, and n copies of a text would otherwise cost n * n)
    inside: dict[int, bool] = {}
    for els in found:
        if id(els) not in inside:
            inside[id(els)] = not els or any(el in within for el in els)
    return [
        b for n, (b, els) in enumerate(zip(blocks, found, strict=True))
        if n in lead or inside[id(els)]
    ]


def _lead_paragraphs(blocks: list[Block], found: list[list[Element]], within: set[Element]
                     ) -> set[int]:
    """Leading blocks that are the article's opening paragraphs printed above the region (a
    lead paragraph outside the container of the rest): core paragraphs, not captions, in a run
    of blocks that leads straight into the region (``within``: the region's elements)."""
    lead: set[int] = set()
    for n, (block, els) in enumerate(zip(blocks, found, strict=True)):
        if not els:
            return set()
        if any(el in within for el in els):
            return lead
        if is_core(block) and not any(is_caption(el) for el in els):
            lead.add(n)
    return set()
