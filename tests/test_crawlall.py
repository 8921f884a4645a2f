"""``scrapy crawlall``: sites in one process, per-site reports, an exit status naming failures."""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings

from crawler import exitcodes
from crawler.commands.crawlall import Command, combined_status, spider_args
from crawler.extensions.report import extraction_sources
from crawler.pool import workers
from localsite.model import SiteModel
from localsite.server import LocalSite
from tests.crawl_helpers import ROOT, number, outputs


def test_combined_status_is_the_worst_site_status() -> None:
    assert combined_status({"a": 0, "b": 0}) == 0
    assert combined_status({"a": 0, "b": 7}) == 7
    assert combined_status({"a": 75, "b": 4}) == 4  # a held lock is the least of failures
    assert combined_status({"a": 75, "b": 0}) == 75
    assert combined_status({"a": 3, "b": 1, "c": 7}) == 1
    assert combined_status({}) == 0


def test_spider_arguments_for_all_or_one() -> None:
    pairs = {"max_articles": "5", "a:start_urls": "http://x/", "b:max_articles": "2"}
    assert spider_args(pairs, "a") == {"max_articles": "5", "start_urls": "http://x/"}
    assert spider_args(pairs, "b") == {"max_articles": "2"}


def test_extraction_sources_share() -> None:
    stats = {"extraction/records": 8, "extraction/records_with_fallback": 2,
             "extraction/records_fallback/body": 2, "extraction/records_fallback/title": 1}
    assert extraction_sources(stats) == {
        "records": 8, "site_rules_only": 6, "with_fallback": 2, "fallback_share": 0.25,
        "fallback_share_by_field": {"body": 0.25, "title": 0.125}}
    assert extraction_sources({})["fallback_share"] is None


def test_the_reading_workers_start_before_the_sites_crawlers(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    """As ``scrapy crawl`` does: their start-up overlaps the crawlers' (crawler.pool.workers)."""
    events: list[tuple[str, Any]] = []
    monkeypatch.setattr(workers, "prestart", lambda count: events.append(("prestart", count)))
    settings = get_project_settings().copy()
    settings.setdict({"STATE_DIR": str(tmp_path / "state"), "DATA_DIR": str(tmp_path / "data"),
                      "READING_POOL_SIZE": 2})

    class Process:  # records what the command asks of Scrapy's CrawlerProcess
        spider_loader = SpiderLoader(settings)

        def create_crawler(self, name: str) -> object:
            events.append(("crawler", name))
            return object()

        def crawl(self, crawler: object, **spider_arguments: str) -> None:
            pass

        def start(self) -> None:
            events.append(("start", None))

    command = Command()
    command.settings, command.crawler_process = settings, Process()  # type: ignore[assignment]
    command.run([], argparse.Namespace(spargs={}, spiders="sjfzxm"))
    assert events == [("prestart", 2), ("crawler", "sjfzxm"), ("start", None)]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_one_failing_site_stops_no_other_and_is_named(tmp_path: Path) -> None:
    model = SiteModel.generate(30, seed=3)
    with LocalSite(model) as site:
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawlall", "--spiders", "sjfzxm,othersite",
             "-a", f"sjfzxm:start_urls={site.start_url}",
             "-a", "sjfzxm:allowed_domains=127.0.0.1,127.0.0.2",
             "-a", f"othersite:start_urls=http://127.0.0.1:{closed_port()}/global/en/",
             "-a", "othersite:allowed_domains=127.0.0.1",
             "-s", "SPIDER_MODULES=spiders,tests.crawlall_spiders",
             "-s", f"DATA_DIR={tmp_path / 'data'}", "-s", f"STATE_DIR={tmp_path / 'state'}",
             "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"],
            cwd=ROOT, text=True, capture_output=True, timeout=120)
    assert result.returncode == exitcodes.NOTHING_FETCHED, result.stderr[-3000:]
    assert "sites failed: othersite;" in result.stderr
    # the healthy site's output is complete
    ids = {number(r["id"]) for r in outputs(tmp_path / "data", "sjfzxm")}
    duplicates = model.duplicates()
    assert {duplicates.get(i, i) for i in ids} == model.emitted_ids()
    # each site has its own report, and the combined one names the failure
    (combined,) = (tmp_path / "data" / "crawlall").glob("*.stats.json")
    report = json.loads(combined.read_text("utf-8"))
    assert report["exit_status"] == 7 and report["failed_sites"] == ["othersite"]
    assert report["sites"]["sjfzxm"]["exit_status"] == 0
    assert report["sites"]["sjfzxm"]["articles_emitted"] == len(ids)
    assert report["sites"]["sjfzxm"]["extraction_sources"]["records"] == len(ids)
    # which source won each field: the site's own rules read every title here
    assert set(report["sites"]["sjfzxm"]["field_sources"]["title"]) == {"site"}
    for name in ("sjfzxm", "othersite"):
        own = json.loads(Path(report["sites"][name]["report"]).read_text("utf-8"))
        assert own["spider"] == name and own["exit_status"] == report["sites"][name]["exit_status"]


def test_a_site_whose_lock_is_held_is_skipped(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, sys, time; f = open(sys.argv[1], 'a+'); "
         "fcntl.flock(f, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)",
         str(state / "othersite.lock")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawlall", "--spiders", "othersite",
             "-s", "SPIDER_MODULES=spiders,tests.crawlall_spiders",
             "-s", f"DATA_DIR={tmp_path / 'data'}", "-s", f"STATE_DIR={state}"],
            cwd=ROOT, text=True, capture_output=True, timeout=60)
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == exitcodes.LOCKED, result.stderr[-2000:]
    assert "sites failed: othersite" in result.stderr
