"""URL routing of the local site, including the misbehaviours a polite crawler must survive."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qs, urlsplit

from localsite.article import DELETED, OFFSITE, PRIVATE
from localsite.links import OFFSITE_HOST, SiteUrls, article_path
from localsite.model import SiteModel
from localsite.render import NOT_FOUND, Renderer

HTML_UTF8 = "text/html; charset=utf-8"
ROBOTS_TXT = b"""User-agent: *
Disallow: /global/en/private/
Disallow: /member/
Disallow: /comment/

Sitemap: http://www.sjfzxm.com/sitemap.xml
"""

_LIST = re.compile(r"/global/en/(?:index(?:_(\d+))?\.html)?")
_ARTICLE = re.compile(r"/global/en/(\d+)\.html")
_PRIVATE = re.compile(r"/global/en/private/(\d+)\.html")
_ARCHIVE = re.compile(r"/global/en/archive/(\d{4})-(\d{2})-(\d{2})\.html")


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes = b""
    content_type: str = HTML_UTF8
    location: str | None = None


NOT_FOUND_RESPONSE = Response(404, NOT_FOUND)


class Router:
    """Maps a request path to a response. `origin` is the scheme://host:port the request came to."""

    def __init__(self, model: SiteModel, urls: SiteUrls, crawl_delay: float | None = None) -> None:
        self.model = model
        self.robots_txt = ROBOTS_TXT + (f"Crawl-delay: {crawl_delay:g}\n".encode()
                                        if crawl_delay is not None else b"")
        self.renderer = Renderer(model, urls)
        self._flaky_lock = threading.Lock()
        self._flaky_failed = False

    def respond(self, path_with_query: str, origin: str) -> Response:
        parts = urlsplit(path_with_query)
        path = parts.path
        if path == "/robots.txt":
            return Response(200, self.robots_txt, "text/plain; charset=utf-8")
        if path == "/":
            return Response(200, self.renderer.home())
        if path == "/news/show.asp":
            return self._legacy(parts.query, origin)
        for pattern, handler in (
            (_ARTICLE, self._article),
            (_LIST, self._list),
            (_PRIVATE, self._private),
            (_ARCHIVE, self._archive),
        ):
            match = pattern.fullmatch(path)
            if match:
                return handler(*match.groups())
        return NOT_FOUND_RESPONSE

    def _article(self, raw_id: str) -> Response:
        article = self.model.article(int(raw_id))
        if article is None or not (article.has_page or article.kind in (DELETED, OFFSITE)):
            return NOT_FOUND_RESPONSE
        if article.kind == PRIVATE:  # it lives under /private/ only
            return NOT_FOUND_RESPONSE
        if article.kind == OFFSITE:
            return _redirect(302, f"{OFFSITE_HOST}/promo/{article.id}.html")
        if article.id == self.model.specials.flaky and self._fail_once():
            return Response(503, b"<html><body><h1>503 Service Unavailable</h1></body></html>")
        # The gb2312 page declares its charset in <meta> only, like the old Chinese side.
        content_type = HTML_UTF8 if article.encoding == "utf-8" else "text/html"
        return Response(200, self.renderer.article(article), content_type)

    def _fail_once(self) -> bool:
        with self._flaky_lock:
            failed, self._flaky_failed = self._flaky_failed, True
            return not failed

    def _list(self, raw_page: str | None) -> Response:
        page = int(raw_page) if raw_page else 1
        if not 1 <= page <= self.model.page_count:
            return NOT_FOUND_RESPONSE
        return Response(200, self.renderer.list_page(page))

    def _private(self, raw_id: str) -> Response:
        article = self.model.article(int(raw_id))
        if article is None or article.kind != PRIVATE:
            return NOT_FOUND_RESPONSE
        return Response(200, self.renderer.article(article))

    def _archive(self, year: str, month: str, day: str) -> Response:
        try:
            when = date(int(year), int(month), int(day))
        except ValueError:
            return NOT_FOUND_RESPONSE
        return Response(200, self.renderer.archive(when))

    def _legacy(self, query: str, origin: str) -> Response:
        ids = parse_qs(query).get("id", [])
        if not ids or not ids[0].isdigit():
            return NOT_FOUND_RESPONSE
        return _redirect(301, f"{origin}{article_path(int(ids[0]))}")


def _redirect(status: int, location: str) -> Response:
    body = f'<html><body>Object moved to <a href="{location}">here</a>.</body></html>'
    return Response(status, body.encode(), location=location)
