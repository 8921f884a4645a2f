"""robots.txt ``Crawl-delay`` as a floor on the download delay of the site's download slot."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from protego import Protego
from scrapy import Request, signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Response, TextResponse

logger = logging.getLogger(__name__)


class CrawlDelay:
    """Honour robots.txt ``Crawl-delay`` (the robots.txt RobotsTxtMiddleware fetches).

    The delay becomes a floor of the download slot the robots.txt went through (the registered
    domain: crawler.middlewares.SiteSlotMiddleware): ``DOWNLOAD_DELAY`` below it is raised, and
    the random jitter is narrowed so that no two requests go out closer than the floor. The floor
    is put back after every response, because AutoThrottle lowers slot delays down to
    ``DOWNLOAD_DELAY``, and is kept for a slot Scrapy re-creates after idling.

    Settings: ``ROBOTSTXT_OBEY`` (off: not used), ``ROBOTSTXT_USER_AGENT`` or ``USER_AGENT`` (the
    robots.txt group that applies), ``CRAWL_DELAY_MAX`` (a longer delay is cut to it, with a
    warning: a robots.txt cannot stall the crawl for hours a page). Stats:
    ``robotstxt/crawl_delay/sites`` (slots given a floor), ``robotstxt/crawl_delay/capped``.
    """

    def __init__(self, crawler: Any, user_agent: str, ceiling: float) -> None:
        self.crawler = crawler
        self.user_agent = user_agent
        self.ceiling = ceiling
        self.floors: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlDelay:
        settings = crawler.settings
        if not settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        user_agent = settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT") or ""
        extension = cls(crawler, user_agent, settings.getfloat("CRAWL_DELAY_MAX", 60.0))
        crawler.signals.connect(extension.response_received, signal=signals.response_received)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        return extension

    def spider_opened(self) -> None:
        # Connected now, after AutoThrottle's handler (connected when it was built), so that
        # the floor is put back after its adjustment and before the slot sends again.
        self.crawler.signals.connect(self.response_downloaded, signal=signals.response_downloaded)

    def response_received(self, response: Response, request: Request, **kwargs: Any) -> None:
        if (urlsplit(request.url).path != "/robots.txt" or response.status != 200
                or not isinstance(response, TextResponse)):
            return
        delay = Protego.parse(response.text).crawl_delay(self.user_agent)
        if not delay or delay <= 0:
            return
        if delay > self.ceiling:
            self.crawler.stats.inc_value("robotstxt/crawl_delay/capped")
            logger.warning("%s asks for Crawl-delay %g s; using CRAWL_DELAY_MAX %g s", request.url,
                           delay, self.ceiling)
            delay = self.ceiling
        key = request.meta.get("download_slot") or urlsplit(request.url).hostname or ""
        if key not in self.floors:
            self.crawler.stats.inc_value("robotstxt/crawl_delay/sites")
            logger.info("Crawl-delay %g s from %s: requests to %s go at least that far apart",
                        delay, request.url, key)
        self.floors[key] = max(delay, self.floors.get(key, 0.0))
        self._apply(key)

    def response_downloaded(self, request: Request, **kwargs: Any) -> None:
        key = request.meta.get("download_slot")
        if key in self.floors:
            self._apply(key)

    def _apply(self, key: str) -> None:
        floor = self.floors[key]
        downloader = self.crawler.engine.downloader
        # A slot re-created after idling starts from the floor, without jitter below it.
        downloader.per_slot_settings.setdefault(key, {}).update(delay=floor, jitter=0.0)
        slot = downloader.slots.get(key)
        if slot is not None:
            slot.delay = max(slot.delay, floor)
            slot.jitter = min(slot.jitter, 1.0 - floor / slot.delay)
