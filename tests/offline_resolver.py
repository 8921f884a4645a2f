"""A DNS resolver for tests: a ``.invalid`` host (RFC 6761) fails at once, no DNS server asked."""

from __future__ import annotations

from collections.abc import Sequence

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.error import DNSLookupError


class OfflineResolver(CachingThreadedResolver):
    """``-s TWISTED_DNS_RESOLVER=tests.offline_resolver.OfflineResolver``."""

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> defer.Deferred[str]:
        if name.endswith(".invalid"):
            return defer.fail(DNSLookupError(f"no results for hostname lookup: {name}"))
        return super().getHostByName(name, timeout)
