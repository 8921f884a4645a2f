"""Downloader middlewares of the project."""

from __future__ import annotations

import logging

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import CannotResolveHostError, IgnoreRequest, NotConfigured
from twisted.internet.error import DNSLookupError

from crawler.privateaddress import REFUSED, Allowance, ip_literal, is_public
from crawler.urls import host_of, registered_domain

logger = logging.getLogger(__name__)


class SiteSlotMiddleware:
    """Put every request in the download slot of its registered domain.

    Mirror subdomains (``weixifushi88.sjfzxm.com``, ``www.sjfzxm.com``) are one server: sharing
    the slot makes ``CONCURRENT_REQUESTS_PER_DOMAIN``, ``DOWNLOAD_DELAY`` and AutoThrottle apply
    per site, not per mirror. A request that already names a ``download_slot`` keeps it.
    """

    def process_request(self, request: Request) -> None:
        request.meta.setdefault("download_slot", registered_domain(host_of(request.url)))


class PrivateAddressMiddleware:
    """Refuse a request to a non-public IP-literal host the operator did not name.

    The other half of the private-address guard (crawler.privateaddress): host names are checked
    where they resolve; a literal address needs no DNS, so it is checked here. A literal that
    is loopback, private, link-local, multicast or reserved is fetched only when it is one of the
    spider's ``allowed_domains`` (typed with ``-a allowed_domains``, or taken from a typed
    ``-a start_urls``) or ``PRIVATE_ADDRESS_ALLOW`` permits it. A download that failed because
    the resolver refused its host is counted and not retried.

    Settings: ``PRIVATE_ADDRESS_GUARD_ENABLED``, ``PRIVATE_ADDRESS_ALLOW``.
    Stats: ``private_address/refused``.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.allowance = Allowance.from_settings(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PrivateAddressMiddleware:
        if not crawler.settings.getbool("PRIVATE_ADDRESS_GUARD_ENABLED", True):
            raise NotConfigured("PRIVATE_ADDRESS_GUARD_ENABLED is off")
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        host = host_of(request.url)
        if ip_literal(host) is None or is_public(host) or self.allowance.permits(host, host):
            return
        named = getattr(self.crawler.spider, "allowed_domains", None) or ()
        if host in named:
            return
        self._refuse(request, f"{host} is a non-public address no argument or "
                              "PRIVATE_ADDRESS_ALLOW names")

    def process_exception(self, request: Request, exception: Exception) -> None:
        host = host_of(request.url)
        # Scrapy 2.14+ raises CannotResolveHostError; older versions the Twisted error itself
        if isinstance(exception, (CannotResolveHostError, DNSLookupError)) and host in REFUSED:
            self._refuse(request, f"{host} resolves to the non-public address {REFUSED[host]}")

    def _refuse(self, request: Request, why: str) -> None:
        self.crawler.stats.inc_value("private_address/refused")
        logger.warning("Refused %s: %s", request.url, why)
        raise IgnoreRequest(f"private-address guard: {why}")
