"""The archive a backfill reads: its index of captures per article, and reading one capture.

Settings: ``ARCHIVE_CONCURRENCY`` and ``ARCHIVE_DOWNLOAD_DELAY`` (index and capture requests, on
the download slot ``archive``), ``ARCHIVE_COMMONCRAWL_COLLINFO_URL``,
``ARCHIVE_COMMONCRAWL_DATA_URL``, ``ARCHIVE_WAYBACK_CDX_URL``, ``ARCHIVE_WAYBACK_DATA_URL``,
``ARCHIVE_SCAN_BATCH``.
Spider arguments (crawler.archive.options): ``warc``, ``archive``, ``since``, ``until``.
Stats: ``archive/captures`` (usable), ``archive/articles``, ``archive/skipped/offsite``,
``archive/skipped/not_article``, ``archive/skipped/status/<code>``, ``archive/revisits``,
``archive/revisits/unresolved``, ``archive/errors/truncated``, ``archive/errors/unreadable``,
``archive/index/pages``, ``archive/index/errors``, ``archive/read``, ``archive/requests`` (index
and range requests, retries included) and ``archive/failed`` (index requests and capture reads
that failed): the exit status counts the latter, not the former, as page requests.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from crawler.archive import cdx
from crawler.archive.captures import ArchivedPage, Capture, CaptureIndex, TruncatedRecord
from crawler.archive.options import ArchiveOptions
from crawler.archive.warcfiles import (
    ScanError,
    WarcEntry,
    read_bytes,
    read_record,
    scan,
    warc_files,
)

logger = logging.getLogger(__name__)

# Meta key of the archive's own requests (index pages, ranges): the downloader fetches them.
PASSTHROUGH = "archive_passthrough"
HTTP_OK, HTTP_PARTIAL = 200, 206


class ArchiveBackfill:
    """Extension, on when the spider has archive options (``spider.archive``)."""

    def __init__(self, crawler: Crawler, options: ArchiveOptions) -> None:
        self.crawler = crawler
        self.options = options
        self.stats = crawler.stats
        settings = crawler.settings
        self.delay = settings.getfloat("ARCHIVE_DOWNLOAD_DELAY", 1.0)
        self.semaphore = asyncio.Semaphore(settings.getint("ARCHIVE_CONCURRENCY", 2))
        self.scan_batch = settings.getint("ARCHIVE_SCAN_BATCH", 200)
        self.collinfo_url = settings.get("ARCHIVE_COMMONCRAWL_COLLINFO_URL")
        self.cc_data_url = settings.get("ARCHIVE_COMMONCRAWL_DATA_URL")
        self.wayback_cdx_url = settings.get("ARCHIVE_WAYBACK_CDX_URL")
        self.wayback_data_url = settings.get("ARCHIVE_WAYBACK_DATA_URL")
        self.index = CaptureIndex()
        self.closing = False
        self._next_start = 0.0
        crawler.signals.connect(self._closing, signal=signals.spider_closed)
        crawler.signals.connect(self._reached, signal=signals.request_reached_downloader)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveBackfill:
        options = getattr(crawler.spider, "archive", None)
        if not isinstance(options, ArchiveOptions):
            raise NotConfigured("not a backfill")
        return cls(crawler, options)

    def _closing(self) -> None:
        self.closing = True

    def _reached(self, request: Request) -> None:
        """Counts the archive's own requests (retries too), which are not page requests."""
        if request.meta.get(PASSTHROUGH):
            self.stats.inc_value("archive/requests")

    def key_of(self, url: str) -> str | None:
        """The article a captured URL is (its request key), or None, counted, if not one."""
        rules = self.crawler.spider.rules  # type: ignore[union-attr]  # a NewsSpider
        if not rules.on_site(url):
            self.stats.inc_value("archive/skipped/offsite")
            return None
        if rules.article_id(url) is None:
            self.stats.inc_value("archive/skipped/not_article")
            return None
        return str(rules.request_key(url))

    def captures_for(self, url: str) -> list[Capture]:
        rules = self.crawler.spider.rules  # type: ignore[union-attr]
        return self.index.get(rules.request_key(url))

    # --- building the index ---------------------------------------------------------------------
    async def collect(self) -> CaptureIndex:
        if self.options.warc_paths:
            await self._collect_warc(self.options.warc_paths)
        else:
            await self._collect_cdx()
        self.index.finish()
        self.stats.set_value("archive/articles", len(self.index))
        logger.info("Archive (%s): %d articles captured", self.options.label, len(self.index))
        return self.index

    async def _collect_warc(self, paths: tuple[Path, ...]) -> None:
        originals: dict[str, tuple[str, ...]] = {}
        revisits: list[tuple[str, WarcEntry]] = []
        for path in warc_files(paths):
            for count, entry in enumerate(scan(path), 1):
                if count % self.scan_batch == 0:
                    await asyncio.sleep(0)  # let signals (SIGTERM) through on large files
                if self.closing:
                    return
                self._take_warc(entry, originals, revisits)
        for key, entry in revisits:
            original = originals.get(entry.digest or "")
            if original is None:
                self.stats.inc_value("archive/revisits/unresolved")
                continue
            self.stats.inc_value("archive/revisits")
            self._add(key, Capture(entry.url, _iso(entry.date), _label(entry.path), original))

    def _take_warc(self, entry: WarcEntry | ScanError, originals: dict[str, tuple[str, ...]],
                   revisits: list[tuple[str, WarcEntry]]) -> None:
        if isinstance(entry, ScanError):
            self.stats.inc_value("archive/errors/unreadable")
            logger.warning("Unreadable WARC data in %s after offset %d: %s", entry.path,
                           entry.offset, entry.message)
            return
        key = self.key_of(entry.url)
        if key is None:
            return
        if entry.problem:
            self.stats.inc_value("archive/errors/truncated")
            logger.warning("Truncated WARC record %s:%d (%s): %s", entry.path, entry.offset,
                           entry.url, entry.problem)
        elif entry.kind == "revisit":
            revisits.append((key, entry))
        elif entry.status != HTTP_OK:
            self.stats.inc_value(f"archive/skipped/status/{entry.status}")
        else:
            locator = ("warc", entry.path, str(entry.offset))
            if entry.digest:
                originals.setdefault(entry.digest, locator)
            self._add(key, Capture(entry.url, _iso(entry.date), _label(entry.path), locator))

    def _add(self, key: str, capture: Capture) -> None:
        self.stats.inc_value("archive/captures")
        self.index.add(key, capture)

    async def _collect_cdx(self) -> None:
        since, until = self.options.since, self.options.until
        for archive, endpoint in await self._endpoints():
            for domain in self.crawler.spider.rules.allowed_domains:  # type: ignore[union-attr]
                count = await self._index_page(cdx.query_url(endpoint, domain, since, until))
                for page in range(cdx.page_count(count) if count is not None else 0):
                    if self.closing:
                        return
                    body = await self._index_page(cdx.query_url(endpoint, domain, since, until,
                                                                page))
                    for row in cdx.rows(body or b""):
                        self._take_row(row, archive)

    async def _endpoints(self) -> list[tuple[str, str]]:
        if self.options.archive == "wayback":
            return [("wayback", self.wayback_cdx_url)]
        collinfo = await self._index_page(self.collinfo_url)
        if collinfo is None:
            return []
        chosen = cdx.collections(collinfo, self.options.since, self.options.until)
        return [(f"commoncrawl:{crawl}", api) for crawl, api in chosen]

    async def _index_page(self, url: str) -> bytes | None:
        """An index answer; None, counted and logged as an error, if it failed (retries done)."""
        try:
            response = await self.fetch(url)
        except Exception as error:
            problem = f"{type(error).__name__}: {error}"
        else:
            if response.status == HTTP_OK:
                self.stats.inc_value("archive/index/pages")
                return response.body
            problem = f"HTTP {response.status}"
        self.stats.inc_value("archive/index/errors")
        self.stats.inc_value("archive/failed")
        logger.error("Archive index request failed %s: %s", url, problem)
        return None

    def _take_row(self, row: cdx.CdxRow, archive: str) -> None:
        key = self.key_of(row.url)
        if key is None:
            return
        if row.status != HTTP_OK:
            self.stats.inc_value(f"archive/skipped/status/{row.status}")
            return
        self._add(key, cdx.capture(row, archive))

    # --- reading a capture ----------------------------------------------------------------------
    async def read(self, capture: Capture) -> ArchivedPage:
        """The archived page of ``capture``; TruncatedRecord if it cannot be read whole."""
        kind, *where = capture.locator
        self.stats.inc_value("archive/read")
        if kind == "warc":
            return read_record(where[0], int(where[1]))
        if kind == "range":
            filename, offset, length = where[0], int(where[1]), int(where[2])
            url = self.cc_data_url.rstrip("/") + "/" + filename.lstrip("/")
            response = await self.fetch(url, {"Range": cdx.range_header(offset, length)})
            if response.status not in (HTTP_OK, HTTP_PARTIAL) or len(response.body) != length:
                raise TruncatedRecord(f"range answered {response.status}, "
                                      f"{len(response.body)} of {length} bytes")
            return read_bytes(response.body)
        response = await self.fetch(cdx.replay_url(self.wayback_data_url, where[0], where[1]))
        return ArchivedPage(response.status, _headers(response), response.body)

    async def fetch(self, url: str, headers: dict[str, str] | None = None) -> Response:
        """GET through Scrapy's downloader (retries, timeouts, stats), at the archive's pace."""
        async with self.semaphore:
            await self._pace()
            request = Request(url, headers=headers, dont_filter=True, meta={
                PASSTHROUGH: True, "download_slot": "archive", "dont_obey_robotstxt": True,
                "allow_offsite": True})
            assert self.crawler.engine is not None
            return await self.crawler.engine.download_async(request)

    async def _pace(self) -> None:
        loop = asyncio.get_running_loop()
        start = max(loop.time(), self._next_start)
        self._next_start = start + self.delay
        if start > loop.time():
            await asyncio.sleep(start - loop.time())


def _iso(warc_date: str) -> str:
    return warc_date[:19] + "Z"


def _label(path: str) -> str:
    return f"warc:{Path(path).name}"


def _headers(response: Response) -> list[tuple[str, str]]:
    return [(name.decode("latin-1"), value.decode("latin-1"))
            for name, values in response.headers.items() for value in values]


def backfill_for(crawler: Any) -> ArchiveBackfill | None:
    return crawler.get_extension(ArchiveBackfill)
