"""End to end: ``scrapy crawl sjfzxm`` backfilling from WARC files and from a local CDX server.

WARCs are written from the local site's own pages (both layouts), so a backfill must give the
records a live crawl of the same pages gives, plus where and when each page was captured.
"""

from __future__ import annotations

import json
import re
import signal
from pathlib import Path

import pytest

from localsite.links import SiteUrls
from localsite.model import SiteModel
from localsite.server import LocalSite
from localsite.warc import WarcBuilder, site_pages, write_site_warc
from tests.archive_server import ArchiveData, ArchiveServer
from tests.crawl_helpers import crawl_command, kill_on_line, number, outputs, read_jsonl, run_crawl

CAPTURED = "2025-06-01T08:00:00Z"
LATER = "2025-09-01T08:00:00Z"
# Fields that say when and how a page was fetched, not what it holds (a live crawl may reach a
# page through the mirror host; an archive has the URL it captured).
FETCH_FIELDS = ("crawled_at", "captured_at", "archive", "fetched_url")
OTHER_SITE = "http://www.example-fabrics.com/global/en/{}.html"


def stat(log: str, name: str) -> int:
    """A counter from the stats dump at the end of a crawl's log (0 if absent)."""
    match = re.search(rf"'{re.escape(name)}': (\d+)", log)
    return int(match.group(1)) if match else 0


def same_stories(model: SiteModel, got: dict, wanted: dict) -> None:
    """The same articles, but either copy of a republished story (as in the live tests)."""
    duplicates = model.duplicates()
    stories = [{duplicates.get(number(i), number(i)) for i in ids} for ids in (got, wanted)]
    assert stories[0] == stories[1], stories[0] ^ stories[1]
    assert len(set(got) - set(wanted)) <= len(duplicates)


def backfill(site: LocalSite, state: Path, source: str, *extra: str, timeout: float = 120):
    return run_crawl(site.start_url, state, "-a", source, *extra, timeout=timeout)


def content(record: dict) -> dict:
    return {k: v for k, v in record.items() if k not in FETCH_FIELDS}


@pytest.fixture(scope="module")
def live_and_warc(tmp_path_factory):
    """A live crawl of a 60-article site and a backfill from a WARC of the same pages."""
    tmp = tmp_path_factory.mktemp("archive")
    model = SiteModel.generate(60, seed=0)
    with LocalSite(model) as site:
        live = run_crawl(site.start_url, tmp / "live", "-O", str(tmp / "live.jsonl"))
        warc = tmp / "site.warc.gz"
        write_site_warc(warc, model, site.base_url, site.mirror_url, CAPTURED)
        served = len(site.requests)
        archived = backfill(site, tmp / "archive", f"warc={warc}", "-O", str(tmp / "warc.jsonl"))
        served = len(site.requests) - served
    assert live.returncode == 0, live.stderr[-2000:]
    return {"model": model, "live": read_jsonl(tmp / "live.jsonl"), "run": archived,
            "warc": read_jsonl(tmp / "warc.jsonl"), "served_during_backfill": served, "tmp": tmp}


def test_a_warc_backfill_gives_the_records_of_a_live_crawl(live_and_warc) -> None:
    run = live_and_warc["run"]
    assert run.returncode == 0, run.stderr[-3000:]
    live = {r["id"]: r for r in live_and_warc["live"]}
    archived = {r["id"]: r for r in live_and_warc["warc"]}
    assert len(archived) == len(live_and_warc["warc"]), "an article emitted twice"
    same_stories(live_and_warc["model"], archived, live)
    for record_id, record in archived.items():
        if record_id in live:  # of a republished story, either copy may be the one kept
            assert content(record) == content(live[record_id]), record_id
        assert (record["captured_at"], record["archive"]) == (CAPTURED, "warc:site.warc.gz")
        assert record["schema_version"] == "1.1"
        assert record["fetched_url"].startswith("http://127.0.0.1:")  # as captured
    assert all(r["captured_at"] is None and r["archive"] is None for r in live.values())
    layouts = {live_and_warc["model"].article(number(i)).layout for i in archived}
    assert layouts == {"portal", "redesign"}


def test_a_backfill_never_touches_the_site(live_and_warc) -> None:
    # Reports are named after the run id: the backfill's is the newer of the two.
    report = json.loads(sorted(live_and_warc["tmp"].glob("*.stats.json"))[-1].read_text())
    assert report["output"].endswith("warc.jsonl")
    assert report["exit_status"] == 0
    assert live_and_warc["served_during_backfill"] == 0
    log = live_and_warc["run"].stderr
    # robots.txt and list pages are in the WARC but not articles; so are 404, 302, 503 captures.
    model = live_and_warc["model"]
    assert stat(log, "archive/skipped/not_article") == 1 + model.page_count
    assert stat(log, "archive/skipped/status/404") >= 1
    assert stat(log, "archive/skipped/status/302") == 1  # the article redirected offsite
    assert stat(log, "archive/skipped/status/503") == 1  # the flaky one; its retry is a 200


def mixed_warcs(folder: Path, model: SiteModel, base: str, mirror: str) -> dict:
    """Two files (gzip and plain) splitting the site's articles, with revisits, non-200
    captures, other sites' captures and damaged records mixed in. Returns what was put where."""
    pages = [p for p in site_pages(model, SiteUrls(base, mirror)) if "/global/en/5" in p[0]]
    articles = [p for p in pages if p[1] == 200 and p[0].endswith(".html")]
    gz, plain = WarcBuilder(gzip=True), WarcBuilder(gzip=False)
    for n, (url, status, content_type, body) in enumerate(pages):
        builder = gz if n % 2 else plain
        builder.response(url, body, CAPTURED, status, content_type)
        builder.response(OTHER_SITE.format(n), body, CAPTURED)
    revisited = articles[0][0]
    (gz if revisited in gz.digests else plain).revisit(revisited, LATER)
    gone = articles[1][0]  # captured later as a 404: the earlier 200 stands
    gz.response(gone, b"<html>gone</html>", LATER, 404)
    broken = articles[2][0]  # its only capture is cut short, mid-file
    gz.response(broken, articles[2][3], CAPTURED)
    gz.cut(len(gz.records) - 1)
    gz.response(OTHER_SITE.format("after-the-cut"), b"<html>x</html>", CAPTURED)
    short = articles[3][0]  # newest capture declares more than it holds; an older one reads
    plain.response(short, articles[3][3][:100], LATER, declared_length=len(articles[3][3]))
    gz.write(folder / "part-1.warc.gz")
    plain.write(folder / "sub" / "part-2.warc")
    return {"articles": {u for u, *_ in articles}, "revisited": revisited, "gone": gone,
            "short": short, "others": len(pages) + 1}


def test_mixed_warcs_each_article_once_the_rest_counted(tmp_path: Path) -> None:
    model = SiteModel.generate(60, seed=0)
    with LocalSite(model) as site:
        put = mixed_warcs(tmp_path / "warcs", model, site.base_url, site.mirror_url)
        result = backfill(site, tmp_path / "state", f"warc={tmp_path / 'warcs'}",
                          "-O", str(tmp_path / "out.jsonl"))
        assert not site.requests, "a backfill fetched from the live site"
    assert result.returncode == 0, result.stderr[-3000:]
    records = {r["fetched_url"]: r for r in read_jsonl(tmp_path / "out.jsonl")}
    wanted = {u for u in put["articles"] if number("x:" + u.rsplit("/", 1)[1][:-5])
              in model.emitted_ids()}
    assert set(records) == wanted and len(records) == len(read_jsonl(tmp_path / "out.jsonl"))
    assert records[put["revisited"]]["captured_at"] == LATER
    assert records[put["gone"]]["captured_at"] == CAPTURED
    assert records[put["short"]]["captured_at"] == CAPTURED  # the complete older capture
    log = result.stderr
    assert stat(log, "archive/skipped/offsite") == put["others"]
    assert stat(log, "archive/skipped/status/404") >= 1
    assert stat(log, "archive/revisits") == 1
    assert stat(log, "archive/errors/truncated") + stat(log, "archive/errors/unreadable") >= 2
    assert "Truncated WARC record" in log or "Unreadable WARC data" in log


def test_an_unreadable_newest_capture_gives_way_to_an_older_one(small_site, tmp_path: Path
                                                               ) -> None:
    model, site, _ = small_site
    article = sorted(model.emitted_ids())[-1]
    pages = {p[0]: p[3] for p in site_pages(model, SiteUrls(site.base_url, site.mirror_url))}
    url = f"{site.base_url}/global/en/{article}.html"
    placeholder = pages[f"{site.base_url}/global/en/{model.specials.deleted}.html"]
    builder = WarcBuilder()
    builder.response(url, pages[url], CAPTURED)
    builder.response(url, placeholder, LATER)  # the newest: a deleted-article notice
    builder.write(tmp_path / "a.warc.gz")
    result = backfill(site, tmp_path / "state", f"warc={tmp_path / 'a.warc.gz'}",
                      "-O", str(tmp_path / "out.jsonl"))
    assert result.returncode == 0, result.stderr[-3000:]
    records = read_jsonl(tmp_path / "out.jsonl")
    assert [(r["fetched_url"], r["captured_at"]) for r in records] == [(url, CAPTURED)]
    assert stat(result.stderr, "archive/older_capture") == 1


def test_changed_captures_are_revisions_and_runs_are_incremental(tmp_path: Path) -> None:
    model = SiteModel.generate(30, seed=0)
    state, data = tmp_path / "state", ("-s", f"DATA_DIR={tmp_path / 'data'}")
    with LocalSite(model) as site:
        write_site_warc(tmp_path / "a.warc.gz", model, site.base_url, site.mirror_url, CAPTURED)
        first = backfill(site, state, f"warc={tmp_path / 'a.warc.gz'}", *data)
        again = backfill(site, state, f"warc={tmp_path / 'a.warc.gz'}", *data)
        changed = sorted(model.emitted_ids())[-1]
        model.retitle(changed, "Weavers report a record autumn season")
        write_site_warc(tmp_path / "b.warc.gz", model, site.base_url, site.mirror_url, LATER)
        newer = backfill(site, state, f"warc={tmp_path / 'b.warc.gz'}", *data)
        live = run_crawl(site.start_url, state, *data)
        older = backfill(site, state, f"warc={tmp_path / 'a.warc.gz'}", *data)
    for run in (first, again, newer, live, older):
        assert run.returncode == 0, run.stderr[-2000:]
    runs = sorted((tmp_path / "data" / "sjfzxm").glob("*.jsonl"))
    counts = [len(read_jsonl(path)) for path in runs]
    # Runs that emit nothing write no file: the first run and the changed capture only.
    assert counts == [len(model.emitted_ids()), 1], counts
    revision = read_jsonl(runs[1])[0]
    assert (number(revision["id"]), revision["revision"], revision["updated"]) == (changed, 2, True)
    assert revision["captured_at"] == LATER


def test_sigkill_then_rerun_loses_and_repeats_nothing(tmp_path: Path) -> None:
    model = SiteModel.generate(80, seed=3)
    with LocalSite(model) as site:
        write_site_warc(tmp_path / "a.warc", model, site.base_url, site.mirror_url, gzip=False)
        extra = ("-a", f"warc={tmp_path / 'a.warc'}", "-s", f"DATA_DIR={tmp_path / 'data'}")
        command = crawl_command(site.start_url, tmp_path / "state", *extra, "-s",
                                "LOG_LEVEL=DEBUG")
        status, log = kill_on_line(command, "Scraped from", 20)
        assert status == -signal.SIGKILL, log[-2000:]
        rerun = run_crawl(site.start_url, tmp_path / "state", *extra)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    ids = [number(r["id"]) for r in outputs(tmp_path / "data")]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    duplicates = model.duplicates()
    assert {duplicates.get(i, i) for i in ids} == model.emitted_ids()


def cdx_data(model: SiteModel, base: str, mirror: str) -> ArchiveData:
    """The site's pages in one gzip WARC behind a CDX index, plus the same as Wayback replays."""
    builder, rows, data = WarcBuilder(gzip=True), [], ArchiveData()
    pages = list(site_pages(model, SiteUrls(base, mirror)))
    for url, status, content_type, body in pages:
        builder.response(url, body, CAPTURED, status, content_type)
        data.replays[("20250601080000", url)] = (body, content_type)
    for (url, status, *_), (offset, length) in zip(pages, builder.spans(), strict=True):
        rows.append({"url": url, "timestamp": "20250601080000", "status": str(status),
                     "filename": "crawl-data/CC-MAIN-2025-01/a.warc.gz", "offset": str(offset),
                     "length": str(length)})
    data.rows, data.files["crawl-data/CC-MAIN-2025-01/a.warc.gz"] = rows, _joined(builder)
    data.fail_once.add("/data/crawl-data/CC-MAIN-2025-01/a.warc.gz")
    return data


def _joined(builder: WarcBuilder) -> bytes:
    return b"".join(builder.records)


@pytest.fixture(scope="module")
def small_site(tmp_path_factory):
    """A 30-article site, served for the module, and a live crawl's records of it."""
    tmp = tmp_path_factory.mktemp("small")
    model = SiteModel.generate(30, seed=0)
    with LocalSite(model) as site:
        live = run_crawl(site.start_url, tmp / "state", "-O", str(tmp / "live.jsonl"))
        assert live.returncode == 0, live.stderr[-2000:]
        site.reset_requests()
        yield model, site, {r["id"]: r for r in read_jsonl(tmp / "live.jsonl")}


@pytest.mark.parametrize("archive", ["commoncrawl", "wayback"])
def test_cdx_backfill_through_a_local_index_and_range_server(small_site, tmp_path: Path,
                                                             archive: str) -> None:
    model, site, truth = small_site
    data = cdx_data(model, site.base_url, site.mirror_url)
    with ArchiveServer(data) as server:
        args = (f"archive={archive}", "-a", "since=2025-01", "-a", "until=2025-12",
                *server.settings(), "-s", f"DATA_DIR={tmp_path / 'data'}")
        first = backfill(site, tmp_path / "state", *args)
        asked = len(data.requests)
        second = backfill(site, tmp_path / "state", *args)
    assert not site.requests, "a backfill fetched from the live site"
    for run in (first, second):
        assert run.returncode == 0, run.stderr[-3000:]
    runs = sorted((tmp_path / "data" / "sjfzxm").glob("*.jsonl"))
    records = {r["id"]: r for r in read_jsonl(runs[0])}
    same_stories(model, records, truth)
    assert len(runs) == 1  # the second run emitted nothing: no file
    for record_id, record in records.items():
        if record_id in truth:
            assert content(record) == content(truth[record_id]), record_id
    label = "commoncrawl:CC-MAIN-2025-01" if archive == "commoncrawl" else "wayback"
    assert {r["archive"] for r in records.values()} == {label}
    paths = [path for path, _ in data.requests]
    assert not any("never-asked" in p for p in paths)
    if archive == "commoncrawl":
        ranges = [r for p, r in data.requests[:asked] if p.startswith("/data/")]
        assert all(r and r.startswith("bytes=") for r in ranges)
        assert len(ranges) == len(records) + stat(first.stderr, "dedup/dropped/exact") + \
            stat(first.stderr, "dedup/dropped/near") + \
            stat(first.stderr, "validate/dropped/placeholder_body") + 1  # one retried 503
    # The rerun asked the index again but fetched no capture: every article was emitted, and the
    # deleted-article notice and the republished copies are remembered as such.
    assert stat(second.stderr, "archive/index/pages") > 0
    assert not [p for p in paths[asked:] if p.startswith(("/data/", "/web/"))]


def test_an_unreachable_index_is_an_error_not_an_empty_success(small_site, tmp_path: Path
                                                               ) -> None:
    _, site, _ = small_site
    result = backfill(site, tmp_path / "state", "archive=commoncrawl", "-s",
                      "ARCHIVE_COMMONCRAWL_COLLINFO_URL=http://127.0.0.1:9/collinfo.json",
                      "-s", "RETRY_TIMES=1", "-s", f"DATA_DIR={tmp_path / 'data'}")
    assert result.returncode == 7, result.stderr[-2000:]  # no page could be fetched
    assert stat(result.stderr, "archive/index/errors") == 1
    assert "Archive index request failed http://127.0.0.1:9/collinfo.json" in result.stderr
