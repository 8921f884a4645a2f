"""The elements a page marks for machines, found in one pass over its tree: microdata
(``itemprop``), link relations (``rel``), ``<time datetime>``, ``data-`` attributes naming a
publication time, and classes naming tags, keywords, bylines or publication dates.

The field readers ask half a dozen questions of these elements (``rel=author``, ``rel=tag``,
``itemprop=datePublished``, ``abbr.published``, a tag list's class...). Asked as whole-tree XPath
queries, each visits every node of the page (libxml2 tests each predicate on each element, and
sorts unions into page order): together they cost a reading worker more than the one pass below,
which keeps the few elements that carry such a mark (a few dozen on a news page), in page order.
Each question is then answered from them, with the XPath query's meaning exactly: the queries
stay beside their readers as the definition, and tests hold each answer to its query.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import cast

from lxml import etree
from lxml.etree import _Element

# Attributes whose presence alone marks an element.
MARKING_ATTRIBUTES = frozenset({"itemprop", "rel", "datetime"})
# Words in a class attribute that the readers look for (as XPath ``contains(@class, ...)``).
TAG_CLASS_WORDS = ("tag", "keyword")
BYLINE_CLASS_WORD = "byline__name"
PUBLISHED_CLASS_WORD = "published"
MARKING_CLASS = re.compile("|".join(map(re.escape, (*TAG_CLASS_WORDS, BYLINE_CLASS_WORD,
                                                     PUBLISHED_CLASS_WORD))))
# ``data-`` attributes whose name says publication ("data-publish-date", "data-pubdate",
# "data-deploy-dt"), as XPath ``starts-with(name(), 'data-') and contains(name(), ...)``.
DATA_PREFIX = "data-"
DATA_PREFIX_CHARS = len(DATA_PREFIX)
DATA_PUBLISHED_WORDS = ("publi", "pubdate", "deploy")
# Common attribute names that never mark an element: one carrying only these (a link's href,
# title and target) is passed over without a closer look. (Not a mark's name, "class" nor "data-".)
PLAIN_ATTRIBUTES = frozenset(
    "href title target src alt width height id type name content style border value property "
    "lang charset http-equiv action method for colspan rowspan align valign role tabindex "
    "onclick placeholder size maxlength autocomplete frameborder scrolling loading".split())
# What XPath's normalize-space() takes for a space (XML's, not Unicode's).
XPATH_SPACES = " \t\r\n"
XPATH_SPACE_RUN = re.compile(f"[{XPATH_SPACES}]+")
# An element's attribute names and values in its order: lxml's own method, called as a function
# (no Python frame per element), typed as HTML gives them (lxml-stubs allow bytes).
element_attributes = cast("Callable[[_Element], list[tuple[str, str]]]", etree._Element.items)
attribute_names = cast("Callable[[_Element], list[str]]", etree._Element.keys)


class PageMarks:
    """The marked elements of the document ``root`` belongs to, in page order, and the answers
    of the readers' whole-tree queries over them. ``elements``: those elements where a walk of
    the whole page found them already (``crawler.reader.document.PageText``, ``marks=True``)."""

    def __init__(self, root: _Element, elements: list[_Element] | None = None) -> None:
        self.elements: list[_Element] = (
            elements if elements is not None else marked_in(root.getroottree().getroot()))

    def time_datetimes(self) -> list[str]:
        """``//time[@datetime]/@datetime``."""
        return [value for element in self.elements if element.tag == "time"
                and (value := element.get("datetime")) is not None]

    def published_microformats(self) -> list[str]:
        """``//abbr[@title][contains(@class, "published")]/@title
        | //*[@itemprop="datePublished"][not(self::meta)]/@datetime
        | //*[@itemprop="datePublished"][not(self::meta)]/@content``."""
        found: list[str] = []
        for element in self.elements:
            abbr = element.tag == "abbr" and PUBLISHED_CLASS_WORD in _class(element)
            dated = element.get("itemprop") == "datePublished" and element.tag != "meta"
            if abbr or dated:
                found += [value for name, value in element_attributes(element)
                          if (abbr and name == "title") or (dated and name in ("datetime",
                                                                               "content"))]
        return found

    def data_published(self) -> list[tuple[str, str]]:
        """Name and value of each ``//@*[starts-with(name(), 'data-') and (contains(name(),
        'publi') or contains(name(), 'pubdate') or contains(name(), 'deploy'))]``."""
        return [(name, value) for element in self.elements
                for name, value in element_attributes(element) if _names_publication(name)]

    def tag_links(self) -> list[_Element]:
        """``//a[@rel][contains(concat(" ", normalize-space(@rel), " "), " tag ")]
        [not(contains(concat(" ", normalize-space(@rel), " "), " category "))]``."""
        return [element for element in self.elements if element.tag == "a"
                and "tag" in (words := _xpath_words(element.get("rel")))
                and "category" not in words]

    def tag_classed(self) -> list[_Element]:
        """``//*[contains(@class, "tag") or contains(@class, "keyword")]``."""
        return [element for element in self.elements
                if any(word in _class(element) for word in TAG_CLASS_WORDS)]

    def author_links(self) -> list[_Element]:
        """``//a[@rel="author"]``."""
        return [element for element in self.elements
                if element.tag == "a" and element.get("rel") == "author"]

    def author_microformats(self) -> list[_Element]:
        """``//a[@rel="author"] | //*[@itemprop="author"]//*[@itemprop="name"]
        | //*[@itemprop="author"][not(.//*[@itemprop="name"])][not(self::meta or self::link)]
        | //*[contains(@class, "byline__name")]``."""
        return list(self._author_microformats())

    def _author_microformats(self) -> Iterator[_Element]:
        for element in self.elements:
            prop = element.get("itemprop")
            if (element.tag == "a" and element.get("rel") == "author") or (
                    BYLINE_CLASS_WORD in _class(element)):
                yield element
            elif prop == "name" and any(a.get("itemprop") == "author"
                                        for a in element.iterancestors(etree.Element)):
                yield element
            elif prop == "author" and element.tag not in ("meta", "link") and not any(
                    d.get("itemprop") == "name" for d in element.iterdescendants(etree.Element)):
                yield element


def marks_element(element: _Element, names: list[str]) -> bool:
    """Whether ``element``, its attributes named ``names``, is marked for machines. (Names
    first, the class's value only where there is one: an element's items() makes a string of
    every value, a link's long URL and title too, and most elements are no mark.)"""
    if not MARKING_ATTRIBUTES.isdisjoint(names):
        return True
    if "class" in names and MARKING_CLASS.search(element.get("class") or ""):
        return True
    for name in names:
        if name[:DATA_PREFIX_CHARS] == DATA_PREFIX and _names_publication(name):
            return True
    return False


def is_marked(element: _Element) -> bool:
    """Whether ``element`` is marked for machines: most elements carry no attribute, or only
    plain ones (``href``, ``title``...), and are told apart by their names alone.
    (``crawler.reader.document.PageText._walk`` inlines this: one call per element of a page.)"""
    names = attribute_names(element)
    return bool(names) and not PLAIN_ATTRIBUTES.issuperset(names) and marks_element(element, names)


def marked_in(top: _Element) -> list[_Element]:
    """The marked elements of the subtree ``top`` (itself included), in page order."""
    return [element for element in top.iter(etree.Element) if is_marked(element)]


def _names_publication(name: str) -> bool:
    return name.startswith(DATA_PREFIX) and any(word in name for word in DATA_PUBLISHED_WORDS)


def _class(element: _Element) -> str:
    return element.get("class") or ""


def _xpath_words(value: str | None) -> list[str]:
    """The words of an attribute as ``normalize-space()`` separates them."""
    return XPATH_SPACE_RUN.split(value.strip(XPATH_SPACES)) if value else []
