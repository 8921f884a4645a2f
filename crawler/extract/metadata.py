"""Article metadata from JSON-LD, OpenGraph and <meta> tags, with DOM fallbacks."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

from lxml import html

from crawler.cleaning import normalize_space
from crawler.extract import patterns as pat
from crawler.extract.dates import guess_date, to_iso
from crawler.extract.structured import (
    article_object,
    first_meta,
    jsonld_objects,
    meta_tags,
    names_of,
    url_of,
)

Element = html.HtmlElement
_LIST_SPLIT = re.compile(r"\s*[,;，；、|]\s*")
_LANG = re.compile(r"^([a-zA-Z]{2,3})(?:[-_]([a-zA-Z]{2}|\d{3}|[a-zA-Z]{4}))?")


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), None)
    return normalize_space(value) or None if isinstance(value, str) else None


def _full_text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _unique(items: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for item in items:
        item = normalize_space(item)
        if item and item.lower() not in seen:
            seen[item.lower()] = item
    return list(seen.values())


def _split(values: list[Any]) -> list[str]:
    # a JSON-LD list is already split: its items may contain commas ("Bevin, Matthew")
    out: list[str] = []
    for value in values:
        if isinstance(value, list):
            out.extend(v for v in value if isinstance(v, str))
        elif isinstance(value, str):
            out.extend(_LIST_SPLIT.split(value))
    return _unique(out)


def language_tag(value: str | None) -> str | None:
    """'en', 'pt-BR', 'zh-CN': primary subtag lower case, region upper case."""
    match = _LANG.match(value.strip()) if value else None
    if not match:
        return None
    lang, region = match.group(1).lower(), match.group(2)
    return f"{lang}-{region.upper() if len(region) == 2 else region}" if region else lang


def _title(obj: dict[str, Any], tags: dict[str, list[str]], root: Element) -> str | None:
    found = _text(obj.get("headline")) or _text(first_meta(tags, pat.META_TITLE))
    if found:
        return found
    h1 = root.xpath("//h1")
    if h1:
        return normalize_space(h1[0].text_content()) or None
    title = root.find(".//title")
    return normalize_space(title.text_content()) or None if title is not None else None


def _authors(obj: dict[str, Any], tags: dict[str, list[str]], root: Element) -> list[str]:
    names = names_of(obj.get("author") or obj.get("creator"))
    if not names:
        names = [a for key in pat.META_AUTHOR for a in tags.get(key, [])]
        names = [n for n in names if "://" not in n]
    if not names:
        names = [el.text_content() for el in root.xpath(pat.BYLINE_XPATH)]
    return [n for n in _unique(names) if len(n) <= 80]


def _published(obj: dict[str, Any], tags: dict[str, list[str]], root: Element) -> str | None:
    for value in (obj.get("datePublished"), obj.get("dateCreated"),
                  first_meta(tags, pat.META_PUBLISHED), *root.xpath(pat.TIME_XPATH)):
        iso = to_iso(_text(value))
        if iso:
            return iso
    return None


def _language(obj: dict[str, Any], tags: dict[str, list[str]], root: Element) -> str | None:
    return language_tag(
        root.get("lang") or root.get("xml:lang") or _text(obj.get("inLanguage"))
        or first_meta(tags, pat.META_LANGUAGE)
    )


def _image(obj: dict[str, Any], tags: dict[str, list[str]], url: str | None) -> str | None:
    found = first_meta(tags, pat.META_IMAGE) or url_of(obj.get("image"))
    return urljoin(url or "", found) if found else None


def _canonical(root: Element, tags: dict[str, list[str]], url: str | None) -> str | None:
    links = root.xpath('//link[@rel="canonical"]/@href')
    found = links[0].strip() if links else first_meta(tags, ("og:url",))
    return urljoin(url or "", found) if found else url


def extract_metadata(root: Element, url: str | None = None) -> dict[str, Any]:
    """Every metadata field the page states; None or [] where it states nothing."""
    obj = article_object(jsonld_objects(root))
    tags = meta_tags(root)
    published = _published(obj, tags, root)
    return {
        "title": _title(obj, tags, root),
        "published_at": published or guess_date(root, url),
        "modified_at": to_iso(_text(obj.get("dateModified"))
                              or first_meta(tags, pat.META_MODIFIED)),
        "authors": _authors(obj, tags, root),
        "language": _language(obj, tags, root),
        "lead_image": _image(obj, tags, url),
        "description": _text(obj.get("description")) or first_meta(tags, pat.META_DESCRIPTION),
        "keywords": _split([obj.get("keywords")] + [
            v for key in pat.META_KEYWORDS for v in tags.get(key, [])]),
        "section": _text(obj.get("articleSection")) or first_meta(tags, pat.META_SECTION),
        "site_name": _text(names_of(obj.get("publisher"))) or first_meta(tags, pat.META_SITE_NAME),
        "url": _canonical(root, tags, url),
        "type": _text(sorted(_types_of(obj))) or first_meta(tags, ("og:type",)),
        "structured_body": _full_text(obj.get("articleBody")),
    }


def _types_of(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type") or []
    return {kind} if isinstance(kind, str) else {k for k in kind if isinstance(k, str)}
