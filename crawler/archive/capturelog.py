"""The capture each article was last read from, so a later backfill fetches only newer ones.

SQLite beside the article store (``<STATE_DIR>/<spider>.archive.sqlite3``). A hint, not a record
of output: an entry whose article never reached a complete output file does not stop a fetch,
because the article store still says "new".
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

SCHEMA = "CREATE TABLE IF NOT EXISTS captures (id TEXT PRIMARY KEY, captured_at TEXT NOT NULL)"


class CaptureLog:
    def __init__(self, path: str | Path) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path), timeout=30, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute(SCHEMA)

    def newest(self, article_id: str) -> str | None:
        row = self.db.execute("SELECT captured_at FROM captures WHERE id = ?",
                              (article_id,)).fetchone()
        return row[0] if row else None

    def remember(self, article_id: str, captured_at: str) -> None:
        self.db.execute(
            "INSERT INTO captures (id, captured_at) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET"
            " captured_at = max(captured_at, excluded.captured_at)", (article_id, captured_at))

    def close(self) -> None:
        self.db.close()
