"""A navigation page (home, section, archive) read for the spider: its links, how it shows each
article, the feeds it announces. Built from ``(url, html, rules)``; no Scrapy here."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

from lxml.etree import _Element

from crawler import feeds
from crawler.reader.document import PageText, link_listings, parse_html


class ListPage:
    """One navigation page, parsed once by the readers' parser."""

    def __init__(self, url: str, html: str, root: _Element | None = None,
                 walk: PageText | None = None) -> None:
        """``walk``: the root's ``PageText``, if a caller already read it."""
        self.url = url
        self.root: _Element | None = root if root is not None else parse_html(html)
        self._walk = walk

    def links(self, limit: int | None = None) -> list[str]:
        """Every link (the first ``limit``), absolute, in page order, without repeats."""
        return self._text.links(limit) if self._text is not None else []  # joined by the walk

    def listings(self, key: Callable[[str], str | None]) -> dict[str, tuple[str, str]]:
        """How the page shows each item ``key`` names: (title, the text after it)."""
        return link_listings(self._text, key) if self._text is not None else {}

    def feed_links(self) -> list[str]:
        """The RSS/Atom feeds the page announces."""
        return feeds.feed_links(self.root, self.url) if self.root is not None else []

    @cached_property
    def _text(self) -> PageText | None:
        if self._walk is not None or self.root is None:
            return self._walk
        return PageText(self.root, self.url)
