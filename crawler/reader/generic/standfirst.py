"""The standfirst: the summary a page shows between its headline and the article's paragraphs.

Extractors keep the container of the paragraphs and lose the lines above it, but a reader (and
the publisher's own structured data) counts that summary as the start of the article. It is
found by position, not by class name: the first sentence-like text after the visible headline,
inside the same container as the article's first paragraph, before that paragraph.
"""

from __future__ import annotations

from itertools import islice
from typing import TypeAlias

from lxml import html

from crawler.cleaning import text_key
from crawler.dates import find_datetime
from crawler.reader.document import PageText
from crawler.reader.fields.headline import page_headline
from crawler.reader.generic import patterns as pat
from crawler.reader.generic.blocks import Block
from crawler.reader.generic.filters import PageContext
from crawler.reader.generic.region import is_caption
from crawler.reader.lines import common_container

# lxml-stubs 0.5.1 do not declare HtmlElement (it resolves to Any there)
Element: TypeAlias = html.HtmlElement


def _states_summary(block: Block, ctx: PageContext) -> bool:
    """The summary the page's metadata states: within it, or holding it and not much more (a
    container of the whole article holds it too)."""
    key = text_key(block.text)
    return ctx.is_description(key) and any(
        key in d or len(key) <= pat.SUMMARY_SLACK * len(d) for d in ctx.descriptions)


def _is_summary(block: Block, ctx: PageContext) -> bool:
    """Sentence-like, or the summary the page's metadata states: a line that is neither (a second
    headline, a kicker with a title, a "published 3 hours ago" line) is no standfirst."""
    return bool(pat.SENTENCE_END.search(block.text)) or _states_summary(block, ctx)


def _closes(el: Element) -> bool:
    names = f'{el.get("class", "")} {el.get("id", "")} {el.get("aria-label", "")}'
    return bool(pat.CLOSE_CONTROL.search(names))


def _in_dialog(el: Element, article: tuple[Element, Element]) -> bool:
    """Inside a box the reader opens and closes again (a dialog, a prompt with a close button),
    short of a box that holds the headline or the body's first paragraph too (``article``):
    that one is the article's own, and may hold a share menu's close button."""
    for box in (el, *islice(el.iterancestors(), pat.DIALOG_LEVELS)):
        if any(x is box for part in article for x in part.iterancestors()):
            return False
        if (box.tag == "dialog" or box.get("role") in pat.DIALOG_ROLES
                or box.get("aria-modal") == "true"
                or any(_closes(x) for x in box.iter() if isinstance(x.tag, str))):
            return True
    return False


def _is_standfirst(block: Block, el: Element, article: tuple[Element, Element],
                   ctx: PageContext) -> bool:
    if any(x.tag in pat.STANDFIRST_EXCLUDED for x in (el, *el.iterancestors())):
        return False
    if _in_dialog(el, article):
        return False
    # the page's stated summary beside a picture is no caption of it
    if is_caption(el) and not _states_summary(block, ctx):
        return False
    dated = find_datetime(block.text)
    if dated is not None and dated[1].start() < pat.BYLINE_DATE_WINDOW:  # "By X, May 2, 2024"
        return False
    return (block.words >= pat.STANDFIRST_MIN_WORDS
            and block.link_density < pat.CORE_MAX_LINK_DENSITY and _is_summary(block, ctx))


def _headline(root: Element, ctx: PageContext) -> Element | None:
    """The generic reader's headline (crawler.reader.page.reader): the heading showing its
    title; the reader's own (``ctx.headline``) when it found one in this tree (not in a script's
    article, read as a tree of its own), so the finder runs once a page."""
    given = ctx.headline
    if isinstance(given, html.HtmlElement) and (
            given.getroottree().getroot() is root.getroottree().getroot()):
        return given
    return page_headline(root, [ctx.title])


def find_standfirst(root: Element, ctx: PageContext, first: Element) -> Block | None:
    """The summary between the headline and ``first`` (the body's first page element), or None
    when the page shows none there (or the headline is not in the article's container)."""
    head = _headline(root, ctx)
    if head is None:
        return None
    container = common_container(head, first)
    if container is None or container.tag in ("body", "html"):
        return None
    order = {el: n for n, el in enumerate(container.iter())}
    media = [order[el] for el in container.iter(*pat.MEDIA_TAGS)]
    started = False
    for block in PageText(container, "").blocks:
        el = block.element
        if el is first or any(x is first for x in el.iterancestors()):
            return None
        if el is head or any(x is head for x in el.iterancestors()):
            started = True
            continue
        # text under a picture may be its caption: past the lead image, only the summary the
        # page's metadata states is taken for the standfirst (the image leads on many layouts)
        past_media = any(order[head] < m < order[el] for m in media)
        if started and _is_standfirst(block, el, (head, first), ctx) and (
                not past_media or _states_summary(block, ctx)):
            return block
    return None
