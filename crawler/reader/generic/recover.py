"""Put back article text trafilatura leaves out: embedded posts and continuation containers.

Pages rendered in the browser ship the article's HTML in a script's data instead (Next.js:
``__NEXT_DATA__``, or the app router's flight rows): ``script_article_html`` finds it.

Trafilatura keeps the first container that matches its body expressions, so an article split
into sibling containers (``<div class="body">`` chunks between ads) loses all but the first, and
its widget/embed discard rules drop embedded tweets the article quotes. Both are found in the
page around the article's region and rendered with the page reader of the site parsers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TypeAlias

from lxml import html

from crawler.cleaning import text_key
from crawler.reader.document import PageText
from crawler.reader.generic import patterns as pat
from crawler.reader.generic.blocks import Block
from crawler.reader.generic.region import find_region, is_core

# lxml-stubs 0.5.1 do not declare HtmlElement (it resolves to Any there)
Element: TypeAlias = html.HtmlElement
Located = tuple[list[Block], list[list[Element]]]


def dom_blocks(container: Element, url: str | None) -> list[tuple[Block, Element]]:
    """A page container's text as extractor blocks, each with the element it comes from."""
    return [(b, b.element) for b in PageText(container, url or "").blocks]


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


def _flight_text_rows(scripts: list[str]) -> Iterator[str]:
    """Text rows of a Next.js flight payload ("<id>:T<hex length>,<text>"): the app router
    streams an article's HTML this way, in ``self.__next_f.push([1, "..."])`` scripts."""
    payload = "".join(_flight_string(s) for s in scripts).encode("utf-8")
    for row in pat.FLIGHT_TEXT_ROW.finditer(payload):
        start = row.end()
        yield payload[start : start + int(row.group(1), 16)].decode("utf-8", "replace")


def _flight_string(script: str) -> str:
    call = pat.FLIGHT_PUSH.fullmatch(script.strip())
    if call is None:
        return ""
    try:
        chunk = json.loads(call.group(1))
    except ValueError:
        return ""
    ok = isinstance(chunk, list) and len(chunk) > 1 and isinstance(chunk[1], str)
    return chunk[1] if ok else ""


def _json_strings(value: Any, depth: int = 0) -> Iterator[str]:
    """Every string in a parsed JSON document (``__NEXT_DATA__`` and its kind), depth-bounded."""
    if depth > pat.SCRIPT_JSON_MAX_DEPTH:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict | list):
        for item in value.values() if isinstance(value, dict) else value:
            yield from _json_strings(item, depth + 1)


def _script_fragments(root: Element) -> Iterator[str]:
    flight = [s.text for s in root.iter("script") if s.text and "__next_f.push" in s.text]
    if flight:
        yield from _flight_text_rows(flight)
    for script in root.xpath(pat.JSON_SCRIPT_XPATH):
        try:
            yield from _json_strings(json.loads(script.text or ""))
        except ValueError:
            continue


def script_article_html(root: Element) -> str | None:
    """The article's HTML shipped in a script's data (pages rendered in the browser): the
    fragment with the most paragraphs, or None when no fragment has a few."""
    best, most = None, pat.SCRIPT_MIN_PARAGRAPHS - 1
    for fragment in _script_fragments(root):
        paragraphs = fragment.count("<p")
        if paragraphs > most:
            best, most = fragment, paragraphs
    return best
