"""The private-address guard's DNS half: a host name never leads the crawler inside the network.

A page can link to (or a site's DNS can point a subdomain at) a loopback, private, link-local,
multicast or reserved address: the crawler would then fetch from the operator's own network.
``PrivateAddressResolver`` (setting ``TWISTED_DNS_RESOLVER``) is Scrapy's caching resolver that
refuses such an answer, so the address checked is the address connected to (a name that
resolves to a public address for a check and to a private one for the fetch, DNS rebinding,
gets no second lookup). IP literals need no DNS: ``crawler.middlewares.PrivateAddressMiddleware``
decides on them, and counts what this resolver refused.

Settings: ``PRIVATE_ADDRESS_GUARD_ENABLED`` (default on), ``PRIVATE_ADDRESS_ALLOW`` (host names,
addresses or networks that may be private, e.g. ``intranet.example,10.1.0.0/16``).
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from scrapy.resolver import CachingThreadedResolver
from twisted.internet.defer import Deferred
from twisted.internet.error import DNSLookupError

logger = logging.getLogger(__name__)

# Host names refused in this process and the address they resolved to; read by the middleware
# to count and explain the failed download. Cleared when full (a refused name is refused again).
REFUSED: dict[str, str] = {}
MAX_REFUSED = 10_000


def ip_literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def is_public(address: str) -> bool:
    """True for a globally routable unicast address; False for anything else or no address."""
    ip = ip_literal(address)
    if ip is None:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is loopback, whatever its IPv6 flags say
    return ip.is_global and not ip.is_multicast


class Allowance:
    """PRIVATE_ADDRESS_ALLOW: host names and addresses (exact) and networks (CIDR)."""

    def __init__(self, entries: Iterable[str]) -> None:
        self.names: set[str] = set()
        self.networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        for entry in (e.strip().lower() for e in entries if e.strip()):
            if "/" in entry:
                self.networks.append(ipaddress.ip_network(entry, strict=False))
            else:
                self.names.add(entry.strip("[]"))

    @classmethod
    def from_settings(cls, settings: Any) -> Allowance:
        return cls(settings.getlist("PRIVATE_ADDRESS_ALLOW"))

    def permits(self, host: str, address: str) -> bool:
        """Whether ``host`` (resolved to ``address``) may be fetched although not public."""
        if host.lower() in self.names or address in self.names:
            return True
        ip = ip_literal(address)
        return ip is not None and any(ip in network for network in self.networks)


class PrivateAddressResolver(CachingThreadedResolver):
    """Scrapy's ``CachingThreadedResolver`` that fails a name resolving to a non-public address
    (as a DNS failure: the request is not sent), unless ``PRIVATE_ADDRESS_ALLOW`` permits it.
    Cached answers are checked on every use."""

    allowance: Allowance | None = None  # None: the guard is off

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> PrivateAddressResolver:
        resolver = super().from_crawler(crawler, reactor)
        if crawler.settings.getbool("PRIVATE_ADDRESS_GUARD_ENABLED", True):
            resolver.allowance = Allowance.from_settings(crawler.settings)
        return resolver

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:
        resolved = super().getHostByName(name, timeout)
        if self.allowance is not None:
            resolved.addCallback(self._check, name)
        return resolved

    def _check(self, address: str, name: str) -> str:
        assert self.allowance is not None
        if ip_literal(name) is not None or is_public(address) or self.allowance.permits(
                name, address):
            return address
        if len(REFUSED) >= MAX_REFUSED:
            REFUSED.clear()
        REFUSED[name.lower()] = address
        logger.debug("Refused host %s: it resolves to the non-public address %s "
                       "(allow it with PRIVATE_ADDRESS_ALLOW)", name, address)
        raise DNSLookupError(f"{name} resolves to the non-public address {address}")
