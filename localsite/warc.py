"""WARC files of the local site, written offline (pages rendered by the router, no server).

For the archive tests, `make demo-archive` and `make bench-archive`. ``WarcBuilder`` writes any
capture (responses, revisits, non-200s, other sites' pages, damaged records) one record at a
time; ``write_site_warc`` captures every page a crawl of the site would see.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from localsite.links import SiteUrls, article_path, list_path
from localsite.model import SiteModel
from localsite.routes import Router

SERVICE_UNAVAILABLE = 503
_REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 404: "Not Found",
            503: "Service Unavailable"}


@dataclass
class WarcBuilder:
    """Records as separate byte strings (one gzip member each when ``gzip``), written in order."""

    gzip: bool = True
    records: list[bytes] = field(default_factory=list)
    digests: dict[str, tuple[str, str]] = field(default_factory=dict)  # url -> (digest, date)

    def response(self, url: str, body: bytes, date: str, status: int = 200,
                 content_type: str = "text/html; charset=utf-8",
                 declared_length: int | None = None) -> int:
        """A response record; ``declared_length`` > len(body) makes a cut-off download."""
        headers = [("Content-Type", content_type),
                   ("Content-Length", str(declared_length or len(body)))]
        http = StatusAndHeaders(f"{status} {_REASONS.get(status, 'Status')}", headers,
                                protocol="HTTP/1.1")
        writer, out = self._writer()
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                           http_headers=http, warc_headers_dict={"WARC-Date": date})
        writer.write_record(record)
        self.digests[url] = (record.rec_headers.get_header("WARC-Payload-Digest"), date)
        return self._add(out)

    def revisit(self, url: str, date: str, original_url: str | None = None) -> int:
        """A revisit of ``url`` (identical payload to the last response of ``original_url``)."""
        original = original_url or url
        digest, original_date = self.digests[original]
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                protocol="HTTP/1.1")
        writer, out = self._writer()
        record = writer.create_revisit_record(url, digest, original, original_date,
                                              http_headers=http,
                                              warc_headers_dict={"WARC-Date": date})
        writer.write_record(record)
        return self._add(out)

    def cut(self, index: int, keep: float = 0.5) -> None:
        """Cut record ``index`` short, as a copy interrupted mid-file would leave it."""
        data = self.records[index]
        self.records[index] = data[: max(1, int(len(data) * keep))]

    def spans(self) -> list[tuple[int, int]]:
        """(offset, length) of each record in the written file, as a CDX index gives them."""
        spans, offset = [], 0
        for data in self.records:
            spans.append((offset, len(data)))
            offset += len(data)
        return spans

    def write(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"".join(self.records))
        return path

    def _writer(self) -> tuple[WARCWriter, io.BytesIO]:
        out = io.BytesIO()
        return WARCWriter(out, gzip=self.gzip), out

    def _add(self, out: io.BytesIO) -> int:
        self.records.append(out.getvalue())
        return len(self.records) - 1


def site_pages(model: SiteModel, urls: SiteUrls) -> Iterator[tuple[str, int, str, bytes]]:
    """(url, status, content type, body) of the robots.txt, every list page and article id; a
    page that answers 503 is captured again, as a crawler's retry would be."""
    router = Router(model, urls)
    paths = ["/robots.txt"] + [list_path(page) for page in range(1, model.page_count + 1)]
    paths += [article_path(article_id) for article_id in sorted(model.articles)]
    for path in paths:
        response = router.respond(path, urls.base)
        yield f"{urls.base}{path}", response.status, response.content_type, response.body
        if response.status == SERVICE_UNAVAILABLE:
            response = router.respond(path, urls.base)
            yield f"{urls.base}{path}", response.status, response.content_type, response.body


def write_site_warc(path: Path, model: SiteModel, base_url: str, mirror_url: str,
                    date: str = "2025-06-01T08:00:00Z", gzip: bool = True) -> int:
    """A WARC of every page of the site as served at ``base_url``; returns the record count."""
    builder = WarcBuilder(gzip=gzip)
    for url, status, content_type, body in site_pages(model, SiteUrls(base_url, mirror_url)):
        builder.response(url, body, date, status, content_type)
    builder.write(path)
    return len(builder.records)
