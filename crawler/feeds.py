"""Feeds and sitemaps as start sources, as news-please and Fundus use them. Pure parsing, no Scrapy.

Discovery: ``Sitemap:`` lines of robots.txt, and ``<link rel="alternate"
type="application/rss+xml">`` (or Atom) on a page. Parsing: RSS 2.0, RSS 1.0 (RDF), Atom,
sitemaps with the Google News extension, and sitemap indexes, gzipped or not. Each document gives
at most ``max_entries`` entries, newest first where it states dates, so a cron run reads a huge
sitemap at a bounded cost.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo
from typing import Any, cast

from lxml import etree
from lxml.etree import _Element

from crawler.cleaning import normalize_space
from crawler.dates import parse_iso, to_iso
from crawler.urls import joined

FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
# Sitemap lines read from one robots.txt: more are left out (the run fetches at most
# SITE_FEEDS_MAX_DOCUMENTS anyway).
MAX_ROBOTS_SITEMAPS = 1000
_SITEMAP_WORD = re.compile("sitemap", re.IGNORECASE)  # no anchor, no repeat: one linear scan
# Decompressed size above which a document is cut (a gzip bomb stops here).
MAX_BYTES = 16 * 1024 * 1024
_PARSER_OPTIONS: dict[str, Any] = {
    "recover": True, "resolve_entities": False, "no_network": True,
    "remove_comments": True, "remove_pis": True, "huge_tree": False,
}


@dataclass(frozen=True)
class FeedEntry:
    """An article a feed or sitemap lists: its URL, and its title and date where given."""

    url: str
    title: str | None = None
    published_at: str | None = None


@dataclass
class FeedDocument:
    """What one feed or sitemap holds. ``kind``: rss, atom, urlset, sitemapindex, or "" (none)."""

    kind: str = ""
    entries: list[FeedEntry] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    left_out: int = 0  # entries or child sitemaps beyond the cap


def robots_sitemaps(text: str, base_url: str) -> list[str]:
    """The ``Sitemap:`` URLs of a robots.txt, absolute, in order, without repeats.

    Only the lines holding the word are looked at, each once (found by a plain search): a
    multiline regex anchored at ``^\\s*`` rescans the blank lines after every line start
    (quadratic on a robots.txt of blank lines).
    """
    text = text.replace("\r", "\n")  # one line-end character: each search stops at its line
    found: dict[str, None] = {}
    word = _SITEMAP_WORD.search(text)
    while word is not None and len(found) < MAX_ROBOTS_SITEMAPS:
        start = text.rfind("\n", 0, word.start()) + 1
        end = text.find("\n", word.end())
        end = len(text) if end == -1 else end
        name, colon, value = text[start:end].partition(":")
        if colon and name.strip().lower() == "sitemap" and value.split():
            if url := joined(base_url, value.split()[0]):
                found[url] = None
        word = _SITEMAP_WORD.search(text, end)
    return list(found)


def feed_links(root: _Element, base_url: str) -> list[str]:
    """The RSS/Atom feeds a page announces with ``<link rel="alternate" type=...>``."""
    found: list[str] = []
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").strip().lower()
        href = (link.get("href") or "").strip()
        if "alternate" in rel and kind in FEED_TYPES and href and (url := joined(base_url, href)):
            found.append(url)
    return list(dict.fromkeys(found))


def parse_feed(body: bytes, base_url: str, max_entries: int = 300,
               tz: tzinfo = timezone.utc) -> FeedDocument:
    """The entries (or child sitemaps) of a feed or sitemap; an empty document if it is neither."""
    root = _parse_xml(_decompress(body))
    if root is None:
        return FeedDocument()
    kind = _local(root)
    if kind == "sitemapindex":
        dated = [(_text(s, "loc"), _date(_text(s, "lastmod"), tz))
                 for s in _children(root, "sitemap")]
        urls, left_out = _newest([(url, d) for u, d in dated if u and (url := joined(base_url, u))],
                                 max_entries)
        return FeedDocument(kind, sitemaps=urls, left_out=left_out)
    if kind == "urlset":
        items = [_sitemap_entry(u, base_url, tz) for u in _children(root, "url")]
    elif kind == "feed":
        kind, items = "atom", [_atom_entry(e, base_url, tz) for e in _children(root, "entry")]
    elif kind in ("rss", "rdf"):
        kind, items = "rss", [_rss_entry(i, base_url, tz) for i in root.iter("{*}item")]
    else:
        return FeedDocument()
    entries, left_out = _newest([i for i in items if i[0] is not None], max_entries)
    return FeedDocument(kind, entries=entries, left_out=left_out)


# --- one entry per format -----------------------------------------------------------------------
# (an entry or a URL, the date that orders it)
_Dated = tuple[Any, "datetime | None"]


def _sitemap_entry(node: _Element, base: str, tz: tzinfo) -> _Dated:
    loc = _text(node, "loc")
    news = next(_children(node, "news"), None)
    title = _text(news, "title") if news is not None else None
    published = _date(_text(news, "publication_date"), tz) if news is not None else None
    # lastmod orders entries (newest first) but is no publication date
    order = published or _date(_text(node, "lastmod"), tz)
    url = joined(base, loc) if loc else None
    return (FeedEntry(url, title, to_iso(published)) if url else None), order


def _rss_entry(node: _Element, base: str, tz: tzinfo) -> _Dated:
    link = _text(node, "link")
    guid = next(_children(node, "guid"), None)
    if not link and guid is not None and guid.get("isPermaLink", "true") != "false":
        link = normalize_space(guid.text or "")
    published = _date(_text(node, "pubDate") or _text(node, "date"), tz)
    url = joined(base, link) if link else None
    if not url:
        return None, None
    return FeedEntry(url, _text(node, "title"), to_iso(published)), published


def _atom_entry(node: _Element, base: str, tz: tzinfo) -> _Dated:
    href = next((link.get("href") for link in _children(node, "link")
                 if link.get("rel", "alternate") == "alternate" and link.get("href")), None)
    published = _date(_text(node, "published") or _text(node, "updated"), tz)
    url = joined(base, href.strip()) if href else None
    if not url:
        return None, None
    return FeedEntry(url, _text(node, "title"), to_iso(published)), published


# --- helpers ------------------------------------------------------------------------------------
def _newest(items: list[_Dated], cap: int) -> tuple[list[Any], int]:
    """At most ``cap`` items, newest first where dated (undated ones last, in document order)."""
    seen: set[str] = set()
    unique = []
    for item, when in items:
        key = item.url if isinstance(item, FeedEntry) else item
        if key not in seen:
            seen.add(key)
            unique.append((item, when))
    floor = datetime.min.replace(tzinfo=timezone.utc)
    ordered = sorted(unique, key=lambda pair: pair[1] or floor, reverse=True)
    return [item for item, _ in ordered[:cap]], max(0, len(ordered) - cap)


def _decompress(body: bytes) -> bytes:
    if not body.startswith(b"\x1f\x8b"):
        return body[:MAX_BYTES]
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(body, MAX_BYTES)
    except zlib.error:
        return b""


def _parse_xml(data: bytes) -> _Element | None:
    if not data.strip():
        return None
    try:
        root = etree.fromstring(data, etree.XMLParser(**_PARSER_OPTIONS))
    except etree.XMLSyntaxError:
        return None
    return root


def _local(node: _Element) -> str:
    """The tag without its namespace, lower-cased ("" for a comment). Not ``etree.QName``: the
    recovering parser makes tags QName refuses (``<https://...`` is a tag named ``https:``)."""
    tag = node.tag
    return tag.rpartition("}")[2].lower() if isinstance(tag, str) else ""


def _children(node: _Element, name: str) -> Iterator[_Element]:
    return (child for child in node if isinstance(child.tag, str) and _local(child) == name.lower())


def _text(node: _Element | None, name: str) -> str | None:
    child = next(_children(node, name), None) if node is not None else None
    # lxml-stubs type itertext() as str | bytes; on Python 3 lxml yields str only
    text = (
        normalize_space("".join(cast("Iterator[str]", child.itertext())))
        if child is not None else ""
    )
    return text or None


def _date(value: str | None, tz: tzinfo) -> datetime | None:
    parsed = parse_iso(value, tz) if value else None
    if parsed is None:
        return None
    # in the site's zone, as its pages print it: a listed date then compares with the page's date
    return parsed.replace(tzinfo=tz) if parsed.tzinfo is None else parsed.astimezone(tz)
