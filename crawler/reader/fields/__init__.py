"""Evidence-ranked article fields: each field gathers candidates from every source a page
offers and chooses by agreement and precision; each choice says which source won.

Sources (``Candidate.source``): ``site`` (a site module's rule), ``visible`` (text a reader
sees near the headline), ``time`` (``<time datetime>``), ``microformat`` (``abbr.published``,
``rel=author``, ``rel=tag``, ``itemprop``), ``meta`` (``<meta>`` tags), ``jsonld``, ``html``
(the ``<title>``), ``url``, ``text`` (a language identifier on the text), ``data`` (a
``data-`` attribute naming a publication time), ``guess`` (htmldate).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any, Generic, TypeVar, cast
from urllib.parse import urlsplit

from lxml.etree import _Element

from crawler.cleaning import normalize_space
from crawler.reader.metadata import PageMetadata, names_of
from crawler.urls import registered_domain

T = TypeVar("T")
# An XPath predicate for text nodes a reader sees (scripts and styles are not shown).
SHOWN_TEXT = ("normalize-space() and not(parent::script or parent::style or parent::noscript"
              " or parent::template)")
# The same test in Python (``shown_texts_after``): the tags a shown text's parent is not, and
# the spaces XPath's normalize-space() strips (XML's, not Unicode's).
HIDDEN_TEXT_PARENTS = frozenset({"script", "style", "noscript", "template"})
XPATH_SPACES = " \t\r\n"


@dataclass(frozen=True)
class Candidate(Generic[T]):
    """One value a page offers for a field, and where it came from."""

    value: T
    source: str


def first(*candidates: Candidate[T] | None) -> Candidate[T] | None:
    """The first candidate that is there and has a value."""
    return next((c for c in candidates if c is not None and c.value), None)


def site_names(md: PageMetadata, url: str | None = None) -> list[str]:
    """What the page calls its site: ``og:site_name``, the JSON-LD publisher, the host's name
    ("www.n-tv.de" -> "n-tv.de", "n-tv")."""
    found = [*md.all("og:site_name", "application-name", "twitter:site"),
             *names_of(md.ld("publisher"))]
    host = (urlsplit(url).hostname or "") if url else ""
    if host:
        domain = registered_domain(host)
        found += [domain, domain.split(".")[0]]
    return [n.lstrip("@") for n in dict.fromkeys(found) if n]


def xpath(node: Any, path: str) -> list[Any]:
    """The results of an XPath query (elements or strings): lxml-stubs type them as a union
    of every XPath result kind, and these queries only ever return node sets."""
    found = node.xpath(path)
    return found if isinstance(found, list) else []


def text_of(element: Any) -> str:
    """The element's text as shown, spaces normalised."""
    return normalize_space(raw_text(element))


def raw_text(element: _Element) -> str:
    """The element's text nodes joined, as written (lxml-stubs allow bytes: HTML gives str)."""
    return "".join(cast("Iterator[str]", element.itertext()))


class TextNode(str):
    """A text node's value as lxml's XPath ``text()`` results give it: ``getparent()`` is the
    element holding the text, or for a tail the element it follows (``is_tail``)."""

    __slots__ = ("_parent", "is_tail")
    _parent: _Element
    is_tail: bool

    def __new__(cls, value: str, parent: _Element, is_tail: bool) -> TextNode:
        node = super().__new__(cls, value)
        node._parent, node.is_tail = parent, is_tail
        return node

    def getparent(self) -> _Element:
        return self._parent


def shown_texts_after(element: _Element, limit: int) -> list[TextNode]:
    """``xpath(element, f"following::text()[{SHOWN_TEXT}][position() <= {limit}]")``, read
    only as far as it reaches: the XPath query tests every text node after ``element`` to
    the end of the page (``tests/test_fields.py`` holds the two to each other)."""
    return list(islice(_shown(_texts_after(element)), limit))


def shown_texts_before(element: _Element, limit: int) -> list[TextNode]:
    """``xpath(element, f"preceding::text()[{SHOWN_TEXT}][position() <= {limit}]")``, read
    back from ``element`` only as far as it reaches, in page order as the query gives them."""
    return list(islice(_shown(_texts_before(element)), limit))[::-1]


def following_elements(element: _Element, tag: str) -> Iterator[_Element]:
    """``element.xpath(f"following::{tag}")`` in page order, found as far as it is read."""
    node: _Element | None = element
    while node is not None:
        for sibling in node.itersiblings():
            yield from sibling.iter(tag)
        node = node.getparent()


# A text node as the walks below find it: its value, the element it belongs to (as
# ``TextNode.getparent()``), whether it is that element's tail, and its parent in XPath's sense.
RawText = tuple[str, _Element, bool, "_Element | None"]


def _texts_after(element: _Element) -> Iterator[RawText]:
    """Every text node after ``element`` and its descendants, in page order."""
    node: _Element | None = element
    while node is not None:
        parent = node.getparent()
        if node.tail:
            yield node.tail, node, True, parent
        for sibling in node.itersiblings():
            yield from _texts_of(sibling, parent)
        node = parent


def _texts_of(top: _Element, parent: _Element | None) -> Iterator[RawText]:
    """The text nodes of ``top``'s subtree, then its tail, in page order (a comment's or
    processing instruction's content is no text node; its tail is)."""
    stack: list[tuple[_Element, _Element | None, bool]] = [(top, parent, False)]
    while stack:
        element, holder, closed = stack.pop()
        if closed:
            if element.tail:
                yield element.tail, element, True, holder
            continue
        stack.append((element, holder, True))
        if element.text and isinstance(element.tag, str):
            yield element.text, element, False, element
        stack.extend((child, element, False) for child in reversed(element))


def _texts_before(element: _Element) -> Iterator[RawText]:
    """Every text node before ``element`` that is not an ancestor's tail, nearest first."""
    node: _Element | None = element
    while node is not None:
        parent = node.getparent()
        for sibling in node.itersiblings(preceding=True):
            yield from _texts_of_backwards(sibling, parent)
        if parent is not None and parent.text:
            yield parent.text, parent, False, parent
        node = parent


def _texts_of_backwards(top: _Element, parent: _Element | None) -> Iterator[RawText]:
    """``_texts_of(top)`` in reverse: its tail first, its own text last."""
    stack: list[tuple[_Element, _Element | None, bool]] = [(top, parent, False)]
    while stack:
        element, holder, opened = stack.pop()
        if opened:
            if element.text and isinstance(element.tag, str):
                yield element.text, element, False, element
            continue
        if element.tail:
            yield element.tail, element, True, holder
        stack.append((element, holder, True))
        stack.extend((child, element, False) for child in element)


def _shown(texts: Iterator[RawText]) -> Iterator[TextNode]:
    """The text nodes ``SHOWN_TEXT`` keeps: not blank, not in a script, style or template."""
    for value, owner, is_tail, holder in texts:
        if value.strip(XPATH_SPACES) and (holder is None or holder.tag not in HIDDEN_TEXT_PARENTS):
            yield TextNode(value, owner, is_tail)
