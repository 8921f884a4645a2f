"""Opening the SQLite state store safely: a file this version can use, or one clear reason why not.

Before anything is written, the file is checked through a read-only connection: not empty, a
SQLite database, pages intact (``PRAGMA quick_check``), a schema version (``PRAGMA user_version``)
this code knows, and every table with the columns this code reads and writes (a renamed column, or
an extra NOT NULL column without a default that inserts would not fill, is refused). A store that
fails a check is left untouched and ``StateUnavailable`` says why (exit status 8). Only then is it
opened for writing and brought to the current version (``MIGRATIONS``).
"""

from __future__ import annotations

import sqlite3
from functools import lru_cache
from pathlib import Path

from scrapy.exceptions import CloseSpider

# PRAGMA user_version of the store this code writes. 0: written before the version was kept.
SCHEMA_VERSION = 1
# Columns added at each version: (version, table, column, declaration), applied in order.
MIGRATIONS: tuple[tuple[int, str, str, str], ...] = (
    (1, "content", "run_id", "TEXT"),
    (1, "runs", "outcome", "TEXT"),
)
# Tables added at each version (created by the schema's CREATE TABLE IF NOT EXISTS).
TABLES_ADDED: tuple[tuple[int, str], ...] = (
    (1, "placeholders"), (1, "band_keys"), (1, "validators"),
)
# The spider's close reason when the state fails during a run.
STATE_FAILED_REASON = "state_unavailable"
# How long a writer waits for another connection's lock (the run lock keeps runs apart).
BUSY_TIMEOUT_S = 30


class StateUnavailable(CloseSpider):
    """The state store can not be used; the message says why, in one line. A CloseSpider, so a
    callback that meets it closes the spider quietly (the store said why once)."""

    def __init__(self, message: str) -> None:
        super().__init__(reason=STATE_FAILED_REASON)
        self.message = message

    def __str__(self) -> str:
        return self.message


@lru_cache(maxsize=4)
def expected_columns(schema: str) -> dict[str, frozenset[str]]:
    """Columns of each table of ``schema`` (the SQL that creates the current store)."""
    db = sqlite3.connect(":memory:")
    db.executescript(schema)
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    columns = {t: frozenset(r[1] for r in db.execute(f"PRAGMA table_info({t})")) for t in tables}
    db.close()
    return columns


def columns_at(schema: str, version: int) -> dict[str, frozenset[str]]:
    """The columns a store of ``version`` has: the current ones less those added later."""
    columns = dict(expected_columns(schema))
    for added_in, table, column, _ in MIGRATIONS:
        if added_in > version:
            columns[table] = columns[table] - {column}
    return columns


def check(path: Path, schema: str) -> None:
    """Raise StateUnavailable unless ``path`` is absent or a store this code can use."""
    if not path.exists():
        return
    if path.stat().st_size == 0:
        raise StateUnavailable(f"state store {path} is an empty (0-byte) file, not a store; move "
                               "it away to start from scratch (the next run is then a first run)")
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise StateUnavailable(f"state store {path} can not be opened: {error}") from None
    try:
        _check_open(db, path, schema)
    except sqlite3.Error as error:
        raise StateUnavailable(f"state store {path} is unreadable ({error}): damaged or not "
                               "a state store; restore a backup or move it away") from None
    finally:
        db.close()


def _check_open(db: sqlite3.Connection, path: Path, schema: str) -> None:
    verdict = " ".join(str(db.execute("PRAGMA quick_check(1)").fetchone()[0]).split())
    if verdict != "ok":
        raise StateUnavailable(f"state store {path} is damaged ({verdict}); restore a backup or "
                               "move it away")
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StateUnavailable(f"state store {path} has schema version {version}, newer than this "
                               f"crawler's {SCHEMA_VERSION}: run the newer crawler version")
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables:
        return  # an empty database: created as new
    later = {table for added_in, table in TABLES_ADDED if added_in > version}
    for table, wanted in columns_at(schema, version).items():
        if table not in later or table in tables:
            _check_table(db, path, table, wanted, tables)


def _check_table(db: sqlite3.Connection, path: Path, table: str, wanted: frozenset[str],
                 tables: set[str]) -> None:
    if table not in tables:
        raise StateUnavailable(f"state store {path} has no table {table}: another schema")
    info = db.execute(f"PRAGMA table_info({table})").fetchall()
    have = {row[1] for row in info}
    if wanted - have:
        raise StateUnavailable(f"state store {path}: table {table} lacks column(s) "
                               f"{', '.join(sorted(wanted - have))}: another schema")
    # An extra column that inserts of this version leave empty must accept that.
    required = {row[1] for row in info if row[3] and row[4] is None and not row[5]}
    if required - wanted:
        raise StateUnavailable(f"state store {path}: table {table} has required column(s) "
                               f"{', '.join(sorted(required - wanted))} this version does not "
                               "fill: another schema")


def open_store(path: Path, schema: str) -> sqlite3.Connection:
    """A connection to a checked store at ``path``, at the current schema version."""
    check(path, schema)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
        version = db.execute("PRAGMA user_version").fetchone()[0]
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        # A store gains its new tables, then its new columns and version in one transaction;
        # a crash between the two leaves an old version that the next open completes.
        db.executescript(f"BEGIN IMMEDIATE;\n{schema}\nCOMMIT;")
        # After the schema (a new store has every column already; an old one gains them).
        db.executescript(f"BEGIN IMMEDIATE;\n{_migrations_from(version, db)}"
                         f"PRAGMA user_version = {SCHEMA_VERSION:d};\nCOMMIT;")
    except (sqlite3.Error, OSError) as error:
        raise StateUnavailable(f"state store {path} can not be written: {error}") from None
    return db


def _migrations_from(version: int, db: sqlite3.Connection) -> str:
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return "".join(f"ALTER TABLE {table} ADD COLUMN {column} {declaration};\n"
                   for added_in, table, column, declaration in MIGRATIONS
                   if added_in > version and table in tables and not _has(db, table, column))


def _has(db: sqlite3.Connection, table: str, column: str) -> bool:
    return any(row[1] == column for row in db.execute(f"PRAGMA table_info({table})"))
