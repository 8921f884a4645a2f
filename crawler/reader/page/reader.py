"""What every page object of the project reads the same way: one lxml tree, its metadata, and
the evidence-ranked choices of the generic fields (crawler.reader.fields).

``GenericArticle`` (crawler.reader.generic.article, the generic reader) declares its record's
fields on
these choices; ``ArticlePage`` (a site's page) uses them as the fallbacks of its own fields. A
page class changes what it knows better by overriding a hook (``headline``, ``language_text``)
or a constant. No Scrapy here.
"""

from __future__ import annotations

from datetime import timezone, tzinfo
from functools import cached_property

from lxml.etree import _Element

from crawler.reader.fields import Candidate, site_names
from crawler.reader.fields.authors import author_candidates, choose_authors
from crawler.reader.fields.headline import page_headline
from crawler.reader.fields.keywords import choose_keywords, tag_candidates
from crawler.reader.fields.language import choose_language, declared_languages
from crawler.reader.fields.marks import PageMarks
from crawler.reader.fields.title import choose_title, visible_headlines
from crawler.reader.metadata import PageMetadata


class PageReader:
    """One page: ``url``, its parsed tree ``root`` (None when there was nothing to parse) and
    ``meta``; the generic choices of title, authors, keywords and language, each computed once
    and with the source that won."""

    # Zone of times the page prints without an offset.
    TIMEZONE: tzinfo = timezone.utc
    # The site's language (ISO 639-1) when the page declares none.
    LANGUAGE: str | None = None
    # The site's own name, as <title> and og:site_name print it beside the headline.
    SITE_NAMES: tuple[str, ...] = ()

    def __init__(self, url: str, root: _Element | None, meta: PageMetadata | None = None) -> None:
        """``meta``: the root's metadata, if a caller already read it."""
        self.url = url
        self.root = root
        self.meta = meta if meta is not None or root is None else PageMetadata(root)

    @cached_property
    def marks(self) -> PageMarks | None:
        """The page's elements marked for machines (microdata, ``rel``, ``<time>``...), found
        once for every field that looks for them (crawler.reader.fields.marks)."""
        return PageMarks(self.root) if self.root is not None else None

    def site_names(self) -> list[str]:
        """The site's names: the constant's, then what the page calls its site."""
        return [*self.SITE_NAMES, *(site_names(self.meta, self.url) if self.meta else [])]

    @cached_property
    def title_choice(self) -> Candidate[str] | None:
        """The evidence-ranked headline the page states (crawler.reader.fields.title)."""
        if self.meta is None or self.root is None:
            return None
        return choose_title(self.meta, visible_headlines(self.root), self.site_names())

    def headline(self) -> _Element | None:
        """The visible headline: where the byline and the date line are looked for."""
        return self._generic_headline

    @cached_property
    def _generic_headline(self) -> _Element | None:
        """The headline finder's answer, found once: authors, date and body all ask."""
        if self.root is None:
            return None
        title = self.title_choice
        return page_headline(self.root, [title.value] if title is not None else [])

    @cached_property
    def authors_choice(self) -> Candidate[list[str]] | None:
        """JSON-LD, the visible byline, microformats, meta (crawler.reader.fields.authors)."""
        if self.meta is None or self.root is None:
            return None
        found = author_candidates(self.meta, self.root, self.headline(), self.marks)
        return choose_authors(found, self.site_names())

    @cached_property
    def keywords_choice(self) -> Candidate[list[str]] | None:
        """Tag links, a labelled row, a tag list, JSON-LD, meta (crawler.reader.fields.keywords)."""
        if self.meta is None or self.root is None:
            return None
        return choose_keywords(tag_candidates(self.meta, self.root, self.marks))

    def language_text(self) -> str:
        """The text a language identifier checks the declared language against."""
        return ""

    @cached_property
    def language_choice(self) -> Candidate[str] | None:
        """ISO 639-1: the declared language (the page's, else the site's ``LANGUAGE``) unless the
        text confidently says another (crawler.reader.fields.language)."""
        declared = declared_languages(self.meta) if self.meta is not None else []
        default = Candidate(self.LANGUAGE, "site") if self.LANGUAGE else None
        return choose_language(declared, self.language_text(), default)


def value_of(found: Candidate[list[str]] | None) -> list[str]:
    """A chosen list's value, [] when nothing was chosen."""
    return found.value if found is not None else []
