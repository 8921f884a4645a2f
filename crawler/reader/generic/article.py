"""``extract_article``: the generic extractor every site parser falls back on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import cached_property
from typing import Any

from lxml import html

from crawler.cleaning import clean_body, normalize_space, paragraphs, text_key
from crawler.dates import metadata_date_iso
from crawler.reader import document
from crawler.reader.fields import Candidate
from crawler.reader.fields.published import (
    choose_published,
    machine_stamps,
    url_stamp,
    visible_stamp,
)
from crawler.reader.generic.body import drop_popups, extract_body, page_context
from crawler.reader.generic.encoding import decode_html
from crawler.reader.metadata import PageMetadata, names_of, url_of
from crawler.reader.page.fields import build_record, field
from crawler.reader.page.reader import PageReader, value_of
from crawler.urls import joined

# Below this share of the JSON-LD articleBody's length, the HTML body may be a stub...
STRUCTURED_SHARE = 0.5
# ...when at least this share of the text the JSON-LD copy adds is missing from the page's
# HTML. Text the page shows and the body left out on purpose (a fact box, a transcript in a
# box, captions) is no sign of a stub: the publisher's copy holds all of it.
STRUCTURED_MISSING_SHARE = 0.25

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
    tree = document.parse_html(text)  # the project's one parser: deep pages are read whole
    return tree if isinstance(tree, html.HtmlElement) else None


def extract_article(
    page: str | bytes, url: str | None = None, headers_charset: str | None = None
) -> dict[str, Any]:
    """Title, date, authors, body and the page's structured metadata, as one flat dict: the
    declared fields of ``GenericArticle``.

    ``page`` is the HTML as text, or the raw bytes (then ``headers_charset``, the charset of
    the HTTP Content-Type header, wins over the page's own <meta>).
    """
    root = parse_html(page, headers_charset)
    if root is None:
        return empty_article(url)
    return GenericArticle(url, root).record()


class GenericArticle(PageReader):
    """The generic reader's page object: every field a small function of one parsed page,
    declared with ``@field`` (crawler.reader.page.fields), the record built from them. Title,
    authors,
    keywords and language are ``PageReader``'s evidence-ranked choices, the same a site page
    falls back on; ``sources`` says which source won each."""

    # <meta> names in order of trust, most specific first (JSON-LD is asked before them).
    META_DESCRIPTION = ("og:description", "description", "twitter:description", "dc.description")
    META_MODIFIED = ("article:modified_time", "datemodified", "og:updated_time",
                     "dcterms.modified")
    META_SECTION = ("article:section", "section", "parsely-section", "category")
    META_IMAGE = ("og:image", "og:image:url", "og:image:secure_url", "twitter:image",
                  "twitter:image:src")
    META_SITE_NAME = ("og:site_name", "application-name", "publisher")

    root: html.HtmlElement
    meta: PageMetadata

    def __init__(self, url: str | None, root: html.HtmlElement) -> None:
        drop_popups(root)  # hover cards inside paragraphs are not the page's text
        super().__init__(url or "", root)
        self.address = url  # as given: None when the caller knows no URL

    @field
    def title(self) -> str | None:
        return self.title_choice.value if self.title_choice is not None else None

    @cached_property
    def published_choice(self) -> Candidate[str] | None:
        """The page's timestamps made exact by the visible date near the headline (else the URL's
        date); htmldate's guess for pages without either."""
        found = choose_published(machine_stamps(self.meta, self.root, marks=self.marks),
                                 visible_stamp(self.headline()), url_stamp(self.address))
        if found is not None:
            return Candidate(found.value.iso(), found.source)
        guessed = guess_date(self.root, self.address)
        return Candidate(guessed, "guess") if guessed else None

    @field
    def published_at(self) -> str | None:
        return self.published_choice.value if self.published_choice is not None else None

    @field
    def modified_at(self) -> str | None:
        return metadata_date_iso(_text(self.meta.ld("dateModified"))
                                 or self.meta.first(*self.META_MODIFIED))

    @field
    def authors(self) -> list[str]:
        return value_of(self.authors_choice)

    @field
    def body(self) -> str:
        """The generic body (crawler.reader.generic.body); JSON-LD ``articleBody`` where the HTML
        carries much less of the text. A site page's fallback body (read from its own tree)."""
        # the standfirst starts under the headline this reader found (not looked for again)
        ctx = replace(page_context(self.root, self.title(), self.description()),
                      headline=self.headline())
        return prefer_structured(extract_body(self.root, self.address, ctx),
                                 _full_text(self.meta.ld("articleBody")), self._shown_key)

    def _shown_key(self) -> str:
        """The ``text_key`` of all the text the page shows (scripts and styles not read)."""
        return text_key(" ".join(b.text for b in document.PageText(self.root, "").blocks))

    def language_text(self) -> str:
        return f"{self.title() or ''}\n{self.body()}"

    @field
    def language(self) -> str | None:
        return self.language_choice.value if self.language_choice is not None else None

    @field
    def lead_image(self) -> str | None:
        found = self.meta.first(*self.META_IMAGE) or url_of(self.meta.ld("image"))
        return joined(self.url, found) if found else None

    @field
    def description(self) -> str | None:
        return _text(self.meta.ld("description")) or self.meta.first(*self.META_DESCRIPTION)

    @field
    def keywords(self) -> list[str]:
        return value_of(self.keywords_choice)

    @field
    def section(self) -> str | None:
        return _text(self.meta.ld("articleSection")) or self.meta.first(*self.META_SECTION)

    @field
    def site_name(self) -> str | None:
        return _text(names_of(self.meta.ld("publisher"))) or self.meta.first(*self.META_SITE_NAME)

    @field(name="url")
    def canonical(self) -> str | None:
        """The page's canonical link, else the address it was read from."""
        return self.meta.canonical_url(self.address) or self.address

    @field
    def type(self) -> str | None:
        return _text(sorted(self.meta.ld_types())) or self.meta.first("og:type")

    @field
    def sources(self) -> dict[str, str]:
        """Per evidence-ranked field, the source that won."""
        chosen = {"title": self.title_choice, "published_at": self.published_choice,
                  "authors": self.authors_choice, "keywords": self.keywords_choice,
                  "language": self.language_choice}
        return {name: c.source for name, c in chosen.items() if c is not None and c.value}

    def record(self) -> dict[str, Any]:
        """The declared fields, in ``FIELDS`` order."""
        record = build_record(self)
        return {name: record[name] for name in FIELDS}


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), None)
    return normalize_space(value) or None if isinstance(value, str) else None


def _full_text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def guess_date(root: html.HtmlElement, url: str | None) -> str | None:
    """htmldate's best original-publication date, for pages without structured dates."""
    from htmldate import find_date  # loaded lazily: only pages without metadata need it

    try:
        found = find_date(root, url=url, original_date=True, extensive_search=False,
                          outputformat="%Y-%m-%d")
    except (ValueError, TypeError):
        return None
    return found or None


def prefer_structured(body: str, structured: str | None,
                      shown_key: Callable[[], str]) -> str:
    """JSON-LD articleBody when the page's HTML carries much less of the text (script-rendered
    pages, teaser-only HTML); the HTML body otherwise, as its paragraph breaks are reliable.
    ``shown_key()``: the ``text_key`` of the text the page shows (asked only when the body is
    short), where the copy's surplus is looked for."""
    if not structured:
        return body
    structured = clean_body(structured)
    if len(body) < STRUCTURED_SHARE * len(structured):
        return structured if _surplus_missing(body, structured, shown_key) else body
    # the same words: the JSON-LD copy keeps paragraph breaks a fallback extraction lost
    return structured if text_key(body) == text_key(structured) else body


def _surplus_missing(body: str, structured: str, shown_key: Callable[[], str]) -> bool:
    """Whether the page's HTML lacks ``STRUCTURED_MISSING_SHARE`` of the paragraphs the
    structured copy holds beyond ``body``."""
    have = {text_key(p) for p in paragraphs(body)}
    surplus = [k for k in map(text_key, paragraphs(structured)) if k and k not in have]
    shown = shown_key()
    missing = sum(len(k) for k in surplus if k not in shown)
    return missing >= STRUCTURED_MISSING_SHARE * sum(map(len, surplus))
