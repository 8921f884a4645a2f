"""Scrapy's meta-refresh redirects, without decoding and parsing every page to find none.

Scrapy's ``MetaRefreshMiddleware`` reads ``response.text`` (the whole body decoded), then the page's
base URL (a scan for ``<base>``) and its ``<meta>`` tags in the first ``SCAN_CHARS`` characters,
for every HTML response. With the reading pool the crawl process never needs the decoded text:
that was about 0.1 ms of reactor CPU per page for pages that nearly never refresh. A refresh
needs the word "refresh" in a ``<meta>`` tag of those characters (w3lib compares
``"refresh" in attrs.lower()``, ASCII letters); when the bytes that hold them, decoded, do not
contain it in any case, there is no refresh to follow and the response passes untouched.
Otherwise Scrapy's middleware decides, as before: the redirects followed are the same.
"""

from __future__ import annotations

from scrapy import Request, Spider
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse, Response

# The characters Scrapy's middleware scans for a refresh (scrapy.utils.response.get_meta_refresh).
SCAN_CHARS = 4096
# Bytes that hold at least SCAN_CHARS characters in any encoding: 4 bytes per character in UTF-8,
# UTF-16 and UTF-32, and room for the escape sequences of stateful ones (ISO-2022-JP).
BYTES_PER_CHAR_MAX = 8
SCAN_BYTES = SCAN_CHARS * BYTES_PER_CHAR_MAX
REFRESH = "refresh"


class PrecheckedMetaRefreshMiddleware(MetaRefreshMiddleware):
    """Replaces Scrapy's (same setting ``METAREFRESH_ENABLED``, same place in the chain)."""

    def process_response(self, request: Request, response: Response,
                         spider: Spider | None = None) -> Request | Response:
        # (``spider``: the superclass's signature; Scrapy passes none, it is not required)
        if isinstance(response, HtmlResponse) and not may_refresh(response):
            return response
        return super().process_response(request, response)


def may_refresh(response: HtmlResponse) -> bool:
    """Whether the characters Scrapy scans for a refresh may hold one ("refresh" in any case)."""
    head = response.body[:SCAN_BYTES].decode(response.encoding, "replace")
    return REFRESH in head.lower()
