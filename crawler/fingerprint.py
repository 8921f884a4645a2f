"""Request identity that knows the site: one article is one request, whatever host or query."""

from __future__ import annotations

import hashlib
from typing import Any

from scrapy import Request
from scrapy.utils.request import RequestFingerprinter


class SiteAwareRequestFingerprinter:
    """Fingerprint GET requests by the spider's ``request_key(url)`` when it has one.

    Mirror hosts and tracking-parameter variants of one article then share a fingerprint, so the
    dupefilter downloads each article once per run, also when a legacy URL redirects to it.
    """

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self._default = RequestFingerprinter(crawler)

    @classmethod
    def from_crawler(cls, crawler: Any) -> SiteAwareRequestFingerprinter:
        return cls(crawler)

    def fingerprint(self, request: Request) -> bytes:
        key_of = getattr(getattr(self.crawler, "spider", None), "request_key", None)
        if key_of is None or request.method != "GET":
            return self._default.fingerprint(request)
        return hashlib.sha1(key_of(request.url).encode("utf-8")).digest()
