"""The publication time: a date the reader sees, made exact by a machine timestamp of the
same day (its minutes, seconds and offset); else the most trusted machine timestamp.

Machine timestamps, most trusted first: JSON-LD ``datePublished``/``dateCreated``, ``<meta>``
publication tags, microformats (``abbr.published``, ``itemprop=datePublished``), ``<time
datetime>``; where the page states none of these, ``data-`` attributes that name a publication time
(``data-publish-date``, ``data-deploy-dt``); then the date in the URL (a day). A visible date that
no timestamp confirms loses to a timestamp (it may be a teaser's or an update's date) and wins where
the page states none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from lxml.etree import _Element

from crawler.dates import find_datetime, parse_iso
from crawler.reader.fields import Candidate, shown_texts_after, shown_texts_before
from crawler.reader.fields.marks import PageMarks
from crawler.reader.metadata import PageMetadata

META_PUBLISHED = (
    "article:published_time", "article:published:time", "datepublished",
    "og:article:published_time", "article.published", "publishdate", "pubdate", "publish-date",
    "date", "dc.date.issued", "dc.date", "dcterms.created", "sailthru.date", "parsely-pub-date",
    "cxenseparse:recs:publishtime",
)
# The whole-tree queries below are answered from the page's marked elements (PageMarks), which
# tests hold to them.
MICROFORMAT_XPATH = (
    '//abbr[@title][contains(@class, "published")]/@title'
    ' | //*[@itemprop="datePublished"][not(self::meta)]/@datetime'
    ' | //*[@itemprop="datePublished"][not(self::meta)]/@content'
)
TIME_XPATH = "//time[@datetime]/@datetime"
# data- attributes that name a publication time ("data-publish-date", "data-published-at",
# "data-first-publication-date", "data-pubdate", "data-deploy-dt"): where tag-manager and
# analytics layers and script-rendered article shells state it, often the only place they do.
DATA_PUBLISHED_XPATH = ("//@*[starts-with(name(), 'data-') and (contains(name(), 'publi')"
                        " or contains(name(), 'pubdate') or contains(name(), 'deploy'))]")
# ... but not an update's, an expiry's or the publisher's name.
DATA_NOT_PUBLISHED = re.compile(
    r"modif|updat|edit|last|expir|unpubl|re-?deploy|re-?publi|publisher")
ISO_DATE_START = re.compile(r"^\s*\d{4}-\d{2}-\d{2}")
# A date in the URL path: /2022/10/12/ or /2022-10-12-.
URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-]([01]?\d)[/-]([0-3]?\d)(?:[/-]|$)")
DATE_ONLY = re.compile(r"^\s*\d{4}-\d{2}-\d{2}\s*$")
# Only the first few <time> elements can be the article's own (later ones date teasers).
MAX_TIME_ELEMENTS = 3
# How much text after (and before) the headline is searched for the visible date.
VISIBLE_AFTER_TEXTS = 40
VISIBLE_BEFORE_TEXTS = 8
VISIBLE_MAX_CHARS = 160
# Timestamps the page declares about itself (not a visible element's, which may be a teaser's).
DECLARED_SOURCES = frozenset({"jsonld", "meta"})


@dataclass(frozen=True)
class Stamp:
    """A point in time as a page states it, and how precisely (day, naive time, offset)."""

    value: datetime
    has_time: bool

    @property
    def precision(self) -> int:
        return (self.value.tzinfo is not None) + self.has_time if self.has_time else 0

    def iso(self) -> str:
        if not self.has_time:
            return self.value.date().isoformat()
        return self.value.isoformat(timespec="seconds")


def stamp(value: str | None, default_tz: tzinfo | None = None) -> Stamp | None:
    """A machine timestamp; a bare date is a day, a naive time gets ``default_tz`` if given."""
    if not value or not value.strip():
        return None
    parsed = parse_iso(value.strip(), default_tz)
    if parsed is None or parsed.year not in PLAUSIBLE_YEARS:
        return None
    return Stamp(parsed, not DATE_ONLY.match(value))


PLAUSIBLE_YEARS = range(1990, 2101)


def machine_stamps(md: PageMetadata, root: _Element, tz: tzinfo | None = None,
                   times: Sequence[str] | None = None, marks: PageMarks | None = None
                   ) -> list[Candidate[Stamp]]:
    """Every machine-readable publication timestamp of the page, most trusted first;
    ``times`` are the ``<time datetime>`` values of the article's own lines where the caller
    knows them (else the page's first few); ``marks``, the page's marked elements where the
    caller has them already."""
    marks = marks if marks is not None else PageMarks(root)
    if times is None:
        times = marks.time_datetimes()[:MAX_TIME_ELEMENTS]
    raw: list[tuple[str | None, str]] = [
        (md.ld_text("datePublished"), "jsonld"), (md.ld_text("dateCreated"), "jsonld"),
        *((v, "meta") for v in md.all(*META_PUBLISHED)[:1]),
        *((v, "microformat") for v in marks.published_microformats()),
        *((v, "time") for v in times),
    ]
    found = [(stamp(v, tz), source) for v, source in raw]
    stated = [Candidate(s, source) for s, source in found if s is not None]
    return stated or data_stamps(root, tz, marks)


def data_stamps(root: _Element, tz: tzinfo | None = None, marks: PageMarks | None = None
                ) -> list[Candidate[Stamp]]:
    """Publication times in ``data-`` attributes, first few in page order: the last resort
    of the machine timestamps (a teaser card may carry one too)."""
    found = []
    for name, value in (marks if marks is not None else PageMarks(root)).data_published():
        if DATA_NOT_PUBLISHED.search(name):
            continue
        parsed = _data_value(value, tz)
        if parsed is not None:
            found.append(Candidate(parsed, "data"))
    return found[:MAX_TIME_ELEMENTS]


def _data_value(value: str, tz: tzinfo | None) -> Stamp | None:
    """An ISO timestamp, or a value that is only a date as pages print one ("2026.01.29 18:40")."""
    if ISO_DATE_START.match(value):
        return stamp(value, tz)
    found = _dated(value, tz)
    if found is None or found[1].group(0).strip() != value.strip():
        return None
    return found[0] if found[0].value.year in PLAUSIBLE_YEARS else None


def url_stamp(url: str | None, tz: tzinfo | None = None) -> Candidate[Stamp] | None:
    match = URL_DATE.search(url or "")
    if match is None:
        return None
    try:
        year, month, day_of_month = map(int, match.groups())
        day = datetime(year, month, day_of_month, tzinfo=tz)
    except ValueError:
        return None
    return Candidate(Stamp(day, False), "url")


def visible_stamp(headline: _Element | None, tz: tzinfo | None = None
                  ) -> Candidate[Stamp] | None:
    """The first date in the short texts just after the headline (else just before it), up to
    the first long text: past it the article (or another block) has begun."""
    if headline is None:
        return None
    nearest_first = (lambda: shown_texts_after(headline, VISIBLE_AFTER_TEXTS),
                     lambda: shown_texts_before(headline, VISIBLE_BEFORE_TEXTS)[::-1])
    for texts in nearest_first:
        for text in texts():
            if len(str(text)) > VISIBLE_MAX_CHARS:
                break
            found = _date_in(str(text), tz)
            if found is not None:
                return Candidate(found, "visible")
    return None


def _date_in(text: str, tz: tzinfo | None) -> Stamp | None:
    found = _dated(text, tz)
    return found[0] if found is not None else None


def _dated(text: str, tz: tzinfo | None) -> tuple[Stamp, re.Match[str]] | None:
    """The first date in ``text`` (naive unless ``tz`` is given), and where it was written."""
    found = find_datetime(text, tz) if tz is not None else _naive(text)
    if found is None:
        return None
    parsed, match = found
    return Stamp(parsed, match.groupdict().get("H") is not None), match


def _naive(text: str) -> tuple[datetime, re.Match[str]] | None:
    from datetime import timezone

    found = find_datetime(text, timezone.utc)
    return (found[0].replace(tzinfo=None), found[1]) if found else None


def same_day(a: Stamp, b: Stamp) -> bool:
    """Both name the same calendar day, each in its own zone (as a reader would read it)."""
    return a.value.date() == b.value.date()


def choose_published(
    machine: Sequence[Candidate[Stamp]], visible: Candidate[Stamp] | None = None,
    url: Candidate[Stamp] | None = None,
) -> Candidate[Stamp] | None:
    """The visible date made exact by an agreeing timestamp; else the best timestamp.

    A visible date must agree with the page's declared timestamps (JSON-LD, meta) where it
    has any: one that agrees only with a ``<time>`` may be a teaser's."""
    declared = [m for m in machine if m.source in DECLARED_SOURCES]
    if visible is not None and (not declared or _agreeing(declared, visible)):
        best = _most_precise(_agreeing(machine, visible))
        if best is not None and best.value.precision >= visible.value.precision:
            return best
        return visible
    if not machine:
        return url
    top = (declared or machine)[0]
    return _most_precise(_agreeing(machine, top)) or top


def _agreeing(found: Sequence[Candidate[Stamp]], date: Candidate[Stamp]) -> list[Candidate[Stamp]]:
    return [c for c in found if same_day(c.value, date.value)]


def _most_precise(found: Sequence[Candidate[Stamp]]) -> Candidate[Stamp] | None:
    """The most precise; of equals, the first (most trusted)."""
    return max(found, key=lambda c: c.value.precision, default=None)
