"""The article store kept between runs: what was emitted, and the content index used for dedup.

SQLite in WAL mode, one file per spider under ``STATE_DIR``. Three tables:
- ``articles``: one row per article durably emitted (in a complete output file): id, canonical
  url, title, listing (title + time as list pages show it), content hash, revision, first seen,
  last emitted. Written only from output files (see crawler.state.runs), never before.
- ``links``: the related and next URLs of each emitted article, followed instead of the article
  when an incremental run skips it.
- ``content`` and ``bands``: body hash and MinHash band keys of every article that passed dedup,
  so a story republished under a new id is recognised in this run and in later ones.
- ``duplicates``: ids dropped as another story's copy, so later runs do not fetch them again.
- ``placeholders``: ids of never-emitted articles whose page was a notice (deleted, missing), so
  later runs do not fetch and warn about them again (an emitted article's notice is not kept here).
- ``runs``: each run's output file and status, so the next run can finish what a killed one left,
  and its outcome (exit status and counts, JSON) for ``python -m crawler.state show``.
- ``validators``: the ``ETag``/``Last-Modified`` a page was last served with, for conditional
  requests (crawler.conditional). Key: an article's record id (with the content hash read from
  that response) or a navigation page's, feed's or sitemap's URL (with its outline: the links it
  routed, replayed when the page answers 304 Not Modified).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

from crawler import nearduplicates

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, url TEXT, title TEXT, published_at TEXT, listing TEXT,
    content_hash TEXT, revision INTEGER NOT NULL DEFAULT 1,
    first_seen TEXT NOT NULL, last_emitted TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_last_emitted ON articles (last_emitted);
CREATE TABLE IF NOT EXISTS links (id TEXT NOT NULL, url TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS links_id ON links (id);
CREATE TABLE IF NOT EXISTS content (id TEXT PRIMARY KEY, body_hash TEXT NOT NULL, signature BLOB);
CREATE INDEX IF NOT EXISTS content_body_hash ON content (body_hash);
CREATE TABLE IF NOT EXISTS bands (band INTEGER NOT NULL, id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS bands_band ON bands (band);
CREATE INDEX IF NOT EXISTS bands_id ON bands (id);
CREATE TABLE IF NOT EXISTS duplicates (id TEXT PRIMARY KEY, duplicate_of TEXT NOT NULL, kind TEXT);
CREATE TABLE IF NOT EXISTS placeholders (id TEXT PRIMARY KEY, seen TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY, started TEXT NOT NULL, pid INTEGER, part_path TEXT,
    final_path TEXT, status TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS validators (
    key TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, content_hash TEXT, outline TEXT
);
"""


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


class ArticleStore:
    """SQLite article store; ``commit_every`` batches writes of the content index."""

    def __init__(self, path: str | Path, commit_every: int = 200) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.path = Path(path)
        self.db = sqlite3.connect(str(path), timeout=30, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        self._add_outcome_column()
        self.commit_every = commit_every
        self._uncommitted = 0
        self.db.execute("BEGIN")

    def _add_outcome_column(self) -> None:
        # State files written before run outcomes were kept lack the column; adding it is harmless.
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(runs)")}
        if "outcome" not in columns:
            self.db.execute("ALTER TABLE runs ADD COLUMN outcome TEXT")

    def close(self) -> None:
        self.commit()
        self.db.close()

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
    def emitted(self, article_id: str) -> EmittedArticle | None:
        row = self.db.execute(
            "SELECT id, url, title, published_at, listing, content_hash, revision, first_seen,"
            " last_emitted FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return EmittedArticle(*row) if row else None

    def record_emitted(self, records: Iterable[dict[str, Any]]) -> int:
        """Mark records (read back from a complete output file) as emitted; returns how many."""
        count = 0
        stamp = now_iso()
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
            count += 1
        self.commit()
        return count

    def _record_links(self, record: dict[str, Any]) -> None:
        urls = [entry.get("url") for entry in record.get("related") or []]
        urls.append((record.get("next") or {}).get("url"))
        self.db.execute("DELETE FROM links WHERE id = ?", (record["id"],))
        self.db.executemany("INSERT INTO links (id, url) VALUES (?, ?)",
                            [(record["id"], url) for url in urls if url])

    def linked_urls(self, article_id: str) -> list[str]:
        rows = self.db.execute("SELECT url FROM links WHERE id = ?", (article_id,)).fetchall()
        return [row[0] for row in rows]

    def forget(self, article_id: str) -> bool:
        found = self.db.execute("DELETE FROM articles WHERE id = ?", (article_id,)).rowcount
        self.db.execute("DELETE FROM content WHERE id = ?", (article_id,))
        self.db.execute("DELETE FROM bands WHERE id = ?", (article_id,))
        self.db.execute("DELETE FROM duplicates WHERE id = ?", (article_id,))
        self.db.execute("DELETE FROM placeholders WHERE id = ?", (article_id,))
        self.db.execute("DELETE FROM links WHERE id = ?", (article_id,))
        self.db.execute("DELETE FROM validators WHERE key = ?", (article_id,))
        self.commit()
        return bool(found)

    def forget_all(self) -> None:
        for table in ("articles", "links", "content", "bands", "duplicates", "placeholders",
                      "validators"):
            self.db.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed table names)
        self.commit()

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
    def find_exact(self, body_hash: str, exclude_id: str) -> str | None:
        row = self.db.execute(
            "SELECT id FROM content WHERE body_hash = ? AND id != ? LIMIT 1",
            (body_hash, exclude_id),
        ).fetchone()
        return row[0] if row else None

    def find_near(
        self, signature: tuple[int, ...], exclude_id: str, threshold: float
    ) -> tuple[str, float] | None:
        keys = nearduplicates.band_keys(signature)
        marks = ",".join("?" * len(keys))
        candidates = self.db.execute(
            f"SELECT DISTINCT c.id, c.signature FROM bands b JOIN content c ON c.id = b.id"  # noqa: S608
            f" WHERE b.band IN ({marks}) AND b.id != ?", (*keys, exclude_id)
        ).fetchall()
        best: tuple[str, float] | None = None
        for other_id, packed in candidates:
            score = nearduplicates.similarity(signature, nearduplicates.unpack(packed))
            if score >= threshold and (best is None or score > best[1]):
                best = (other_id, score)
        return best

    def remember_content(self, article_id: str, body_hash: str, signature: tuple[int, ...]) -> None:
        self.db.execute("DELETE FROM bands WHERE id = ?", (article_id,))
        self.db.execute(
            "INSERT OR REPLACE INTO content (id, body_hash, signature) VALUES (?,?,?)",
            (article_id, body_hash, nearduplicates.pack(signature)),
        )
        self.db.executemany(
            "INSERT INTO bands (band, id) VALUES (?, ?)",
            [(key, article_id) for key in nearduplicates.band_keys(signature)],
        )
        self._wrote()

    def remember_duplicate(self, article_id: str, duplicate_of: str, kind: str) -> None:
        """A story already emitted under another id: later runs need not fetch it again."""
        self.db.execute("INSERT OR REPLACE INTO duplicates (id, duplicate_of, kind) VALUES (?,?,?)",
                        (article_id, duplicate_of, kind))
        self._wrote()

    def duplicate_of(self, article_id: str) -> str | None:
        row = self.db.execute("SELECT duplicate_of FROM duplicates WHERE id = ?",
                              (article_id,)).fetchone()
        return row[0] if row else None

    def remember_placeholder(self, article_id: str) -> None:
        """A never-emitted article whose page is a notice: later runs need not fetch it again."""
        self.db.execute("INSERT OR IGNORE INTO placeholders (id, seen) VALUES (?, ?)",
                        (article_id, now_iso()))
        self._wrote()

    def is_placeholder(self, article_id: str) -> bool:
        row = self.db.execute("SELECT 1 FROM placeholders WHERE id = ?", (article_id,)).fetchone()
        return row is not None

    # --- validators for conditional requests (crawler.conditional) -------------------------------
    def remember_validators(self, key: str, etag: str | None, last_modified: str | None,
                            content_hash: str | None = None, outline: str | None = None) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO validators (key, etag, last_modified, content_hash, outline)"
            " VALUES (?,?,?,?,?)", (key, etag, last_modified, content_hash, outline))
        self._wrote()

    def article_validators(self, record_id: str) -> tuple[str | None, str | None] | None:
        """ETag and Last-Modified of the response the emitted revision was read from, if known.

        Validators of a response whose content was never emitted (a killed run, a dropped item)
        do not match the emitted content hash: a 304 on them would hide an unemitted change.
        """
        row = self.db.execute(
            "SELECT v.etag, v.last_modified FROM validators v JOIN articles a ON a.id = v.key"
            " AND a.content_hash = v.content_hash WHERE v.key = ?", (record_id,)).fetchone()
        return (row[0], row[1]) if row else None

    def page_validators(self, url: str) -> tuple[str | None, str | None] | None:
        row = self.db.execute("SELECT etag, last_modified FROM validators WHERE key = ?"
                              " AND outline IS NOT NULL", (url,)).fetchone()
        return (row[0], row[1]) if row else None

    def page_outline(self, url: str) -> str | None:
        row = self.db.execute("SELECT outline FROM validators WHERE key = ?", (url,)).fetchone()
        return row[0] if row else None

    # --- runs -----------------------------------------------------------------------------------
    def begin_run(self, run_id: str, pid: int) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO runs (run_id, started, pid, status) VALUES (?,?,?,?)",
            (run_id, now_iso(), pid, "running"),
        )
        self.commit()

    def set_run_output(self, run_id: str, part_path: str, final_path: str) -> None:
        self.db.execute("UPDATE runs SET part_path = ?, final_path = ? WHERE run_id = ?",
                        (part_path, final_path, run_id))
        self.commit()

    def end_run(self, run_id: str, status: str) -> None:
        self.db.execute("UPDATE runs SET status = ? WHERE run_id = ?", (status, run_id))
        self.commit()

    def set_run_outcome(self, run_id: str, outcome: dict[str, Any]) -> None:
        """Exit status and counts of a finished run, shown by ``python -m crawler.state show``."""
        self.db.execute("UPDATE runs SET outcome = ? WHERE run_id = ?",
                        (json.dumps(outcome, sort_keys=True), run_id))
        self.commit()

    def unfinished_runs(self) -> Iterator[tuple[str, str | None, str | None]]:
        rows = self.db.execute(
            "SELECT run_id, part_path, final_path FROM runs WHERE status = 'running'"
        ).fetchall()
        yield from rows


def _run_row(row: tuple[Any, ...]) -> dict[str, Any]:
    run = dict(zip(RUN_COLUMNS, row, strict=True))
    outcome = json.loads(run.pop("outcome") or "{}")
    return {**run, "exit_status": outcome.pop("exit_status", None), **outcome}


def listing_key(title: str | None, published_at: str | None) -> str:
    """How a list page or related block shows an article; a change means the article changed."""
    return f"{(title or '').strip().casefold()}|{(published_at or '')[:16]}"
