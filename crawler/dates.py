"""Publication dates: patterns seen on news pages, parsed to aware datetimes and ISO 8601 strings.

The formats are data: add a pattern to ``DATETIME_PATTERNS`` (named groups y, m, d and optional
H, M, S) or a rewrite to ``ISO_REWRITES``; the functions below need no change.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime

CHINA_TIME = timezone(timedelta(hours=8), "CST")

# Dates written in page text, tried in order; the earliest valid match in the text wins.
DATETIME_PATTERNS: tuple[re.Pattern[str], ...] = (
    # 2021/9/7 15:08:00, 2021-09-07 15:08, 2021.9.7 (time optional); no zero padding required.
    re.compile(
        r"(?<!\d)(?P<y>(?:19|20)\d{2})[/\-.](?P<m>\d{1,2})[/\-.](?P<d>\d{1,2})"
        r"(?:[ T]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?(?!\d)"
    ),
)
# Kept for callers that want the single numeric pattern.
NUMERIC_DATETIME = DATETIME_PATTERNS[0]

# Near-ISO values in metadata, rewritten before ``datetime.fromisoformat``.
ISO_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"Z$"), "+00:00"),
    # "2019-11-19 10:00:00 +0100": a space before the offset
    (re.compile(r"\s+(?=[+-]\d{2}:?\d{2}$)"), ""),
    # "2019-11-19T10:00:00 GMT"
    (re.compile(r"\s*(?:UTC|GMT)$", re.IGNORECASE), "+00:00"),
)
DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Metadata dates outside these years are placeholders or typos.
PLAUSIBLE_YEARS = range(1990, 2101)


def _build(match: re.Match[str], tz: tzinfo) -> datetime | None:
    g = match.groupdict()
    try:
        return datetime(
            int(g["y"]), int(g["m"]), int(g["d"]),
            int(g.get("H") or 0), int(g.get("M") or 0), int(g.get("S") or 0), tzinfo=tz,
        )
    except ValueError:
        return None


def find_numeric_datetime(
    text: str, tz: tzinfo = CHINA_TIME
) -> tuple[datetime, re.Match[str]] | None:
    """The first valid date of ``DATETIME_PATTERNS`` in ``text``, in time zone ``tz``."""
    best: tuple[datetime, re.Match[str]] | None = None
    for pattern in DATETIME_PATTERNS:
        for match in pattern.finditer(text):
            if best is not None and match.start() >= best[1].start():
                break
            parsed = _build(match, tz)
            if parsed is not None:
                best = (parsed, match)
                break
    return best


def _from_iso(value: str) -> datetime | None:
    for pattern, replacement in ISO_REWRITES:
        value = pattern.sub(replacement, value)
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _from_rfc2822(value: str) -> datetime | None:
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None


def parse_iso(value: str, default_tz: tzinfo | None = None) -> datetime | None:
    """Parse a metadata date (ISO 8601, near-ISO, RFC 2822, or a numeric date in it);
    a naive value gets ``default_tz``."""
    value = value.strip()
    if not value:
        return None
    parsed = _from_iso(value) or _from_rfc2822(value)
    if parsed is None:
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


def metadata_date_iso(value: str | None) -> str | None:
    """ISO 8601 for a date stated in metadata, as precise as stated: a bare date stays a date,
    a naive time stays naive. None when it is no date or an implausible one."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if DATE_ONLY.match(value):
        return value
    parsed = _from_iso(value) or _from_rfc2822(value)
    if parsed is None or parsed.year not in PLAUSIBLE_YEARS:
        return None
    return to_iso(parsed)


def utc_now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
