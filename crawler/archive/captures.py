"""A capture (one archived fetch of a URL), the page it holds, and the captures of each article."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from scrapy.http import Request, Response
from scrapy.http.headers import Headers
from scrapy.responsetypes import responsetypes

# Headers of the archived transfer, not of the payload as read back (de-chunked); a
# Content-Encoding stays: Scrapy's HttpCompressionMiddleware decodes the payload as for a live page.
_TRANSFER_HEADERS = (b"transfer-encoding", b"content-length")


@dataclass(frozen=True)
class Capture:
    """Where to read one capture. ``locator`` is the source's own (file and offset, CDX row...)."""

    url: str
    captured_at: str  # ISO 8601 UTC, "2024-03-01T12:00:00Z"
    archive: str  # "warc:<file name>", "commoncrawl:<collection>", "wayback"
    locator: tuple[str, ...]


@dataclass(frozen=True)
class ArchivedPage:
    """An archived HTTP response, its payload decoded."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes


class TruncatedRecord(Exception):
    """An archive record that ends before its declared length, or cannot be decoded."""


@dataclass
class CaptureIndex:
    """The readable captures of each article, newest first, keyed by the spider's request key."""

    captures: dict[str, list[Capture]] = field(default_factory=dict)

    def add(self, key: str, capture: Capture) -> None:
        self.captures.setdefault(key, []).append(capture)

    def finish(self) -> None:
        for found in self.captures.values():
            found.sort(key=lambda c: c.captured_at, reverse=True)

    def get(self, key: str) -> list[Capture]:
        return self.captures.get(key, [])

    def newest(self) -> Iterator[tuple[str, Capture]]:
        for key, found in self.captures.items():
            yield key, found[0]

    def __len__(self) -> int:
        return len(self.captures)


def iso_from_timestamp(value: str) -> str:
    """A CDX timestamp (``20240301120000``) as ISO UTC seconds."""
    return datetime.strptime(value[:14].ljust(14, "0"), "%Y%m%d%H%M%S").strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def to_response(page: ArchivedPage, request: Request, url: str | None = None) -> Response:
    """A Scrapy response to ``request`` with the archived payload, at the URL captured (which
    may be another spelling of the requested page: a mirror host, a query string)."""
    headers = Headers()
    for name, value in page.headers:
        if name.lower().encode() not in _TRANSFER_HEADERS:
            headers.appendlist(name, value)
    url = url or request.url
    response_class = responsetypes.from_args(headers=headers, url=url, body=page.body)
    return response_class(url=url, status=page.status, headers=headers, body=page.body,
                          request=request)
