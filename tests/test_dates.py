from __future__ import annotations

import re

import pytest

from crawler import dates
from crawler.dates import CHINA_TIME, find_numeric_datetime, metadata_date_iso, parse_iso, to_iso


def test_info_line_is_china_time_and_count_is_not_part_of_date() -> None:
    found = find_numeric_datetime("2021/9/7 15:08:00 0", CHINA_TIME)
    assert found is not None
    assert to_iso(found[0]) == "2021-09-07T15:08:00+08:00"


def test_unpadded_and_dashed_dates() -> None:
    assert to_iso(find_numeric_datetime("posted 2021-10-3 8:05", CHINA_TIME)[0]) == (
        "2021-10-03T08:05:00+08:00")
    assert to_iso(find_numeric_datetime("2020.1.2", CHINA_TIME)[0]) == "2020-01-02T00:00:00+08:00"


def test_impossible_dates_are_skipped() -> None:
    assert find_numeric_datetime("2021/13/45 10:00:00", CHINA_TIME) is None


def test_iso_metadata_keeps_its_offset_and_naive_gets_site_zone() -> None:
    assert to_iso(parse_iso("2021-09-07T07:08:00Z")) == "2021-09-07T07:08:00+00:00"
    assert to_iso(parse_iso("2021-09-07T15:08:00", CHINA_TIME)) == "2021-09-07T15:08:00+08:00"
    assert parse_iso("yesterday") is None


def test_metadata_forms_parse_to_aware_datetimes() -> None:
    assert to_iso(parse_iso("2019-11-19 10:00:00 +0100")) == "2019-11-19T10:00:00+01:00"
    assert to_iso(parse_iso("2019-11-19T10:00:00 GMT")) == "2019-11-19T10:00:00+00:00"
    assert to_iso(parse_iso("Tue, 19 Nov 2019 10:00:00 GMT")) == "2019-11-19T10:00:00+00:00"
    assert to_iso(parse_iso("published 2021/9/7 15:08", CHINA_TIME)) == "2021-09-07T15:08:00+08:00"


def test_metadata_date_iso_keeps_the_stated_precision() -> None:
    assert metadata_date_iso("2019-11-19") == "2019-11-19"
    assert metadata_date_iso("2019-11-19T10:00:00") == "2019-11-19T10:00:00"
    assert metadata_date_iso("1970-01-01T00:00:00Z") is None  # a placeholder, not a date
    assert metadata_date_iso("  ") is None


def test_date_patterns_are_data(monkeypatch: pytest.MonkeyPatch) -> None:
    day_first = re.compile(r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>20\d{2})")
    monkeypatch.setattr(dates, "DATETIME_PATTERNS", (*dates.DATETIME_PATTERNS, day_first))
    found = find_numeric_datetime("am 7.9.2021, aktualisiert 2021-09-08", CHINA_TIME)
    assert found is not None and to_iso(found[0]) == "2021-09-07T00:00:00+08:00"


@pytest.mark.parametrize("text", [
    "Posted 2021/9/7 15:08", "(06/18/2012)", "Do 25.04.24 | 14:07 Uhr", "01 Nov '10",
    "Friday, 21 September 2018", "Feb 28th, 2024",
])
def test_every_date_pattern_has_a_year_of_two_digits_at_least(text: str) -> None:
    # find_datetime skips texts without two digits in a row (most paragraphs) unread.
    found = find_numeric_datetime(text, CHINA_TIME)
    assert found is not None and dates.YEAR_DIGITS.search(found[1].group(0))


def test_a_text_without_two_digits_in_a_row_has_no_date() -> None:
    assert find_numeric_datetime("On May 3 at 9 the mill, on floor 4, opened.", CHINA_TIME) is None


@pytest.mark.parametrize(("line", "iso"), [
    # the most words a date and its label have: a longer line is no date line, unread
    ("First posted on Wednesday, 21st de marzo de 2024 a las 9:47:02 p.m.",
     "2024-03-21T21:47:02+08:00"),
    ("Last updated at Thursday 1st de abril de 2021 a las 9:47:02 p.m.",
     "2021-04-01T21:47:02+08:00"),
    ("Updated 2021-09-07 T T T T T T T T T T T T T T T T T T 15:08", "2021-09-07T15:08:00+08:00"),
])
def test_the_longest_date_lines_are_read(line: str, iso: str) -> None:
    assert to_iso(dates.date_line(line, CHINA_TIME)) == iso


def test_a_paragraph_is_no_date_line_without_a_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    def scanned(*args: object) -> None:
        raise AssertionError("a paragraph was scanned for dates")

    monkeypatch.setattr(dates, "find_datetime", scanned)
    paragraph = ("The mill opened on May 29, 2025 in the north of the province, and its owners"
                 " said the new looms would double the output by the end of the year.")
    assert dates.date_line(paragraph, CHINA_TIME) is None
