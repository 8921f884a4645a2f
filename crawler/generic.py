"""Site rules and the page class for a site with no module (``scrapy crawl news``).

``GenericRules`` answers what ``SiteRules`` answers, from URL shape (crawler.classify) instead of
a site's regexes. Page identity is the URL without tracking parameters, fragment and scheme; a
mirror host is folded onto another host once a page's ``rel=canonical`` says that the mirror
serves the same path (learned during the run). No Scrapy here.
"""

from __future__ import annotations

import re
from datetime import timedelta, timezone, tzinfo
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from crawler.classify import ARTICLE, is_page_link, url_shape
from crawler.dates import parse_iso
from crawler.reader.fields.published import machine_stamps
from crawler.reader.page import ArticlePage
from crawler.timezone import revealed_zone
from crawler.urls import host_allowed, host_of, registered_domain, strip_tracking

_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)
# A site name is a folder under DATA_DIR: dot-separated labels, never "." or ".." or a slash.
SITE_NAME = re.compile(r"^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$")


def parse_timezone(value: str | None) -> tzinfo:
    """``+08:00``, ``-0530``, ``UTC+8``, ``UTC`` or an IANA name such as ``Asia/Shanghai``."""
    if not value or value.strip().upper() in ("UTC", "GMT", "Z"):
        return timezone.utc
    match = _OFFSET.match(value.strip())
    if match:
        sign = -1 if match.group(1) == "-" else 1
        delta = timedelta(hours=int(match.group(2)), minutes=int(match.group(3) or 0))
        return timezone(sign * delta)
    return ZoneInfo(value.strip())  # ZoneInfoNotFoundError (a KeyError) for an unknown name


def site_name(start_url: str) -> str:
    """The registered domain of a start page: ``www.fibre2fashion.com`` -> ``fibre2fashion.com``."""
    return registered_domain(host_of(start_url))


class GenericRules:
    """URL rules of a site known only by its start pages and hosts (duck-types SiteRules)."""

    def __init__(self, name: str, allowed_domains: tuple[str, ...], start_urls: tuple[str, ...]
                 ) -> None:
        self.name = name
        self.allowed_domains = allowed_domains
        self.start_urls = start_urls
        self.feed_urls: tuple[str, ...] = ()
        # Record keys leave this host out: it is the site's own (the first start page's).
        self.primary = urlsplit(start_urls[0]).netloc.lower() if start_urls else ""
        # Mirror host -> the host its pages name as canonical (learned from rel=canonical).
        self.aliases: dict[str, str] = {}

    def configured(self, settings: Any, **args: str | tuple[str, ...] | None) -> GenericRules:
        """Already built from the run's arguments (spiders/news.py); nothing more to apply."""
        return self

    def on_site(self, url: str) -> bool:
        return urlsplit(url).scheme in ("http", "https") and host_allowed(
            host_of(url), list(self.allowed_domains))

    def fold(self, url: str, aliases: bool = True) -> str:
        """``url`` without tracking parameters or fragment, on the host its mirror folds onto."""
        parts = urlsplit(strip_tracking(url))
        netloc = parts.netloc.lower()
        if aliases:
            netloc = self.aliases.get(netloc, netloc)
        return urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, ""))

    def key(self, url: str, aliases: bool = True) -> str:
        """The key of a page: host (left out for the primary host), path and query."""
        parts = urlsplit(self.fold(url, aliases))
        host = "" if parts.netloc == self.primary else parts.netloc
        return host + parts.path + ("?" + parts.query if parts.query else "")

    def article_id(self, url: str) -> str | None:
        return self.key(url) if self.on_site(url) and url_shape(url) == ARTICLE else None

    def is_article(self, url: str) -> bool:
        return self.article_id(url) is not None

    def is_list(self, url: str) -> bool:
        return self.on_site(url) and is_page_link(url) and url_shape(url) != ARTICLE

    def record_id(self, key: str) -> str:
        return f"{self.name}:{key}"

    def canonical(self, url: str) -> str:
        return self.fold(url) if self.on_site(url) else strip_tracking(url)

    def request_key(self, url: str) -> str:
        # Without the learned aliases: a URL's fingerprint must not change during the run, or a
        # page seen before an alias was learned would be fetched again after it.
        if not self.on_site(url):
            return strip_tracking(url)
        return self.record_id(self.key(url, aliases=False))

    def learn_canonical(self, fetched: str, canonical: str | None) -> None:
        """Fold the fetched page's host onto its canonical link's host when both serve the path."""
        if not canonical or not (self.on_site(fetched) and self.on_site(canonical)):
            return
        got, named = urlsplit(strip_tracking(fetched)), urlsplit(strip_tracking(canonical))
        source, target = got.netloc.lower(), named.netloc.lower()
        target = self.aliases.get(target, target)
        if source != target and got.path == named.path and source not in self.aliases:
            self.aliases[source] = target


class GenericArticlePage(ArticlePage):
    """An article page of a site with no module: the shared reading by meaning, the generic
    extractor where that fails, and the record's identity from the page's canonical link.

    Naive times on the page are in the zone the page's own metadata states (an offset on
    ``datePublished``/``article:published_time``), else in ``zone`` (the site's: ``-a
    timezone``, or learned from its other pages, crawler.timezone), else in ``TIMEZONE``.
    """

    rules: GenericRules  # type: ignore[assignment]

    def __init__(self, url: str, html: str, rules: Any, root: Any = None,
                 zone: tzinfo | None = None, walk: Any = None, meta: Any = None) -> None:
        super().__init__(url, html, rules, root, walk, meta)
        stated = self._stated_zone()
        self.zone_stated = stated is not None
        if stated is not None or zone is not None:
            self.TIMEZONE = stated or zone or self.TIMEZONE

    def revealed_zone(self) -> tzinfo | None:
        """The zone this page reveals: it shows a local time (under its headline) and states
        the same instant with an offset in its metadata."""
        if self._date_found is None or self.meta is None or self.root is None:
            return None
        printed, match = self._date_found[1]
        if match.group("H") is None:
            return None
        stamps = [c.value.value for c in machine_stamps(self.meta, self.root, marks=self.marks)]
        return revealed_zone(printed, [s for s in stamps if s.tzinfo is not None])

    def _stated_zone(self) -> tzinfo | None:
        if self.meta is None:
            return None
        value = self.meta.ld_text("datePublished") or self.meta.first("article:published_time")
        parsed = parse_iso(value) if value else None
        return parsed.tzinfo if parsed is not None and parsed.tzinfo is not None else None

    def canonical_link(self) -> str | None:
        """``rel=canonical`` (else ``og:url``), absolute; None when the page names none."""
        return self.meta.canonical_url(self.url) if self.meta is not None else None

    def record_url(self) -> str:
        """The canonical link when it is on an allowed host, else the fetched URL, folded."""
        canonical = self.canonical_link()
        return self.rules.canonical(canonical if canonical and self.rules.on_site(canonical)
                                    else self.url)

    def record_id(self) -> str | None:
        """The id of the record's URL (the canonical link), not of the fetched one."""
        return self.rules.record_id(self.rules.key(self.record_url()))
