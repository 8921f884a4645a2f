"""One worker's link to the shared crawl: Redis client, identity, protocol steps, failure.

Every Redis call of a worker goes through ``Coordinator.call``: a connection error or timeout (after
the client's own short retries) marks the worker as having lost its state store, as does the
heartbeat thread (crawler.distributed.heartbeat) finding Redis gone or its key expired: one clear
ERROR line, stat ``state/unavailable`` (exit status 8), and the spider is closed. Nothing claimed
is lost: claimed records stay in the run's outbox in Redis, leases come back after
``REDIS_LEASE_TIMEOUT``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import redis
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry
from scrapy.utils.defer import deferred_from_coro

from crawler import shared
from crawler.dates import utc_now_iso
from crawler.distributed import scripts
from crawler.distributed.heartbeat import Beat, Heartbeat
from crawler.distributed.keys import Keys

logger = logging.getLogger(__name__)
T = TypeVar("T")
UNAVAILABLE_ERRORS = (RedisConnectionError, RedisTimeoutError)
FINISH_REASON = "state_unavailable"
BEATS_PER_LEASE = 3


class StateUnavailable(RuntimeError):
    """Redis could not be reached, or this worker was declared dead by the others."""


def key_prefix(settings: Any, spider_name: str) -> str:
    return settings.get("REDIS_KEY_PREFIX") or f"tnc:{spider_name}"


def worker_id(settings: Any) -> str:
    """Host plus a digest of the absolute DATA_DIR: the same worker when started the same way."""
    data_dir = str(Path(settings.get("DATA_DIR", "./data")).resolve())
    return f"{socket.gethostname()}-{hashlib.sha1(data_dir.encode()).hexdigest()[:8]}"


def client_from_settings(settings: Any) -> redis.Redis:
    params: dict[str, Any] = {
        "socket_timeout": 5, "socket_connect_timeout": 3,
        "retry": Retry(ExponentialBackoff(cap=0.5, base=0.05), 3),
        "retry_on_error": [RedisConnectionError, RedisTimeoutError],
    }
    params.update(settings.getdict("REDIS_PARAMS"))
    return redis.Redis.from_url(settings.get("REDIS_URL"), **params)


class Coordinator:
    """Settings: REDIS_URL, REDIS_KEY_PREFIX, REDIS_LEASE_TIMEOUT, REDIS_STALL_TIMEOUT,
    REDIS_POLL_INTERVAL, REDIS_PARAMS, DATA_DIR."""

    def __init__(self, crawler: Any) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.url = settings.get("REDIS_URL")
        self.client = client_from_settings(settings)
        self.keys = Keys(key_prefix(settings, crawler.spidercls.name))
        self.lease_timeout = max(1, settings.getint("REDIS_LEASE_TIMEOUT", 30))
        self.stall_timeout = settings.getfloat("REDIS_STALL_TIMEOUT", 120)
        # Several renewals per lease timeout, so one late beat does not let the key expire.
        self.beat_interval = min(settings.getfloat("REDIS_POLL_INTERVAL", 0.5),
                                 self.lease_timeout / BEATS_PER_LEASE)
        self.heartbeat: Heartbeat | None = None
        self.worker = worker_id(settings)
        self.host = socket.gethostname()
        self.data_dir = str(Path(settings.get("DATA_DIR", "./data")).resolve())
        self.run_id = ""  # set when the spider exists (its run_id names the output files)
        self.run = ""
        self.crawl_id = ""
        self.created_crawl = False
        self.failure: str | None = None
        self.taken: set[str] = set()  # lease ids popped since the worker last looked
        self._scripts = {name: self.client.register_script(getattr(scripts, name))
                         for name in ("OPEN_CRAWL", "CLAIM_SEEDING", "MARK_SEEDED", "ENQUEUE",
                                      "LEASE", "RELEASE", "STATUS", "CLAIM", "COMMIT_BEGIN",
                                      "COMMIT_END", "ADOPT", "NEAR")}

    # --- failure --------------------------------------------------------------------------------
    def call(self, action: Callable[[], T]) -> T:
        """Run a Redis step; on an outage or a fenced run, stop this worker cleanly and raise."""
        if self.failure is not None:
            raise StateUnavailable(self.failure)
        try:
            return action()
        except UNAVAILABLE_ERRORS as error:
            self.fail(self.unreachable(str(error)))
        except ResponseError as error:
            if not str(error).startswith(scripts.FENCED):
                raise
            self.fail(self.fenced())
        raise StateUnavailable(self.failure)

    def unreachable(self, error: str) -> str:
        return f"Redis at {self.safe_url} is unreachable ({error})"

    def fenced(self) -> str:
        return (f"this worker's heartbeat expired (no renewal for {self.lease_timeout}s: Redis out "
                f"of reach, or its engine loop stuck for over {self.stall_timeout:g}s) and the "
                "others took over its requests and records")

    def script(self, name: str, keys: list[str], args: list[Any]) -> Any:
        return self.call(lambda: self._scripts[name](keys=keys, args=args))

    def fail(self, reason: str) -> None:
        if self.failure is not None:
            return
        self.failure = reason
        self.stop_heartbeat()
        logger.error("Distributed crawl: %s. This worker stops now (exit status 8); nothing it "
                     "wrote is lost, and the crawl resumes when it or another worker is started "
                     "again with Redis back.", reason)
        stats = self.crawler.stats
        stats.set_value("state/unavailable", 1)
        self.close_spider()

    def close_spider_if_failed(self) -> None:
        if self.failure is not None:
            self.close_spider()

    def close_spider(self) -> None:
        """Close the spider once the engine runs (before that, DistributedWorker does it)."""
        try:
            engine = self.crawler.engine
        except RuntimeError:  # Crawler.engine before the crawl has one
            return
        if engine is not None and engine.running and engine.spider is not None:
            deferred_from_coro(engine.close_spider_async(reason=FINISH_REASON))

    @property
    def safe_url(self) -> str:
        """REDIS_URL without a password, for log lines."""
        parts = urlsplit(self.url or "")
        return f"{parts.hostname}:{parts.port or 6379}{parts.path or '/0'}"

    # --- the crawl ------------------------------------------------------------------------------
    def open_crawl(self, run_id: str) -> None:
        """Register this run and join the running crawl, or start one."""
        self.run_id = run_id
        self.run = f"{run_id}@{self.worker}"
        record = {"worker": self.worker, "host": self.host, "pid": os.getpid(),
                  "data_dir": self.data_dir, "started": utc_now_iso(), "status": "running"}
        crawl_id, created = self.script("OPEN_CRAWL", [], [
            self.keys.prefix, self.run, self.run, json.dumps(record), self.lease_timeout,
            utc_now_iso()])
        self.crawl_id = crawl_id.decode() if isinstance(crawl_id, bytes) else crawl_id
        self.created_crawl = bool(created)
        logger.info("Distributed crawl %s (%s) as run %s under %s", self.crawl_id,
                    "started" if created else "joined", self.run, self.keys.prefix)

    def claim_seeding(self) -> int:
        return int(self.script("CLAIM_SEEDING", [], [self.keys.prefix, self.crawl_id, self.run]))

    def mark_seeded(self) -> None:
        self.script("MARK_SEEDED", [], [self.keys.prefix, self.crawl_id])

    def status(self, may_finish: bool) -> dict[str, Any]:
        state, queued, leased, orphans, reaped, seeded = self.script("STATUS", [], [
            self.keys.prefix, self.crawl_id, "1" if may_finish else "0", utc_now_iso()])
        return {"state": state.decode() if isinstance(state, bytes) else state, "queued": queued,
                "leased": leased, "orphans": orphans, "requeued": reaped, "seeded": bool(seeded)}

    # --- heartbeat ----------------------------------------------------------------------------
    def start_heartbeat(self) -> None:
        """Renew this run's heartbeat from now on (OPEN_CRAWL set it), off the reactor thread."""
        if self.failure is not None or self.heartbeat is not None:
            return
        self.heartbeat = Heartbeat(client_from_settings(self.crawler.settings),
                                   self.keys.alive(self.run), self.lease_timeout,
                                   self.stall_timeout, self.beat_interval, self._heartbeat_lost)
        self.heartbeat.start()

    def progress(self) -> None:
        """The engine loop turned: the heartbeat may be renewed (crawler.distributed.heartbeat)."""
        if self.heartbeat is not None:
            self.heartbeat.progress()

    def stop_heartbeat(self) -> None:
        if self.heartbeat is not None:
            self.heartbeat.stop()

    def _heartbeat_lost(self, beat: Beat) -> None:
        """Called on the heartbeat thread: the failure is handled on the reactor."""
        from twisted.internet import reactor  # the installed one, once the crawl runs

        reason = self.fenced() if beat is Beat.FENCED else self.unreachable("heartbeat failed")
        reactor.callFromThread(self.fail, reason)

    def update_run(self, **fields: Any) -> None:
        """Merge fields into this run's record (what the worker did, for `show` and reports)."""
        def merge() -> None:
            raw = self.client.hget(self.keys.runs, self.run)
            record = json.loads(raw) if raw else {}
            record.update(fields)
            self.client.hset(self.keys.runs, self.run, json.dumps(record))
        self.call(merge)

    def leave(self) -> None:
        """This run is over: its heartbeat goes, so nobody waits the lease timeout for it."""
        self.stop_heartbeat()
        self.call(lambda: self.client.delete(self.keys.alive(self.run)))

    def outbox_meta(self, **extra: Any) -> str:
        return json.dumps({"owner": self.run, "host": self.host, "worker": self.worker,
                           "committing": "", **extra})


def coordinator_for(crawler: Any) -> Coordinator:
    """The crawler's one coordinator (like crawler.state.store_for)."""
    coordinator: Coordinator = shared.REDIS_COORDINATOR.get_or_create(
        crawler, lambda: Coordinator(crawler))
    return coordinator
