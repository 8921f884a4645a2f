"""Incremental runs: whether an article already emitted by an earlier run must be fetched again."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from crawler.cleaning import normalize_space
from crawler.state.store import EmittedArticle

_ELLIPSIS = ("...", "…", "..")


def _title_key(title: str) -> str:
    return normalize_space(title).casefold()


def listing_changed(emitted: EmittedArticle, title: str | None, published_at: str | None) -> bool:
    """True when a list page or related block shows the article differently from what we emitted."""
    if title and emitted.title:
        shown, known = _title_key(title), _title_key(emitted.title)
        if shown.endswith(_ELLIPSIS):  # a cut title: compare what is shown
            shown = shown.rstrip(".… ")
            if not known.startswith(shown):
                return True
        elif shown != known:
            return True
    if published_at and emitted.published_at:
        return published_at[:10] != emitted.published_at[:10]
    return False


def fetch_reason(
    emitted: EmittedArticle | None,
    title: str | None = None,
    published_at: str | None = None,
    recheck_after_days: float | None = None,
    now: datetime | None = None,
) -> str | None:
    """Why to fetch the article (``new``, ``listing_changed``, ``recheck``), or None to skip it."""
    if emitted is None:
        return "new"
    if listing_changed(emitted, title, published_at):
        return "listing_changed"
    if recheck_after_days is not None:
        now = now or datetime.now(timezone.utc)
        last = datetime.fromisoformat(emitted.last_emitted.replace("Z", "+00:00"))
        if now - last >= timedelta(days=recheck_after_days):
            return "recheck"
    return None
