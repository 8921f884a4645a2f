"""What an operator reads: the run summary and report, drop lines, `crawler.state show`."""

from __future__ import annotations

import json
import logging
import sqlite3
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from crawler import exitcodes
from crawler.extensions.report import (
    RunReport,
    build_report,
    commonest_download_error,
    summary,
)
from crawler.logformat import OneLineLogFormatter, RobotsErrorOneLine
from crawler.state import __main__ as state_cli
from crawler.state import store_for
from crawler.state.store import ArticleStore
from pipelines.validate import PlaceholderPage, ValidatePipeline
from spiders.sjfzxm import SjfzxmSpider
from tests.crawl_helpers import ROOT
from tests.test_pipelines import article

OFFLINE = {
    "finish_reason": "finished", "run/id": "r1", "run/spider": "sjfzxm",
    "downloader/request_count": 16, "robotstxt/request_count": 2,
    "downloader/exception_type_count/scrapy.exceptions.CannotResolveHostError": 16,
    "download_error_host/CannotResolveHostError": "www.sjfzxm.com",
}


def report_of(stats: dict, output: str | None = None) -> dict:
    status = exitcodes.exit_status(stats, Settings({"EXIT_RATIO_MIN_PAGES": 10}))
    return build_report(stats, status, output)


# --- why a run failed -----------------------------------------------------------------------------
def test_offline_summary_names_the_commonest_error_with_a_host_and_hints_at_demo() -> None:
    report = report_of(OFFLINE)
    assert report["exit_status"] == exitcodes.NOTHING_FETCHED
    line = summary(report, Path("r1.stats.json"))
    assert "DNS lookup failed for www.sjfzxm.com: 16 requests" in line
    assert "make demo" in line
    assert "\n" not in line


def test_ignored_requests_are_not_download_errors() -> None:
    stats = {"finish_reason": "finished", "pages/article": 3,
             "downloader/exception_type_count/scrapy.exceptions.IgnoreRequest": 4,
             "downloader/exception_type_count/twisted.internet.error.TimeoutError": 1}
    report = report_of(stats)
    assert report["download_errors"] == {"twisted.internet.error.TimeoutError": 1}
    assert report["requests_ignored"] == 4
    assert commonest_download_error(stats) == "timed out: 1 request"
    assert commonest_download_error({"finish_reason": "finished"}) is None


def test_a_good_run_has_no_why_and_no_empty_output_advertised(tmp_path: Path) -> None:
    empty = tmp_path / "run.jsonl"
    empty.write_bytes(b"")
    report = report_of({"finish_reason": "finished", "pages/navigation": 2,
                        "incremental/skipped": 3}, str(empty))
    line = summary(report, tmp_path / "run.stats.json")
    assert report["exit_status"] == exitcodes.OK and "make demo" not in line
    assert "Output: none written." in line
    empty.write_text('{"id": "x:1"}\n')
    assert f"Output: {empty}." in summary(report, tmp_path / "run.stats.json")


# --- counts that add up ---------------------------------------------------------------------------
def test_skipped_emitted_known_duplicates_and_placeholders_are_counted_apart() -> None:
    stats = {"finish_reason": "finished", "pages/navigation": 1, "incremental/skipped": 5,
             "incremental/skipped_known_duplicate": 2, "incremental/skipped_known_placeholder": 1}
    report = report_of(stats)
    got = [report[k] for k in ("skipped_already_emitted", "skipped_known_duplicates",
                               "skipped_known_placeholders")]
    assert got == [5, 2, 1]
    assert "5 emitted before and unchanged, 2 known duplicates, 1 known placeholder" in summary(
        report, Path("r.stats.json"))
    only_known = {k: v for k, v in stats.items() if k != "incremental/skipped"}
    assert report_of(only_known)["exit_status"] == exitcodes.OK  # not "no article found"


def test_fallbacks_are_those_of_emitted_records(crawler) -> None:
    report = RunReport(crawler)
    crawler.stats.inc_value("extraction/fallback/title", 2)  # two pages, one dropped later
    report.item_scraped(article("sjfzxm:1", fallback_fields=["title"]))
    report.item_scraped(article("sjfzxm:2"))
    built = report_of(crawler.stats.get_stats())
    assert built["extraction_fallbacks"] == {"title": 1}
    assert built["extraction_sources"]["with_fallback"] == 1
    line = summary(built, Path("r.stats.json"))
    assert "emitted records with a fallback field: 1 of 2 (50%) {'title': 1}" in line


@pytest.mark.parametrize(("status", "level"), [(exitcodes.OK, logging.INFO),
                                                (exitcodes.NOTHING_FETCHED, logging.WARNING)])
def test_summary_level_is_info_for_a_good_run_and_warning_for_a_failed_one(
        caplog, status: int, level: int) -> None:
    report = build_report(OFFLINE, status, None)
    with caplog.at_level(logging.INFO, logger="crawler.extensions.report"):
        RunReport.log_summary(report, Path("r1.stats.json"))
    assert [r.levelno for r in caplog.records] == [level]


# --- one-line log messages ------------------------------------------------------------------------
def test_a_dropped_item_is_one_line_with_its_id(crawler) -> None:
    formatter = OneLineLogFormatter.from_crawler(crawler)
    item = article("sjfzxm:123")
    reason = PlaceholderPage("duplicate (exact) of sjfzxm:45", log_level="INFO")
    entry = formatter.dropped(item, reason, None, None)
    text = entry["msg"] % entry["args"]
    assert text == "Dropped sjfzxm:123: duplicate (exact) of sjfzxm:45"
    assert entry["level"] == logging.INFO
    response = HtmlResponse("http://x/1.html", request=Request("http://x/1.html"))
    scraped = formatter.scraped(item, response, None)
    assert "\n" not in scraped["msg"] % scraped["args"] and item.body[:20] not in str(scraped)


def test_a_robots_txt_download_error_is_one_warning_line() -> None:
    try:
        raise OSError("DNS lookup failed: no results for hostname lookup: www.sjfzxm.com.")
    except OSError as error:
        record = logging.LogRecord(
            "scrapy.downloadermiddlewares.robotstxt", logging.ERROR, __file__, 1,
            "Error downloading %(request)s: %(f_exception)s", None, sys.exc_info())
        record.args = {"request": "<GET http://www.sjfzxm.com/>", "f_exception": error}
    assert RobotsErrorOneLine().filter(record)
    text = logging.Formatter().format(record)
    assert record.levelno == logging.WARNING and "\n" not in text
    assert text.startswith("robots.txt not fetched for <GET http://www.sjfzxm.com/>")


# --- placeholders remembered ----------------------------------------------------------------------
def test_a_never_emitted_placeholder_is_remembered_an_emitted_one_is_not(crawler) -> None:
    store = store_for(crawler)
    store.record_emitted([asdict(article("sjfzxm:2"))])
    stage = ValidatePipeline.from_crawler(crawler)
    for article_id in ("sjfzxm:1", "sjfzxm:2"):
        with pytest.raises(PlaceholderPage):
            stage.process_item(article(article_id, body="This article has been deleted."))
    assert store.is_placeholder("sjfzxm:1") and not store.is_placeholder("sjfzxm:2")
    assert crawler.stats.get_value("validate/placeholders_remembered") == 1
    assert store.forget("sjfzxm:2") and not store.forget("sjfzxm:1")
    assert not store.is_placeholder("sjfzxm:1")  # forgotten: fetched again next run


@pytest.fixture
def spider(crawler):
    spider = SjfzxmSpider.from_crawler(crawler, start_urls="http://www.sjfzxm.com/global/en/")
    crawler.spider = spider
    return spider


def test_known_placeholders_and_duplicates_are_not_fetched_and_counted_apart(spider) -> None:
    store = store_for(spider.crawler)
    store.remember_placeholder("sjfzxm:1")
    store.remember_duplicate("sjfzxm:2", "sjfzxm:9", "exact")
    store.record_emitted([asdict(article("sjfzxm:3"))])
    urls = [f"http://www.sjfzxm.com/global/en/{n}.html" for n in (1, 2, 3, 4)]
    requested = [r.url for url in urls for r in spider.article_requests(url)]
    assert requested == [urls[3]]
    stats = spider.crawler.stats
    assert stats.get_value("incremental/skipped_known_placeholder") == 1
    assert stats.get_value("incremental/skipped_known_duplicate") == 1
    assert stats.get_value("incremental/skipped") == 1


# --- crawler.state show ---------------------------------------------------------------------------
def test_state_show_fails_clearly_on_a_missing_state(tmp_path: Path, capsys) -> None:
    typo = tmp_path / "stat"
    for command in (["show"], ["forget", "sjfzxm:1"], ["forget-all"]):
        assert state_cli.main([*command, "--state-dir", str(typo)]) == state_cli.NO_STATE
        assert "no state at" in capsys.readouterr().err
    assert not typo.exists()  # nothing created by a typo


def test_state_show_lists_runs_with_exit_status_and_counts(tmp_path: Path, capsys) -> None:
    store = ArticleStore(tmp_path / "sjfzxm.sqlite3")
    store.begin_run("r1", 1)
    store.end_run("r1", "closed")
    store.set_run_outcome("r1", {"exit_status": 0, "articles_emitted": 24, "pages_fetched": 30})
    store.begin_run("r2", 2)
    store.close()
    assert state_cli.main(["show", "--state-dir", str(tmp_path)]) == 0
    runs = {run["run_id"]: run for run in json.loads(capsys.readouterr().out)["recent_runs"]}
    assert runs["r1"]["exit_status"] == 0 and runs["r1"]["articles_emitted"] == 24
    assert runs["r1"]["pages_fetched"] == 30 and runs["r1"]["status"] == "closed"
    assert runs["r2"]["exit_status"] is None and runs["r2"]["status"] == "running"


def test_a_state_file_from_before_run_outcomes_gains_the_column(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    ArticleStore(path).close()
    db = sqlite3.connect(path)  # as written before run outcomes (and schema versions) were kept
    db.executescript("ALTER TABLE runs DROP COLUMN outcome; PRAGMA user_version = 0;")
    db.execute("INSERT INTO runs VALUES ('old', '2026-01-01T00:00:00Z', 1, NULL, NULL, 'closed')")
    db.commit()
    db.close()
    store = ArticleStore(path)
    store.set_run_outcome("old", {"exit_status": 3})
    assert store.summary()["recent_runs"][0]["exit_status"] == 3
    store.close()


def test_report_writes_the_run_outcome_to_the_state_when_the_output_is_complete(crawler) -> None:
    report = RunReport(crawler)
    store = store_for(crawler)
    store.begin_run("r9", 1)
    for key, value in {"run/id": "r9", "run/spider": "sjfzxm", "finish_reason": "finished",
                       "pages/article": 2, "state/recorded": 2,
                       "response_received_count": 3}.items():
        crawler.stats.set_value(key, value)
    report.feeds_closed()
    run = store.summary()["recent_runs"][0]
    assert (run["exit_status"], run["articles_emitted"], run["pages_fetched"]) == (0, 2, 3)


# --- a site's own User-Agent ----------------------------------------------------------------------
def test_a_user_agent_in_custom_settings_is_kept() -> None:
    class OwnAgent(SjfzxmSpider):
        custom_settings = {"USER_AGENT": "own-agent/1.0"}

    assert get_crawler(OwnAgent).settings["USER_AGENT"] == "own-agent/1.0"
    composed = get_crawler(SjfzxmSpider, {"CONTACT_URL": "https://ops.example"})
    assert composed.settings["USER_AGENT"].endswith("(+https://ops.example)")


# --- end to end: a crawl without network ----------------------------------------------------
def test_an_offline_crawl_says_why_in_its_summary_without_tracebacks(tmp_path: Path) -> None:
    host = "www.sjfzxm.invalid"
    command = [sys.executable, "-m", "scrapy", "crawl", "sjfzxm",
               "-a", f"start_urls=http://{host}/global/en/", "-a", "allowed_domains=sjfzxm.invalid",
               "-s", f"STATE_DIR={tmp_path / 'state'}", "-s", f"DATA_DIR={tmp_path / 'data'}",
               "-s", "TWISTED_DNS_RESOLVER=tests.offline_resolver.OfflineResolver",
               "-s", "RETRY_TIMES=1", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
               "-s", "LOG_LEVEL=WARNING"]
    result = subprocess.run(command, cwd=ROOT, text=True, capture_output=True, timeout=120)
    assert result.returncode == exitcodes.NOTHING_FETCHED, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]  # the summary shows at LOG_LEVEL=WARNING
    # robots.txt and the start page, each tried twice (RETRY_TIMES=1)
    assert f"DNS lookup failed for {host}: 4 requests" in last, last
    assert "make demo" in last
    for written in (tmp_path / "data" / "sjfzxm").glob("*.jsonl"):
        assert written.stat().st_size == 0 and "Output: none written." in last
    robots = [line for line in result.stderr.splitlines() if "robots.txt not fetched" in line]
    assert len(robots) == 1 and "WARNING" in robots[0]


def test_tombstones_are_counted_apart_and_the_emitted_counts_add_up() -> None:
    stats = {"state/recorded": 10, "incremental/updated": 4, "incremental/deleted": 1}
    report = build_report(stats, exitcodes.OK, None)
    assert (report["new"], report["updated"], report["deleted"]) == (6, 3, 1)
    assert report["new"] + report["updated"] + report["deleted"] == report["articles_emitted"]
    assert "(6 new, 3 updated, 1 deleted)" in summary(report, Path("r.stats.json"))
