"""Downloader middlewares of the project."""

from __future__ import annotations

from scrapy import Request

from crawler.urls import host_of, registered_domain


class SiteSlotMiddleware:
    """Put every request in the download slot of its registered domain.

    Mirror subdomains (``weixifushi88.sjfzxm.com``, ``www.sjfzxm.com``) are one server: sharing
    the slot makes ``CONCURRENT_REQUESTS_PER_DOMAIN``, ``DOWNLOAD_DELAY`` and AutoThrottle apply
    per site, not per mirror. A request that already names a ``download_slot`` keeps it.
    """

    def process_request(self, request: Request) -> None:
        request.meta.setdefault("download_slot", registered_domain(host_of(request.url)))
