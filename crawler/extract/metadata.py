"""Article metadata from JSON-LD, OpenGraph and <meta> tags, with DOM fallbacks."""

from __future__ import annotations

import re
from typing import Any, TypeAlias
from urllib.parse import urljoin

from lxml import html

from crawler.cleaning import normalize_space, text_key
from crawler.dates import metadata_date_iso
from crawler.extract import patterns as pat
from crawler.fields import Candidate, site_names
from crawler.fields.authors import author_candidates, choose_authors
from crawler.fields.keywords import choose_keywords, tag_candidates
from crawler.fields.language import declared_languages
from crawler.fields.published import choose_published, machine_stamps, url_stamp, visible_stamp
from crawler.fields.title import choose_title, headline_element, visible_headlines
from crawler.metadata import PageMetadata, names_of, url_of

# lxml-stubs 0.5.1 do not declare HtmlElement (it resolves to Any there)
Element: TypeAlias = html.HtmlElement
_LIST_SPLIT = re.compile(r"\s*[,;，；、|]\s*")


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


def _title(md: PageMetadata, root: Element, url: str | None) -> Candidate[str] | None:
    return choose_title(md, visible_headlines(root), site_names(md, url))


def _authors(md: PageMetadata, root: Element, url: str | None, headline: Element | None
             ) -> Candidate[list[str]] | None:
    return choose_authors(author_candidates(md, root, headline), site_names(md, url))


def _keywords(md: PageMetadata, root: Element) -> Candidate[list[str]] | None:
    return choose_keywords(tag_candidates(md, root))


def _published(md: PageMetadata, root: Element, url: str | None, headline: Element | None
               ) -> Candidate[str] | None:
    found = choose_published(machine_stamps(md, root), visible_stamp(headline), url_stamp(url))
    return Candidate(found.value.iso(), found.source) if found is not None else None


def _guessed(root: Element, url: str | None) -> Candidate[str] | None:
    found = guess_date(root, url)
    return Candidate(found, "guess") if found else None


def guess_date(root: Element, url: str | None) -> str | None:
    """htmldate's best original-publication date, for pages without structured dates."""
    from htmldate import find_date  # loaded lazily: only pages without metadata need it

    try:
        found = find_date(root, url=url, original_date=True, extensive_search=False,
                          outputformat="%Y-%m-%d")
    except (ValueError, TypeError):
        return None
    return found or None


def _image(md: PageMetadata, url: str | None) -> str | None:
    found = md.first(*pat.META_IMAGE) or url_of(md.ld("image"))
    return urljoin(url or "", found) if found else None


def _value(found: Candidate[Any] | None, empty: Any = None) -> Any:
    return found.value if found is not None else empty


def extract_metadata(root: Element, url: str | None = None) -> dict[str, Any]:
    """Every metadata field the page states; None or [] where it states nothing. ``sources``
    says, per evidence-ranked field, which source won."""
    md = PageMetadata(root)
    title = _title(md, root, url)
    headline = headline_element(root, title.value if title else None)
    chosen: dict[str, Candidate[Any] | None] = {
        "title": title,
        "published_at": _published(md, root, url, headline) or _guessed(root, url),
        "authors": _authors(md, root, url, headline),
        "keywords": _keywords(md, root),
    }
    record: dict[str, Any] = {
        field: _value(found, [] if field in ("authors", "keywords") else None)
        for field, found in chosen.items()
    }
    record.update({
        "modified_at": metadata_date_iso(
            _text(md.ld("dateModified")) or md.first(*pat.META_MODIFIED)),
        "lead_image": _image(md, url),
        "description": _text(md.ld("description")) or md.first(*pat.META_DESCRIPTION),
        "section": _text(md.ld("articleSection")) or md.first(*pat.META_SECTION),
        "site_name": _site_name(md),
        "url": md.canonical_url(url) or url,
        "type": _text(sorted(md.ld_types())) or md.first("og:type"),
        "structured_body": _full_text(md.ld("articleBody")),
        "declared_languages": declared_languages(md),
        "sources": {f: c.source for f, c in chosen.items() if c is not None and c.value},
    })
    return record
