"""The time zone of a site's naive page times, learned from the site's own pages (generic mode).

A page that shows a local time ("2021-09-07 15:08") and states the same instant with an offset
(``datePublished="2021-09-07T15:08:00+08:00"``) reveals the zone; naive times on the site's
other pages are then read in it, and later runs start from it (kept in the state as the fact
``timezone``). ``-a timezone`` (or ``NEWS_TIMEZONE``) still wins. A site that never states its
zone keeps UTC; the spider counts those pages and warns once, naming ``-a timezone``.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo

FACT = "timezone"


def revealed_zone(printed: datetime, stamps: list[datetime]) -> tzinfo | None:
    """The offset of a stamp whose wall clock, in its own offset, is the printed time to the
    minute: the page states the instant it shows."""
    shown = printed.replace(tzinfo=None, second=0, microsecond=0)
    for stamp in stamps:
        offset = stamp.utcoffset()
        if offset is not None and stamp.replace(tzinfo=None, second=0, microsecond=0) == shown:
            return timezone(offset)
    return None


def offset_text(zone: tzinfo) -> str:
    """``+08:00`` for a fixed-offset zone (the form ``-a timezone`` accepts)."""
    offset = zone.utcoffset(None) or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


class SiteZone:
    """The zone of one site's naive times: the explicit one, else the learned one (from a page
    of this run or the state), else UTC, assumed."""

    def __init__(self, explicit: tzinfo | None, learned: tzinfo | None = None) -> None:
        self.explicit = explicit
        self.learned = learned

    @property
    def zone(self) -> tzinfo:
        return self.explicit or self.learned or timezone.utc

    @property
    def assumed(self) -> bool:
        """No one said which zone: naive times are read as UTC."""
        return self.explicit is None and self.learned is None

    def learn(self, zone: tzinfo) -> bool:
        """Take ``zone`` unless one is known; True when it is news to keep."""
        if self.explicit is not None or self.learned is not None:
            return False
        self.learned = zone
        return True
