"""Publication dates: patterns seen on news pages, parsed to aware datetimes and ISO 8601 strings.

The formats are data: add a pattern to ``DATETIME_PATTERNS`` (named groups ``y`` (or ``yy``, a
two-digit year), ``m`` (or ``mon``, a month name), ``d``, and optional ``H``, ``M``, ``S``,
``ampm``) or a rewrite to ``ISO_REWRITES``; the functions below need no change.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime

CHINA_TIME = timezone(timedelta(hours=8), "CST")

# Month names (and their short forms) in the languages news pages are written in; names that
# two languages share map to the same month.
MONTH_NAMES: tuple[tuple[str, ...], ...] = (
    ("jan", "january", "januar", "jänner", "janvier", "janv", "enero", "ene", "gennaio", "gen",
     "janeiro", "januari"),
    ("feb", "february", "februar", "février", "févr", "fevrier", "febrero", "febbraio",
     "fevereiro", "fev", "februari"),
    ("mar", "march", "märz", "maerz", "mars", "marzo", "março", "marco", "maart", "mrz"),
    ("apr", "april", "avril", "avr", "abril", "abr", "aprile"),
    ("may", "mai", "mayo", "maggio", "mag", "maio", "mei"),
    ("jun", "june", "juni", "juin", "junio", "giugno", "giu", "junho"),
    ("jul", "july", "juli", "juillet", "juil", "julio", "luglio", "lug", "julho"),
    ("aug", "august", "août", "aout", "agosto", "ago", "augustus"),
    ("sep", "sept", "september", "septembre", "septiembre", "settembre", "set", "setembro"),
    ("oct", "october", "oktober", "okt", "octobre", "octubre", "ottobre", "ott", "outubro", "out"),
    ("nov", "november", "novembre", "noviembre", "novembro"),
    ("dec", "december", "dezember", "dez", "décembre", "déc", "decembre", "diciembre", "dic",
     "dicembre", "dezembro"),
)
MONTHS = {name: number for number, names in enumerate(MONTH_NAMES, start=1) for name in names}
_MONTH = r"(?P<mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
# 21st, 21., or the "de" of Spanish and Portuguese dates ("13 de mayo de 2026")
_DAY = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th|\.)?(?:\s+de)?"
# 2017, or '10 (two digits after an apostrophe)
_YEAR = r"(?:(?:de\s+)?(?P<y>(?:19|20)\d{2})|[’'‘](?P<yy>\d{2}))"
# 15:08, 15:08:00, 9:47:02 AM, optionally after a comma or "at" (um, à, a las, alle, às, om)
_TIME = (r"(?:,?\s*(?:(?:at|um|à|a las|alle|às|om|-|[|])\s+)?(?P<H>\d{1,2}):(?P<M>\d{2})"
         r"(?::(?P<S>\d{2}))?(?:\s*(?P<ampm>[ap])\.?m\b\.?)?)?")

# Dates written in page text, tried in order; the earliest valid match in the text wins.
DATETIME_PATTERNS: tuple[re.Pattern[str], ...] = (
    # 2021/9/7 15:08:00, 2021-09-07 15:08, 2021.9.7 (time optional); no zero padding required.
    re.compile(
        r"(?<!\d)(?P<y>(?:19|20)\d{2})[/\-.](?P<m>\d{1,2})[/\-.](?P<d>\d{1,2})"
        r"(?:[ T]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?(?!\d)"
    ),
    # 3/21/2018 9:47:02 AM, (06/18/2012): slashes with the year last are US order (month first).
    re.compile(r"(?<![\d/.])(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>(?:19|20)\d{2})(?!\d)"
               r"(?:\s+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?:\s*(?P<ampm>[ap])\.?m\b\.?)?)?",
               re.IGNORECASE),
    # 25.04.2024 14:07, Do 25.04.24 | 14:07 Uhr: dots with the year last are day first.
    re.compile(r"(?<![\d.])(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?:(?P<y>(?:19|20)\d{2})|(?P<yy>\d{2}))"
               r"(?![\d.]\d)" + _TIME),
    # 23 Jul 2021, 21st March 2017, Friday, 21 September 2018, 01 Nov '10
    re.compile(r"(?<![\w])" + _DAY + r"\s+" + _MONTH + r",?\s+" + _YEAR + r"(?!\d)" + _TIME,
               re.IGNORECASE),
    # May 11, 2022, Posted May 11 2022, Feb 28th, 2024
    re.compile(r"(?<![\w])" + _MONTH + r"\s+" + _DAY + r"(?:,\s*|\s+)" + _YEAR + r"(?!\d)" + _TIME,
               re.IGNORECASE),
)
# Kept for callers that want the single numeric pattern.
NUMERIC_DATETIME = DATETIME_PATTERNS[0]
# Every one of those patterns has a year, so two digits in a row: a text without them has no date.
YEAR_DIGITS = re.compile(r"\d\d")
# The patterns that need no month's name. In the others the name stands alone as a run of
# letters (a non-word character before it, a dot, comma or space after). An ASCII text none of
# whose letter runs is a month's name skips them: they try every position of the text, and most
# texts with a date print it in digits. (Outside ASCII, case-insensitive matching is wider than
# ``lower()``: "ſept" matches "sept"; such a text is scanned as before.)
DIGIT_PATTERNS = tuple(p for p in DATETIME_PATTERNS if "mon" not in p.groupindex)
ASCII_LETTER_RUN = re.compile(r"[a-z]+")

# A dateline opening a paragraph: "WASHINGTON — May 11, 2022 — The ..." (place, dash, date, dash).
DATELINE_PLACE = re.compile(r"^\W{0,3}[^\W\d][\w .,'’()/&]{0,60}?\s*[—–-]{1,2}\s*$")
DATELINE_AFTER = re.compile(r"^\s*[—–-]{1,2}\s")
# Labels a date line may carry besides the date: "Posted: May 29, 2025", "Updated: 3/21/2018 ...".
DATE_LABEL = re.compile(
    r"\W*(?:(?:first |last )?(?:posted|published|updated|modified|date|issued|released|time)"
    r"(?: on| at)?)?\W*(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?)?\W*", re.IGNORECASE,
)
# A date line is a date and its label, nothing else: no more runs of letters and digits than
# the longest date form has ("21st de marzo de 2024 a las 9:47:02 p.m.": 12; a lone "T" between
# an ISO date and its time, which may repeat, not counted) and the label ("first posted on
# Wednesday": 4). A longer line (a paragraph) is no date line: its scan by every date pattern is
# skipped.
DATE_MAX_WORDS = 12
DATE_LABEL_MAX_WORDS = 4
WORD_RUN = re.compile(r"\w+")
ISO_TIME_SEPARATOR = "T"

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


def _year(g: dict[str, str | None]) -> int:
    if g.get("y"):
        return int(g["y"] or 0)
    two = int(g.get("yy") or 0)
    return 2000 + two if two <= datetime.now().year % 100 + 1 else 1900 + two


def _hour(g: dict[str, str | None]) -> int:
    hour = int(g.get("H") or 0)
    ampm = (g.get("ampm") or "").lower()
    if ampm and not 1 <= hour <= 12:
        raise ValueError("not a 12-hour time")
    if ampm == "a":
        return 0 if hour == 12 else hour
    if ampm == "p":
        return hour if hour == 12 else hour + 12
    return hour


def _build(match: re.Match[str], tz: tzinfo) -> datetime | None:
    g = match.groupdict()
    try:
        month = MONTHS[g["mon"].lower()] if g.get("mon") else int(g["m"])
        return datetime(
            _year(g), month, int(g["d"]),
            _hour(g), int(g.get("M") or 0), int(g.get("S") or 0), tzinfo=tz,
        )
    except (ValueError, KeyError, TypeError):
        return None


def find_datetime(
    text: str, tz: tzinfo = CHINA_TIME, patterns: tuple[re.Pattern[str], ...] | None = None
) -> tuple[datetime, re.Match[str]] | None:
    """The earliest valid date of ``patterns`` (default ``DATETIME_PATTERNS``) in ``text``, in
    time zone ``tz``, with its match."""
    if patterns is None and not YEAR_DIGITS.search(text):
        return None  # most paragraphs: not worth each pattern's scan
    if patterns is None and _names_no_month(text):
        patterns = DIGIT_PATTERNS
    best: tuple[datetime, re.Match[str]] | None = None
    for pattern in DATETIME_PATTERNS if patterns is None else patterns:
        for match in pattern.finditer(text):
            if best is not None and match.start() >= best[1].start():
                break
            parsed = _build(match, tz)
            if parsed is not None:
                best = (parsed, match)
                break
    return best


def _names_no_month(text: str) -> bool:
    """An ASCII text none of whose runs of letters is a month's name."""
    return text.isascii() and not any(
        run in MONTHS for run in ASCII_LETTER_RUN.findall(text.lower()))


# The first name, kept for callers: it finds text dates too since the patterns became data.
find_numeric_datetime = find_datetime


def dateline_datetime(paragraph: str, tz: tzinfo = CHINA_TIME) -> datetime | None:
    """The date of a dateline opening ``paragraph`` ("WASHINGTON — May 11, 2022 — ..."), if any."""
    found = find_datetime(paragraph[:120], tz)
    if found is None:
        return None
    parsed, match = found
    before, after = paragraph[: match.start()], paragraph[match.end() :]
    if DATELINE_PLACE.match(before) and DATELINE_AFTER.match(after):
        return parsed
    return None


def date_line(line: str, tz: tzinfo = CHINA_TIME) -> datetime | None:
    """The date of a line that is only a date with a label ("Posted: May 29, 2025"), else None."""
    if _longer_than_a_date_line(line):
        return None
    found = find_datetime(line, tz)
    if found is None:
        return None
    parsed, match = found
    rest = line[: match.start()] + " " + line[match.end() :]
    return parsed if DATE_LABEL.fullmatch(rest) else None


def _longer_than_a_date_line(line: str) -> bool:
    words = [w for w in WORD_RUN.findall(line) if w != ISO_TIME_SEPARATOR]
    return len(words) > DATE_MAX_WORDS + DATE_LABEL_MAX_WORDS


def split_trailing_date(title: str, tz: tzinfo = CHINA_TIME) -> tuple[str, datetime | None]:
    """A list title that ends with its date ("Title (06/18/2012)"): the title alone and the date."""
    found = find_datetime(title, tz)
    if found is None:
        return title, None
    parsed, match = found
    tail = title[match.end() :].strip(" )]）】")
    head = title[: match.start()].rstrip(" ([（【-–—|")
    if tail or not head:
        return title, None
    return head, parsed


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
    except (TypeError, ValueError, IndexError, OverflowError):  # "18:050505050505:00" overflows
        return None


def parse_iso(value: str, default_tz: tzinfo | None = None) -> datetime | None:
    """Parse a metadata date (ISO 8601, near-ISO, RFC 2822, or a date in text in it);
    a naive value gets ``default_tz``."""
    value = value.strip()
    if not value:
        return None
    parsed = _from_iso(value) or _from_rfc2822(value)
    if parsed is None:
        found = find_datetime(value, default_tz or timezone.utc)
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
