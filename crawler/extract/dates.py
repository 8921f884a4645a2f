"""Publication dates to ISO 8601, keeping the page's UTC offset when it gives one."""

from __future__ import annotations

import re
from datetime import datetime
from email.utils import parsedate_to_datetime

from lxml import html

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# "2019-11-19 10:00:00 +0100" and "...T10:00:00 GMT" are common and not quite ISO.
_SPACED_OFFSET = re.compile(r"\s+(?=[+-]\d{2}:?\d{2}$)")
_UTC_NAME = re.compile(r"\s*(?:UTC|GMT)$", re.IGNORECASE)


def _from_iso(value: str) -> datetime | None:
    value = _UTC_NAME.sub("+00:00", _SPACED_OFFSET.sub("", value.strip()))
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _from_rfc2822(value: str) -> datetime | None:
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None


def to_iso(value: str | None) -> str | None:
    """ISO 8601 for a date string in ISO or RFC 2822 form; None when it is neither."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if _DATE_ONLY.match(value[:10]) and len(value) == 10:
        return value
    parsed = _from_iso(value) or _from_rfc2822(value)
    if parsed is None or not 1990 <= parsed.year <= 2100:
        return None
    return parsed.replace(microsecond=0).isoformat()


def guess_date(root: html.HtmlElement, url: str | None) -> str | None:
    """htmldate's best original-publication date, for pages without structured dates."""
    from htmldate import find_date  # loaded lazily: only pages without metadata need it

    try:
        found = find_date(root, url=url, original_date=True, extensive_search=False,
                          outputformat="%Y-%m-%d")
    except (ValueError, TypeError):
        return None
    return found or None
