from __future__ import annotations

from crawler.dates import CHINA_TIME, find_numeric_datetime, parse_iso, to_iso


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
