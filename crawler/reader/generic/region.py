"""Locate the article's region in the page DOM and judge extracted blocks by where they come from.

Trafilatura returns text, not positions. Mapping each block back to the page element that holds
the same words tells whether it sits with the article's paragraphs or in a newsletter box, a
print footer or a teaser rail that the extractor swept in with them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import TypeAlias, cast

from lxml import html

from crawler.cleaning import normalize_space, text_key
from crawler.reader.document import content_region, is_caption
from crawler.reader.generic import patterns as pat
from crawler.reader.generic.blocks import Block, with_links

# lxml-stubs 0.5.1 do not declare HtmlElement (it resolves to Any there)
Element: TypeAlias = html.HtmlElement


def index_elements(root: Element, keys: set[str]) -> dict[str, list[Element]]:
    """Page elements whose words are exactly each wanted key, in document order."""
    found: dict[str, list[Element]] = {}
    for el in root.iter(*pat.BLOCK_TAGS):
        key = text_key(el.text_content())
        if key in keys:
            found.setdefault(key, []).append(el)
    return found


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
    unit_keys = [_unit_key(b) if lines[id(b.element)] > 1 and len(b.element) and is_paragraph(b)
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


def _unit_key(block: Block) -> str:
    # lxml-stubs say itertext() yields str | bytes; on Python 3 lxml yields str
    return text_key(" ".join(cast("Iterator[str]", block.element.itertext())))


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
    lead = _lead_paragraphs(blocks, found, region)
    # ...but stays if any of its copies is in the region (asked once per list of copies: blocks
    # of one text share the list, and n copies of a text would otherwise cost n * n)
    inside: dict[int, bool] = {}
    for els in found:
        if id(els) not in inside:
            inside[id(els)] = not els or any(_inside(el, region) for el in els)
    return [
        b for n, (b, els) in enumerate(zip(blocks, found, strict=True))
        if n in lead or inside[id(els)]
    ]


def _lead_paragraphs(blocks: list[Block], found: list[list[Element]], region: Element
                     ) -> set[int]:
    """Leading blocks that are the article's opening paragraphs printed above the region (a
    lead paragraph outside the container of the rest): core paragraphs, not captions, in a run
    of blocks that leads straight into the region."""
    lead: set[int] = set()
    for n, (block, els) in enumerate(zip(blocks, found, strict=True)):
        if not els:
            return set()
        if any(_inside(el, region) for el in els):
            return lead
        if is_core(block) and not any(is_caption(el) for el in els):
            lead.add(n)
    return set()
