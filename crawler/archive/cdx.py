"""CDX index queries (Common Crawl's index server, the Wayback CDX server) and capture fetches.

Pure functions over URLs and bodies, so that they are tested without a server; the HTTP goes
through Scrapy's downloader (crawler.archive.backfill). Common Crawl rows name a WARC file,
offset and length: the capture is one HTTP range request for that gzip member. The public
Wayback Machine does not publish WARC offsets, so its captures are fetched from the replay
endpoint in its raw mode (``<timestamp>id_/<url>``), which returns the archived payload as is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from crawler.archive.captures import Capture, iso_from_timestamp

_WAYBACK_FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")


@dataclass(frozen=True)
class CdxRow:
    url: str
    timestamp: str
    status: int
    filename: str | None = None
    offset: int | None = None
    length: int | None = None


def collections(collinfo: bytes, since: str | None, until: str | None) -> list[tuple[str, str]]:
    """(id, cdx-api URL) of the Common Crawl crawls that overlap ``since``..``until`` (YYYYMM)."""
    chosen = []
    for crawl in json.loads(collinfo):
        start = (crawl.get("from") or "").replace("-", "")[:6]
        end = (crawl.get("to") or "").replace("-", "")[:6]
        if since and end and end < since or until and start and start > until:
            continue
        chosen.append((crawl["id"], crawl["cdx-api"]))
    return chosen


def query_url(endpoint: str, domain: str, since: str | None, until: str | None,
              page: int | None = None) -> str:
    """The index query for every capture under ``domain`` (subdomains included); without a page
    number it asks how many pages there are."""
    params: dict[str, Any] = {"url": domain, "matchType": "domain", "output": "json"}
    if since:
        params["from"] = since
    if until:
        params["to"] = until
    if page is None:
        params["showNumPages"] = "true"
    else:
        params["page"] = page
    return f"{endpoint}?{urlencode(params)}"


def page_count(body: bytes) -> int:
    """The answer to ``showNumPages``: ``{"pages": N}`` (Common Crawl) or ``N`` (Wayback)."""
    value = json.loads(body or b"0")
    if isinstance(value, dict):
        value = value.get("pages", 0)
    return max(0, int(value))


def rows(body: bytes) -> list[CdxRow]:
    """Index rows of one page: JSON lines (Common Crawl) or a JSON table with a header row."""
    text = body.decode("utf-8", "replace").strip()
    if not text:
        return []
    if text.startswith("["):
        table = json.loads(text)
        header = table[0] if table and table[0] == list(_WAYBACK_FIELDS[: len(table[0])]) else None
        return [_row(dict(zip(header or _WAYBACK_FIELDS, values, strict=False))) for values in
                table[1 if header else 0:]]
    return [_row(json.loads(line)) for line in text.splitlines() if line.strip()]


def _row(fields: dict[str, Any]) -> CdxRow:
    status = str(fields.get("status") or fields.get("statuscode") or "")
    return CdxRow(url=fields.get("url") or fields.get("original") or "",
                  timestamp=str(fields["timestamp"]),
                  status=int(status) if status.isdigit() else 0,
                  filename=fields.get("filename"),
                  offset=_int(fields.get("offset")), length=_int(fields.get("length")))


def _int(value: Any) -> int | None:
    return int(value) if value not in (None, "", "-") else None


def capture(row: CdxRow, archive: str) -> Capture:
    """The capture a row names: range locator for Common Crawl, replay locator for Wayback."""
    if row.filename and row.offset is not None and row.length:
        locator: tuple[str, ...] = ("range", row.filename, str(row.offset), str(row.length))
    else:
        locator = ("replay", row.timestamp, row.url)
    return Capture(row.url, iso_from_timestamp(row.timestamp), archive, locator)


def range_header(offset: int, length: int) -> str:
    return f"bytes={offset}-{offset + length - 1}"


def replay_url(endpoint: str, timestamp: str, url: str) -> str:
    """Wayback raw replay: the payload as archived, without the replay banner or URL rewriting."""
    return f"{endpoint.rstrip('/')}/{timestamp}id_/{url}"
