"""Read JSON-LD and <meta> tags into plain dicts: the page's own statement about itself."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from lxml import html

from crawler.extract import patterns as pat

Element = html.HtmlElement


def _walk_jsonld(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for item in node:
            yield from _walk_jsonld(item)
    elif isinstance(node, dict):
        yield node
        yield from _walk_jsonld(node.get("@graph"))
        yield from _walk_jsonld(node.get("mainEntity"))


def jsonld_objects(root: Element) -> list[dict[str, Any]]:
    """Every JSON-LD object on the page, @graph members included; broken scripts skipped."""
    found: list[dict[str, Any]] = []
    for script in root.xpath(pat.JSONLD_XPATH):
        raw = (script.text or "").strip().rstrip(";")
        try:
            found.extend(_walk_jsonld(json.loads(raw)))
        except ValueError:
            continue
    return found


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type") or ()
    return {kind} if isinstance(kind, str) else {k for k in kind if isinstance(k, str)}


def article_object(objects: list[dict[str, Any]]) -> dict[str, Any]:
    """The JSON-LD object describing the article, or the page, or nothing."""
    for wanted in (pat.JSONLD_ARTICLE_TYPES, pat.JSONLD_PAGE_TYPES):
        for obj in objects:
            if _types(obj) & wanted:
                return obj
    return {}


def meta_tags(root: Element) -> dict[str, list[str]]:
    """<meta> contents keyed by lower-cased property/name/itemprop, in page order."""
    tags: dict[str, list[str]] = {}
    for meta in root.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        key = key or meta.get("http-equiv")
        content = (meta.get("content") or "").strip()
        if key and content:
            tags.setdefault(key.strip().lower(), []).append(content)
    return tags


def first_meta(tags: dict[str, list[str]], names: tuple[str, ...]) -> str | None:
    """Content of the first of ``names`` the page has."""
    for name in names:
        if tags.get(name):
            return tags[name][0]
    return None


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
