"""The article store, the run lock, crash recovery and the incremental decision."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from crawler.incremental import fetch_reason
from crawler.state import lock
from crawler.state.runs import complete_records, recover_unfinished
from crawler.state.store import ArticleStore

RECORD = {"id": "sjfzxm:1", "url": "http://www.sjfzxm.com/global/en/1.html", "title": "Aksu Park",
          "published_at": "2021-09-07T15:08:00+08:00", "content_hash": "a" * 32, "revision": 1}


def test_store_records_emitted_articles_and_forgets(tmp_path: Path) -> None:
    store = ArticleStore(tmp_path / "s.sqlite3")
    store.record_emitted([RECORD, {**RECORD, "id": "sjfzxm:2"}])
    assert store.emitted("sjfzxm:1").title == "Aksu Park"
    assert store.summary()["articles_emitted"] == 2
    assert store.forget("sjfzxm:1") and store.emitted("sjfzxm:1") is None
    store.forget_all()
    assert store.summary()["articles_emitted"] == 0
    store.close()


def test_fetch_decision() -> None:
    store_row = ArticleStore.__new__(ArticleStore)  # only the dataclass is needed below
    from crawler.state.store import EmittedArticle
    emitted = EmittedArticle("sjfzxm:1", None, "Aksu Park", "2021-09-07T15:08:00+08:00", None,
                             "h", 1, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z")
    assert fetch_reason(None) == "new"
    assert fetch_reason(emitted, "Aksu Park", "2021-09-07T15:08:00+08:00") is None
    assert fetch_reason(emitted, "AKSU  park") is None
    assert fetch_reason(emitted, "Aksu Pa...") is None  # a cut title that still fits
    assert fetch_reason(emitted, "Aksu Park Corrected") == "listing_changed"
    assert fetch_reason(emitted, None, "2021-09-08T00:00:00+08:00") == "listing_changed"
    later = datetime(2026, 1, 10, tzinfo=timezone.utc)
    assert fetch_reason(emitted, recheck_after_days=7, now=later) == "recheck"
    assert fetch_reason(emitted, recheck_after_days=30, now=later) is None
    assert store_row is not None


def test_torn_last_line_is_not_a_record(tmp_path: Path) -> None:
    part = tmp_path / "run.jsonl.part"
    part.write_bytes(json.dumps(RECORD).encode() + b"\n" + b'{"id": "sjfzxm:2", "ti')
    assert [r["id"] for r in complete_records(part)] == ["sjfzxm:1"]


def test_recovery_turns_a_killed_runs_part_file_into_a_complete_file(tmp_path: Path) -> None:
    store = ArticleStore(tmp_path / "s.sqlite3")
    final = tmp_path / "data" / "20260101T000000.000Z.jsonl"
    part = final.with_name(final.name + ".part")
    part.parent.mkdir()
    part.write_bytes(json.dumps(RECORD).encode() + b"\n" + b'{"id": "sjfzxm:2"')
    store.begin_run("r1", 1)
    store.set_run_output("r1", str(part), str(final))
    assert recover_unfinished(store) == (1, 1)
    assert not part.exists() and final.exists()
    assert [r["id"] for r in complete_records(final)] == ["sjfzxm:1"]
    assert store.emitted("sjfzxm:1") is not None and store.emitted("sjfzxm:2") is None
    assert recover_unfinished(store) == (0, 0)  # done once
    store.close()


def test_recovery_after_a_kill_between_rename_and_state(tmp_path: Path) -> None:
    store = ArticleStore(tmp_path / "s.sqlite3")
    final = tmp_path / "done.jsonl"
    final.write_bytes(json.dumps(RECORD).encode() + b"\n")
    store.begin_run("r1", 1)
    store.set_run_output("r1", str(final) + ".part", str(final))
    assert recover_unfinished(store) == (1, 1)
    assert store.emitted("sjfzxm:1") is not None
    store.close()


def test_second_holder_of_the_lock_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sjfzxm.lock"
    lock.acquire(path)
    try:
        code = ("import sys; from crawler.state import lock\n"
                f"try:\n    lock.acquire({str(path)!r})\nexcept lock.LockHeld as e:\n"
                "    print(e); sys.exit(3)\n")
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert result.returncode == 3, result.stderr
        assert "another run holds" in result.stdout
    finally:
        lock.release(path)
    lock.acquire(path)  # free again
    lock.release(path)


def test_recheck_uses_last_emission_time() -> None:
    from crawler.state.store import EmittedArticle
    old = (datetime.now(timezone.utc) - timedelta(days=3)).isoformat()
    emitted = EmittedArticle("x:1", None, "T", None, None, "h", 1, old, old)
    assert fetch_reason(emitted, recheck_after_days=2) == "recheck"


@pytest.mark.parametrize("stats,code", [
    ({"finish_reason": "finished", "downloader/request_count": 5,
      "downloader/response_status_count/200": 5, "pages/article": 3}, 0),
    ({"finish_reason": "finished", "downloader/request_count": 5,
      "downloader/response_status_count/200": 5, "pages/navigation": 2,
      "incremental/skipped": 4}, 0),
    ({"finish_reason": "shutdown", "downloader/request_count": 5,
      "downloader/response_status_count/200": 5, "pages/article": 3}, 3),
    ({"finish_reason": "finished", "downloader/request_count": 40, "log_count/ERROR": 12,
      "downloader/response_status_count/200": 28, "pages/article": 20}, 4),
    ({"finish_reason": "finished", "downloader/request_count": 50, "validate/dropped/schema": 30,
      "downloader/response_status_count/200": 50, "pages/article": 40}, 5),
    ({"finish_reason": "finished", "downloader/request_count": 5, "validate/dropped/schema": 3,
      "downloader/response_status_count/200": 5, "pages/article": 4}, 0),  # too few to judge
    ({"finish_reason": "finished", "downloader/request_count": 5,
      "downloader/response_status_count/200": 5, "pages/navigation": 5}, 6),
    ({"finish_reason": "finished", "downloader/request_count": 5}, 7),
])
def test_exit_status_from_stats(stats, code) -> None:
    from scrapy.settings import Settings

    from crawler.exitcodes import exit_status
    settings = Settings({"EXIT_MAX_ERROR_RATIO": 0.25, "EXIT_MAX_DROP_RATIO": 0.5,
                         "EXIT_RATIO_MIN_PAGES": 10})
    assert exit_status(stats, settings) == code


def _store_with_history(path: Path) -> ArticleStore:
    store = ArticleStore(path)
    related = [{"url": "http://www.sjfzxm.com/global/en/7.html"}]
    store.record_emitted([{**RECORD, "related": related, "next": {"url": "http://n/8.html"}},
                          {**RECORD, "id": "sjfzxm:2"}])
    store.remember_duplicate("sjfzxm:3", "sjfzxm:1", "near")
    store.remember_placeholder("sjfzxm:6")
    return store


def test_prefetch_answers_routing_lookups_without_queries(tmp_path: Path) -> None:
    store = _store_with_history(tmp_path / "s.sqlite3")
    ids = ["sjfzxm:1", "sjfzxm:2", "sjfzxm:3", "sjfzxm:4", "sjfzxm:6"]

    def answers() -> list[tuple]:
        return [(store.emitted(i), store.duplicate_of(i), store.is_placeholder(i),
                 store.linked_urls(i)) for i in ids]

    direct = answers()
    store.prefetch(ids)
    queries: list[str] = []
    store.db.set_trace_callback(queries.append)
    cached = answers()
    store.db.set_trace_callback(None)
    assert cached == direct and queries == []
    assert direct[0][3] == ["http://www.sjfzxm.com/global/en/7.html", "http://n/8.html"]
    assert [d[2] for d in direct] == [False, False, False, False, True]
    # Writes make the prefetched answers stale: they are dropped.
    store.record_emitted([{**RECORD, "id": "sjfzxm:4", "title": "New"}])
    assert store.emitted("sjfzxm:4").title == "New"
    store.prefetch(["sjfzxm:5"])
    store.remember_duplicate("sjfzxm:5", "sjfzxm:1", "exact")
    assert store.duplicate_of("sjfzxm:5") == "sjfzxm:1"
    store.close()


def test_band_keys_of_an_older_state_file_are_migrated(tmp_path: Path) -> None:
    from crawler import nearduplicates

    path = tmp_path / "old.sqlite3"
    signature = nearduplicates.signature("cotton prices rose again in the spring " * 20)
    ArticleStore(path).close()
    old = sqlite3.connect(path)  # the layout before band_keys (and before schema versions)
    old.executescript("DROP TABLE band_keys; ALTER TABLE content DROP COLUMN run_id;"
                      " PRAGMA user_version = 0;"
                      " CREATE TABLE bands (band INTEGER NOT NULL, id TEXT NOT NULL);")
    old.execute("INSERT INTO content VALUES (?,?,?)",
                ("sjfzxm:1", "h", nearduplicates.pack(signature)))
    old.executemany("INSERT INTO bands VALUES (?, ?)",
                    [(key, "sjfzxm:1") for key in nearduplicates.band_keys(signature)])
    old.commit()
    old.close()
    store = ArticleStore(path)
    assert store.find_near(signature, "sjfzxm:9", 0.7) == ("sjfzxm:1", 1.0)
    tables = {row[0] for row in store.db.execute("SELECT name FROM sqlite_master")}
    assert "bands" not in tables
    store.close()


def test_new_content_replaces_the_old_band_keys(tmp_path: Path) -> None:
    from crawler import nearduplicates

    store = ArticleStore(tmp_path / "s.sqlite3")
    first = nearduplicates.signature("cotton prices rose again in the spring " * 20)
    second = nearduplicates.signature("a wholly different story about dyeing wool " * 20)
    store.remember_content("sjfzxm:1", "h1", first)
    store.remember_content("sjfzxm:1", "h2", second)
    assert store.find_near(first, "sjfzxm:9", 0.7) is None
    assert store.find_near(second, "sjfzxm:9", 0.7) == ("sjfzxm:1", 1.0)
    count = store.db.execute("SELECT COUNT(*) FROM band_keys").fetchone()[0]
    assert count == len(set(nearduplicates.band_keys(second)))
    store.close()
