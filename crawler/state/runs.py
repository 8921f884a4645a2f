"""Finish what a killed run left: its ``.part`` output becomes a complete file, recorded."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from crawler.feedstorage import fsync_path
from crawler.state.store import RunLog

logger = logging.getLogger(__name__)


def complete_records(path: Path) -> Iterator[dict]:
    """Records of a JSON Lines file, skipping a torn last line (a kill mid-write)."""
    with path.open("rb") as handle:
        for line in handle:
            if not line.endswith(b"\n"):
                break
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict) and record.get("id"):
                yield record


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


def recover_unfinished(store: RunLog) -> tuple[int, int]:
    """Recover every run the store still shows as running; returns (runs, records recovered)."""
    runs = records = 0
    for run_id, part_path, final_path in list(store.unfinished_runs()):
        runs += 1
        part = Path(part_path) if part_path else None
        final = Path(final_path) if final_path else None
        if part is not None and final is not None and part.exists():
            kept = rewrite_complete(part, final)
            logger.warning("Recovered %d records of killed run %s into %s", kept, run_id,
                           final if kept else "(nothing: empty)")
        if final is not None and final.exists():
            records += store.record_emitted(complete_records(final))
        store.end_run(run_id, "recovered")
    return runs, records
