"""The dataset across runs: every output file read as one table, and its current snapshot.

Each run writes only what it found new or changed, so the current version of an article is its
highest revision over all runs' files, and an article whose newest revision is a tombstone
(``deleted: true``) is gone. ``snapshot`` writes exactly the current articles, as JSON Lines and
as Parquet, with DuckDB (one SQL query over all files, spilling to disk when they outgrow memory).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
# DuckDB spills to disk past this (its default, 80% of RAM, would crowd a cron host).
MEMORY_LIMIT = "256MB"
# Rows per Parquet row group: a group is held in memory until written (~40 MB of 5 KB records).
PARQUET_ROW_GROUP = 8192
# Rows fetched at a time to write the JSON Lines copy.
JSONL_BATCH = 1000


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


def read_records_sql(files: Sequence[Path], names: Sequence[str] = tuple(COLUMNS)) -> str:
    """SQL reading the records of ``files``, the columns ``names`` typed; ``filename`` added."""
    columns = "{" + ", ".join(f"'{name}': '{COLUMNS[name]}'" for name in names) + "}"
    return (f"read_json({_sql_list(files)}, format = 'newline_delimited', columns = {columns},"
            " filename = true)")


def current_sql(files: Sequence[Path]) -> str:
    """SQL of the current articles: each id's highest revision (a later run's file breaks a
    tie), tombstones' ids left out. ``deleted`` is absent (null) in 1.0 records: false.

    Two passes, so that memory holds a few narrow columns per record rather than whole records:
    the winning (id, file, revision) of each article, then the records that match one, in the
    order of the files and their lines (no sort of whole records: that is what needs memory).
    """
    winners = (
        f"SELECT id, filename, revision FROM"
        f" {read_records_sql(files, ('id', 'revision', 'deleted'))}"
        " QUALIFY row_number() OVER (PARTITION BY id ORDER BY revision DESC, filename DESC) = 1"
        "   AND NOT coalesce(deleted, false)"
    )
    return (
        f"SELECT {', '.join(COLUMNS)} FROM {read_records_sql(files)}"
        f" SEMI JOIN ({winners}) AS winners USING (id, filename, revision)"
    )


def snapshot(data_dir: Path, out_dir: Path) -> Snapshot:
    """Write ``<out_dir>/articles.jsonl`` and ``articles.parquet``: the current articles.

    Each file is written beside its final name and renamed when complete; a reader never sees
    a partial snapshot file. The Parquet file is written first, by the query; the JSON Lines
    file is its copy, written row by row. Raises FileNotFoundError when ``data_dir`` holds no
    record file.
    """
    import duckdb  # only the dataset commands need it

    files = record_files(data_dir, exclude=out_dir)
    if not files:
        raise FileNotFoundError(f"no record file (*/*.jsonl, not empty) under {data_dir}")
    out_dir.mkdir(parents=True, exist_ok=True)
    spill = out_dir / ".snapshot-spill"
    jsonl, parquet = (out_dir / f"{SNAPSHOT_NAME}.{kind}" for kind in ("jsonl", "parquet"))
    try:
        with duckdb.connect() as db:
            db.execute(f"SET temp_directory = {_quote(spill)}")
            db.execute(f"SET memory_limit = {_quote(MEMORY_LIMIT)}")
            _copy(db, current_sql(files), parquet,
                  f"FORMAT parquet, ROW_GROUP_SIZE {PARQUET_ROW_GROUP}")
            count = _write_jsonl(db.execute(f"SELECT * FROM read_parquet({_quote(parquet)})"),
                                 jsonl)
    finally:
        shutil.rmtree(spill, ignore_errors=True)
    return Snapshot(jsonl, parquet, int(count), len(files))


def _write_jsonl(cursor: Any, path: Path) -> int:
    """The rows of ``cursor`` as JSON Lines, as the crawl writes them (UTF-8, not escaped),
    streamed in batches (DuckDB's own JSON writer holds far more in memory); returns the count."""
    names = [column[0] for column in cursor.description]
    part = path.with_name(path.name + ".part")
    count = 0
    with part.open("w", encoding="utf-8") as out:
        while rows := cursor.fetchmany(JSONL_BATCH):
            out.writelines(json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False)
                           + "\n" for row in rows)
            count += len(rows)
    os.replace(part, path)
    return count


def _copy(db: Any, query: str, path: Path, options: str) -> None:
    """``query`` written to ``path`` through ``<path>.part``, renamed when complete."""
    part = path.with_name(path.name + ".part")
    db.execute(f"COPY ({query}) TO {_quote(part)} ({options})")
    os.replace(part, path)
