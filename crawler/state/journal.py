"""The run journal: every record the exporter wrote to an output file, as JSON Lines.

Whatever the feed format (``-O out.json``, ``out.csv``, the default JSON Lines), the articles of a
committed file are recorded in the state from its journal, ``<output>.journal`` beside it, never by
parsing the output: incremental runs do not depend on the format. A record enters the journal only
after the exporter wrote it, so a record the exporter failed on is neither counted nor recorded.
The journal is synced before the output is renamed into place and removed once recorded.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

JOURNAL_SUFFIX = ".journal"
# What recording an article needs (ArticleStore.record_emitted): not the body, whose content
# index row the dedup stage already wrote (pending until this journal is recorded).
JOURNAL_FIELDS = ("id", "url", "title", "published_at", "content_hash", "revision")


def journal_path(final_path: str | Path) -> Path:
    final = Path(final_path)
    return final.with_name(final.name + JOURNAL_SUFFIX)


def read_records(path: Path) -> Iterator[dict[str, Any]]:
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


def entry(record: Mapping[str, Any]) -> dict[str, Any]:
    """The journal's line for a record: its identity and the links followed when it is skipped."""
    line = {name: record.get(name) for name in JOURNAL_FIELDS}
    line["related"] = [{"url": r.get("url")} for r in record.get("related") or []]
    line["next"] = {"url": (record.get("next") or {}).get("url")}
    return line


class Journal:
    """Appends records as ASCII JSON Lines (any text encodes); opened on the first record."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle = path.open("wb")
        self.count = 0

    def add(self, record: Mapping[str, Any]) -> None:
        self.handle.write(json.dumps(entry(record), default=str).encode("ascii") + b"\n")
        self.count += 1

    def sync(self) -> None:
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()

    def discard(self) -> None:
        try:
            self.handle.close()
        except OSError:
            pass  # a full disk: the buffered lines go with the file
        self.path.unlink(missing_ok=True)
