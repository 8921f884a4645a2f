"""The http(s) download handler: Scrapy's, except that a shutdown does not wait on a slow server.

On SIGTERM (or Ctrl-C) Scrapy stops scheduling and waits for the downloads in flight before it
writes the feed and closes the spider; a server that sends a byte a second holds that wait for the
whole ``DOWNLOAD_TIMEOUT`` (30 s: past systemd's patience, and cron's next run then exits 75).
This handler cancels what is still downloading ``DOWNLOAD_SHUTDOWN_GRACE`` seconds after the
engine stopped running; the cancelled requests fail as downloads do (errback, not emitted), and
the feed, report and state are written as on any other shutdown.

Settings: ``DOWNLOAD_SHUTDOWN_GRACE`` (seconds). Stats: ``download/cancelled_at_shutdown``.
"""

from __future__ import annotations

import asyncio
import logging
import time

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler
from scrapy.exceptions import DownloadCancelledError
from scrapy.http import Response
from scrapy.utils.asyncio import is_asyncio_available
from twisted.internet import task

logger = logging.getLogger(__name__)

# How often the handler looks whether the engine still runs (seconds).
WATCH_INTERVAL = 0.5


class GracefulHTTPDownloadHandler(HTTP11DownloadHandler):
    """``DOWNLOAD_HANDLERS`` for http and https (needs the asyncio reactor, Scrapy's default;
    without it this is Scrapy's handler unchanged)."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.grace = crawler.settings.getfloat("DOWNLOAD_SHUTDOWN_GRACE", 3.0)
        self.inflight: set[asyncio.Task[Response]] = set()
        self.stopping_since: float | None = None
        self.watch = task.LoopingCall(self._watch)
        if is_asyncio_available():
            self.watch.start(WATCH_INTERVAL, now=False)

    async def download_request(self, request: Request) -> Response:
        if not self.watch.running:
            return await super().download_request(request)
        download = asyncio.ensure_future(super().download_request(request))
        self.inflight.add(download)
        try:
            return await download
        except asyncio.CancelledError:
            if not download.cancelled():  # this coroutine itself was cancelled: pass it on
                raise
            raise DownloadCancelledError(
                f"cancelled at shutdown after {self.grace:g} s (DOWNLOAD_SHUTDOWN_GRACE)"
            ) from None
        finally:
            self.inflight.discard(download)

    def _watch(self) -> None:
        engine = self._crawler.engine
        if engine is None or engine.running:
            return
        now = time.monotonic()
        if self.stopping_since is None:
            self.stopping_since = now
        if now - self.stopping_since >= self.grace and self.inflight:
            logger.warning("Shutting down: cancelling %d download(s) still in flight after %g s",
                           len(self.inflight), self.grace)
            self._crawler.stats.inc_value("download/cancelled_at_shutdown", len(self.inflight))
            for download in list(self.inflight):
                download.cancel()

    async def close(self) -> None:
        if self.watch.running:
            self.watch.stop()
        await super().close()
