"""Page renderers: pick the layout, add list-page extras, encode, cache bytes per model version."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import date, timedelta
from html import escape
from types import ModuleType

from localsite import portal, redesign
from localsite.article import DELETED, Article
from localsite.links import ARCHIVE_PATH, LEGACY_PATH, PRIVATE_PATH, SiteUrls
from localsite.model import SiteModel

LAYOUTS: dict[str, ModuleType] = {portal.NAME: portal, redesign.NAME: redesign}


def _t(text: str) -> str:
    """Escape for a text node; old CMSes leave quotes and apostrophes as they are."""
    return escape(text, quote=False)


def _layout(name: str) -> ModuleType:
    try:
        return LAYOUTS[name]
    except KeyError:
        raise ValueError(f"unknown layout {name!r}; known: {sorted(LAYOUTS)}") from None


def encode(html: str, encoding: str) -> bytes:
    # Characters outside the declared charset become references, as old CMSes did.
    return html.encode(encoding, errors="xmlcharrefreplace")


def render_article(model: SiteModel, article: Article, urls: SiteUrls) -> str:
    layout = _layout(article.layout)
    if article.kind == DELETED:
        return layout.deleted_page(model, article, urls)
    return layout.article_page(model, article, urls)


def list_extras(model: SiteModel, layout: ModuleType) -> str:
    """Sidebar links that only list pages carry: each leads to one of the crawler's traps."""
    private = model.articles[model.specials.private]
    legacy = model.articles[model.specials.legacy]
    newest = model.newest().published or date(2021, 9, 7)
    return "\n".join(
        (
            layout.link_widget(
                "Member exclusive", [(private.title, f"{PRIVATE_PATH}{private.id}.html")]
            ),
            layout.link_widget(
                "From the archive", [(legacy.title, f"{LEGACY_PATH}?id={legacy.id}")]
            ),
            layout.link_widget(
                "Browse by date", [("News by day", f"{ARCHIVE_PATH}{newest:%Y-%m-%d}.html")]
            ),
        )
    )


def render_list(model: SiteModel, page: int, urls: SiteUrls) -> str:
    layout = _layout(model.page_layout(page))
    return layout.list_page(model, page, urls, list_extras(model, layout))


def render_archive(model: SiteModel, day: date, urls: SiteUrls) -> str:
    """A day of the endless archive: never any article, always a link to the day before."""
    previous = ""
    if day > date.min:
        before = (day - timedelta(days=1)).isoformat()
        previous = f'<p><a href="{ARCHIVE_PATH}{before}.html">&laquo; Previous day</a></p>'
    content = f"""<div class="archive_box"><h2>News of {day.isoformat()}</h2>
<p>No articles were published on this day.</p>{previous}</div>"""
    return _simple_layout(model).simple_page(model, urls, f"Archive {day.isoformat()}", content)


def render_home(model: SiteModel, urls: SiteUrls) -> str:
    newest = model.list_page(1)[:5]
    items = "".join(f'<li><a href="/global/en/{a.id}.html">{_t(a.title)}</a></li>' for a in newest)
    heading = '<h2><a href="/global/en/">English news</a></h2>'
    content = f'<div class="home_box">{heading}<ul>{items}</ul></div>'
    return _simple_layout(model).simple_page(model, urls, "Home", content)


def _simple_layout(model: SiteModel) -> ModuleType:
    return portal if portal.NAME in model.layouts else _layout(model.layouts[0])


NOT_FOUND = b"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>404 Not Found</title></head>
<body><h1>404 Not Found</h1><p>The page you requested does not exist.</p>
<p><a href="/global/en/">News home</a></p></body></html>"""


class Renderer:
    """Encoded pages by key, rendered lazily, in an LRU dropped whenever the model changes."""

    def __init__(self, model: SiteModel, urls: SiteUrls, cache_size: int = 2048) -> None:
        self.model = model
        self.urls = urls
        self.cache_size = cache_size
        self._cache: OrderedDict[tuple[object, ...], bytes] = OrderedDict()
        self._version = model.version

    def article(self, article: Article) -> bytes:
        return self._cached(
            ("article", article.id),
            lambda: encode(render_article(self.model, article, self.urls), article.encoding),
        )

    def list_page(self, page: int) -> bytes:
        return self._cached(
            ("list", page), lambda: render_list(self.model, page, self.urls).encode()
        )

    def archive(self, day: date) -> bytes:
        # Not cached: a crawler stuck in the trap would only flush useful pages out.
        with self.model.lock:
            return render_archive(self.model, day, self.urls).encode()

    def home(self) -> bytes:
        return self._cached(("home",), lambda: render_home(self.model, self.urls).encode())

    def _cached(self, key: tuple[object, ...], build: Callable[[], bytes]) -> bytes:
        with self.model.lock:
            if self._version != self.model.version:
                self._cache.clear()
                self._version = self.model.version
            page = self._cache.get(key)
            if page is None:
                page = self._cache[key] = build()
                if len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
            else:
                self._cache.move_to_end(key)
            return page
