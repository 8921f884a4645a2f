"""The article body: trafilatura's extraction, cut down to the article by our block filters."""

from __future__ import annotations

import logging
from collections.abc import Callable
from itertools import chain, islice
from typing import TYPE_CHECKING, TypeAlias, cast

from lxml import etree, html
from trafilatura import bare_extraction

from crawler.cleaning import clean_body, text_key
from crawler.reader.document import CAPTION_CLASS, CAPTION_LEVELS, parse_html
from crawler.reader.generic import patterns as pat
from crawler.reader.generic.blocks import Block, to_blocks
from crawler.reader.generic.filters import PageContext, apply_filters
from crawler.reader.generic.recover import complete, dom_blocks, script_article_html
from crawler.reader.generic.region import find_region, is_caption, keep_in_region, locate
from crawler.reader.generic.standfirst import find_standfirst

if TYPE_CHECKING:
    from trafilatura.settings import Document

# lxml-stubs 0.5.1 do not declare HtmlElement (it resolves to Any there)
Element: TypeAlias = html.HtmlElement

# trafilatura logs every page it gives up on at WARNING: expected here, not news.
logging.getLogger("trafilatura").setLevel(logging.ERROR)
logger = logging.getLogger(__name__)


def page_context(root: Element, title: str | None, description: str | None) -> PageContext:
    """Titles and summaries the page states, to recognise them repeated in the body."""
    titles = [title or "", *root.xpath(pat.TITLE_TEXTS_XPATH)]
    descriptions = [description or "", *root.xpath(pat.DESCRIPTION_TEXTS_XPATH)]
    return PageContext(
        titles=frozenset(k for k in map(text_key, titles) if k),
        descriptions=frozenset(k for k in map(text_key, descriptions) if k),
        title=title or "",
    )


def _too_many_blocks(root: Element) -> bool:
    """More block elements than trafilatura's fallbacks read in bounded time."""
    blocks = root.iter(*pat.FALLBACK_BLOCK_TAGS)
    return any(True for _ in islice(blocks, pat.FALLBACK_MAX_BLOCKS, None))


# One location step per level, evaluated by libxml2: each element is reached once, at its level.
_DEEPER_THAN_MAX_DEPTH = etree.XPath("boolean(" + "/*" * (pat.MAX_DEPTH + 1) + ")")


def too_deep(root: Element) -> bool:
    """Elements deeper than ``pat.MAX_DEPTH``, where trafilatura's cost per paragraph grows."""
    return bool(_DEEPER_THAN_MAX_DEPTH(root))


def nesting(root: Element) -> int:
    """How many lists and tables deep the page nests (``pat.NESTING_TAGS``): one walk, lxml's
    (in C), that stops in Python only at those elements."""
    depth = deepest = 0
    for event, _ in etree.iterwalk(root, events=("start", "end"), tag=pat.NESTING_TAGS):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


def located_blocks(root: Element, url: str | None) -> tuple[list[Block], list[list[Element]]]:
    """The body's blocks, each with its page elements: trafilatura's, cut to the page's own
    blocks (``page_blocks``) where its recursion would fail or its cost per paragraph or per
    table grow with the page's depth."""
    deepest = nesting(root)
    if deepest > pat.MAX_NESTING:
        reason = f"lists and tables nest {deepest} deep (MAX_NESTING {pat.MAX_NESTING})"
    elif too_deep(root):
        reason = f"elements nest more than MAX_DEPTH ({pat.MAX_DEPTH}) deep"
    else:
        try:
            return locate(to_blocks(_trafilatura_body(root, url)), root)
        except RecursionError:  # a limit lower than MAX_NESTING assumes (a deep caller's stack)
            reason = "trafilatura ran out of stack"
    logger.warning("Page %s: %s; its body is read from the page's own blocks", url, reason)
    return page_blocks(root, url)


def page_blocks(root: Element, url: str | None) -> tuple[list[Block], list[list[Element]]]:
    """Every block of the page's text (the site readers' ``PageText``), placed as trafilatura's
    are (``locate``: the elements holding just its words, none for an item with a nested list);
    the body filters and the region then cut them to the article."""
    return locate([b for b, _ in dom_blocks(root, url)], root)


def _trafilatura_body(root: Element, url: str | None) -> Element | None:
    # trafilatura copies a tree it is given, so ``root`` stays intact for the region lookup
    # a Document, not a dict: as_dict is left False
    document = cast("Document | None", bare_extraction(
        root, url=url, include_comments=False, include_links=True, include_tables=True,
        fast=_too_many_blocks(root),
    ))
    return document.body if document is not None else None


def drop_popups(root: Element) -> None:
    """Remove hover cards and tooltips from paragraphs (keeping the text that follows them),
    and the fallback text of media players (``drop_media_fallback``)."""
    for el in root.xpath(pat.POPUP_XPATH):
        el.drop_tree()
    drop_media_fallback(root)


def drop_media_fallback(root: Element) -> None:
    """Empty each video, audio, object and canvas of the text a browser shows only when it
    cannot play it (HTML's fallback content); the player and its sources stay (caption rules
    look for the player)."""
    for media in list(root.iter(*pat.MEDIA_FALLBACK_TAGS)):
        _keep_sources_only(media)


def _keep_sources_only(el: Element) -> None:
    el.text = None
    for child in list(el):
        if child.tag in pat.MEDIA_SOURCE_TAGS:
            # lxml's HTML parser nests what follows a <source> inside it
            child.tail = None
            _keep_sources_only(child)
        else:
            el.remove(child)  # lxml removes its tail with it


def _named_caption(el: Element) -> bool:
    near = [el, *islice(el.iterancestors(), CAPTION_LEVELS - 1)]
    return any(x.tag == "figcaption" or CAPTION_CLASS.search(
        f'{x.get("class", "")} {x.get("id", "")}') for x in near)


def _is_caption(block: Block, el: Element, quoted: dict[Element, bool] | None = None) -> bool:
    """``quoted``: what ``_in_quote`` knows already of the page's elements (none: a fresh memo,
    for a block judged alone)."""
    quoted = {} if quoted is None else quoted
    if block.tag == "head" or el.tag == "blockquote" or _in_quote(el, quoted):
        # a heading titles what follows; a quote is the article's text, in a <figure> too
        # (HTML's pull quote)
        return False
    # a full paragraph beside a picture in a small box is still a paragraph, unless the page
    # names it a caption
    if _paragraph_like(block):
        return _named_caption(el)
    return is_caption(el)


def _in_quote(el: Element, known: dict[Element, bool]) -> bool:
    """Whether ``el`` is inside a <blockquote>. ``known``: the elements already asked, each
    with whether it is one or inside one: every element above is walked once for all the
    blocks below it (a walk to the root per block costs the page's depth per block)."""
    above: list[Element] = []
    node = el.getparent()
    while node is not None and node not in known:
        above.append(node)
        node = node.getparent()
    quoted = node is not None and known[node]
    for x in reversed(above):
        quoted = quoted or x.tag == "blockquote"
        known[x] = quoted
    return quoted


def _paragraph_like(block: Block) -> bool:
    # Chinese and Japanese write no spaces between words: their characters are counted instead
    words = block.words + len(pat.UNSPACED_SCRIPT.findall(block.text)) // pat.UNSPACED_PER_WORD
    return words >= pat.CORE_MIN_WORDS and block.link_density < pat.CORE_MAX_LINK_DENSITY


def _judge_once(blocks: list[Block], found: list[list[Element]],
                drop: Callable[[Block, list[Element]], bool]
                ) -> tuple[list[Block], list[list[Element]]]:
    """Blocks and their elements without those ``drop`` judges out. Blocks of one text share
    their list of elements (and tag): each list is judged once, or n copies would cost n * n."""
    verdicts: dict[tuple[int, str], bool] = {}
    kept_b, kept_f = [], []
    for b, els in zip(blocks, found, strict=True):
        key = (id(els), b.tag)
        if key not in verdicts:
            verdicts[key] = bool(els) and drop(b, els)
        if not verdicts[key]:
            kept_b.append(b)
            kept_f.append(els)
    return kept_b, kept_f


def drop_captions(blocks: list[Block], found: list[list[Element]]
                  ) -> tuple[list[Block], list[list[Element]]]:
    """Blocks the page shows only as captions or credits of a picture or video (text found
    nowhere else on the page; a caption repeated in the article's text stays)."""
    quoted: dict[Element, bool] = {}
    return _judge_once(blocks, found,
                       lambda b, els: all(_is_caption(b, el, quoted) for el in els))


def _in_furniture(el: Element, article: set[Element]) -> bool:
    """``el`` inside a newsletter box, a biography, a fact box... below the article's own
    element (a class on the article's container or above it says nothing of one block)."""
    # lazily: a page nested thousands deep must not cost its depth per block
    for x in islice(chain((el,), el.iterancestors()), pat.FURNITURE_LEVELS):
        if x in article:
            return False
        if pat.FURNITURE_CLASS.search(f'{x.get("class", "")} {x.get("id", "")}'):
            return True
    return False


def drop_furniture(blocks: list[Block], found: list[list[Element]]
                   ) -> tuple[list[Block], list[list[Element]]]:
    """Blocks found only inside boxes the page names as furniture (``pat.FURNITURE_CLASS``).
    The article is placed by the blocks outside such boxes: a long fact box (a speech's full
    transcript) must not pass for the article's region and so for the article."""
    located = [(b, els[0]) for b, els in zip(blocks, found, strict=True) if els]
    boxed: dict[Element, bool] = {}  # blocks of one text share their first element
    for _, el in located:
        if el not in boxed:
            boxed[el] = _in_furniture(el, set())
    plain = [(b, el) for b, el in located if not boxed[el]]
    region = find_region(plain)
    if region is None:  # every block in a named box: the name is the article's own
        region = find_region(located)
    article = {region, *region.iterancestors()} if region is not None else set()
    return _judge_once(blocks, found,
                       lambda b, els: all(_in_furniture(el, article) for el in els))


def extract_body(root: Element, url: str | None, ctx: PageContext) -> str:
    """Plain text, one blank line between paragraphs; '' when the page has no article.
    ``root`` loses its pop-ups (``drop_popups``)."""
    text = _html_body(root, url, ctx)
    if text:
        return text
    # a page rendered in the browser: its HTML has no article, its script data may
    fragment = script_article_html(root)
    inner = parse_html(f"<html><body><article>{fragment}</article></body></html>"
                       ) if fragment else None
    return _html_body(inner, url, ctx) if isinstance(inner, html.HtmlElement) else ""


def _html_body(root: Element, url: str | None, ctx: PageContext) -> str:
    drop_popups(root)
    blocks, found = drop_captions(*located_blocks(root, url))
    blocks, found = drop_furniture(blocks, found)
    blocks, found, widest = complete(blocks, found, root, url)
    kept = {id(b) for b in apply_filters(blocks, ctx)}
    pairs = [(b, els) for b, els in zip(blocks, found, strict=True) if id(b) in kept]
    where = {id(b): els for b, els in pairs}
    blocks = keep_in_region([b for b, _ in pairs], [els for _, els in pairs], widest)
    # the blocks' text is the page's text as shown: angle brackets in it are no tags
    return clean_body("\n".join(b.text for b in with_standfirst(blocks, where, root, ctx)),
                      markup=False)


def with_standfirst(blocks: list[Block], where: dict[int, list[Element]], root: Element,
                    ctx: PageContext) -> list[Block]:
    """``blocks`` led by the summary shown under the headline, when they lack it."""
    first = next((where[id(b)][0] for b in blocks if where.get(id(b))), None)
    if first is None or not pat.STANDFIRST_IN_BODY:
        return blocks
    lead = find_standfirst(root, ctx, first)
    if lead is None or text_key(lead.text) in {text_key(b.text) for b in blocks}:
        return blocks
    return [lead, *blocks]
