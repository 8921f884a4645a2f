"""Structured metadata of a page: OpenGraph and <meta> tags, JSON-LD article objects."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, cast

from lxml.etree import _Element

from crawler.cleaning import normalize_space
from crawler.urls import joined

if TYPE_CHECKING:
    from lxml.html import HtmlElement

JSONLD_TYPES = frozenset({"application/ld+json", "application/json+ld"})
# The object describing the article: one of these types, else one describing the page.
ARTICLE_TYPES = frozenset({
    "Article", "NewsArticle", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle",
    "OpinionNewsArticle", "ReviewNewsArticle", "BackgroundNewsArticle", "TechArticle",
    "ScholarlyArticle", "Report", "LiveBlogPosting", "SocialMediaPosting", "PressRelease",
})
PAGE_TYPES = frozenset({"WebPage", "ItemPage", "AboutPage"})


class PageMetadata:
    """Meta tags (by property/name/itemprop/http-equiv, lower-cased) and the page's main
    JSON-LD object: what the page states about itself."""

    def __init__(self, root: _Element) -> None:
        self.meta_all: dict[str, list[str]] = meta_tags(root)
        # the first value of each tag, spaces normalised
        self.meta: dict[str, str] = {k: normalize_space(v[0]) for k, v in self.meta_all.items()}
        # every JSON-LD object of the page, parsed once (an author's @id is looked up in them)
        self.ld_objects: list[dict[str, Any]] = jsonld_objects(root)
        self.jsonld: dict[str, Any] = article_object(self.ld_objects)
        self.lang: str | None = root.get("lang") or root.get("xml:lang")
        self.canonical_href: str | None = canonical_href(root)
        title = root.find(".//title")
        # pages are parsed with lxml.html: <title> is an HtmlElement
        self.html_title = (
            normalize_space(cast("HtmlElement", title).text_content()) if title is not None else ""
        )

    def first(self, *keys: str) -> str | None:
        """The first of ``keys`` the page has a non-empty tag for."""
        for key in keys:
            if self.meta.get(key):
                return self.meta[key]
        return None

    def all(self, *keys: str) -> list[str]:
        """Every value of every one of ``keys``, in key order, then page order."""
        return [v for key in keys for v in self.meta_all.get(key, [])]

    def ld(self, key: str) -> Any:
        return self.jsonld.get(key)

    def ld_text(self, key: str) -> str | None:
        value = self.jsonld.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, dict):
            value = value.get("name") or value.get("@id")
        return normalize_space(str(value)) or None if value else None

    def ld_names(self, key: str) -> list[str]:
        """Names from a JSON-LD person/organisation field that may be a string, object or list."""
        return [n for n in map(normalize_space, names_of(self.jsonld.get(key))) if n]

    def ld_types(self) -> set[str]:
        return types_of(self.jsonld)

    def canonical_url(self, base_url: str | None) -> str | None:
        """The page's own name for itself: ``<link rel="canonical">``, else ``og:url``, made
        absolute against ``base_url``; None when the page names none (or no URL)."""
        found = self.canonical_href or self.first("og:url")
        return joined(base_url or "", found) if found else None


def canonical_href(root: _Element) -> str | None:
    """The first ``<link>`` whose ``rel`` tokens include ``canonical`` (``rel="Canonical"``,
    ``rel="canonical amphtml"`` too), as written."""
    for link in root.iter("link"):
        href = (link.get("href") or "").strip()
        if href and "canonical" in (link.get("rel") or "").lower().split():
            return href
    return None


def meta_tags(root: _Element) -> dict[str, list[str]]:
    """<meta> contents keyed by lower-cased property/name/itemprop/http-equiv, in page order."""
    tags: dict[str, list[str]] = {}
    for meta in root.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        key = key or meta.get("http-equiv")
        content = (meta.get("content") or "").strip()
        if key and content:
            tags.setdefault(key.strip().lower(), []).append(content)
    return tags


# A JSON-LD document nested deeper than this is not read (real ones nest a few levels).
JSONLD_MAX_DEPTH = 32


def _walk_jsonld(node: Any) -> Iterator[dict[str, Any]]:
    # iterative, and only this deep: a hostile page nests thousands of levels
    stack: list[tuple[Any, int]] = [(node, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > JSONLD_MAX_DEPTH:
            continue
        if isinstance(node, list):
            stack.extend((item, depth + 1) for item in reversed(node))
        elif isinstance(node, dict):
            yield node
            stack.extend(((node.get("mainEntity"), depth + 1), (node.get("@graph"), depth + 1)))


def jsonld_objects(root: _Element) -> list[dict[str, Any]]:
    """Every JSON-LD object on the page, @graph members included; broken scripts skipped."""
    found: list[dict[str, Any]] = []
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() not in JSONLD_TYPES:
            continue
        raw = (script.text or "").strip().rstrip(";")
        try:
            document = json.loads(raw)
        except (ValueError, RecursionError):  # json.loads recurses per level of nesting
            continue
        if not _nested_deeper(document, JSONLD_MAX_DEPTH):  # readers of values recurse too
            found.extend(_walk_jsonld(document))
    return found


def _nested_deeper(value: Any, limit: int) -> bool:
    stack = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        children = node.values() if isinstance(node, dict) else node if isinstance(
            node, list) else ()
        stack.extend((child, depth + 1) for child in children)
    return False


def types_of(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type") or ()
    return {kind} if isinstance(kind, str) else {k for k in kind if isinstance(k, str)}


def article_object(objects: list[dict[str, Any]]) -> dict[str, Any]:
    """The JSON-LD object describing the article, or the page, or nothing."""
    for wanted in (ARTICLE_TYPES, PAGE_TYPES):
        for obj in objects:
            if types_of(obj) & wanted:
                return obj
    return {}


def names_of(value: Any) -> list[str]:
    """Person/organisation names from a JSON-LD value (string, object or list of either)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        name = value.get("name")
        return names_of(name) if name else []
    if isinstance(value, list):
        return [n for item in value for n in names_of(item)]
    return []


def url_of(value: Any) -> str | None:
    """An image URL from a JSON-LD value (string, ImageObject or list of either)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return url_of(value.get("url") or value.get("contentUrl"))
    if isinstance(value, list):
        return next((u for u in map(url_of, value) if u), None)
    return None
