"""Scrapy's meta-refresh redirects, without decoding and parsing every page to find none.

Scrapy's ``MetaRefreshMiddleware`` reads ``response.text`` (the whole body decoded), then the page's
base URL (a scan for ``<base>``) and its ``<meta>`` tags in the first ``SCAN_CHARS`` characters,
for every HTML response; with the reading pool the crawl process needs the decoded text for
nothing else. A refresh needs the word "refresh" in a ``<meta>`` tag of those characters (w3lib
compares ``"refresh" in attrs.lower()``: ASCII letters). In an encoding that writes each ASCII
character as its own byte, and has no bytes the decoder drops between two characters (w3lib's
own test before it scans bytes), a page whose first bytes do not hold "refresh" in any case has
no refresh to follow: it passes untouched. Any other page (another encoding, or the word found)
goes to Scrapy's middleware, which decides as before: the redirects followed are the same.

The encoding is found as Scrapy finds it (a byte order mark, the Content-Type header, a charset
the page declares in its first bytes), without ``response.encoding``: for a page that declares
none, that infers one by decoding the whole body (ASCII, UTF-8, else a guess from its bytes). Such
a page is read in an encoding that writes ASCII as its own bytes (every encoding this project
reads) or in UTF-16/32, which write a zero byte in each ASCII character: a page with zero bytes
where a refresh would be goes to Scrapy's middleware. A page with a byte order mark (UTF-8,
UTF-16, UTF-32) has its first characters decoded and read.
"""

from __future__ import annotations

from functools import lru_cache

from scrapy import Request, Spider
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse, Response
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom

# The characters Scrapy's middleware scans for a refresh (scrapy.utils.response.get_meta_refresh).
SCAN_CHARS = 4096
# At most this many bytes a character in the encodings checked by bytes (UTF-8, GB18030).
BYTES_PER_CHAR_MAX = 4
SCAN_BYTES = SCAN_CHARS * BYTES_PER_CHAR_MAX
REFRESH = b"refresh"
_ASCII = bytes(range(128))
# A zero byte: in each ASCII character of UTF-16 and UTF-32, in no other encoding's text.
ZERO = b"\x00"
# Bytes a decoder may drop between two characters (ISO-2022 escapes, shift in and out): where
# they decode to nothing, "re<ESC>(Bfresh" would read as "refresh" and the bytes can not tell.
_DROPPABLE = (b"\x1b(B", b"\x0e", b"\x0f")


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
    body = response.body
    bom_encoding, bom = read_bom(body)
    if bom_encoding is not None and bom is not None:
        first = body[len(bom):len(bom) + SCAN_BYTES].decode(bom_encoding, "replace")
        return REFRESH.decode() in first.lower()
    content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
    declared = http_content_type_encoding(content_type) or html_body_declared_encoding(body)
    scanned = body[:SCAN_BYTES]
    if declared is None and ZERO in scanned:  # UTF-16 or UTF-32 may be inferred
        return True
    if declared is not None and not bytes_tell(declared):
        return True
    return REFRESH in scanned.lower()


@lru_cache(maxsize=64)
def bytes_tell(encoding: str) -> bool:
    """Whether ASCII text in a document of ``encoding`` is in its bytes as it is in the text."""
    try:
        if _ASCII.decode(encoding, "replace") != _ASCII.decode("ascii"):
            return False
        return all((b"a" + dropped + b"b").decode(encoding, "replace") != "ab"
                   for dropped in _DROPPABLE)
    except LookupError:
        return False
