"""``extract_article``: the generic extractor every site parser falls back on."""

from __future__ import annotations

from typing import Any

from lxml import html

from crawler import reading
from crawler.cleaning import clean_body, text_key
from crawler.extract.body import extract_body, page_context
from crawler.extract.encoding import decode_html
from crawler.extract.metadata import extract_metadata
from crawler.fields.language import choose_language

# Below this share of the JSON-LD articleBody's length, the HTML body is a stub.
STRUCTURED_SHARE = 0.5

FIELDS = (
    "title", "published_at", "modified_at", "authors", "body", "language", "lead_image",
    "description", "keywords", "section", "site_name", "url", "type", "sources",
)


def empty_article(url: str | None = None) -> dict[str, Any]:
    """The record for a page with nothing to extract: every field present, none filled."""
    record: dict[str, Any] = dict.fromkeys(FIELDS)
    record.update(authors=[], keywords=[], body="", url=url, sources={})
    return record


def parse_html(page: str | bytes, headers_charset: str | None = None) -> html.HtmlElement | None:
    """The page as an lxml tree, bytes decoded like a browser would; None when unparseable."""
    text = decode_html(page, headers_charset) if isinstance(page, bytes) else page
    tree = reading.parse_html(text)  # the project's one parser: deep pages are read whole
    return tree if isinstance(tree, html.HtmlElement) else None


def extract_article(
    page: str | bytes, url: str | None = None, headers_charset: str | None = None
) -> dict[str, Any]:
    """Title, date, authors, body and the page's structured metadata, as one flat dict.

    ``page`` is the HTML as text, or the raw bytes (then ``headers_charset``, the charset of
    the HTTP Content-Type header, wins over the page's own <meta>).
    """
    root = parse_html(page, headers_charset)
    if root is None:
        return empty_article(url)
    record = empty_article(url)
    record.update(extract_metadata(root, url))
    structured = record.pop("structured_body", None)
    record["body"] = generic_body(root, url, record["title"], record["description"], structured)
    language = choose_language(record.pop("declared_languages"),
                               f"{record['title'] or ''}\n{record['body']}")
    record["language"] = language.value if language is not None else None
    if language is not None:
        record["sources"]["language"] = language.source
    return record


def generic_body(root: html.HtmlElement, url: str | None, title: str | None,
                 description: str | None, structured: str | None = None) -> str:
    """The generic reader's body of an already parsed page (a site page's fallback reads its
    own tree with it: no second parse, no metadata it would not use)."""
    ctx = page_context(root, title, description)
    return prefer_structured(extract_body(root, url, ctx), structured)


def prefer_structured(body: str, structured: str | None) -> str:
    """JSON-LD articleBody when the page's HTML carries much less of the text (script-rendered
    pages, teaser-only HTML); the HTML body otherwise, as its paragraph breaks are reliable."""
    if not structured:
        return body
    structured = clean_body(structured)
    if len(body) < STRUCTURED_SHARE * len(structured):
        return structured
    # the same words: the JSON-LD copy keeps paragraph breaks a fallback extraction lost
    return structured if text_key(body) == text_key(structured) else body
