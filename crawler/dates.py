"""Publication dates: patterns seen on news pages, parsed to aware datetimes and ISO 8601 strings."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo

CHINA_TIME = timezone(timedelta(hours=8), "CST")

# 2021/9/7 15:08:00, 2021-09-07 15:08, 2021.9.7 (time optional); no zero padding required.
NUMERIC_DATETIME = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})[/\-.](?P<m>\d{1,2})[/\-.](?P<d>\d{1,2})"
    r"(?:[ T]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?(?!\d)"
)


def _build(match: re.Match[str], tz: tzinfo) -> datetime | None:
    g = match.groupdict()
    try:
        return datetime(
            int(g["y"]), int(g["m"]), int(g["d"]),
            int(g["H"] or 0), int(g["M"] or 0), int(g["S"] or 0), tzinfo=tz,
        )
    except ValueError:
        return None


def find_numeric_datetime(text: str, tz: tzinfo = CHINA_TIME) -> tuple[datetime, re.Match[str]] | None:
    """The first valid ``Y/M/D [H:MM[:SS]]`` date in ``text``, in time zone ``tz``."""
    for match in NUMERIC_DATETIME.finditer(text):
        parsed = _build(match, tz)
        if parsed is not None:
            return parsed, match
    return None


def parse_iso(value: str, default_tz: tzinfo | None = None) -> datetime | None:
    """Parse an ISO 8601 string from metadata; a naive value gets ``default_tz``."""
    value = value.strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        found = find_numeric_datetime(value, default_tz or timezone.utc)
        return found[0] if found else None
    if parsed.tzinfo is None and default_tz is not None:
        parsed = parsed.replace(tzinfo=default_tz)
    return parsed


def to_iso(value: datetime | None) -> str | None:
    """ISO 8601 with offset, seconds precision: ``2021-09-07T15:08:00+08:00``."""
    if value is None:
        return None
    return value.isoformat(timespec="seconds")


def utc_now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
