"""Spider arguments (``-a``) and numeric settings (``-s``), declared as small typed models.

Checked once, before a run starts: ``scrapy crawl`` and ``scrapy crawlall`` turn an
``ArgumentError`` into one line on stderr and exit status 2 (README, "Exit status"). The spider
builds the same model again in ``from_crawler`` (a run started from Python gets the same checks).
No Scrapy here.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import tzinfo
from typing import Any, ClassVar, TypeVar
from urllib.parse import urlsplit

from crawler.archive.options import ArchiveOptions, parse_options
from crawler.generic import SITE_NAME, parse_timezone, site_name

# Arguments Scrapyd passes to every spider it schedules: accepted and ignored.
SCHEDULER_ARGUMENTS = frozenset({"_job"})
MAX_SITE_NAME = 100
_HOST = re.compile(r"^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$")
_NOT_IN_HOST = frozenset(" \t\n/\\%")

Args = TypeVar("Args", bound="SpiderArguments")


class ArgumentError(ValueError):
    """A spider argument or setting the run cannot use; the message names it and what it takes."""


def _items(value: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else list(value)
    return tuple(item.strip() for item in items if item.strip())


def start_url(url: str) -> str:
    """An http(s) URL with a host name or IPv4 address: other schemes have no timeout (ftp)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port that is no number or out of range
    except ValueError as error:
        raise ArgumentError(f"-a start_urls: {url!r} is no URL ({error})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ArgumentError(f"-a start_urls: {url!r} is no http(s) URL with a host")
    if not parts.hostname.strip(".") or any(c in parts.hostname for c in _NOT_IN_HOST):
        raise ArgumentError(f"-a start_urls: {url!r} has no valid host")
    if ":" in parts.hostname:
        raise ArgumentError(f"-a start_urls: {url!r}: IPv6 address hosts are not supported; "
                            "use a host name or an IPv4 address")
    return url


def urls(value: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    return tuple(start_url(url) for url in _items(value))


def hosts(value: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Host names or IPv4 addresses, as OffsiteMiddleware takes them (no scheme, no path)."""
    found = tuple(host.lower().strip(".") for host in _items(value))
    for host in found:
        if not _HOST.match(host):
            raise ArgumentError(f"-a allowed_domains: {host!r} is no host name (no scheme, port "
                                "or path: example.com or 127.0.0.1)")
    return found


def positive_int(value: str | int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number < 1:
        raise ArgumentError(f"-a max_articles={value!r}: give a whole number of 1 or more")
    return number


def site_argument(value: str) -> str:
    name = value.strip().lower()
    if len(name) > MAX_SITE_NAME or not SITE_NAME.match(name):
        raise ArgumentError(f"-a site={value!r}: use lower-case letters, digits, '_', '-' and "
                            "dots between them (it names a folder under DATA_DIR)")
    return name


def timezone_argument(value: str) -> tzinfo:
    try:
        return parse_timezone(value)
    except (ValueError, KeyError, OSError):
        raise ArgumentError(f"-a timezone={value!r}: give an offset (+08:00, UTC-5) or an IANA "
                            "name (Asia/Shanghai)") from None


@dataclass(frozen=True)
class SpiderArguments:
    """``-a`` arguments of every site spider; each field is parsed by ``PARSERS[name]``."""

    start_urls: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = ()
    max_articles: int | None = None
    # A backfill from web archives (crawler.archive.options checks the four together).
    warc: str | None = None
    archive: str | None = None
    since: str | None = None
    until: str | None = None
    archive_options: ArchiveOptions | None = field(default=None, init=False)

    PARSERS: ClassVar[dict[str, Callable[[Any], Any]]] = {
        "start_urls": urls, "allowed_domains": hosts, "max_articles": positive_int,
        "warc": str, "archive": str, "since": str, "until": str,
    }
    REQUIRED: ClassVar[tuple[str, ...]] = ()

    def __post_init__(self) -> None:
        raw = {"warc": self.warc, "archive": self.archive, "since": self.since,
               "until": self.until}
        try:
            object.__setattr__(self, "archive_options", parse_options(raw))
        except ValueError as error:
            raise ArgumentError(str(error)) from None

    @classmethod
    def parse(cls: type[Args], raw: Mapping[str, Any]) -> Args:
        """The arguments of ``raw`` (``-a`` strings, or lists from Python), or ArgumentError."""
        known = {f.name for f in fields(cls) if f.init}
        unknown = sorted(set(raw) - known - SCHEDULER_ARGUMENTS)
        if unknown:
            raise ArgumentError(f"unknown argument -a {unknown[0]}=...; this spider takes "
                                + ", ".join(f"-a {name}" for name in sorted(known)))
        values = {name: cls.PARSERS[name](raw[name]) for name in known
                  if raw.get(name) not in (None, "")}
        missing = [name for name in cls.REQUIRED if not values.get(name)]
        if missing:
            raise ArgumentError(f"this spider needs -a {missing[0]}=VALUE")
        return cls(**values)


@dataclass(frozen=True)
class GenericArguments(SpiderArguments):
    """``scrapy crawl news``: start pages are required; ``site`` and ``timezone`` besides."""

    site: str | None = None
    timezone: tzinfo | None = None

    PARSERS: ClassVar[dict[str, Callable[[Any], Any]]] = {
        **SpiderArguments.PARSERS, "site": site_argument, "timezone": timezone_argument,
    }
    REQUIRED: ClassVar[tuple[str, ...]] = ("start_urls",)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.site is None and self.start_urls:  # the site is named after the first start page
            derived = site_name(self.start_urls[0])
            try:
                object.__setattr__(self, "site", site_argument(derived))
            except ArgumentError:
                raise ArgumentError(f"-a start_urls: the site name {derived!r} taken from the "
                                    "first start page cannot name a folder; give -a site=NAME"
                                    ) from None


# --- settings ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Bound:
    """A numeric setting's type and range; ``low_open``: the low end itself is not allowed."""

    kind: type[int] | type[float]
    low: float
    high: float | None = None
    low_open: bool = False

    def check(self, name: str, value: Any) -> None:
        try:
            number = self.kind(value)
        except (TypeError, ValueError):
            raise ArgumentError(f"-s {name}={value!r}: {self.describe()}") from None
        too_low = number <= self.low if self.low_open else number < self.low
        if too_low or (self.high is not None and number > self.high):
            raise ArgumentError(f"-s {name}={value!r}: {self.describe()}")

    def describe(self) -> str:
        what = "a whole number" if self.kind is int else "a number"
        low = f"above {self.low:g}" if self.low_open else f"{self.low:g} or more"
        high = f" and at most {self.high:g}" if self.high is not None else ""
        return f"give {what} {low}{high}"


_COUNT, _AT_LEAST_ONE = Bound(int, 0), Bound(int, 1)
_SECONDS, _POSITIVE = Bound(float, 0), Bound(float, 0, low_open=True)
_RATIO = Bound(float, 0, 1)
NUMERIC_SETTINGS: dict[str, Bound] = {
    # 0 or below would drop every article as a duplicate; above 1, none
    "NEAR_DUPLICATE_THRESHOLD": Bound(float, 0, 1, low_open=True),
    "EXIT_MAX_ERROR_RATIO": _RATIO, "EXIT_MAX_DROP_RATIO": _RATIO,
    "EXIT_RATIO_MIN_PAGES": _COUNT, "NAV_MAX_BARREN_HOPS": _COUNT, "NAV_MAX_DEPTH": _COUNT,
    "SITE_FEEDS_MAX_ENTRIES": _COUNT, "SITE_FEEDS_MAX_DOCUMENTS": _COUNT,
    "STATE_COMMIT_EVERY": _AT_LEAST_ONE, "RECHECK_AFTER_DAYS": _SECONDS,
    "DOWNLOAD_TIMEOUT": _POSITIVE, "DOWNLOAD_DELAY": _SECONDS, "DNS_TIMEOUT": _POSITIVE,
    "DOWNLOAD_MAXSIZE": _COUNT, "DOWNLOAD_WARNSIZE": _COUNT,
    "CONCURRENT_REQUESTS": _AT_LEAST_ONE, "CONCURRENT_REQUESTS_PER_DOMAIN": _AT_LEAST_ONE,
    "CONCURRENT_ITEMS": _AT_LEAST_ONE,
    "RETRY_TIMES": _COUNT, "REDIRECT_MAX_TIMES": _COUNT,
    "CLOSESPIDER_TIMEOUT": _SECONDS, "CLOSESPIDER_ITEMCOUNT": _COUNT,
    "CLOSESPIDER_PAGECOUNT": _COUNT, "CLOSESPIDER_ERRORCOUNT": _COUNT,
    "AUTOTHROTTLE_START_DELAY": _SECONDS, "AUTOTHROTTLE_MAX_DELAY": _SECONDS,
    "AUTOTHROTTLE_TARGET_CONCURRENCY": _POSITIVE,
    "LINKS_PER_PAGE_MAX": _AT_LEAST_ONE, "CRAWL_DELAY_MAX": _SECONDS,
    "DOWNLOAD_SHUTDOWN_GRACE": _SECONDS, "ARCHIVE_CONCURRENCY": _AT_LEAST_ONE,
    "ARCHIVE_DOWNLOAD_DELAY": _SECONDS, "ARCHIVE_SCAN_BATCH": _AT_LEAST_ONE,
    "READING_POOL_SIZE": _COUNT, "READING_TIMEOUT": _POSITIVE,
    "REDIS_LEASE_TIMEOUT": _AT_LEAST_ONE, "REDIS_POLL_INTERVAL": _POSITIVE,
    "REDIS_STALL_TIMEOUT": _POSITIVE,
}
BOOLEAN_SETTINGS = (
    "ROBOTSTXT_OBEY", "AUTOTHROTTLE_ENABLED", "RETRY_ENABLED", "SITE_FEEDS_ENABLED",
    "STAGE_TIMING_ENABLED", "PRIVATE_ADDRESS_GUARD_ENABLED", "CONDITIONAL_REQUESTS_ENABLED",
    "RUN_STATE_ENABLED", "RUN_REPORT_ENABLED", "DEFAULT_FEED_ENABLED",
    "WARN_ON_GENERATOR_RETURN_VALUE",
)


def check_settings(settings: Any) -> None:
    """ArgumentError for the first setting the run cannot use (``settings``: Scrapy Settings)."""
    for name, bound in NUMERIC_SETTINGS.items():
        value = settings.get(name)
        if value not in (None, ""):
            bound.check(name, value)
    for name in BOOLEAN_SETTINGS:
        try:
            settings.getbool(name)
        except ValueError:
            raise ArgumentError(f"-s {name}={settings.get(name)!r}: give True or False") from None
    zone = settings.get("NEWS_TIMEZONE")
    if zone:
        timezone_argument(zone)
    for entry in settings.getlist("PRIVATE_ADDRESS_ALLOW"):
        allowed_entry(entry)


def allowed_entry(entry: str) -> str:
    """An entry of PRIVATE_ADDRESS_ALLOW: a host name, an IP address or a network (CIDR)."""
    entry = entry.strip().lower()
    if "/" in entry:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ArgumentError(f"-s PRIVATE_ADDRESS_ALLOW: {entry!r} is no network") from None
    elif not _HOST.match(entry) and ":" not in entry:
        raise ArgumentError(f"-s PRIVATE_ADDRESS_ALLOW: {entry!r} is no host, address or network")
    return entry


def check_run(spider_loader: Any, name: str, raw: Mapping[str, Any], settings: Any) -> None:
    """ArgumentError unless spider ``name`` exists and takes ``raw`` with these settings."""
    try:
        spidercls = spider_loader.load(name)
    except KeyError:
        raise ArgumentError(f"no spider named {name!r} (scrapy list shows them)") from None
    check_settings(settings)
    model = getattr(spidercls, "arguments", None)
    if isinstance(model, type) and issubclass(model, SpiderArguments):
        model.parse(raw)
