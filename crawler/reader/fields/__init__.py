"""Evidence-ranked article fields: each field gathers candidates from every source a page
offers and chooses by agreement and precision; each choice says which source won.

Sources (``Candidate.source``): ``site`` (a site module's rule), ``visible`` (text a reader
sees near the headline), ``time`` (``<time datetime>``), ``microformat`` (``abbr.published``,
``rel=author``, ``rel=tag``, ``itemprop``), ``meta`` (``<meta>`` tags), ``jsonld``, ``html``
(the ``<title>``), ``url``, ``text`` (a language identifier on the text), ``data`` (a
``data-`` attribute naming a publication time), ``guess`` (htmldate).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit

from crawler.cleaning import normalize_space
from crawler.reader.metadata import PageMetadata, names_of
from crawler.urls import registered_domain

T = TypeVar("T")
# An XPath predicate for text nodes a reader sees (scripts and styles are not shown).
SHOWN_TEXT = ("normalize-space() and not(parent::script or parent::style or parent::noscript"
              " or parent::template)")


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
    return normalize_space("".join(str(t) for t in element.itertext()))
