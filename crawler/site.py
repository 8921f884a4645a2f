"""What the machinery needs to know of a site: its hosts, start pages and URL rules.

Each site module declares one ``SiteRules``; an operator corrects any of it without touching code
through settings named ``<SITE>_<FIELD>`` (e.g. ``SJFZXM_START_URLS``), and spider arguments
(``-a start_urls=...``, ``-a allowed_domains=...``) override both for one run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from typing import Any
from urllib.parse import urlsplit

from crawler.urls import canonical_url, host_allowed, host_of, strip_tracking


@dataclass(frozen=True)
class SiteRules:
    name: str
    allowed_domains: tuple[str, ...]
    start_urls: tuple[str, ...]
    # Matched against the URL path (+ query); group "id" is the article id. Alternatives with
    # their own id space name their group "<kind>_id" (the id becomes "<kind>-<value>"); further
    # alternatives in the same id space name it "id2", "id3"...
    article_url_regex: str
    # Navigation pages (lists, indexes, pagination) worth following, matched the same way.
    list_url_regex: str
    # Canonical host (with port if any) for record URLs; None keeps each URL's own host.
    preferred_host: str | None = None
    # True when every allowed host serves the same paths (mirrors): a path is one page.
    mirrors_share_paths: bool = True
    # Feeds and sitemaps known to list articles (more are found in robots.txt and on start pages).
    feed_urls: tuple[str, ...] = ()
    # Query parameters this site adds that never change the page (``cat`` of ``?cat=free``).
    junk_params: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "_article", re.compile(self.article_url_regex))
        object.__setattr__(self, "_list", re.compile(self.list_url_regex))
        # article_id by URL: pages of a site repeat the same links (navigation, sidebars, related).
        object.__setattr__(self, "_ids", {})
        object.__setattr__(self, "_canonical", {})

    def __getstate__(self) -> dict[str, Any]:
        """The declared fields only: the compiled patterns and the memos are rebuilt, not
        pickled (the rules go to the reading pool's workers: crawler.pool)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)
        self.__post_init__()

    def _path(self, url: str) -> str:
        parts = urlsplit(url)
        return parts.path + ("?" + parts.query if parts.query else "")

    def on_site(self, url: str) -> bool:
        return urlsplit(url).scheme in ("http", "https") and host_allowed(
            host_of(url), list(self.allowed_domains)
        )

    def article_id(self, url: str) -> str | None:
        ids: dict[str, str | None] = self._ids  # type: ignore[attr-defined]
        if url in ids:
            return ids[url]
        found = None
        if self.on_site(url):
            match = self._article.search(self._path(self._clean(url)))  # type: ignore[attr-defined]
            found = _id_of(match) if match else None
        if len(ids) >= _MEMO_SIZE:
            ids.clear()
        ids[url] = found
        return found

    def is_article(self, url: str) -> bool:
        return self.article_id(url) is not None

    def is_list(self, url: str) -> bool:
        return self.on_site(url) and not self.is_article(url) and bool(
            self._list.search(self._path(self._clean(url)))  # type: ignore[attr-defined]
        )

    def record_id(self, article_id: str) -> str:
        return f"{self.name}:{article_id}"

    def canonical(self, url: str) -> str:
        """Record URL: the preferred host, no tracking parameters, no fragment."""
        known: dict[str, str] = self._canonical  # type: ignore[attr-defined]
        if url not in known:
            if len(known) >= _MEMO_SIZE:
                known.clear()
            known[url] = canonical_url(self._clean(url),
                                       self.preferred_host if self.on_site(url) else None)
        return known[url]

    def request_key(self, url: str) -> str:
        """What makes two URLs one page: the article id, else the (host-free) cleaned URL."""
        article_id = self.article_id(url)
        if article_id is not None:
            return self.record_id(article_id)
        if self.mirrors_share_paths and self.on_site(url):
            return f"{self.name}:{self._path(self._clean(url))}"
        return self._clean(url)

    def _clean(self, url: str) -> str:
        """``url`` without tracking parameters, this site's junk parameters and fragment."""
        return strip_tracking(url, self.junk_params)

    def configured(self, settings: Any, **args: str | tuple[str, ...] | None) -> SiteRules:
        """These rules with settings ``<SITE>_<FIELD>`` and then spider arguments applied."""
        changes: dict[str, Any] = {}
        prefix = self.name.upper()
        for field in ("start_urls", "allowed_domains", "feed_urls"):
            value: Any = args.get(field) or settings.getlist(f"{prefix}_{field.upper()}") or None
            if value:
                changes[field] = tuple(_split(value))
        if args.get("start_urls") and "feed_urls" not in changes:
            changes["feed_urls"] = ()  # the known feeds are on the real site, not on these hosts
        for field in ("article_url_regex", "list_url_regex", "preferred_host"):
            if settings.get(f"{prefix}_{field.upper()}"):
                changes[field] = settings.get(f"{prefix}_{field.upper()}")
        rules = replace(self, **changes)
        if args.get("start_urls") and not settings.get(f"{prefix}_PREFERRED_HOST"):
            # A run against other hosts (a mirror, a local copy) names its records after them.
            rules = replace(rules, preferred_host=urlsplit(rules.start_urls[0]).netloc)
        return rules


_MEMO_SIZE = 16384


def _id_of(match: re.Match[str]) -> str | None:
    """The article id a URL match names: group ``id`` (or ``id2``...), or ``<kind>_id`` as
    ``<kind>-<value>``."""
    for name, value in match.groupdict().items():
        if value is None:
            continue
        if name == "id" or (name.startswith("id") and name[2:].isdigit()):
            return value
        if name.endswith("_id"):
            return f"{name[:-3]}-{value}"
    return None


def _split(value: str | list[str] | tuple[str, ...]) -> list[str]:
    items = value.split(",") if isinstance(value, str) else list(value)
    return [item.strip() for item in items if item.strip()]
