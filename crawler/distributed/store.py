"""The article store on Redis: crawler.state.store.ArticleStore's methods, shared by all workers.

What was emitted (``articles``), the content index for dedup (``body``, ``content``, ``bands``) and
the duplicates live under the key prefix and outlast crawls. Two workers can not both pass one
story: the exact check reserves the body hash and the near check indexes the body in the same Lua
step that searches it. "Emitted" is written by the claim stage (crawler.distributed.claim) together
with the record's line in the run's outbox; ``record_emitted`` (called with the records of each
complete output file) takes those lines out of the outbox.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator
from typing import Any, cast

from crawler import nearduplicates
from crawler.distributed.coordinator import Coordinator, StateUnavailable
from crawler.state.store import EmittedArticle, listing_key, now_iso

_EMITTED_FIELDS = ("url", "title", "published_at", "listing", "content_hash", "revision",
                   "first_seen", "last_emitted")
_CHUNK = 1000


def emitted_entry(record: dict[str, Any], crawl_id: str, worker: str) -> dict[str, Any]:
    stamp = now_iso()
    return {"url": record.get("url"), "title": record.get("title"),
            "published_at": record.get("published_at"),
            "listing": listing_key(record.get("title"), record.get("published_at")),
            "content_hash": record.get("content_hash"), "revision": record.get("revision") or 1,
            "first_seen": stamp, "last_emitted": stamp, "crawl": crawl_id, "worker": worker,
            "links": linked(record)}


def linked(record: dict[str, Any]) -> list[str]:
    """Related and next URLs, followed instead of the article when a later crawl skips it."""
    urls = [entry.get("url") for entry in record.get("related") or []]
    urls.append((record.get("next") or {}).get("url"))
    return [url for url in urls if url]


class RedisArticleStore:
    def __init__(self, coordinator: Coordinator) -> None:
        self.coordinator = coordinator
        self.client = coordinator.client
        self.keys = coordinator.keys
        self._indexed: str | None = None  # the id find_near just indexed

    def close(self) -> None:
        """Nothing to flush: every write went to Redis at once."""

    def commit(self) -> None:
        """Nothing to commit (see close)."""

    # --- emitted articles -----------------------------------------------------------------------
    def emitted(self, article_id: str) -> EmittedArticle | None:
        raw = self.coordinator.call(lambda: self.client.hget(self.keys.articles, article_id))
        if raw is None:
            return None
        entry = json.loads(raw)
        return EmittedArticle(article_id, *(entry.get(name) for name in _EMITTED_FIELDS))

    def linked_urls(self, article_id: str) -> list[str]:
        raw = self.coordinator.call(lambda: self.client.hget(self.keys.articles, article_id))
        return list(json.loads(raw).get("links") or []) if raw else []

    def record_emitted(self, records: Iterable[dict[str, Any]], okey: str | None = None,
                       final_path: str = "") -> int:
        """The records are in a complete output file: take their lines out of the outbox."""
        okey = okey or self.coordinator.run
        outbox = self.keys.outbox(okey)
        ids = [record["id"] for record in records]
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            # mypy cannot infer a lambda with a default argument against a generic parameter
            self.coordinator.call(
                cast("Callable[[], object]", lambda chunk=chunk: self.client.hdel(outbox, *chunk)))
        self.coordinator.script("COMMIT_END", [self.keys.outboxes, outbox], [okey, final_path])
        return len(ids)

    def forget(self, article_id: str) -> bool:
        pipe = self.client.pipeline()
        for key in (self.keys.articles, self.keys.content, self.keys.duplicates,
                    self.keys.placeholders):
            pipe.hdel(key, article_id)
        return bool(self.coordinator.call(pipe.execute)[0])

    def forget_all(self) -> None:
        self.coordinator.call(lambda: self.client.delete(*self.keys.persistent()))

    def summary(self, newest: int = 10) -> dict[str, Any]:
        rows = []
        for article_id, raw in self.client.hscan_iter(self.keys.articles, count=1000):
            entry = json.loads(raw)
            rows.append({"id": article_id.decode(), "title": entry.get("title"),
                         "published_at": entry.get("published_at"),
                         "revision": entry.get("revision"),
                         "last_emitted": entry.get("last_emitted")})
        rows.sort(key=lambda r: (r["last_emitted"] or "", r["published_at"] or ""), reverse=True)
        return {"articles_emitted": self.client.hlen(self.keys.articles),
                "content_index": self.client.hlen(self.keys.content), "newest": rows[:newest]}

    # --- content index for dedup ----------------------------------------------------------------
    def find_exact(self, body_hash: str, exclude_id: str) -> str | None:
        def reserve() -> str | None:
            if self.client.hsetnx(self.keys.body, body_hash, exclude_id):
                return None
            holder = self.client.hget(self.keys.body, body_hash)
            return holder.decode() if holder and holder.decode() != exclude_id else None
        return self.coordinator.call(reserve)

    def find_near(
        self, signature: tuple[int, ...], exclude_id: str, threshold: float
    ) -> tuple[str, float] | None:
        need = max(1, math.ceil(threshold * nearduplicates.BINS - 1e-9))
        found = self.coordinator.script("NEAR", [self.keys.content, self.keys.bands], [
            exclude_id, nearduplicates.pack(signature), need,
            *nearduplicates.band_keys(signature)])
        if not found:
            self._indexed = exclude_id
            return None
        return found[0].decode(), int(found[1]) / nearduplicates.BINS

    def remember_content(self, article_id: str, body_hash: str, signature: tuple[int, ...]) -> None:
        if self._indexed == article_id:  # find_near indexed it in the step that searched
            return
        self.coordinator.call(lambda: self.client.hset(self.keys.body, body_hash, article_id))
        self.find_near(signature, article_id, 2.0)  # nothing reaches 2.0: this only indexes

    def remember_duplicate(self, article_id: str, duplicate_of: str, kind: str) -> None:
        self.coordinator.call(lambda: self.client.hset(self.keys.duplicates, article_id,
                                                       f"{duplicate_of} {kind}"))

    def duplicate_of(self, article_id: str) -> str | None:
        raw = self.coordinator.call(lambda: self.client.hget(self.keys.duplicates, article_id))
        return raw.decode().split(" ", 1)[0] if raw else None

    def remember_placeholder(self, article_id: str) -> None:
        self.coordinator.call(lambda: self.client.hset(self.keys.placeholders, article_id,
                                                       now_iso()))

    def is_placeholder(self, article_id: str) -> bool:
        return bool(self.coordinator.call(
            lambda: self.client.hexists(self.keys.placeholders, article_id)))

    # --- runs (crawler.extensions.runstate): output files are tracked per outbox ----------------
    def begin_run(self, run_id: str, pid: int) -> None:
        """Registered when the crawl is joined (Coordinator.open_crawl)."""

    def set_run_output(self, run_id: str, part_path: str, final_path: str) -> None:
        try:
            self.coordinator.update_run(part=part_path, final=final_path)
            self.coordinator.call(lambda: self.client.hset(
                self.keys.outboxes, self.coordinator.run,
                self.coordinator.outbox_meta(part=part_path, final=final_path)))
        except StateUnavailable:
            pass  # said once by the coordinator; the spider is closing

    def end_run(self, run_id: str, status: str) -> None:
        """Said by the worker extension, which knows how the crawl ended."""

    def set_run_outcome(self, run_id: str, outcome: dict[str, Any]) -> None:
        try:
            self.coordinator.update_run(**outcome)
        except StateUnavailable:
            pass  # said once by the coordinator

    def unfinished_runs(self) -> Iterator[tuple[str, str | None, str | None]]:
        """None to rewrite: a dead run's records come from its outbox, never from its .part file."""
        yield from ()

    # --- what a run learned about the site, for later runs (crawler.timezone) ------------------
    def fact(self, name: str) -> str | None:
        raw = self.coordinator.call(lambda: self.client.hget(self.keys.facts, name))
        return raw.decode() if isinstance(raw, bytes) else raw

    def remember_fact(self, name: str, value: str) -> None:
        self.coordinator.call(lambda: self.client.hset(self.keys.facts, name, value))
