"""The article store kept between runs: what was emitted, and the content index used for dedup.

SQLite in WAL mode, one file per spider under ``STATE_DIR``. Three tables:
- ``articles``: one row per article durably emitted (in a complete output file): id, canonical
  url, title, listing (title + time as list pages show it), content hash, revision, first seen,
  last emitted. Written only from output files (see crawler.state.runs), never before.
- ``links``: the related and next URLs of each emitted article, followed instead of the article
  when an incremental run skips it.
- ``content`` and ``band_keys``: body hash and MinHash band keys of every article that passed
  dedup, so a story republished under a new id is recognised in this run and in later ones.
  ``band_keys`` is one B-tree keyed (band, id): a lookup is one probe per band, an insert one
  write per band (the older ``bands`` table, a rowid table with two indexes, is migrated). A
  content row is pending (``run_id`` set) until its record is in a complete output file; the
  pending rows of a run that ended are deleted, so the index only ever holds written records.
- ``duplicates``: ids dropped as another story's copy, so later runs do not fetch them again.
- ``placeholders``: ids of never-emitted articles whose page was a notice (deleted, missing), so
  later runs do not fetch and warn about them again (an emitted article's notice is not kept here).
- ``runs``: each run's output file and status, so the next run can finish what a killed one left,
  and its outcome (exit status and counts, JSON) for ``python -m crawler.state show``.
- ``validators``: the ``ETag``/``Last-Modified`` a page was last served with, for conditional
  requests (crawler.conditional). Key: an article's record id (with the content hash read from
  that response) or a navigation page's, feed's or sitemap's URL (with its outline: the links it
  routed, replayed when the page answers 304 Not Modified).
- ``facts``: what a run learned about the site for later runs (its time zone: crawler.timezone).

The file is checked before use (crawler.state.schema): a store of another schema version, damaged
or unreadable, is refused with ``StateUnavailable`` (exit status 8) and left untouched. A write
that fails later (a full disk) fails the store: one ERROR line, ``on_failure`` is told (the run
stops with exit status 8), and every later call raises ``StateUnavailable``.
"""

from __future__ import annotations

import functools
import json
import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol, TypeVar

from crawler import nearduplicates
from crawler.state.schema import StateUnavailable, open_store

logger = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, url TEXT, title TEXT, published_at TEXT, listing TEXT,
    content_hash TEXT, revision INTEGER NOT NULL DEFAULT 1,
    first_seen TEXT NOT NULL, last_emitted TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_last_emitted ON articles (last_emitted);
CREATE TABLE IF NOT EXISTS links (id TEXT NOT NULL, url TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS links_id ON links (id);
CREATE TABLE IF NOT EXISTS content (
    id TEXT PRIMARY KEY, body_hash TEXT NOT NULL, signature BLOB, run_id TEXT
);
CREATE INDEX IF NOT EXISTS content_body_hash ON content (body_hash);
CREATE TABLE IF NOT EXISTS band_keys (
    band INTEGER NOT NULL, id TEXT NOT NULL, PRIMARY KEY (band, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS duplicates (id TEXT PRIMARY KEY, duplicate_of TEXT NOT NULL, kind TEXT);
CREATE TABLE IF NOT EXISTS placeholders (id TEXT PRIMARY KEY, seen TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY, started TEXT NOT NULL, pid INTEGER, part_path TEXT,
    final_path TEXT, status TEXT NOT NULL, outcome TEXT
);
CREATE TABLE IF NOT EXISTS validators (
    key TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, content_hash TEXT, outline TEXT
);
CREATE TABLE IF NOT EXISTS facts (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


PAGE_CACHE_KIB = 32 * 1024
CLOSED = "state store closed"
# Ids read per query by prefetch() (SQLite's bound on query variables is far above), and the most
# ids whose answers it keeps: a list page's worth many times over, a bounded memory.
PREFETCH_CHUNK = 500
PREFETCH_KEEP = 5000
NEWEST_COLUMNS = ("id", "title", "published_at", "revision", "last_emitted")
RUN_COLUMNS = ("run_id", "started", "status", "output", "outcome")


@dataclass(frozen=True)
class EmittedArticle:
    id: str
    url: str | None
    title: str | None
    published_at: str | None
    listing: str | None
    content_hash: str | None
    revision: int
    first_seen: str
    last_emitted: str


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


class ContentIndex(Protocol):
    """What the pipelines use of an article store (``ArticleStore`` or ``RedisArticleStore``)."""

    def emitted(self, article_id: str) -> EmittedArticle | None: ...

    def find_exact(self, body_hash: str, exclude_id: str) -> str | None: ...

    def find_near(
        self, signature: tuple[int, ...], exclude_id: str, threshold: float
    ) -> tuple[str, float] | None: ...

    def remember_content(
        self, article_id: str, body_hash: str, signature: tuple[int, ...]
    ) -> None: ...

    def remember_duplicate(self, article_id: str, duplicate_of: str, kind: str) -> None: ...

    def remember_placeholder(self, article_id: str) -> None: ...


class RunLog(Protocol):
    """What crash recovery uses of an article store (``ArticleStore`` or ``RedisArticleStore``)."""

    def unfinished_runs(self) -> Iterator[tuple[str, str | None, str | None]]: ...

    def record_emitted(self, records: Iterable[dict[str, Any]]) -> int: ...

    def end_run(self, run_id: str, status: str) -> None: ...


_Method = TypeVar("_Method", bound=Callable[..., Any])


def guarded(method: _Method) -> _Method:
    """A failed store raises StateUnavailable; an SQLite error fails the store."""

    @functools.wraps(method)
    def wrapper(self: ArticleStore, *args: Any, **kwargs: Any) -> Any:
        if self.failure is not None:
            raise StateUnavailable(self.failure)
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as error:
            raise self.fail(error) from None

    return wrapper  # type: ignore[return-value]  # (same signature, wrapped)


class ArticleStore:
    """SQLite article store; ``commit_every`` batches writes of the content index.

    ``on_failure(message)`` is called once when a read or write fails (full disk, I/O error).
    """

    def __init__(self, path: str | Path, commit_every: int = 200,
                 on_failure: Callable[[str], None] | None = None) -> None:
        self.path = Path(path)
        self.failure: str | None = None
        self.on_failure = on_failure
        self.run_id: str | None = None  # the run whose content rows are pending
        self.db = open_store(self.path, SCHEMA)
        # The band keys are random: each content-index write lands on its own B-tree page. A
        # page cache larger than SQLite's 2 MB default keeps a 50,000-article index's pages in
        # memory between commits (negative: KiB).
        self.db.execute(f"PRAGMA cache_size=-{PAGE_CACHE_KIB}")
        try:
            self._migrate_bands()
        except sqlite3.Error as error:
            self.db.close()
            raise StateUnavailable(f"state store {path} can not be migrated: {error}") from None
        self.commit_every = commit_every
        self._uncommitted = 0
        self._known = _Prefetched()
        self.db.execute("BEGIN")

    def _migrate_bands(self) -> None:
        """Move a state file's band keys from the old ``bands`` table (same rows, new layout)."""
        if self.db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'bands'"
                           ).fetchone():
            self.db.executescript("BEGIN; INSERT OR IGNORE INTO band_keys SELECT band, id FROM"
                                  " bands; DROP TABLE bands; COMMIT;")

    def fail(self, error: Exception) -> StateUnavailable:
        """Fail the store: roll back, say why once, refuse every later call."""
        if self.failure is None:
            self.failure = f"state store {self.path} failed: {error}"
            logger.error("%s. The run stops (exit status 8); the store keeps its last "
                         "committed state.", self.failure)
            if self.db.in_transaction:
                self.db.rollback()
            if self.on_failure is not None:
                self.on_failure(self.failure)
        return StateUnavailable(self.failure)

    def close(self) -> None:
        """Commit and close (a failed store is closed without committing); idempotent."""
        if self.failure == CLOSED:
            return
        try:
            if self.failure is None:
                self.commit()
        finally:
            self.db.close()
            self.failure = CLOSED

    @guarded
    def commit(self) -> None:
        if self.db.in_transaction:
            self.db.execute("COMMIT")
        self.db.execute("BEGIN")
        self._uncommitted = 0

    def _wrote(self) -> None:
        self._uncommitted += 1
        if self._uncommitted >= self.commit_every:
            self.commit()

    # --- emitted articles -----------------------------------------------------------------------
    @guarded
    def prefetch(self, article_ids: Iterable[str]) -> None:
        """Read what the routing asks of these ids (emitted row, duplicate, placeholder, links).

        ``emitted``, ``duplicate_of``, ``is_placeholder`` and ``linked_urls`` then answer them
        from memory (four queries per PREFETCH_CHUNK ids instead of up to four per id), until a
        write to those tables or PREFETCH_KEEP more ids.
        """
        ids = [i for i in dict.fromkeys(article_ids) if i not in self._known.emitted]
        if len(self._known.emitted) + len(ids) > PREFETCH_KEEP:
            self._known = _Prefetched()
        for start in range(0, len(ids), PREFETCH_CHUNK):
            self._known.load(self.db, ids[start:start + PREFETCH_CHUNK])

    @guarded
    def emitted(self, article_id: str) -> EmittedArticle | None:
        if article_id in self._known.emitted:
            return self._known.emitted[article_id]
        row = self.db.execute(
            "SELECT id, url, title, published_at, listing, content_hash, revision, first_seen,"
            " last_emitted FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return EmittedArticle(*row) if row else None

    @guarded
    def record_emitted(self, records: Iterable[dict[str, Any]]) -> int:
        """Mark records (read back from a complete output file) as emitted; returns how many."""
        count = 0
        stamp = now_iso()
        self._known = _Prefetched()
        for record in records:
            self.db.execute(
                "INSERT INTO articles (id, url, title, published_at, listing, content_hash,"
                " revision, first_seen, last_emitted) VALUES (?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT(id) DO UPDATE SET url=excluded.url, title=excluded.title,"
                " published_at=excluded.published_at, listing=excluded.listing,"
                " content_hash=excluded.content_hash, revision=excluded.revision,"
                " last_emitted=excluded.last_emitted",
                (record["id"], record.get("url"), record.get("title"), record.get("published_at"),
                 listing_key(record.get("title"), record.get("published_at")),
                 record.get("content_hash"), record.get("revision") or 1, stamp, stamp),
            )
            self._record_links(record)
            self._index_written(record)
            count += 1
        self.commit()
        return count

    def _index_written(self, record: dict[str, Any]) -> None:
        """The record is in a complete file: its content row is no longer pending. A record
        recovered from a killed run may have none (its row was not committed): index it now."""
        confirmed = self.db.execute("UPDATE content SET run_id = NULL WHERE id = ?",
                                    (record["id"],)).rowcount
        body = record.get("body")
        if not confirmed and isinstance(body, str) and body:
            self._insert_content(record["id"], nearduplicates.body_hash(body),
                                 nearduplicates.signature(body), None)

    def _record_links(self, record: dict[str, Any]) -> None:
        urls = [entry.get("url") for entry in record.get("related") or []]
        urls.append((record.get("next") or {}).get("url"))
        self.db.execute("DELETE FROM links WHERE id = ?", (record["id"],))
        self.db.executemany("INSERT INTO links (id, url) VALUES (?, ?)",
                            [(record["id"], url) for url in urls if url])

    @guarded
    def linked_urls(self, article_id: str) -> list[str]:
        if article_id in self._known.emitted:
            return list(self._known.links.get(article_id, ()))
        rows = self.db.execute("SELECT url FROM links WHERE id = ?", (article_id,)).fetchall()
        return [row[0] for row in rows]

    @guarded
    def forget(self, article_id: str) -> bool:
        self._known = _Prefetched()
        found = self.db.execute("DELETE FROM articles WHERE id = ?", (article_id,)).rowcount
        self._forget_bands(article_id)  # found from the content row: before deleting it
        self.db.execute("DELETE FROM content WHERE id = ?", (article_id,))
        self.db.execute("DELETE FROM duplicates WHERE id = ?", (article_id,))
        self.db.execute("DELETE FROM placeholders WHERE id = ?", (article_id,))
        self.db.execute("DELETE FROM links WHERE id = ?", (article_id,))
        self.db.execute("DELETE FROM validators WHERE key = ?", (article_id,))
        self.commit()
        return bool(found)

    @guarded
    def forget_all(self) -> None:
        self._known = _Prefetched()
        for table in ("articles", "links", "content", "band_keys", "duplicates", "placeholders",
                      "validators"):
            self.db.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed table names)
        self.commit()

    @guarded
    def summary(self, newest: int = 10) -> dict[str, Any]:
        count = self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        indexed = self.db.execute("SELECT COUNT(*) FROM content").fetchone()[0]
        rows = self.db.execute(
            "SELECT id, title, published_at, revision, last_emitted FROM articles"
            " ORDER BY last_emitted DESC, published_at DESC LIMIT ?", (newest,)
        ).fetchall()
        runs = self.db.execute(
            "SELECT run_id, started, status, final_path, outcome FROM runs"
            " ORDER BY started DESC LIMIT 5"
        ).fetchall()
        return {
            "articles_emitted": count,
            "content_index": indexed,
            "newest": [dict(zip(NEWEST_COLUMNS, r, strict=True))
                       for r in rows],
            "known_placeholders": self._count("placeholders"),
            "recent_runs": [_run_row(r) for r in runs],
        }

    def _count(self, table: str) -> int:
        return int(self.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])  # noqa: S608

    # --- content index for dedup ----------------------------------------------------------------
    @guarded
    def find_exact(self, body_hash: str, exclude_id: str) -> str | None:
        row = self.db.execute(
            "SELECT id FROM content WHERE body_hash = ? AND id != ? LIMIT 1",
            (body_hash, exclude_id),
        ).fetchone()
        return row[0] if row else None

    @guarded
    def find_near(
        self, signature: tuple[int, ...], exclude_id: str, threshold: float
    ) -> tuple[str, float] | None:
        keys = nearduplicates.band_keys(signature)
        marks = ",".join("?" * len(keys))
        candidates = self.db.execute(
            f"SELECT DISTINCT c.id, c.signature FROM band_keys b JOIN content c ON c.id = b.id"  # noqa: S608
            f" WHERE b.band IN ({marks}) AND b.id != ?", (*keys, exclude_id)
        ).fetchall()
        best: tuple[str, float] | None = None
        for other_id, packed in candidates:
            score = nearduplicates.similarity(signature, nearduplicates.unpack(packed))
            if score >= threshold and (best is None or score > best[1]):
                best = (other_id, score)
        return best

    @guarded
    def remember_content(self, article_id: str, body_hash: str, signature: tuple[int, ...]) -> None:
        """Index a record that passed dedup: pending until it is written (``record_emitted``)."""
        self._insert_content(article_id, body_hash, signature, self.run_id)
        self._wrote()

    def _insert_content(self, article_id: str, body_hash: str, signature: tuple[int, ...],
                        run_id: str | None) -> None:
        self._forget_bands(article_id)
        self.db.execute(
            "INSERT OR REPLACE INTO content (id, body_hash, signature, run_id) VALUES (?,?,?,?)",
            (article_id, body_hash, nearduplicates.pack(signature), run_id),
        )
        self.db.executemany(
            "INSERT OR IGNORE INTO band_keys (band, id) VALUES (?, ?)",
            [(key, article_id) for key in nearduplicates.band_keys(signature)],
        )

    @guarded
    def unindex_pending(self, article_id: str) -> None:
        """The record was not written after all (the exporter failed on it): a later copy of
        its story in this run is not a duplicate."""
        pending = self.db.execute("SELECT 1 FROM content WHERE id = ? AND run_id IS NOT NULL",
                                  (article_id,)).fetchone()
        if pending:
            self._unindex(article_id)

    def _unindex(self, article_id: str) -> None:
        self._forget_bands(article_id)  # found from the content row: before deleting it
        self.db.execute("DELETE FROM content WHERE id = ?", (article_id,))
        self.db.execute("DELETE FROM duplicates WHERE duplicate_of = ?", (article_id,))

    def _discard_pending(self, run_id: str) -> int:
        """Unindex what ``run_id`` indexed but never wrote, and forget duplicates of it."""
        ids = [row[0] for row in self.db.execute("SELECT id FROM content WHERE run_id = ?",
                                                  (run_id,))]
        for article_id in ids:
            self._unindex(article_id)
        if ids:
            self._known = _Prefetched()  # duplicates changed
        return len(ids)

    def _forget_bands(self, article_id: str) -> None:
        """Band keys of an indexed article, found from its signature (no index by id needed)."""
        row = self.db.execute("SELECT signature FROM content WHERE id = ?", (article_id,)
                              ).fetchone()
        if row and row[0]:
            keys = nearduplicates.band_keys(nearduplicates.unpack(row[0]))
            self.db.executemany("DELETE FROM band_keys WHERE band = ? AND id = ?",
                                [(key, article_id) for key in keys])

    @guarded
    def remember_duplicate(self, article_id: str, duplicate_of: str, kind: str) -> None:
        """A story already emitted under another id: later runs need not fetch it again."""
        self._known.duplicates.pop(article_id, None)
        self._known.emitted.pop(article_id, None)
        self.db.execute("INSERT OR REPLACE INTO duplicates (id, duplicate_of, kind) VALUES (?,?,?)",
                        (article_id, duplicate_of, kind))
        self._wrote()

    @guarded
    def duplicate_of(self, article_id: str) -> str | None:
        if article_id in self._known.emitted:
            return self._known.duplicates.get(article_id)
        row = self.db.execute("SELECT duplicate_of FROM duplicates WHERE id = ?",
                              (article_id,)).fetchone()
        return row[0] if row else None

    @guarded
    def remember_placeholder(self, article_id: str) -> None:
        """A never-emitted article whose page is a notice: later runs need not fetch it again."""
        self._known.emitted.pop(article_id, None)
        self.db.execute("INSERT OR IGNORE INTO placeholders (id, seen) VALUES (?, ?)",
                        (article_id, now_iso()))
        self._wrote()

    @guarded
    def is_placeholder(self, article_id: str) -> bool:
        if article_id in self._known.emitted:
            return article_id in self._known.placeholders
        row = self.db.execute("SELECT 1 FROM placeholders WHERE id = ?", (article_id,)).fetchone()
        return row is not None

    # --- validators for conditional requests (crawler.conditional) -------------------------------
    @guarded
    def remember_validators(self, key: str, etag: str | None, last_modified: str | None,
                            content_hash: str | None = None, outline: str | None = None) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO validators (key, etag, last_modified, content_hash, outline)"
            " VALUES (?,?,?,?,?)", (key, etag, last_modified, content_hash, outline))
        self._wrote()

    @guarded
    def article_validators(self, record_id: str) -> tuple[str | None, str | None] | None:
        """ETag and Last-Modified of the response the emitted revision was read from, if known.

        Validators of a response whose content was never emitted (a killed run, a dropped item)
        do not match the emitted content hash: a 304 on them would hide an unemitted change.
        """
        row = self.db.execute(
            "SELECT v.etag, v.last_modified FROM validators v JOIN articles a ON a.id = v.key"
            " AND a.content_hash = v.content_hash WHERE v.key = ?", (record_id,)).fetchone()
        return (row[0], row[1]) if row else None

    @guarded
    def page_validators(self, url: str) -> tuple[str | None, str | None] | None:
        row = self.db.execute("SELECT etag, last_modified FROM validators WHERE key = ?"
                              " AND outline IS NOT NULL", (url,)).fetchone()
        return (row[0], row[1]) if row else None

    @guarded
    def page_outline(self, url: str) -> str | None:
        row = self.db.execute("SELECT outline FROM validators WHERE key = ?", (url,)).fetchone()
        return row[0] if row else None

    # --- runs -----------------------------------------------------------------------------------
    @guarded
    def begin_run(self, run_id: str, pid: int) -> None:
        self.run_id = run_id
        self.db.execute(
            "INSERT OR REPLACE INTO runs (run_id, started, pid, status) VALUES (?,?,?,?)",
            (run_id, now_iso(), pid, "running"),
        )
        self.commit()

    @guarded
    def set_run_output(self, run_id: str, part_path: str, final_path: str) -> None:
        self.db.execute("UPDATE runs SET part_path = ?, final_path = ? WHERE run_id = ?",
                        (part_path, final_path, run_id))
        self.commit()

    @guarded
    def end_run(self, run_id: str, status: str) -> None:
        """The run's files are written and recorded: what it indexed but did not write goes."""
        discarded = self._discard_pending(run_id)
        if discarded:
            logger.info("Run %s: %d records indexed for dedup but not written were unindexed",
                        run_id, discarded)
        self.db.execute("UPDATE runs SET status = ? WHERE run_id = ?", (status, run_id))
        self.commit()

    @guarded
    def set_run_outcome(self, run_id: str, outcome: dict[str, Any]) -> None:
        """Exit status and counts of a finished run, shown by ``python -m crawler.state show``."""
        self.db.execute("UPDATE runs SET outcome = ? WHERE run_id = ?",
                        (json.dumps(outcome, sort_keys=True), run_id))
        self.commit()

    @guarded
    def unfinished_runs(self) -> Iterator[tuple[str, str | None, str | None]]:
        rows = self.db.execute(
            "SELECT run_id, part_path, final_path FROM runs WHERE status = 'running'"
        ).fetchall()
        return iter(rows)

    # --- what a run learned about the site, for later runs (crawler.timezone) ------------------
    def fact(self, name: str) -> str | None:
        row = self.db.execute("SELECT value FROM facts WHERE name = ?", (name,)).fetchone()
        return str(row[0]) if row else None

    def remember_fact(self, name: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO facts (name, value) VALUES (?, ?)", (name, value))
        self.commit()


def _run_row(row: tuple[Any, ...]) -> dict[str, Any]:
    run = dict(zip(RUN_COLUMNS, row, strict=True))
    outcome = json.loads(run.pop("outcome") or "{}")
    return {**run, "exit_status": outcome.pop("exit_status", None), **outcome}

class _Prefetched:
    """What prefetch() read: every id asked has an ``emitted`` entry (None: never emitted)."""

    def __init__(self) -> None:
        self.emitted: dict[str, EmittedArticle | None] = {}
        self.duplicates: dict[str, str] = {}
        self.links: dict[str, list[str]] = {}
        self.placeholders: set[str] = set()

    def load(self, db: sqlite3.Connection, ids: list[str]) -> None:
        marks = ",".join("?" * len(ids))
        self.emitted.update(dict.fromkeys(ids))
        for row in db.execute(
                "SELECT id, url, title, published_at, listing, content_hash, revision, first_seen,"
                f" last_emitted FROM articles WHERE id IN ({marks})", ids):  # noqa: S608
            self.emitted[row[0]] = EmittedArticle(*row)
        self.duplicates.update(db.execute(
            f"SELECT id, duplicate_of FROM duplicates WHERE id IN ({marks})", ids))  # noqa: S608
        self.placeholders.update(row[0] for row in db.execute(
            f"SELECT id FROM placeholders WHERE id IN ({marks})", ids))  # noqa: S608
        for article_id, url in db.execute(
                f"SELECT id, url FROM links WHERE id IN ({marks}) ORDER BY rowid", ids):  # noqa: S608
            self.links.setdefault(article_id, []).append(url)


def listing_key(title: str | None, published_at: str | None) -> str:
    """How a list page or related block shows an article; a change means the article changed."""
    return f"{(title or '').strip().casefold()}|{(published_at or '')[:16]}"
