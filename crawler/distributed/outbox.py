"""Output files in distributed mode: publish a file only while owning its records; adopt the dead's.

Each run's claimed records wait in its outbox in Redis until a complete output file holds them.
- Before renaming ``<file>.part`` into place, the run checks in Redis that it still owns its
  outbox and notes the file as committing (``guard``, the feed storage's commit guard). A run that
  was declared dead, or can not reach Redis, keeps the ``.part`` back: it never becomes output.
- After the rename, the file's records leave the outbox (RedisArticleStore.record_emitted).
- A run whose heartbeat expired with records still in its outbox is adopted by a live run, which
  writes those records into a file of its own, ``<its run id>.adopted-<n>.jsonl``. A file the dead
  run had noted as committing is checked first when on this host: records it holds are not written
  again.
- ``.part`` files a worker finds from its own earlier runs are renamed ``.part.discarded``: their
  records are in Redis (claimed into an outbox before they were written) and reach output from
  there.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from crawler.distributed.coordinator import Coordinator, StateUnavailable
from crawler.distributed.store import RedisArticleStore
from crawler.feedstorage import PART_SUFFIX, fsync_path
from crawler.state.runs import complete_records

logger = logging.getLogger(__name__)
DISCARDED_SUFFIX = ".discarded"


def discard(part: Path) -> None:
    if part.exists():
        part.rename(part.with_name(part.name + DISCARDED_SUFFIX))


class Outbox:
    def __init__(self, coordinator: Coordinator, store: RedisArticleStore, feed_dir: Path) -> None:
        self.coordinator = coordinator
        self.store = store
        self.feed_dir = feed_dir
        self.adopted: list[dict[str, Any]] = []

    def begin_commit(self, okey: str, final_path: str) -> bool:
        keys = self.coordinator.keys
        return bool(self.coordinator.script("COMMIT_BEGIN", [
            keys.outboxes, keys.alive(self.coordinator.run)], [okey, self.coordinator.run,
                                                               final_path]))

    def guard(self, part_path: str, final_path: str) -> bool:
        """May this run rename its feed file into place? (crawler.feedstorage commit guard)"""
        try:
            if self.begin_commit(self.coordinator.run, final_path):
                return True
        except StateUnavailable:
            part = Path(part_path)
            if part.exists() and part.stat().st_size == 0:
                part.unlink()  # nothing was claimed: nothing to keep
                return False
            logger.error("Kept %s back as a .part file: Redis can not confirm that this run still "
                         "owns its records. They stay in its outbox in Redis and are written by "
                         "this worker's next run or by another worker.", part_path)
            return False
        logger.error("Not publishing %s: this run was declared dead and its records went to "
                     "another worker", part_path)
        discard(Path(part_path))
        return False

    def discard_stale_parts(self, current_run_id: str) -> int:
        stale = [p for p in self.feed_dir.glob(f"*.jsonl{PART_SUFFIX}")
                 if not p.name.startswith(current_run_id)]
        for part in stale:
            logger.warning("Discarding %s from an earlier run of this worker: its records are "
                           "written from Redis instead", part)
            discard(part)
        return len(stale)

    # --- adoption -------------------------------------------------------------------------------
    def adopt_orphans(self) -> int:
        """Adopt every outbox whose owner stopped heartbeating; returns the records written."""
        keys, written = self.coordinator.keys, 0
        for okey in self.coordinator.call(lambda: self.coordinator.client.hkeys(keys.outboxes)):
            okey = okey.decode()
            raw = self.coordinator.script(
                "ADOPT", [keys.outboxes, keys.alive(self.coordinator.run)],
                [keys.prefix, okey, self.coordinator.run])
            if raw:
                written += self.publish_adopted(okey, json.loads(raw))
        return written

    def publish_adopted(self, okey: str, meta: dict[str, Any]) -> int:
        outbox = self.coordinator.keys.outbox(okey)
        lines = {k.decode(): v for k, v in
                 self.coordinator.call(lambda: self.coordinator.client.hgetall(outbox)).items()}
        on_this_host = meta.get("host") == self.coordinator.host
        for final in filter(None, str(meta.get("committing") or "").split("\n")):
            if on_this_host and Path(final).exists():  # renamed just before its owner died
                done = list(complete_records(Path(final)))
                self.store.record_emitted(done, okey, final)
                for record in done:
                    lines.pop(record["id"], None)
            elif not on_this_host:
                logger.warning("Run %s died while publishing %s on host %s, which this worker can "
                               "not see: its %d records are written again here; consumers that "
                               "upsert by id are unaffected", meta.get("owner"), final,
                               meta.get("host"), len(lines))
        path = self.write(okey, lines) if lines else None
        if lines and path is None:
            return 0  # still in the outbox, now this run's: published later, by it or another
        self.store.record_emitted([{"id": i} for i in lines], okey, str(path or ""))
        if on_this_host and meta.get("part"):
            discard(Path(meta["part"]))
        self.adopted.append({"run": meta.get("owner"), "worker": meta.get("worker"),
                             "records": len(lines), "file": str(path) if path else None})
        logger.warning("Adopted %d records of run %s (its heartbeat stopped) into %s", len(lines),
                       meta.get("owner"), path)
        return len(lines)

    def write(self, okey: str, lines: dict[str, bytes]) -> Path | None:
        """One atomic file of this run holding the lines; None if this run may not publish."""
        run_id = self.coordinator.run_id
        final = self.feed_dir / f"{run_id}.adopted-{len(self.adopted) + 1}.jsonl"
        part = final.with_name(final.name + PART_SUFFIX)
        part.parent.mkdir(parents=True, exist_ok=True)
        with part.open("wb") as out:
            for line in lines.values():
                out.write(line)
            out.flush()
            os.fsync(out.fileno())
        try:  # the adopted outbox is this run's now: the same guard as for its own feed
            if not self.begin_commit(okey, str(final)):
                discard(part)
                return None
        except StateUnavailable:
            return None
        os.replace(part, final)
        fsync_path(final.parent)
        return final
