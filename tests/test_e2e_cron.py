"""Cron-grade runs end to end: incremental runs, kills, clean stops, overlap, exit statuses."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import pytest

from localsite.model import SiteModel
from localsite.server import LocalSite
from tests.crawl_helpers import (
    crawl_command,
    kill_on_line,
    number,
    outputs,
    read_jsonl,
    run_crawl,
    start_until_line,
)

FAST = ("-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8")


def data_args(tmp: Path) -> tuple[str, ...]:
    return ("-s", f"DATA_DIR={tmp / 'data'}", *FAST)


def assert_union_exactly_once(model: SiteModel, data: Path) -> None:
    assert not list((data / "sjfzxm").glob("*.part")), "a partial file is left"
    ids = [number(r["id"]) for r in outputs(data)]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    duplicates = model.duplicates()
    got = {duplicates.get(i, i) for i in ids}
    wanted = model.emitted_ids()
    assert got == wanted, (sorted(wanted - got), sorted(got - wanted))


@pytest.fixture
def site():
    model = SiteModel.generate(120, seed=3)
    with LocalSite(model) as served:
        yield model, served


def test_second_run_emits_exactly_the_new_and_the_corrected(site, tmp_path: Path) -> None:
    model, served = site
    first = run_crawl(served.start_url, tmp_path / "state", *data_args(tmp_path))
    assert first.returncode == 0, first.stderr[-2000:]
    emitted_first = {number(r["id"]) for r in outputs(tmp_path / "data")}
    new = set(model.add_articles(6))
    pairs = set(model.duplicates()) | set(model.duplicates().values())
    corrected = sorted(emitted_first - pairs)[3]
    model.retitle(corrected, model.articles[corrected].title + " (Corrected)")
    served.reset_requests()
    second = run_crawl(served.start_url, tmp_path / "state", *data_args(tmp_path))
    assert second.returncode == 0, second.stderr[-2000:]
    latest = sorted((tmp_path / "data" / "sjfzxm").glob("*.jsonl"))[-1]
    records = read_jsonl(latest)
    assert {number(r["id"]) for r in records} == new | {corrected}
    revised = next(r for r in records if number(r["id"]) == corrected)
    assert revised["revision"] == 2 and revised["updated"] is True
    assert revised["title"].endswith("(Corrected)")
    fetched_articles = {p for _, p, s in served.requests
                        if p.startswith("/global/en/") and p[11:-5].isdigit()}
    never_emitted = {model.specials.offsite, model.specials.missing}
    allowed = {f"/global/en/{i}.html" for i in new | {corrected} | never_emitted}
    assert fetched_articles <= allowed, sorted(fetched_articles - allowed)
    # The deleted-article notice seen by the first run is remembered, not fetched again.
    assert f"/global/en/{model.specials.deleted}.html" not in fetched_articles
    report = json.loads(latest.with_name(latest.name.replace(".jsonl", ".stats.json")).read_text())
    assert (report["new"], report["updated"]) == (len(new), 1)
    assert report["skipped_already_emitted"] > 50
    assert report["skipped_known_placeholders"] == 1 and report["skipped_known_duplicates"] >= 1


@pytest.mark.parametrize(("pattern", "occurrence"), [
    ("Spider opened", 1),         # before the first item
    ("Scraped from", 25),        # mid-run
    ("Closing spider", 1),       # during close
])
def test_sigkill_at_any_point_then_rerun_loses_and_repeats_nothing(
    site, tmp_path: Path, pattern: str, occurrence: int
) -> None:
    model, served = site
    command = crawl_command(served.start_url, tmp_path / "state", *data_args(tmp_path),
                            "-s", "LOG_LEVEL=DEBUG")
    status, log = kill_on_line(command, pattern, occurrence)
    assert status == -signal.SIGKILL, log[-2000:]
    rerun = run_crawl(served.start_url, tmp_path / "state", *data_args(tmp_path))
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert_union_exactly_once(model, tmp_path / "data")


def test_two_sigkills_on_the_same_state_then_rerun(site, tmp_path: Path) -> None:
    model, served = site
    # Killed on log events, not after fixed sleeps: a loaded machine moves the moment, not the case.
    for pattern, occurrence in (("Crawled (200)", 3), ("Scraped from", 12)):
        command = crawl_command(served.start_url, tmp_path / "state", *data_args(tmp_path),
                                "-s", "LOG_LEVEL=DEBUG")
        status, log = kill_on_line(command, pattern, occurrence)
        assert status == -signal.SIGKILL, log[-2000:]
    rerun = run_crawl(served.start_url, tmp_path / "state", *data_args(tmp_path))
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert_union_exactly_once(model, tmp_path / "data")


def test_sigterm_stops_cleanly_with_a_complete_file_and_state_in_step(site, tmp_path: Path) -> None:
    model, served = site
    command = crawl_command(served.start_url, tmp_path / "state", *data_args(tmp_path),
                            "-s", "LOG_LEVEL=DEBUG", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1")
    status, log = kill_on_line(command, "Scraped from", 10, sig=signal.SIGTERM)
    assert status == 3, log[-2000:]  # interrupted
    files = list((tmp_path / "data" / "sjfzxm").glob("*"))
    assert not [f for f in files if f.name.endswith(".part")]
    written = {r["id"] for r in outputs(tmp_path / "data")}
    assert 10 <= len(written) < len(model.emitted_ids())
    from crawler.state.store import ArticleStore
    store = ArticleStore(tmp_path / "state" / "sjfzxm.sqlite3")
    assert store.summary()["articles_emitted"] == len(written)
    store.close()
    rerun = run_crawl(served.start_url, tmp_path / "state", *data_args(tmp_path))
    assert rerun.returncode == 0
    assert_union_exactly_once(model, tmp_path / "data")


def test_a_second_run_on_the_same_state_is_refused_at_once(site, tmp_path: Path) -> None:
    _, served = site
    command = crawl_command(served.start_url, tmp_path / "state", *data_args(tmp_path),
                            "-s", "DOWNLOAD_DELAY=0.5")
    slow = start_until_line(command, "Spider opened")  # it holds the lock from then on
    try:
        started = time.monotonic()
        second = run_crawl(served.start_url, tmp_path / "state", *data_args(tmp_path))
        assert second.returncode == 75
        assert "another run holds" in second.stderr
        assert time.monotonic() - started < 15
        assert slow.poll() is None  # the first run goes on
    finally:
        slow.kill()
        slow.wait()


def test_every_request_failing_exits_7(tmp_path: Path) -> None:
    result = run_crawl("http://127.0.0.1:9/global/en/", tmp_path / "state", *data_args(tmp_path),
                       "-s", "RETRY_TIMES=1")
    assert result.returncode == 7, result.stderr[-2000:]
    report = json.loads(next((tmp_path / "data" / "sjfzxm").glob("*.stats.json")).read_text())
    assert report["exit_status"] == 7 and report["download_errors"]


def test_pages_without_any_article_exit_6(site, tmp_path: Path) -> None:
    _, served = site
    # As if the site had moved its articles: pages are fetched but none is an article.
    result = run_crawl(served.start_url, tmp_path / "state", *data_args(tmp_path),
                       "-s", r"SJFZXM_ARTICLE_URL_REGEX=^/news/(?P<id>\d+)\.htm$")
    assert result.returncode == 6, result.stderr[-2000:]
    assert "no article found" in result.stderr
