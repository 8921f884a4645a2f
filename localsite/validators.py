"""Conditional requests on the local site: ETag and Last-Modified per page, 304 when they match.

The ETag is a hash of the body served; Last-Modified is the time the server first served that
body at that URL (a fixed start time for every page's first version), so both change exactly
when the page does. ``If-None-Match`` wins over ``If-Modified-Since`` (RFC 9110 13.2.2).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.message import Message
from email.utils import format_datetime, parsedate_to_datetime
from hashlib import blake2b
from typing import Protocol

# What every page's first version claims as its modification time (whole seconds, as HTTP dates).
FIRST_VERSION_TIME = datetime(2026, 11, 1, tzinfo=timezone.utc)
_CONDITIONAL_STATUSES = (200,)


class _Served(Protocol):
    status: int
    body: bytes


@dataclass(frozen=True)
class PageValidators:
    etag: str
    modified: datetime

    @property
    def last_modified(self) -> str:
        return format_datetime(self.modified, usegmt=True)

    def matches(self, headers: Message) -> bool:
        """Whether the request's conditional headers say it holds this version (answer 304)."""
        if_none_match = headers.get("If-None-Match")
        if if_none_match is not None:
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return "*" in tags or self.etag in tags
        if_modified_since = headers.get("If-Modified-Since")
        if if_modified_since is None:
            return False
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False  # an unreadable date is ignored, as RFC 9110 says
        return since.tzinfo is not None and self.modified <= since


class Validators:
    """Validators per page (keyed by host + path), remembered across the server's life."""

    def __init__(self) -> None:
        self._pages: dict[str, PageValidators] = {}
        self._lock = threading.Lock()

    def of(self, page: str, response: _Served) -> PageValidators | None:
        if response.status not in _CONDITIONAL_STATUSES:
            return None
        etag = f'"{blake2b(response.body, digest_size=12).hexdigest()}"'
        with self._lock:
            known = self._pages.get(page)
            if known is None or known.etag != etag:
                modified = FIRST_VERSION_TIME if known is None else _later(known.modified)
                known = self._pages[page] = PageValidators(etag, modified)
            return known


def _later(previous: datetime) -> datetime:
    """Now, but at least a second after the previous version (HTTP dates have whole seconds)."""
    now = datetime.now(timezone.utc).replace(microsecond=0)
    return max(now, previous + timedelta(seconds=1))
