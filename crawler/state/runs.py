"""Finish what a killed run left: its ``.part`` output becomes a complete file, recorded.

Only a JSON Lines part file can be completed (its complete lines are kept, a torn last line is
dropped); a killed ``-O out.json`` or ``out.csv`` part can not, and is removed: its records were
never in a complete file, so they are emitted again by the next run. A file that was renamed into
place but not yet recorded is recorded from its journal (crawler.state.journal), whatever its
format. Recovered records enter the duplicate index too (``ArticleStore.record_emitted``).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from crawler.feedstorage import fsync_path
from crawler.state.journal import journal_path, read_records
from crawler.state.store import RunLog

logger = logging.getLogger(__name__)

# Output files whose lines are records: the only kind a killed run's part can be completed from.
JSON_LINES_SUFFIXES = (".jsonl", ".jl", ".ndjson")


def complete_records(path: Path) -> Iterator[dict[str, Any]]:
    """Records of a JSON Lines file, skipping a torn last line (a kill mid-write)."""
    return read_records(path)


def committed_records(final: Path) -> Iterator[dict[str, Any]]:
    """The records of a complete output file: its journal, or its lines (JSON Lines)."""
    journal = journal_path(final)
    if journal.exists():
        return read_records(journal)
    if final.name.endswith(JSON_LINES_SUFFIXES):
        return read_records(final)
    return iter(())


def rewrite_complete(part: Path, final: Path) -> int:
    """Write the complete lines of ``part`` to ``final`` atomically; remove ``part``."""
    tmp = final.with_name(final.name + ".recovering")
    count = 0
    with tmp.open("wb") as out:
        for record in complete_records(part):
            out.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
            count += 1
        out.flush()
        os.fsync(out.fileno())
    if count:
        os.replace(tmp, final)
        fsync_path(final.parent)
    else:
        tmp.unlink()
    part.unlink()
    return count


def recover_part(run_id: str, part: Path, final: Path) -> None:
    """Complete a killed run's part file if it is JSON Lines; else remove it."""
    journal_path(final).unlink(missing_ok=True)  # not synced: the part file is the truth
    if not final.name.endswith(JSON_LINES_SUFFIXES):
        part.unlink()
        logger.warning("Removed the unfinished output %s of killed run %s: only JSON Lines can be "
                       "completed; its articles are emitted again", part, run_id)
        return
    kept = rewrite_complete(part, final)
    logger.warning("Recovered %d records of killed run %s into %s", kept, run_id,
                   final if kept else "(nothing: empty)")


def recover_unfinished(store: RunLog) -> tuple[int, int]:
    """Recover every run the store still shows as running; returns (runs, records recovered)."""
    runs = records = 0
    for run_id, part_path, final_path in list(store.unfinished_runs()):
        runs += 1
        part = Path(part_path) if part_path else None
        final = Path(final_path) if final_path else None
        if part is not None and final is not None and part.exists():
            recover_part(run_id, part, final)
        if final is not None and final.exists():
            records += store.record_emitted(committed_records(final))
            journal_path(final).unlink(missing_ok=True)
        store.end_run(run_id, "recovered")
    return runs, records
