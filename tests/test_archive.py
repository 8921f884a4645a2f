"""The archive package on its own: arguments, CDX parsing, WARC scanning of damaged files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.settings import Settings

from crawler import exitcodes
from crawler.archive import cdx
from crawler.archive.captures import ArchivedPage, Capture, CaptureIndex, to_response
from crawler.archive.options import parse_options
from crawler.archive.warcfiles import ScanError, WarcEntry, read_record, scan, warc_files
from localsite.warc import WarcBuilder

DATE = "2025-03-01T10:00:00Z"


def page(n: int) -> bytes:
    return f"<html><body><h1>Article {n}</h1>{'<p>text</p>' * 40}</body></html>".encode()


def url(n: int) -> str:
    return f"http://127.0.0.1:9/global/en/{n}.html"


# --- spider arguments ---------------------------------------------------------------------------
def test_no_archive_arguments_is_a_live_crawl() -> None:
    assert parse_options({}) is None


def test_warc_paths_and_months(tmp_path: Path) -> None:
    (tmp_path / "a.warc").write_bytes(b"")
    options = parse_options({"warc": f"{tmp_path / 'a.warc'},{tmp_path}"})
    assert options is not None and options.warc_paths == (tmp_path / "a.warc", tmp_path)
    options = parse_options({"archive": "wayback", "since": "2019-03", "until": "2020-12"})
    assert options is not None and (options.since, options.until) == ("201903", "202012")


@pytest.mark.parametrize(("args", "message"), [
    ({"warc": "/no/such/file.warc"}, "no such file"),
    ({"archive": "archive.today"}, "must be one of"),
    ({"archive": "wayback", "since": "2020-13"}, "YYYY-MM"),
    ({"archive": "wayback", "since": "2021-01", "until": "2020-01"}, "is after"),
    ({"since": "2020-01"}, "needs -a archive"),
    ({"warc": "x", "archive": "wayback"}, "not both"),
])
def test_bad_archive_arguments_say_what_is_wrong(args: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_options(args)


# --- CDX ------------------------------------------------------------------------------------------
def test_common_crawl_rows_name_a_range() -> None:
    line = {"url": url(5), "timestamp": "20250301100000", "status": "200",
            "filename": "crawl-data/x.warc.gz", "offset": "120", "length": "300"}
    rows = cdx.rows((json.dumps(line) + "\n").encode())
    capture = cdx.capture(rows[0], "commoncrawl:CC-MAIN-2025-01")
    assert capture == Capture(url(5), DATE, "commoncrawl:CC-MAIN-2025-01",
                              ("range", "crawl-data/x.warc.gz", "120", "300"))
    assert cdx.range_header(120, 300) == "bytes=120-419"


def test_wayback_table_rows_name_a_replay() -> None:
    header = list(cdx._WAYBACK_FIELDS)
    table = [header, ["k", "20250301100000", url(5), "text/html", "404", "d", "10"]]
    row = cdx.rows(json.dumps(table).encode())[0]
    assert (row.status, row.url) == (404, url(5))
    assert cdx.capture(row, "wayback").locator == ("replay", "20250301100000", url(5))
    assert cdx.replay_url("http://w/web/", "2025", url(5)) == f"http://w/web/2025id_/{url(5)}"


def test_crawls_outside_the_months_are_not_asked() -> None:
    collinfo = json.dumps([
        {"id": "A", "cdx-api": "a", "from": "2019-01-01", "to": "2019-02-01"},
        {"id": "B", "cdx-api": "b", "from": "2024-12-20", "to": "2025-01-05"},
        {"id": "C", "cdx-api": "c"}]).encode()
    assert cdx.collections(collinfo, "202501", "202512") == [("B", "b"), ("C", "c")]
    assert cdx.page_count(b'{"pages": 3}') == 3 and cdx.page_count(b"4") == 4


# --- captures -------------------------------------------------------------------------------------
def test_index_keeps_the_newest_capture_first() -> None:
    index = CaptureIndex()
    for when in ("2020-01-01T00:00:00Z", "2025-01-01T00:00:00Z", "2022-01-01T00:00:00Z"):
        index.add("k", Capture(url(1), when, "wayback", ()))
    index.finish()
    assert [c.captured_at[:4] for c in index.get("k")] == ["2025", "2022", "2020"]


def test_response_keeps_the_original_url_and_content_encoding() -> None:
    archived = ArchivedPage(200, [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked"),
                                  ("Content-Encoding", "gzip")], b"x")
    response = to_response(archived, Request(url(3)))
    assert response.url == url(3) and response.headers.get("Content-Encoding") == b"gzip"
    assert b"Transfer-Encoding" not in response.headers


# --- WARC files ----------------------------------------------------------------------------------
def build(gzip: bool, cut: int | None = None, short: int | None = None) -> WarcBuilder:
    """Responses 0-5 with a revisit of 0 after response 3 (record ``cut`` is response ``cut``,
    or ``cut - 1`` after the revisit)."""
    builder = WarcBuilder(gzip=gzip)
    for n in range(6):
        builder.response(url(n), page(n), DATE, declared_length=len(page(n)) + 50 if n == short
                         else None)
        if n == 3:
            builder.revisit(url(0), "2025-09-01T00:00:00Z")
    if cut is not None:
        builder.cut(cut)
    return builder


def entries(path: Path) -> tuple[dict[str, WarcEntry], list[WarcEntry], list[ScanError]]:
    found = list(scan(path))
    good = {e.url: e for e in found if isinstance(e, WarcEntry) and not e.problem
            and e.kind == "response"}
    bad = [e for e in found if isinstance(e, WarcEntry) and e.problem]
    return good, bad, [e for e in found if isinstance(e, ScanError)]


@pytest.mark.parametrize("gzip", [True, False])
def test_a_sound_file_reads_back_record_by_record(tmp_path: Path, gzip: bool) -> None:
    path = build(gzip).write(tmp_path / ("a.warc.gz" if gzip else "a.warc"))
    good, bad, errors = entries(path)
    assert sorted(good) == sorted(url(n) for n in range(6)) and not bad and not errors
    for n in range(6):
        assert read_record(str(path), good[url(n)].offset).body == page(n)
    revisit = [e for e in scan(path) if isinstance(e, WarcEntry) and e.kind == "revisit"]
    assert revisit[0].digest == good[url(0)].digest


@pytest.mark.parametrize("gzip", [True, False])
@pytest.mark.parametrize(("cut", "lost"), [(2, 2), (6, 5)])  # mid-file; last (a copy stopped early)
def test_a_record_cut_short_costs_only_itself(tmp_path: Path, gzip: bool, cut: int, lost: int
                                              ) -> None:
    path = build(gzip, cut=cut).write(tmp_path / ("a.warc.gz" if gzip else "a.warc"))
    good, bad, errors = entries(path)
    assert sorted(good) == sorted(url(n) for n in range(6) if n != lost)
    assert len(bad) + len(errors) == 1, (bad, errors)
    for n in range(6):
        if n != lost:
            assert read_record(str(path), good[url(n)].offset).body == page(n)


@pytest.mark.parametrize("gzip", [True, False])
def test_a_payload_shorter_than_its_content_length_is_truncated(tmp_path: Path, gzip: bool
                                                               ) -> None:
    path = build(gzip, short=3).write(tmp_path / "a.warc")
    good, bad, errors = entries(path)
    assert [e.url for e in bad] == [url(3)] and "declared" in str(bad[0].problem)
    assert len(good) == 5 and not errors


def test_folders_are_searched_for_warc_files(tmp_path: Path) -> None:
    for name in ("b/one.warc.gz", "a/two.warc", "a/notes.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    found = warc_files((tmp_path,))
    assert [p.name for p in found] == ["two.warc", "one.warc.gz"]


# --- exit status ----------------------------------------------------------------------------------
def test_a_backfill_that_fetches_only_its_index_worked() -> None:
    rerun = {"finish_reason": "finished", "downloader/request_count": 11, "archive/requests": 11,
             "incremental/skipped": 24}
    assert exitcodes.exit_status(rerun, Settings()) == exitcodes.OK


def test_a_backfill_whose_archive_cannot_be_read_fetched_nothing() -> None:
    down = {"finish_reason": "finished", "downloader/request_count": 2, "archive/requests": 2,
            "archive/failed": 1}
    unreadable = {"finish_reason": "finished", "archive/read": 3, "archive/failed": 3}
    for stats in (down, unreadable):
        assert exitcodes.exit_status(stats, Settings()) == exitcodes.NOTHING_FETCHED
