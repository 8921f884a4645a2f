"""Article metadata from JSON-LD, OpenGraph and <meta> tags, with DOM fallbacks."""

from __future__ import annotations

import re
from typing import Any, TypeAlias
from urllib.parse import urljoin

from lxml import html

from crawler.cleaning import normalize_space
from crawler.dates import metadata_date_iso
from crawler.extract import patterns as pat
from crawler.extract.filters import text_key
from crawler.metadata import PageMetadata, names_of, url_of

# lxml-stubs 0.5.1 do not declare HtmlElement (it resolves to Any there)
Element: TypeAlias = html.HtmlElement
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


def _names_site(part: str, site: str) -> bool:
    key = text_key(part)
    return len(key) >= 3 and (key == site or site in key or key in site)


def strip_site_name(title: str, site_name: str | None, guess: bool = False) -> str:
    """``title`` without the site's name after or before a separator ('Story - Site').

    With ``guess``, a short last part is taken for the site name even when the page names no
    site: a <title> almost always ends with it."""
    seps = list(pat.TITLE_SEPARATOR.finditer(title))
    if not seps:
        return title
    head, tail = title[: seps[-1].start()].strip(), title[seps[-1].end() :].strip()
    site = text_key(site_name or "")
    if site and _names_site(tail, site):
        return head or title
    if site and _names_site(title[: seps[0].start()], site):
        return title[seps[0].end() :].strip() or title
    if guess and len(tail.split()) <= pat.SITE_NAME_MAX_WORDS and len(head) > len(tail):
        return head
    return title


def _site_name(md: PageMetadata) -> str | None:
    return _text(names_of(md.ld("publisher"))) or md.first(*pat.META_SITE_NAME)


def _title(md: PageMetadata, root: Element) -> str | None:
    found = md.ld_text("headline")
    if found:
        return found
    site = _site_name(md)
    meta_title = md.first(*pat.META_TITLE)
    if meta_title:
        return strip_site_name(meta_title, site)
    h1 = root.xpath("//h1")
    if h1 and normalize_space(h1[0].text_content()):
        return normalize_space(h1[0].text_content())
    return strip_site_name(md.html_title, site, guess=True) or None


def _authors(md: PageMetadata, root: Element) -> list[str]:
    names = names_of(md.ld("author") or md.ld("creator"))
    if not names:
        names = [n for n in md.all(*pat.META_AUTHOR) if "://" not in n]
    if not names:
        names = [el.text_content() for el in root.xpath(pat.BYLINE_XPATH)]
    return [n for n in _unique(names) if len(n) <= 80]


def _published(md: PageMetadata, root: Element) -> str | None:
    for value in (md.ld("datePublished"), md.ld("dateCreated"),
                  md.first(*pat.META_PUBLISHED), *root.xpath(pat.TIME_XPATH)):
        iso = metadata_date_iso(_text(value))
        if iso:
            return iso
    return None


def guess_date(root: Element, url: str | None) -> str | None:
    """htmldate's best original-publication date, for pages without structured dates."""
    from htmldate import find_date  # loaded lazily: only pages without metadata need it

    try:
        found = find_date(root, url=url, original_date=True, extensive_search=False,
                          outputformat="%Y-%m-%d")
    except (ValueError, TypeError):
        return None
    return found or None


def _language(md: PageMetadata) -> str | None:
    return language_tag(md.lang or _text(md.ld("inLanguage")) or md.first(*pat.META_LANGUAGE))


def _image(md: PageMetadata, url: str | None) -> str | None:
    found = md.first(*pat.META_IMAGE) or url_of(md.ld("image"))
    return urljoin(url or "", found) if found else None


def _canonical(md: PageMetadata, root: Element, url: str | None) -> str | None:
    links = root.xpath('//link[@rel="canonical"]/@href')
    found = links[0].strip() if links else md.first("og:url")
    return urljoin(url or "", found) if found else url


def extract_metadata(root: Element, url: str | None = None) -> dict[str, Any]:
    """Every metadata field the page states; None or [] where it states nothing."""
    md = PageMetadata(root)
    return {
        "title": _title(md, root),
        "published_at": _published(md, root) or guess_date(root, url),
        "modified_at": metadata_date_iso(
            _text(md.ld("dateModified")) or md.first(*pat.META_MODIFIED)),
        "authors": _authors(md, root),
        "language": _language(md),
        "lead_image": _image(md, url),
        "description": _text(md.ld("description")) or md.first(*pat.META_DESCRIPTION),
        "keywords": _split([md.ld("keywords"), *md.all(*pat.META_KEYWORDS)]),
        "section": _text(md.ld("articleSection")) or md.first(*pat.META_SECTION),
        "site_name": _site_name(md),
        "url": _canonical(md, root, url),
        "type": _text(sorted(md.ld_types())) or md.first("og:type"),
        "structured_body": _full_text(md.ld("articleBody")),
    }
