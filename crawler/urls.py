"""URL rules shared by all sites: tracking parameters, canonical form, registered domain."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import tldextract

# Query parameters that only say how a visitor arrived; they never change the page.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "yclid", "msclkid", "mc_cid", "mc_eid", "igshid", "spm",
        "from", "share", "share_from", "isappinstalled", "ref", "ref_src", "referrer", "_ga",
        "si", "scene", "clicktime", "timestamp", "source", "src", "cmpid", "wt.mc_id",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "hmsr", "hmpl", "hmcu", "hmkw", "hmci")

# The offline snapshot of the Public Suffix List bundled with tldextract: no network at run time.
# Its private section too: x.github.io, x.blogspot.com, x.wordpress.com are sites, not the
# platform (a default allowed_domains of github.io would put every user's pages in scope).
# Blog platforms that give each blog a subdomain but are not on the list are added here.
PLATFORM_SUFFIXES = ("wordpress.com", "substack.com")
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None,
                                 include_psl_private_domains=True,
                                 extra_suffixes=PLATFORM_SUFFIXES)


def joined(base_url: str, href: str) -> str | None:
    """``urljoin(base_url, href)``; None for a link no URL can be made of: a page, feed or
    robots.txt may write ``https://[www.example.com/...``, on which urljoin raises ValueError."""
    try:
        return urljoin(base_url, href)
    except ValueError:
        return None


def is_tracking_param(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def strip_tracking(url: str, junk: tuple[str, ...] = ()) -> str:
    """``url`` without tracking parameters (and the site's ``junk`` ones), without its fragment."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not is_tracking_param(k) and k.lower() not in junk]
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", urlencode(query), ""))


def canonical_url(url: str, preferred_netloc: str | None = None) -> str:
    """Canonical ``url``: lower-case host (or ``preferred_netloc``), no tracking, no fragment."""
    parts = urlsplit(strip_tracking(url))
    netloc = preferred_netloc or parts.netloc.lower()
    return urlunsplit((parts.scheme.lower() or "http", netloc, parts.path, parts.query, ""))


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


@lru_cache(maxsize=4096)
def registered_domain(host: str) -> str:
    """``news.example.co.uk`` -> ``example.co.uk``; an IP address or bare name stays as it is."""
    host = host.lower().strip(".")
    try:
        ipaddress.ip_address(host.strip("[]"))
        return host
    except ValueError:
        pass
    parts = _EXTRACT(host)
    return parts.top_domain_under_public_suffix or host


def host_allowed(host: str, allowed: list[str]) -> bool:
    """True when ``host`` is one of ``allowed`` or a subdomain of one."""
    host = host.lower()
    return any(host == a or host.endswith("." + a) for a in allowed)
