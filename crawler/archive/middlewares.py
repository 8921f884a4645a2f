"""Archived captures enter Scrapy as ordinary responses to the spider's own article requests.

``ArchiveDownloaderMiddleware`` answers each article request from the archive (newest capture
first; a damaged one gives way to the next older), so the spider callbacks, page reading,
pipelines, state and output are those of a live crawl. ``ArchiveSpiderMiddleware`` replaces the
start pages with one request per captured article, stamps records with their capture, and asks
for an older capture when the newest does not read as an article.

Meta keys: ``archive_capture`` ({captured_at, archive}), ``archive_try`` (index of the capture
used, newest = 0), ``archive_passthrough`` (the archive's own index and range requests).
Stats: ``archive/not_captured``, ``archive/older_capture``, ``archive/refetch_newer``,
``archive/errors/truncated`` (found when reading).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response

from crawler.archive.backfill import PASSTHROUGH, ArchiveBackfill, backfill_for
from crawler.archive.capturelog import CaptureLog
from crawler.archive.captures import Capture, TruncatedRecord, to_response
from crawler.cleaning import is_placeholder
from crawler.items import Article
from crawler.state import state_path, store_for

logger = logging.getLogger(__name__)


def _backfill(crawler: Crawler) -> ArchiveBackfill:
    backfill = backfill_for(crawler)
    if backfill is None:
        raise NotConfigured("not a backfill")
    return backfill


class ArchiveDownloaderMiddleware:
    """Answer article requests from the archive; requests for what it lacks are ignored."""

    def __init__(self, crawler: Crawler, backfill: ArchiveBackfill) -> None:
        self.stats = crawler.stats
        self.backfill = backfill

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveDownloaderMiddleware:
        return cls(crawler, _backfill(crawler))

    async def process_request(self, request: Request) -> Response | None:
        if request.meta.get(PASSTHROUGH):
            return None
        captures = self.backfill.captures_for(request.url)
        if not captures:
            self.stats.inc_value("archive/not_captured")
            raise IgnoreRequest(f"not in the archive: {request.url}")
        for index in range(request.meta.get("archive_try", 0), len(captures)):
            response = await self._read(request, captures[index], index)
            if response is not None:
                return response
        raise IgnoreRequest(f"no capture of {request.url} could be read")

    async def _read(self, request: Request, capture: Capture, index: int) -> Response | None:
        try:
            page = await self.backfill.read(capture)
        except TruncatedRecord as error:
            self.stats.inc_value("archive/errors/truncated")
            self.stats.inc_value("archive/failed")
            logger.warning("Truncated capture of %s (%s, %s): %s", capture.url, capture.archive,
                           capture.captured_at, error)
            return None
        except IgnoreRequest:
            raise
        except Exception as error:  # a range or replay request that failed after its retries
            self.stats.inc_value("archive/errors/unreadable")
            self.stats.inc_value("archive/failed")
            logger.warning("Could not read capture of %s (%s): %s", capture.url, capture.archive,
                           error)
            return None
        request.meta["archive_try"] = index
        request.meta["archive_capture"] = {"captured_at": capture.captured_at,
                                           "archive": capture.archive}
        return to_response(page, request, capture.url)


class ArchiveSpiderMiddleware:
    """Start from the archive's articles; stamp records; fall back to older captures."""

    def __init__(self, crawler: Crawler, backfill: ArchiveBackfill) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.backfill = backfill
        spider = crawler.spider
        assert spider is not None
        self.log = CaptureLog(state_path(crawler.settings, spider.name, ".archive.sqlite3"))
        crawler.signals.connect(self.log.close, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveSpiderMiddleware:
        return cls(crawler, _backfill(crawler))

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        """One request per captured article (the spider's own: incremental skips apply)."""
        spider: Any = self.crawler.spider
        index = await self.backfill.collect()
        for key, newest in index.newest():
            if self.backfill.closing:
                return
            for request in spider.article_requests(newest.url, refetch=self._refetch(key, newest)):
                yield request

    def _refetch(self, key: str, newest: Capture) -> str | None:
        """``archive_newer`` when an emitted article has a capture newer than the one it was read
        from (or than its emission, for an article a live run emitted)."""
        emitted = store_for(self.crawler).emitted(key)
        if emitted is None:
            return None
        seen = self.log.newest(key) or emitted.last_emitted
        if newest.captured_at <= seen:
            return None
        self.stats.inc_value("archive/refetch_newer")
        return "archive_newer"

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        for obj in result:
            yield self._stamped(response, obj)

    async def process_spider_output_async(self, response: Response, result: AsyncIterator[Any]
                                          ) -> AsyncIterator[Any]:
        async for obj in result:
            yield self._stamped(response, obj)

    def _stamped(self, response: Response, obj: Any) -> Any:
        capture = response.meta.get("archive_capture")
        if capture is None or not isinstance(obj, Article):
            return obj
        if not _reads(obj):
            older = self._older(response)
            if older is not None:
                return older
        obj.captured_at, obj.archive = capture["captured_at"], capture["archive"]
        self.log.remember(obj.id, capture["captured_at"])
        return obj

    def _older(self, response: Response) -> Request | None:
        """The same request for the next older capture, if there is one."""
        assert response.request is not None
        following = response.meta.get("archive_try", 0) + 1
        if following >= len(self.backfill.captures_for(response.url)):
            return None
        self.stats.inc_value("archive/older_capture")
        logger.info("Capture of %s (%s) does not read as an article; trying an older one",
                    response.url, response.meta["archive_capture"]["captured_at"])
        meta = {**response.request.meta, "archive_try": following}
        meta.pop("archive_capture", None)
        return response.request.replace(meta=meta, dont_filter=True)


def _reads(article: Article) -> bool:
    """Whether a record is an article at all (what the validate stage would let through)."""
    return bool(article.title and article.body) and not is_placeholder(article.body or "",
                                                                      article.title)
