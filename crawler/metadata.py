"""Structured metadata of a page: OpenGraph and <meta> tags, JSON-LD article objects."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from lxml.etree import _Element

from crawler.cleaning import normalize_space

ARTICLE_TYPES = frozenset(
    {"Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting",
     "TechArticle", "OpinionNewsArticle", "ReviewNewsArticle", "Report", "WebPage"}
)


class PageMetadata:
    """Meta tags (by name or property, lower-cased) and the page's main JSON-LD article object."""

    def __init__(self, root: _Element) -> None:
        self.meta: dict[str, str] = {}
        for node in root.iter("meta"):
            key = (node.get("property") or node.get("name") or node.get("itemprop") or "").lower()
            content = node.get("content")
            if key and content and key not in self.meta:
                self.meta[key] = normalize_space(content)
        self.jsonld: dict[str, Any] = _main_jsonld(root)
        self.lang: str | None = root.get("lang") or root.get("xml:lang")
        title = root.find(".//title")
        self.html_title = normalize_space(title.text_content()) if title is not None else ""

    def first(self, *keys: str) -> str | None:
        for key in keys:
            if self.meta.get(key):
                return self.meta[key]
        return None

    def ld(self, key: str) -> Any:
        return self.jsonld.get(key)

    def ld_text(self, key: str) -> str | None:
        value = self.jsonld.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, dict):
            value = value.get("name") or value.get("@id")
        return normalize_space(str(value)) if value else None

    def ld_names(self, key: str) -> list[str]:
        """Names from a JSON-LD person/organisation field that may be a string, object or list."""
        value = self.jsonld.get(key)
        items = value if isinstance(value, list) else [value]
        names = []
        for item in items:
            name = item.get("name") if isinstance(item, dict) else item
            if isinstance(name, str) and name.strip():
                names.append(normalize_space(name))
        return names


def _main_jsonld(root: _Element) -> dict[str, Any]:
    for obj in _jsonld_objects(root):
        types = obj.get("@type")
        types = types if isinstance(types, list) else [types]
        if any(t in ARTICLE_TYPES for t in types if isinstance(t, str)) and (
            obj.get("headline") or obj.get("articleBody") or obj.get("datePublished")
        ):
            return obj
    return {}


def _jsonld_objects(root: _Element) -> Iterator[dict[str, Any]]:
    for script in root.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        yield from _flatten(data)


def _flatten(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _flatten(data["@graph"])
