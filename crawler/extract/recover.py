"""Put back article text trafilatura leaves out: embedded posts and continuation containers.

Trafilatura keeps the first container that matches its body expressions, so an article split
into sibling containers (``<div class="body">`` chunks between ads) loses all but the first, and
its widget/embed discard rules drop embedded tweets the article quotes. Both are found in the
page around the article's region and rendered with the page reader of the site parsers.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeAlias

from lxml import html

from crawler.extract import patterns as pat
from crawler.extract.blocks import Block
from crawler.extract.filters import text_key
from crawler.extract.region import find_region, is_core
from crawler.reading import PageText

# lxml-stubs 0.5.1 do not declare HtmlElement (it resolves to Any there)
Element: TypeAlias = html.HtmlElement
Located = tuple[list[Block], list[list[Element]]]


def dom_blocks(container: Element, url: str | None) -> list[tuple[Block, Element]]:
    """A page container's text as extractor blocks, each with the element it comes from."""
    out = []
    for b in PageText(container, url or "").blocks:
        tag = pat.DOM_BLOCK_TAGS.get(str(b.element.tag), "p")
        links = round(b.link_density * len(b.text))
        out.append((Block(tag, b.text, links), b.element))
    return out


def _kind(el: Element) -> tuple[str, str]:
    return str(el.tag), el.get("class") or ""


def _has_core(el: Element) -> bool:
    return any(is_core(b) for b, _ in dom_blocks(el, None) if b.tag == "p")


def _chunks_beside(node: Element, preceding: bool) -> Iterator[Element]:
    """Siblings of ``node`` of its own tag and class, up to the first real-text stranger."""
    for sib in node.itersiblings(preceding=preceding):
        if not isinstance(sib.tag, str):
            continue
        if _kind(sib) == _kind(node):
            yield sib
        elif len(sib.text_content().strip()) > pat.CHUNK_GAP_CHARS:
            return


def _descend(el: Element | None, path: list[tuple[str, str]]) -> Element | None:
    """The element of ``el`` at the region's place: the chunk must be built like the region."""
    for kind in path:
        if el is None:
            return None
        el = next((c for c in el if isinstance(c.tag, str) and _kind(c) == kind), None)
    return el


def sibling_chunks(region: Element) -> tuple[list[Element], Element]:
    """Containers continuing the article beside the region (or one of its near ancestors),
    and the element that holds them all."""
    path: list[tuple[str, str]] = []
    node = region
    for _ in range(pat.CHUNK_LEVELS):
        if node.getparent() is None:
            break
        if node.get("class"):
            chunks = [
                _descend(s, path) for preceding in (True, False)
                for s in _chunks_beside(node, preceding) if not s.xpath(".//h1")
            ]
            found = [c for c in chunks if c is not None and _has_core(c)]
            if found:
                return found, node.getparent()
        path.insert(0, _kind(node))
        node = node.getparent()
    return [], region


def _merge(blocks: list[Block], found: list[list[Element]],
           extra: list[tuple[Block, Element]], root: Element) -> Located:
    """Existing blocks and ``extra`` in page order (blocks not placed keep their neighbours)."""
    order = {el: n for n, el in enumerate(root.iter())}
    # a container's own text after its children (a tweet's byline) stays after them
    placed, last = [], -1
    for block, el in extra:
        last = max(order.get(el, last), last)
        placed.append((last, block, el))
    placed.sort(key=lambda t: t[0])
    out_b: list[Block] = []
    out_f: list[list[Element]] = []
    i = 0
    for block, els in zip(blocks, found, strict=True):
        pos = order.get(els[0]) if els else None
        while pos is not None and i < len(placed) and placed[i][0] < pos:
            out_b.append(placed[i][1])
            out_f.append([placed[i][2]])
            i += 1
        out_b.append(block)
        out_f.append(els)
    out_b.extend(b for _, b, _ in placed[i:])
    out_f.extend([el] for _, _, el in placed[i:])
    return out_b, out_f


def complete(blocks: list[Block], found: list[list[Element]], root: Element,
             url: str | None) -> tuple[list[Block], list[list[Element]], Element | None]:
    """Blocks with the missing chunks and embedded posts added, and the article's region."""
    region = find_region((b, els[0]) for b, els in zip(blocks, found, strict=True) if els)
    if region is None:
        return blocks, found, None
    chunks, region = sibling_chunks(region)
    containers = chunks + region.xpath(pat.EMBED_XPATH)
    seen = {text_key(b.text) for b in blocks}
    placed = {el for els in found for el in els}
    extra = []
    for container in containers:
        if any(el in placed for el in container.iter()):
            continue  # the extractor has it already, perhaps split another way
        for block, el in dom_blocks(container, url):
            key = text_key(block.text)
            if key and key not in seen:
                seen.add(key)
                extra.append((block, el))
    if not extra:
        return blocks, found, region
    return (*_merge(blocks, found, extra, root), region)
