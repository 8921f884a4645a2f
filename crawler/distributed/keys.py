"""Every Redis key of a distributed crawl, under ``REDIS_KEY_PREFIX`` (default ``tnc:<spider>``).

The layout is documented in docs/distributed.md; the Lua scripts (crawler.distributed.scripts)
build the per-run keys from the prefix the same way.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Keys:
    prefix: str

    # --- one crawl: frontier, request fingerprints, who takes part --------------------------
    @property
    def requests(self) -> str:  # zset: encoded request -> -priority (scrapy-redis PriorityQueue)
        return f"{self.prefix}:requests"

    @property
    def dupefilter(self) -> str:  # set: request fingerprints seen in the current crawl
        return f"{self.prefix}:dupefilter"

    @property
    def crawl(self) -> str:  # hash: id, state (running|done), started, finished, seeder, seeded
        return f"{self.prefix}:crawl"

    @property
    def crawl_runs(self) -> str:  # set: run keys of the current crawl
        return f"{self.prefix}:crawl:runs"

    # --- worker runs --------------------------------------------------------------------------
    @property
    def runs(self) -> str:  # hash: run key -> JSON (worker, host, pid, output, status, counts)
        return f"{self.prefix}:runs"

    def alive(self, run: str) -> str:  # string with TTL REDIS_LEASE_TIMEOUT: the run's heartbeat
        return f"{self.prefix}:alive:{run}"

    def leases(self, run: str) -> str:  # hash: lease id -> "<score> <encoded request>"
        return f"{self.prefix}:leases:{run}"

    # --- records claimed but not yet in a complete output file --------------------------------
    @property
    def outboxes(self) -> str:  # hash: outbox key -> JSON (owner, host, part, final, committing)
        return f"{self.prefix}:outboxes"

    def outbox(self, okey: str) -> str:  # hash: article id -> the JSON line as written to the feed
        return f"{self.prefix}:outbox:{okey}"

    # --- the article store (kept between crawls) ----------------------------------------------
    @property
    def articles(self) -> str:  # hash: article id -> JSON of what was emitted (crawler.state.store)
        return f"{self.prefix}:articles"

    @property
    def facts(self) -> str:  # hash: name -> what a run learned about the site (crawler.timezone)
        return f"{self.prefix}:facts"

    @property
    def body(self) -> str:  # hash: body hash -> article id (exact duplicates)
        return f"{self.prefix}:body"

    @property
    def content(self) -> str:  # hash: article id -> packed MinHash signature (512 bytes)
        return f"{self.prefix}:content"

    @property
    def bands(self) -> str:  # hash: LSH band key -> space-separated article ids
        return f"{self.prefix}:bands"

    @property
    def duplicates(self) -> str:  # hash: article id -> "<original id> <kind>"
        return f"{self.prefix}:duplicates"

    @property
    def placeholders(self) -> str:  # hash: never-emitted article id -> when its page was a notice
        return f"{self.prefix}:placeholders"

    def crawl_scoped(self) -> list[str]:
        return [self.requests, self.dupefilter, self.crawl, self.crawl_runs]

    def persistent(self) -> list[str]:
        return [self.articles, self.body, self.content, self.bands, self.duplicates,
                self.placeholders]
