"""Read one fetched page: the pure function a pool worker runs, and the spider runs in-process.

What crosses the process boundary is plain data: a ``PageTask`` out (URL, body bytes, encoding,
the pickled ``ReaderSpec`` that rebuilds the spider's page reading, the run's learned facts) and a
``PageReading`` back (the record, which evidence won each field, the page's links). No lxml tree
is pickled. No Scrapy here: the reading is tested on stored pages like any page object.
"""

from __future__ import annotations

import logging
import pickle
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any

from w3lib.encoding import html_to_unicode

from crawler.classify import page_evidence
from crawler.generic import GenericArticlePage
from crawler.pool import pageclass
from crawler.reader.document import PageText, parse_html
from crawler.reader.metadata import PageMetadata
from crawler.reader.page import ArticlePage
from crawler.reader.page.listing import ListPage

# How a list page shows an article: (url, title, date), as crawler.conditional.Outline keeps it.
Shown = tuple[str, str | None, str | None]
# Specs a process has unpickled, by their pickled bytes: one per spider, rules memo kept warm.
_SPECS: dict[bytes, ReaderSpec] = {}
_SPECS_MAX = 64
# What the reader warns of while reading a page (a hostile page read another way...) comes back in
# the reading: a worker process has no log of its own; the spider logs and counts it.
READER_LOGGER = "crawler.reader"


@dataclass(frozen=True)
class ReaderSpec:
    """What rebuilds a spider's page reading in another process: the page class (pickled by
    its importable name), the site's rules, the links cap, and whether pages are told apart by
    their evidence (the generic spider) rather than by their URL."""

    page_class: type[ArticlePage]
    rules: Any  # SiteRules or GenericRules
    max_links: int
    by_evidence: bool = False

    def dumps(self) -> bytes:
        """Pickled; a page class that only declares data goes by value (crawler.pool.pageclass):
        the worker need not import the site module, nor the Scrapy its spider needs."""
        return pageclass.dumps(self, ArticlePage)


@dataclass
class PageTask:
    """One page to read. ``zone``/``zone_assumed``/``aliases``: what the generic spider has
    learned of the site so far (crawler.timezone, GenericRules.aliases)."""

    url: str
    body: bytes
    encoding: str
    spec: bytes
    start_page: bool = False  # a start page's feed links are read too
    zone: tzinfo | None = None
    zone_assumed: bool = False
    aliases: dict[str, str] = field(default_factory=dict)


@dataclass
class ArticleReading:
    """An article page: its record, the source that won each field, its article links."""

    record: dict[str, Any]
    sources: dict[str, str]
    links: list[str]
    canonical: str | None = None
    revealed_zone: tzinfo | None = None
    zone_stated: bool = True


@dataclass
class PageReading:
    """What the spider routes. ``article`` is None for a navigation page, whose ``articles``
    (as the list shows them), ``follow`` (list links) and ``feeds`` are read instead.
    ``capped``: the page had more than ``max_links`` links. ``cpu_ms``: the reading's CPU time.
    ``zone_assumed``, ``aliases``: what the reading knew of the site (the task's, and the mirror
    host the page itself revealed), for the spider to tell whether it has learned more since."""

    url: str
    by_evidence: bool
    article: ArticleReading | None = None
    articles: list[Shown] = field(default_factory=list)
    follow: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    capped: bool = False
    cpu_ms: float = 0.0
    zone_assumed: bool = False
    aliases: int = 0
    warnings: list[str] = field(default_factory=list)  # the reader's, while reading this page


def read_page(task: PageTask) -> PageReading:
    """Parse the page once, tell whether it is an article, and read it as one or as a list."""
    started = time.process_time()
    with _reader_warnings() as warnings:
        reading = _read(task)
    reading.warnings = warnings
    reading.cpu_ms = (time.process_time() - started) * 1e3
    return reading


def _read(task: PageTask) -> PageReading:
    spec = _spec(task.spec)
    if spec.by_evidence:  # the mirror hosts the spider has learned so far
        spec.rules.aliases = dict(task.aliases)
    text = html_to_unicode(f"charset={task.encoding}", task.body)[1]
    root = parse_html(text)
    walk = meta = None
    if spec.by_evidence and root is not None:
        # One walk and one metadata read tell an article from a list page and then read it.
        walk, meta = PageText(root, task.url, marks=True), PageMetadata(root)
        is_article = page_evidence(root, task.url, walk, meta).is_article
    else:
        is_article = not spec.by_evidence and spec.rules.is_article(task.url)
    reading = (_read_article(task, spec, text, root, walk, meta) if is_article
               else _read_navigation(task, spec, text, root, walk))
    reading.zone_assumed = task.zone_assumed
    reading.aliases = len(getattr(spec.rules, "aliases", ()))
    return reading


class _Collected(logging.Handler):
    def __init__(self, into: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record.getMessage())


@contextmanager
def _reader_warnings() -> Iterator[list[str]]:
    """The reader's warnings while the block runs, kept (not logged) for the reading."""
    warnings: list[str] = []
    logger = logging.getLogger(READER_LOGGER)
    handler, propagate = _Collected(warnings), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield warnings
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _spec(data: bytes) -> ReaderSpec:
    if data not in _SPECS:
        if len(_SPECS) >= _SPECS_MAX:
            _SPECS.clear()
        _SPECS[data] = pickle.loads(data)
    return _SPECS[data]


def _read_article(task: PageTask, spec: ReaderSpec, text: str, root: Any,
                  walk: PageText | None = None, meta: PageMetadata | None = None) -> PageReading:
    if issubclass(spec.page_class, GenericArticlePage):
        page: ArticlePage = spec.page_class(task.url, text, spec.rules, root, task.zone,
                                            walk, meta)
        return _generic_article(task, spec, page)  # type: ignore[arg-type]
    page = spec.page_class(task.url, text, spec.rules, root)
    links, capped = _capped(page.links(spec.max_links + 1), spec.max_links)
    article = ArticleReading(page.record(), page.field_sources(),
                             [url for url in links if spec.rules.is_article(url)])
    return PageReading(task.url, spec.by_evidence, article, capped=capped)


def _generic_article(task: PageTask, spec: ReaderSpec, page: GenericArticlePage) -> PageReading:
    """The generic page names its record after its canonical link, learned before the record
    is read (as the spider learns it for the pages after this one)."""
    revealed = page.revealed_zone() if task.zone_assumed else None
    canonical = page.canonical_link()
    spec.rules.learn_canonical(task.url, canonical)
    links, capped = _capped(page.links(spec.max_links + 1), spec.max_links)
    article = ArticleReading(page.record(), page.field_sources(),
                             [url for url in links if spec.rules.is_article(url)],
                             canonical, revealed, page.zone_stated)
    return PageReading(task.url, spec.by_evidence, article, capped=capped)


def _read_navigation(task: PageTask, spec: ReaderSpec, text: str, root: Any,
                     walk: PageText | None = None) -> PageReading:
    """The article links with how the list shows them (title, date, read by the site's page
    class), the list links, and a start page's feeds."""
    page = ListPage(task.url, text, root, walk)
    links, capped = _capped(page.links(spec.max_links + 1), spec.max_links)
    rules = spec.rules
    listings = page.listings(rules.article_id)
    reading = PageReading(task.url, spec.by_evidence, capped=capped,
                          follow=[url for url in links if rules.is_list(url)],
                          feeds=page.feed_links() if task.start_page else [])
    for url in links:
        article_id = rules.article_id(url)
        if article_id is not None:
            title, shown = spec.page_class.listing(*listings.get(article_id, (None, "")))
            reading.articles.append((url, title, shown))
    return reading


def _capped(links: list[str], limit: int) -> tuple[list[str], bool]:
    """The first ``limit`` links, and whether there were more."""
    return links[:limit], len(links) > limit
