"""Broken disks and broken state: each fault ends the run with its documented exit status, a
one-line reason, valid output lines and nothing counted as emitted that was not written.

Read-only and full filesystems are small tmpfs mounts the test makes; where mounting is not
allowed (not root, a container without CAP_SYS_ADMIN), those tests are skipped with the reason.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import signal
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy.exporters import JsonLinesItemExporter
from scrapy.utils.test import get_crawler
from twisted.internet.defer import Deferred

from crawler import exitcodes, nearduplicates
from crawler.exporters import journaled
from crawler.extensions import runstate
from crawler.extensions.runstate import RunStateExtension
from crawler.feedstorage import OutputFile
from crawler.items import Article
from crawler.state import StateUnavailable, store_for
from crawler.state.__main__ import main as state_command
from crawler.state.journal import Journal, read_records
from crawler.state.runs import recover_unfinished
from crawler.state.schema import SCHEMA_VERSION
from crawler.state.store import ArticleStore
from localsite.model import SiteModel
from localsite.server import LocalSite
from pipelines.clean import CleanPipeline
from spiders.sjfzxm import SjfzxmSpider
from tests.crawl_helpers import crawl_command, kill_on_line, number, outputs, run_crawl

FAST = ("-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8")
STATE_ROOM = 48 * 1024  # bytes left free on a "full" state filesystem
BODY = "Cotton prices rose again this week as mills in the south restocked ahead of winter."


def record(n: int, body: str = BODY) -> dict:
    return {"id": f"sjfzxm:{n}", "url": f"http://www.sjfzxm.com/global/en/{n}.html",
            "title": f"Story {n}", "body": body, "content_hash": f"{n:032x}", "revision": 1}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- state store faults: refused, one line, untouched -----------------------------------------
def _healthy(path: Path) -> None:
    store = ArticleStore(path)
    store.record_emitted([record(1), record(2, BODY + " More.")])
    store.close()


def _sql(statement: str):
    def damage(path: Path) -> None:
        db = sqlite3.connect(path)
        db.executescript(statement)
        db.close()
    return damage


def _overwrite(offset: int, data: bytes):
    def damage(path: Path) -> None:
        with path.open("r+b") as handle:
            handle.seek(offset)
            handle.write(data)
    return damage


def _truncate(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size // 2)


def _extra_not_null_column(path: Path) -> None:
    _sql("ALTER TABLE articles RENAME TO old; CREATE TABLE articles (id TEXT PRIMARY KEY, url TEXT,"
         " title TEXT, published_at TEXT, listing TEXT, content_hash TEXT, revision INTEGER NOT"
         " NULL DEFAULT 1, first_seen TEXT NOT NULL, last_emitted TEXT NOT NULL, shard TEXT NOT"
         " NULL); DROP TABLE old;")(path)


STORE_FAULTS = {
    "newer schema version": (_sql(f"PRAGMA user_version = {SCHEMA_VERSION + 1}"), "newer"),
    "extra NOT NULL column": (_extra_not_null_column, "shard"),
    "renamed column": (_sql("ALTER TABLE articles RENAME COLUMN title TO headline"), "title"),
    "corrupted pages": (_overwrite(4096 + 100, b"\xde\xad" * 2000), "state store"),
    "truncated file": (_truncate, "state store"),
    "garbage header": (_overwrite(0, b"this is not sqlite at all"), "state store"),
    "zero-byte file": (lambda path: path.write_bytes(b""), "0-byte"),
}


def _broken_store(tmp_path: Path, fault: str) -> Path:
    path = tmp_path / "state" / "sjfzxm.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    _healthy(path)
    damage, _ = STORE_FAULTS[fault]
    damage(path)
    return path


@pytest.mark.parametrize("fault", sorted(STORE_FAULTS))
def test_a_store_of_another_schema_or_damaged_is_refused_untouched(tmp_path: Path,
                                                                  fault: str) -> None:
    path = _broken_store(tmp_path, fault)
    before = digest(path)
    with pytest.raises(StateUnavailable) as refused:
        ArticleStore(path)
    assert STORE_FAULTS[fault][1] in str(refused.value)
    assert "\n" not in str(refused.value)
    assert digest(path) == before


@pytest.mark.parametrize("fault", ["newer schema version", "renamed column", "garbage header",
                                   "zero-byte file", "truncated file"])
def test_crawl_on_a_broken_store_exits_8_with_one_line(tmp_path: Path, fault: str) -> None:
    path = _broken_store(tmp_path, fault)
    before = digest(path)
    result = run_crawl("http://127.0.0.1:9/global/en/", tmp_path / "state",
                       "-s", f"DATA_DIR={tmp_path / 'data'}", timeout=60)
    assert result.returncode == exitcodes.STATE_UNAVAILABLE, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert f"not started: state store {path}" in result.stderr
    assert digest(path) == before
    assert not (tmp_path / "data").exists()


def test_state_show_on_a_damaged_store_exits_8_untouched(tmp_path: Path, capsys) -> None:
    path = _broken_store(tmp_path, "garbage header")
    before = digest(path)
    assert state_command(["show", "--state-dir", str(path.parent)]) == exitcodes.STATE_UNAVAILABLE
    assert f"state store {path} is unreadable" in capsys.readouterr().err
    assert digest(path) == before


def test_a_store_written_before_versioning_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    _healthy(path)
    _sql("PRAGMA user_version = 0; ALTER TABLE content DROP COLUMN run_id")(path)
    store = ArticleStore(path)
    assert store.emitted("sjfzxm:1") is not None
    assert store.find_exact(nearduplicates.body_hash(BODY), "sjfzxm:9") == "sjfzxm:1"
    store.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()


# --- the duplicate index only ever holds written records --------------------------------------
def _index(store: ArticleStore, n: int, body: str = BODY) -> None:
    store.remember_content(f"sjfzxm:{n}", nearduplicates.body_hash(body),
                           nearduplicates.signature(body))


def test_content_of_a_record_never_written_leaves_the_index_when_the_run_ends(
        tmp_path: Path) -> None:
    store = ArticleStore(tmp_path / "s.sqlite3")
    store.begin_run("r1", 1)
    _index(store, 1)
    _index(store, 2, "A different story about polyester output in the north of the country.")
    store.remember_duplicate("sjfzxm:3", "sjfzxm:1", "exact")
    store.record_emitted([record(2, "A different story about polyester output in the north of "
                                    "the country.")])
    store.end_run("r1", "closed")
    assert store.find_exact(nearduplicates.body_hash(BODY), "sjfzxm:9") is None  # never written
    assert store.duplicate_of("sjfzxm:3") is None  # its copy is fetched again, not lost
    assert store.summary()["content_index"] == 1
    store.close()


def test_records_recovered_from_a_killed_run_enter_the_index(tmp_path: Path) -> None:
    store = ArticleStore(tmp_path / "s.sqlite3")
    store.begin_run("killed", 1)
    final = tmp_path / "killed.jsonl"
    part = tmp_path / "killed.jsonl.part"
    part.write_text(json.dumps(record(1)) + "\n" + '{"id": "sjfzxm:2", "bo', "utf-8")
    store.set_run_output("killed", str(part), str(final))
    store.db.execute("DELETE FROM content")  # the killed run's last batch was never committed
    assert recover_unfinished(store) == (1, 1)
    assert store.find_exact(nearduplicates.body_hash(BODY), "sjfzxm:9") == "sjfzxm:1"
    store.close()


# --- valid text, and a record the exporter fails on -------------------------------------------
def test_surrogates_and_control_characters_are_removed_before_hashing_and_export() -> None:
    crawler = get_crawler(SjfzxmSpider)
    article = Article(id="sjfzxm:1", site="sjfzxm", url="http://www.sjfzxm.com/global/en/1.html",
                      title="Denim\udc00 demand\x00", body=f"{BODY}\udcff\x07\r\nSecond line.",
                      keywords=["cot\ud800ton"], related=[{"url": "u", "title": "t\x1b"}])
    CleanPipeline.from_crawler(crawler).process_item(article)
    assert article.title == "Denim demand"
    assert "\udcff" not in (article.body or "") and "\x07" not in (article.body or "")
    assert article.keywords == ["cotton"] and article.related[0]["title"] == "t"
    assert crawler.stats.get_value("clean/invalid_text") == 1
    out = io.BytesIO()
    JsonLinesItemExporter(out, encoding="utf-8").export_item(article)
    assert json.loads(out.getvalue().decode("utf-8"))["content_hash"] == article.content_hash


def test_a_record_the_exporter_fails_on_is_not_journaled(tmp_path: Path) -> None:
    crawler = get_crawler(SjfzxmSpider, {"STATE_DIR": str(tmp_path / "state")})
    store = store_for(crawler)
    store.begin_run("r1", 1)
    _index(store, 2)
    journal = Journal(tmp_path / "out.jsonl.journal")
    output = OutputFile(tmp_path / "out.jsonl.part", journal)
    exporter = journaled(JsonLinesItemExporter).from_crawler(crawler, output)
    exporter.start_exporting()
    exporter.export_item(record(1))
    exporter.export_item({**record(2), "views": object()})  # not serialisable
    exporter.export_item(record(3))
    exporter.finish_exporting()
    output.close()
    journal.sync()
    assert [r["id"] for r in read_records(journal.path)] == ["sjfzxm:1", "sjfzxm:3"]
    written = (tmp_path / "out.jsonl.part").read_text("utf-8").splitlines()
    assert [json.loads(line)["id"] for line in written] == ["sjfzxm:1", "sjfzxm:3"]
    assert crawler.stats.get_value("output/export_failed") == 1
    assert store.find_exact(nearduplicates.body_hash(BODY), "sjfzxm:9") is None  # unindexed
    store.close()


def test_a_committed_file_the_state_can_not_record_is_withdrawn(tmp_path: Path) -> None:
    crawler = get_crawler(SjfzxmSpider, {"STATE_DIR": str(tmp_path / "state")})
    state = RunStateExtension(crawler)
    state.spider_opened(SjfzxmSpider.from_crawler(crawler))
    final = tmp_path / "out.jsonl"
    final.write_text(json.dumps(record(1)) + "\n", "utf-8")
    state.store.db.execute("DROP TABLE links")  # any failure while recording
    state.feed_committed(str(final))
    assert crawler.stats.get_value("state/unavailable") == 1
    assert not final.exists() and (tmp_path / "out.jsonl.part").exists()  # recovered next run
    state.store.close()


# --- the store closes after the feeds (SIGTERM while a close timeout fires) -------------------
class Pending:
    """Awaits a Deferred without a reactor: the test drives the coroutine."""

    def __init__(self, deferred: Deferred) -> None:
        self.deferred = deferred

    def __await__(self) -> Iterator[None]:
        while not self.deferred.called:
            yield


def test_the_store_closes_only_after_the_feeds_even_when_the_engine_stops_first(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    crawler = get_crawler(SjfzxmSpider, {"STATE_DIR": str(tmp_path / "state")})
    crawler.get_extension = lambda cls: object()  # a feed exporter is configured
    monkeypatch.setattr(runstate, "maybe_deferred_to_future", Pending)
    state = RunStateExtension(crawler)
    spider = SjfzxmSpider.from_crawler(crawler)
    state.spider_opened(spider)
    state.spider_closed(spider)
    stopped = state.engine_stopped()  # driven by hand: no reactor in this test
    stopped.send(None)  # waits for the feeds
    final = tmp_path / "out.jsonl"
    final.write_text(json.dumps(record(1)) + "\n", "utf-8")
    state.feed_committed(str(final))  # a commit after the engine stopped: the store is open
    assert not crawler.stats.get_value("state/unavailable")
    assert crawler.stats.get_value("state/recorded") == 1
    assert not state.closed
    state.feeds_closed()
    with pytest.raises(StopIteration):
        stopped.send(None)
    assert state.closed
    store = ArticleStore(tmp_path / "state" / "sjfzxm.sqlite3")
    assert store.summary()["recent_runs"][0]["status"] == "closed"
    store.close()


# --- -O out.json / out.csv: the state does not depend on the feed format ----------------------
@pytest.fixture(scope="module")
def small_site() -> Iterator[tuple[SiteModel, LocalSite]]:
    model = SiteModel.generate(30, seed=3)
    with LocalSite(model) as served:
        yield model, served


def stories(records: list[dict], model: SiteModel) -> list[int]:
    duplicates = model.duplicates()
    return [duplicates.get(number(r["id"]), number(r["id"])) for r in records]


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_incremental_state_works_with_json_and_csv_output(small_site, tmp_path: Path,
                                                          fmt: str) -> None:
    model, served = small_site
    first = run_crawl(served.start_url, tmp_path / "state", "-O", str(tmp_path / f"a.{fmt}"),
                      *FAST)
    assert first.returncode == 0, first.stderr[-2000:]
    if fmt == "json":
        written = json.loads((tmp_path / "a.json").read_text("utf-8"))
    else:
        written = list(csv.DictReader((tmp_path / "a.csv").open(encoding="utf-8")))
    assert sorted(stories(written, model)) == sorted(model.emitted_ids())
    second = run_crawl(served.start_url, tmp_path / "state", "-O", str(tmp_path / f"b.{fmt}"),
                       *FAST)
    assert second.returncode == 0, second.stderr[-2000:]
    assert not (tmp_path / f"b.{fmt}").exists()  # nothing new: no file
    reports = [json.loads(p.read_text("utf-8")) for p in sorted(tmp_path.glob("*.stats.json"))]
    assert [r["articles_emitted"] for r in reports] == [len(written), 0]  # one report per run
    assert not list(tmp_path.glob("*.journal"))


# --- SIGKILL: recovered records are in the duplicate index ------------------------------------
@pytest.mark.parametrize(("pattern", "occurrence"), [("Scraped from", 3), ("Scraped from", 12),
                                                     ("Closing spider", 1)])
def test_after_sigkill_no_story_is_written_twice(small_site, tmp_path: Path, pattern: str,
                                                 occurrence: int) -> None:
    model, served = small_site
    data = ("-s", f"DATA_DIR={tmp_path / 'data'}", *FAST)
    command = crawl_command(served.start_url, tmp_path / "state", *data, "-s", "LOG_LEVEL=DEBUG")
    status, log = kill_on_line(command, pattern, occurrence)
    assert status == -signal.SIGKILL, log[-2000:]
    for _ in range(2):
        rerun = run_crawl(served.start_url, tmp_path / "state", *data)
        assert rerun.returncode == 0, rerun.stderr[-2000:]
    union = stories(outputs(tmp_path / "data"), model)
    assert sorted(union) == sorted(model.emitted_ids())  # every story once, none twice


# --- read-only and full filesystems -----------------------------------------------------------
@pytest.fixture
def mount(tmp_path: Path) -> Iterator:
    mounted: list[Path] = []

    def make(name: str, size: str, readonly: bool = False) -> Path:
        where = tmp_path / name
        where.mkdir()
        options = f"size={size}" + (",ro" if readonly else "")
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip() or 'not allowed'})")
        mounted.append(where)
        return where

    yield make
    for where in reversed(mounted):
        subprocess.run(["umount", "-l", str(where)], check=False)


def remount_readonly(where: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)


def emitted_in_state(state: Path) -> int:
    store = ArticleStore(state / "sjfzxm.sqlite3")
    count = store.summary()["articles_emitted"], store.summary()["content_index"]
    store.close()
    assert count[0] == count[1], count  # the index holds exactly the written records
    return count[0]


def assert_valid_lines(data: Path) -> list[dict]:
    records = []
    for path in data.rglob("*.jsonl"):
        for line in path.read_bytes().splitlines():
            records.append(json.loads(line.decode("utf-8")))
    return records


def rerun_elsewhere_emits_every_story(model: SiteModel, served: LocalSite, state: Path,
                                      data: Path) -> None:
    rerun = run_crawl(served.start_url, state, "-s", f"DATA_DIR={data}", *FAST)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert sorted(stories(outputs(data), model)) == sorted(model.emitted_ids())


def test_read_only_data_dir_exits_9_and_counts_nothing(small_site, mount, tmp_path: Path) -> None:
    model, served = small_site
    data = mount("data", "1m", readonly=True)
    result = run_crawl(served.start_url, tmp_path / "state", "-s", f"DATA_DIR={data}", *FAST)
    assert result.returncode == exitcodes.OUTPUT_FAILED, result.stderr[-2000:]
    assert "could not be written" in result.stderr
    assert "Traceback" not in result.stderr
    assert emitted_in_state(tmp_path / "state") == 0
    rerun_elsewhere_emits_every_story(model, served, tmp_path / "state", tmp_path / "data2")


def test_full_data_dir_exits_9_and_counts_nothing(small_site, mount, tmp_path: Path) -> None:
    model, served = small_site
    data = mount("data", "48k")
    result = run_crawl(served.start_url, tmp_path / "state", "-s", f"DATA_DIR={data}", *FAST)
    assert result.returncode == exitcodes.OUTPUT_FAILED, result.stderr[-2000:]
    assert "No space left on device" in result.stderr
    assert assert_valid_lines(data) == []  # nothing published
    assert not list(data.rglob("*.part")) and not list(data.rglob("*.journal"))
    assert emitted_in_state(tmp_path / "state") == 0
    rerun_elsewhere_emits_every_story(model, served, tmp_path / "state", tmp_path / "data2")


@pytest.mark.parametrize("existing", [False, True])
def test_read_only_state_dir_exits_8_with_one_line(small_site, mount, tmp_path: Path,
                                                   existing: bool) -> None:
    _, served = small_site
    state = mount("state", "1m")
    if existing:
        _healthy(state / "sjfzxm.sqlite3")
    remount_readonly(state)
    result = run_crawl(served.start_url, state, "-s", f"DATA_DIR={tmp_path / 'data'}", *FAST)
    assert result.returncode == exitcodes.STATE_UNAVAILABLE, result.stderr[-2000:]
    assert "not started: state" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "data").exists()


def test_full_state_dir_exits_8_and_publishes_nothing_unrecorded(small_site, mount,
                                                                 tmp_path: Path) -> None:
    model, served = small_site
    state = mount("state", "4m")
    ArticleStore(state / "sjfzxm.sqlite3").close()
    filler = state / "filler"
    free = os.statvfs(state)
    # Leave a few pages: the store opens and the run starts, then the disk fills up.
    filler.write_bytes(b"\0" * (free.f_bavail * free.f_frsize - STATE_ROOM))
    data = tmp_path / "data"
    result = run_crawl(served.start_url, state, "-s", f"DATA_DIR={data}", *FAST)
    assert result.returncode == exitcodes.STATE_UNAVAILABLE, result.stderr[-3000:]
    assert f"state store {state / 'sjfzxm.sqlite3'} failed" in result.stderr
    assert assert_valid_lines(data) == []  # published only what the state recorded: nothing
    filler.unlink()
    rerun = run_crawl(served.start_url, state, "-s", f"DATA_DIR={data}", *FAST)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert sorted(stories(outputs(data), model)) == sorted(model.emitted_ids())
