"""Dates written as text, datelines, date lines and bylines (crawler.dates,
crawler.reader.lines)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from crawler.dates import (
    CHINA_TIME,
    DATETIME_PATTERNS,
    date_line,
    dateline_datetime,
    find_datetime,
    split_trailing_date,
    to_iso,
)
from crawler.reader.lines import byline_names, compile_bylines
from crawler.reader.page import ArticlePage
from crawler.site import SiteRules

LONDON = ZoneInfo("Europe/London")
EASTERN = ZoneInfo("America/New_York")


@pytest.mark.parametrize(("text", "tz", "iso"), [
    ("23 Jul 2021", LONDON, "2021-07-23T00:00:00+01:00"),
    ("21st March 2017", LONDON, "2017-03-21T00:00:00+00:00"),
    ("01 Nov '10", LONDON, "2010-11-01T00:00:00+00:00"),
    ("Updated: 3/21/2018 9:47:02 AM", CHINA_TIME, "2018-03-21T09:47:02+08:00"),
    ("Updated: 3/21/2018 9:47:02 PM", CHINA_TIME, "2018-03-21T21:47:02+08:00"),
    ("12/1/2019 12:05 AM", CHINA_TIME, "2019-12-01T00:05:00+08:00"),
    ("Updated: 2020/3/2 20:53:20", CHINA_TIME, "2020-03-02T20:53:20+08:00"),
    ("Posted: May 29, 2025", EASTERN, "2025-05-29T00:00:00-04:00"),
    ("Posted May 11 2022", EASTERN, "2022-05-11T00:00:00-04:00"),
    ("Wed. Feb 28th, 2024", EASTERN, "2024-02-28T00:00:00-05:00"),
    ("• Friday, 21 September 2018", LONDON, "2018-09-21T00:00:00+01:00"),
    ("Sept 3, 2019 at 4:30 pm", EASTERN, "2019-09-03T16:30:00-04:00"),
])
def test_text_dates(text: str, tz, iso: str) -> None:
    found = find_datetime(text, tz)
    assert found is not None and to_iso(found[0]) == iso


@pytest.mark.parametrize("text", ["May 2022", "on September 2, the reporter", "31 Feb 2021",
                                  "the 3rd of May", "13:00 on 2021", "25/12/2021"])
def test_no_date_where_none_is_complete_or_valid(text: str) -> None:
    assert find_datetime(text, LONDON) is None  # 25/12/2021: slashes are US order, no 25th month


@pytest.mark.parametrize("text", [
    "Industry news | 2021/8/24 5:24:00 2", "Posted SEPT. 3, 2021 at 9:00", "3rd of May, 2021",
    "21 MÄRZ 2024 14:07", "ſept 3, 2021", "Mayday 11, 2022 and 2021-09-07", "may 11 2022",
    "Nov. 5, 2024 | 12 comments", "Le 13 décembre 2023 à 9:47", "Dec_11, 2022 or 11 Mayo 2022",
    "Released on 11.05.22 | Monday, March 3rd, 2025", "2019 - 2020: the markets", "K 11, 2022",
])
def test_a_text_without_a_month_name_skips_the_month_patterns_with_the_same_answer(
        text: str) -> None:
    found, scanned = (find_datetime(text, LONDON, patterns) for patterns in (None,
                                                                           DATETIME_PATTERNS))
    assert (found and (found[0], found[1].span())) == (scanned and (scanned[0], scanned[1].span()))


def test_the_earliest_date_in_a_line_wins() -> None:
    found = find_datetime("Updated 3/21/2018, first published 2018/3/1", CHINA_TIME)
    assert found is not None and to_iso(found[0]) == "2018-03-21T00:00:00+08:00"


def test_datelines_carry_a_date_only_when_placed_between_dashes() -> None:
    assert to_iso(dateline_datetime("WASHINGTON — May 11, 2022 — The council met.", EASTERN)) == (
        "2022-05-11T00:00:00-04:00")
    assert dateline_datetime("GREENSBORO, N.C. - May 10, 2022 - Unifi said", EASTERN) is not None
    assert dateline_datetime("ADDIS ABABA – Garment exports doubled.", LONDON) is None
    assert dateline_datetime("Sales rose 5% on May 11, 2022 — a record.", EASTERN) is None


def test_date_lines_are_a_date_with_a_label_only() -> None:
    assert date_line("Posted: May 29, 2025", EASTERN) is not None
    assert date_line("Updated: 3/21/2018 9:47:02 AM", CHINA_TIME) is not None
    assert date_line("Sales rose on May 29, 2025", EASTERN) is None


def test_list_titles_lose_the_date_printed_after_them() -> None:
    title, date = split_trailing_date("Polyester prices fall (06/18/2012)", CHINA_TIME)
    assert (title, to_iso(date)) == ("Polyester prices fall", "2012-06-18T00:00:00+08:00")
    assert split_trailing_date("Exports up 6.6% in 2021", CHINA_TIME)[1] is None


@pytest.mark.parametrize(("line", "names"), [
    ("By Jim Kaufmann, Contributing Editor", ["Jim Kaufmann"]),
    ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
    ("BY Jane Doe", ["Jane Doe"]),
    ("By contrast, the market grew", None),
    ("By 2025 the market will double", None),
    ("Leonie Barrie | 8 April 2019", None),  # a site pattern (just-style), not a generic byline
])
def test_generic_bylines(line: str, names: list[str] | None) -> None:
    assert byline_names(line, compile_bylines(())) == names


RULES = SiteRules("t", ("example.com",), ("https://example.com/",), r"^/a/(?P<id>\d+)$", r"^/$")


class Page(ArticlePage):
    TIMEZONE = LONDON
    HEADER_KEYWORDS = False


def _page(body: str) -> dict:
    html = f"<html><head><title>The headline here</title></head><body>{body}</body></html>"
    return Page("https://example.com/a/1", html, RULES).record()


PARAS = "".join(f"<p>Paragraph {i} of the article, long enough to read as body text here.</p>"
                for i in range(3))


def test_a_page_header_date_widget_is_not_the_publication_date() -> None:
    record = _page('<header><div>Wed. Feb 28th, 2024</div><nav><a href="/">Home</a> '
                   '<a href="/news/">News</a></nav></header>'
                   f"<main><h1>The headline here</h1><div>{PARAS}</div></main>")
    assert record["published_at"] is None
    assert "Feb 28th" not in record["body"]


def test_a_date_above_the_headline_in_its_container_counts() -> None:
    record = _page("<header><div>Wed. Feb 28th, 2024</div></header>"
                   f"<main><div class='a'><p>23 Jul 2021</p><h1>The headline here</h1>"
                   f"<div>{PARAS}</div></div></main>")
    assert record["published_at"] == "2021-07-23T00:00:00+01:00"


def test_teasers_and_repeated_standfirsts_stay_out_of_the_body() -> None:
    standfirst = "The standfirst sums up the story in one sentence for the reader."
    record = _page(f"<main><h1>The headline here</h1><div><p>{standfirst}</p><p>{standfirst}</p>"
                   f"{PARAS}<h4><a href='/a/2'>Another story</a></h4>"
                   "<p>The lede of another story that the site cuts short for a teaser…</p>"
                   "<p>Another lede that ends with a link to the story "
                   "<a href='/a/3'>Read more</a></p></div></main>")
    assert record["body"].count(standfirst) == 1
    assert "another story" not in record["body"] and "Read more" not in record["body"]
    assert record["body"].startswith(standfirst)
