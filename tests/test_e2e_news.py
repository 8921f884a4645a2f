"""End to end: the generic ``scrapy crawl news`` against the local site (no module for it)."""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.state.store import ArticleStore
from localsite.model import SiteModel
from localsite.server import LocalSite
from tests.crawl_helpers import ROOT, crawl_command, outputs, read_jsonl, run_report, word_f1


def article_number(record: dict) -> int:
    return int(urlsplit(record["url"]).path.rsplit("/", 1)[1].split(".")[0])


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """The done-when command on a 60-article site (China time printed without an offset)."""
    tmp = tmp_path_factory.mktemp("news")
    model = SiteModel.generate(60, seed=0)
    with LocalSite(model) as site:
        command = crawl_command(site.start_url, tmp / "state", "-O", str(tmp / "out.jsonl"),
                                "-a", "timezone=+08:00", spider="news")
        result = subprocess.run(command, cwd=ROOT, text=True, capture_output=True, timeout=120)
        requests = site.requests
        truth = model.truth(site.base_url, include_duplicates=True)
    return {"result": result, "records": read_jsonl(tmp / "out.jsonl"), "model": model,
            "truth": truth, "requests": requests, "tmp": tmp}


def test_crawl_succeeds(crawled) -> None:
    assert crawled["result"].returncode == 0, crawled["result"].stderr[-3000:]
    report = run_report(crawled["tmp"])
    assert report["site"] == "127.0.0.1" and report["articles_emitted"] == len(crawled["records"])


def test_finds_the_articles_once_each(crawled) -> None:
    model: SiteModel = crawled["model"]
    numbers = [article_number(r) for r in crawled["records"]]
    ids = [r["id"] for r in crawled["records"]]
    assert len(ids) == len(set(ids)) and len(numbers) == len(set(numbers)), "one record each"
    duplicates = model.duplicates()  # either copy of a republished story may be the one kept
    for later, original in duplicates.items():
        assert not (later in numbers and original in numbers), (later, original)
    found = {duplicates.get(n, n) for n in numbers}
    wanted = model.emitted_ids()
    assert not found - wanted, sorted(found - wanted)
    assert len(found & wanted) >= 0.95 * len(wanted), sorted(wanted - found)


def test_records_are_right(crawled) -> None:
    truth, records = crawled["truth"], crawled["records"]
    titles = sum(r["title"] == truth[article_number(r)]["title"] for r in records)
    dates = sum(r["published_at"] == truth[article_number(r)]["published_at"] for r in records)
    f1 = [word_f1(truth[article_number(r)]["body"], r["body"]) for r in records]
    assert titles >= 0.95 * len(records) and dates >= 0.95 * len(records), (titles, dates)
    assert sum(f1) / len(f1) >= 0.93, min(f1)
    for record in records:  # the id is the canonical URL's key: host left out for the start host
        url = urlsplit(record["url"])
        host = "" if url.hostname == "127.0.0.1" else url.netloc
        assert record["id"] == f"127.0.0.1:{host}{url.path}" and not url.query


def test_requests_nothing_it_should_not(crawled) -> None:
    requests = crawled["requests"]
    paths = [path for _, path, _ in requests]
    assert not [p for p in paths if p.startswith("/global/en/private/")], "robots.txt ignored"
    archive = [p for p in paths if p.startswith("/global/en/archive/")]
    assert len(archive) <= 2, archive
    assert {host for host, _, _ in requests} <= {"127.0.0.1", "127.0.0.2"}
    report = run_report(crawled["tmp"])
    assert report["offsite_filtered"] >= 1 and report["robots_forbidden"] >= 1
    # each page at most once per host (mirror copies fetched before a canonical link named the
    # mirror are folded into one record by id and content)
    fetched = Counter((host, urlsplit(p).path) for host, p, s in requests
                      if s == 200 and p != "/robots.txt")  # robots.txt: also read for Sitemap lines
    assert max(fetched.values()) == 1, [k for k, v in fetched.items() if v > 1]


def test_site_argument_names_the_output(tmp_path: Path) -> None:
    model = SiteModel.generate(30, seed=1)
    with LocalSite(model) as site:
        command = crawl_command(site.start_url, tmp_path / "state", "-a", "site=localnews",
                                "-a", "max_articles=5", "-s", f"DATA_DIR={tmp_path / 'data'}",
                                spider="news")
        result = subprocess.run(command, cwd=ROOT, text=True, capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    records = outputs(tmp_path / "data", "localnews")
    assert len(records) == 5 and all(r["site"] == "localnews" for r in records)
    assert all(r["id"].startswith("localnews:/global/en/") for r in records)


def _zone_crawl(tmp: Path, layouts: tuple[str, ...], n_articles: int) -> tuple[dict, list[dict],
                                                                                 dict, str]:
    model = SiteModel.generate(n_articles, seed=0, layouts=layouts)
    with LocalSite(model) as site:
        command = crawl_command(site.start_url, tmp / "state", "-O", str(tmp / "out.jsonl"),
                                spider="news")
        result = subprocess.run(command, cwd=ROOT, text=True, capture_output=True, timeout=120)
        truth = model.truth(site.base_url, include_duplicates=True)
    assert result.returncode == 0, result.stderr[-3000:]
    report = run_report(tmp)
    return truth, read_jsonl(tmp / "out.jsonl"), report, result.stderr


def test_learns_the_site_zone_from_its_own_pages(tmp_path) -> None:
    """No -a timezone: the redesign pages state +08:00 for the time they show, so the portal
    pages' naive China times get it too; the zone is kept in the state for later runs."""
    truth, records, report, log = _zone_crawl(tmp_path, ("portal", "redesign"), 30)
    dates = sum(r["published_at"] == truth[article_number(r)]["published_at"] for r in records)
    assert dates >= 0.9 * len(records), (dates, len(records))
    assert "naive times are +08:00" in log and "-a timezone" not in log
    assert report["field_sources"]["published_at"]
    assert ArticleStore(tmp_path / "state" / "news.sqlite3").fact("timezone") == "+08:00"


def test_a_site_that_never_states_its_zone_is_read_as_utc_with_one_warning(tmp_path) -> None:
    _, records, _, log = _zone_crawl(tmp_path, ("portal",), 24)
    dated = [r["published_at"] for r in records if r["published_at"]]
    assert dated and all(d.endswith("+00:00") for d in dated)
    warnings = [line for line in log.splitlines() if "WARNING" in line and "-a timezone" in line]
    assert len(warnings) == 1, warnings
    assert "'timezone/assumed_utc': " in log
