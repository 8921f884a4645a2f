"""Conditional requests: re-fetches send the validators a page was last served with.

A page answered ``304 Not Modified`` costs no body and no parse; the spider routes it as an
unchanged page (crawler.spider). What is kept per page is in crawler.state.store (``validators``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from itemadapter import ItemAdapter
from scrapy import Request, signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from crawler.state import store_for
from crawler.state.store import ArticleStore

NOT_MODIFIED = 304
# Request meta: which validators to send. "article" (key: the record id) or "page" (the URL).
META_KIND = "conditional"
META_KEY = "conditional_key"
_SENT = "conditional_sent"
CONDITIONAL_HEADERS = ("If-None-Match", "If-Modified-Since")


@dataclass
class Outline:
    """What a navigation page, feed or sitemap routed: replayed when it answers 304.

    ``articles``: (url, title, date) as shown; ``follow``: list pages or child sitemaps;
    ``feeds``: feeds a start page links to.
    """

    articles: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    follow: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)

    def dumps(self) -> str:
        return json.dumps([self.articles, self.follow, self.feeds], ensure_ascii=False)

    @classmethod
    def loads(cls, text: str) -> Outline:
        articles, follow, feeds = json.loads(text)
        return cls([tuple(entry) for entry in articles], follow, feeds)


def validators_of(response: Response) -> tuple[str | None, str | None]:
    """The response's ``ETag`` and ``Last-Modified`` (None when absent)."""
    def header(name: str) -> str | None:
        value = response.headers.get(name)
        return value.decode("latin-1").strip() or None if value else None

    return header("ETag"), header("Last-Modified")


def is_not_modified(response: Response) -> bool:
    """A 304 to a request this middleware made conditional (a stray 304 stays an HTTP error)."""
    return response.status == NOT_MODIFIED and bool(response.meta.get(_SENT))


class ConditionalRequestMiddleware:
    """Downloader middleware: ``If-None-Match``/``If-Modified-Since`` on re-fetches.

    Requests with meta ``conditional`` = ``"article"`` (meta ``conditional_key``: the record id)
    get the validators of the response the emitted revision was read from; ``"page"`` (list
    pages, feeds, sitemaps) those last stored for the URL with the page's outline. A conditional
    request accepts a 304 (``handle_httpstatus_list``) and bypasses HttpCacheMiddleware
    (``dont_cache``), which would otherwise answer from its copy or turn the 304 into it. Article
    validators are stored once the item is through the pipelines, with its content hash.

    Setting: ``CONDITIONAL_REQUESTS_ENABLED`` (off in distributed mode: the Redis store keeps no
    validators). Stats: ``conditional/sent``, ``conditional/not_modified``,
    ``conditional/remembered``.
    """

    def __init__(self, store: ArticleStore, stats: Any) -> None:
        self.store = store
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> ConditionalRequestMiddleware:
        settings = crawler.settings
        if not settings.getbool("CONDITIONAL_REQUESTS_ENABLED", True) or settings.get("REDIS_URL"):
            raise NotConfigured
        store = store_for(crawler)
        if not isinstance(store, ArticleStore):
            raise NotConfigured
        middleware = cls(store, crawler.stats)
        crawler.signals.connect(middleware.item_done, signal=signals.item_scraped)
        crawler.signals.connect(middleware.item_done, signal=signals.item_dropped)
        return middleware

    def process_request(self, request: Request) -> None:
        # A redirect copies the headers: validators are chosen anew for the URL at hand.
        for name in CONDITIONAL_HEADERS:
            request.headers.pop(name, None)
        request.meta.pop(_SENT, None)
        validators = self._validators(request)
        if not validators or not any(validators):
            return
        etag, last_modified = validators
        if etag:
            request.headers["If-None-Match"] = etag
        if last_modified:
            request.headers["If-Modified-Since"] = last_modified
        request.meta[_SENT] = True
        request.meta["dont_cache"] = True
        accepted = request.meta.get("handle_httpstatus_list") or []
        request.meta["handle_httpstatus_list"] = [*accepted, NOT_MODIFIED]
        self.stats.inc_value("conditional/sent")

    def _validators(self, request: Request) -> tuple[str | None, str | None] | None:
        kind = request.meta.get(META_KIND)
        if kind == "article" and request.meta.get(META_KEY):
            return self.store.article_validators(request.meta[META_KEY])
        if kind == "page":
            return self.store.page_validators(request.url)
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status == NOT_MODIFIED and request.meta.get(_SENT):
            self.stats.inc_value("conditional/not_modified")
        return response

    def item_done(self, item: Any, response: Response | Any, **kwargs: Any) -> None:
        """An article's validators, kept with the content hash of what was read from it."""
        # Items from an errback (a tombstone) come with the Failure in place of a response.
        if not isinstance(response, Response) or response.request is None:
            return
        adapter = ItemAdapter(item)
        content_hash, record_id = adapter.get("content_hash"), adapter.get("id")
        if response.meta.get(META_KIND) != "article" or not content_hash or not record_id:
            return
        etag, last_modified = validators_of(response)
        if etag or last_modified:
            self.store.remember_validators(record_id, etag, last_modified, content_hash)
            self.stats.inc_value("conditional/remembered")
