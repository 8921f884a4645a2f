"""The dataset across runs: every output file read as one table, and its current snapshot.

Each run writes only what it found new or changed, so the current version of an article is its
highest revision over all runs' files, and an article whose newest revision is a tombstone
(``deleted: true``) is gone. ``snapshot`` writes exactly the current articles, as JSON Lines and
as Parquet, with DuckDB (one SQL query over all files, spilling to disk when they outgrow memory).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from crawler.items import ARTICLE_FIELDS

# The record's columns with their DuckDB types (the README's recipes name the same). Times stay
# strings: each keeps the offset the site printed (cast with ``published_at::TIMESTAMPTZ``).
RELATED = "STRUCT(url VARCHAR, title VARCHAR, category VARCHAR, published_at VARCHAR)[]"
COLUMNS: dict[str, str] = {
    "id": "VARCHAR", "site": "VARCHAR", "url": "VARCHAR", "title": "VARCHAR",
    "published_at": "VARCHAR", "body": "VARCHAR", "source": "VARCHAR", "authors": "VARCHAR[]",
    "keywords": "VARCHAR[]", "category": "VARCHAR", "views": "BIGINT", "description": "VARCHAR",
    "lead_image": "VARCHAR", "images": "STRUCT(url VARCHAR, caption VARCHAR)[]",
    "related": RELATED, "next": "STRUCT(url VARCHAR, title VARCHAR)", "language": "VARCHAR",
    "fetched_url": "VARCHAR", "crawled_at": "VARCHAR", "captured_at": "VARCHAR",
    "archive": "VARCHAR", "content_hash": "VARCHAR",
    "revision": "INTEGER", "updated": "BOOLEAN", "deleted": "BOOLEAN",
    "fallback_fields": "VARCHAR[]", "schema_version": "VARCHAR",
}
assert list(COLUMNS) == ARTICLE_FIELDS, "COLUMNS must follow crawler.items.Article"

SNAPSHOT_NAME = "articles"


@dataclass(frozen=True)
class Snapshot:
    jsonl: Path
    parquet: Path
    articles: int
    files_read: int


def record_files(data_dir: Path, exclude: Path | None = None) -> list[Path]:
    """Every complete output file ``<data_dir>/<spider or site>/<run id>.jsonl``, oldest run
    first within a folder (run ids sort by time); empty files and ``exclude``'s are left out."""
    skip = exclude.resolve() if exclude is not None else None
    return [p for p in sorted(data_dir.glob("*/*.jsonl"))
            if p.stat().st_size and (skip is None or p.resolve().parent != skip)]


def _quote(value: object) -> str:
    """A SQL string literal (paths may hold quotes)."""
    return "'" + str(value).replace("'", "''") + "'"


def _sql_list(items: Sequence[object]) -> str:
    return "[" + ", ".join(map(_quote, items)) + "]"


def read_records_sql(files: Sequence[Path]) -> str:
    """SQL reading the records of ``files`` with the columns typed; ``filename`` added."""
    columns = "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in COLUMNS.items()) + "}"
    return (f"read_json({_sql_list(files)}, format = 'newline_delimited', columns = {columns},"
            " filename = true)")


def current_sql(files: Sequence[Path]) -> str:
    """SQL of the current articles: each id's highest revision (a later run's file breaks a
    tie), tombstones' ids left out. ``deleted`` is absent (null) in 1.0 records: false."""
    return (
        f"SELECT {', '.join(COLUMNS)} FROM {read_records_sql(files)}"
        " QUALIFY row_number() OVER (PARTITION BY id ORDER BY revision DESC, filename DESC) = 1"
        "   AND NOT coalesce(deleted, false)"
        " ORDER BY id"
    )


def snapshot(data_dir: Path, out_dir: Path) -> Snapshot:
    """Write ``<out_dir>/articles.jsonl`` and ``articles.parquet``: the current articles.

    Each file is written beside its final name and renamed when complete; a reader never sees
    a partial snapshot file. Raises FileNotFoundError when ``data_dir`` holds no record file.
    """
    import duckdb  # only the dataset commands need it

    files = record_files(data_dir, exclude=out_dir)
    if not files:
        raise FileNotFoundError(f"no record file (*/*.jsonl, not empty) under {data_dir}")
    out_dir.mkdir(parents=True, exist_ok=True)
    spill = out_dir / ".snapshot-spill"
    paths = {kind: out_dir / f"{SNAPSHOT_NAME}.{kind}" for kind in ("jsonl", "parquet")}
    try:
        with duckdb.connect() as db:
            db.execute(f"SET temp_directory = {_quote(spill)}")
            db.execute(f"CREATE TEMP TABLE current AS {current_sql(files)}")
            count = db.execute("SELECT count(*) FROM current").fetchone()[0]  # type: ignore[index]
            for kind, options in (("jsonl", "FORMAT json"), ("parquet", "FORMAT parquet")):
                part = paths[kind].with_name(paths[kind].name + ".part")
                db.execute(f"COPY current TO {_quote(part)} ({options})")
                os.replace(part, paths[kind])
    finally:
        shutil.rmtree(spill, ignore_errors=True)
    return Snapshot(paths["jsonl"], paths["parquet"], int(count), len(files))
