"""The run's heartbeat, renewed from a thread of its own so a long page can not starve it.

What "alive" means: the process runs, reaches Redis, and its engine loop turned within
``REDIS_STALL_TIMEOUT`` seconds. The reactor stamps its progress every ``REDIS_POLL_INTERVAL``
(``DistributedWorker.tick``); this thread, with its own Redis connection, renews the heartbeat key
(TTL ``REDIS_LEASE_TIMEOUT``) while that stamp is fresh. So a worker that is gone (SIGKILL, lost
machine or network, stopped process) is declared dead after ``REDIS_LEASE_TIMEOUT`` as before,
while one busy for a few seconds on a heavy page, or starved of CPU, keeps its leases; one whose
loop is stuck for longer than ``REDIS_STALL_TIMEOUT`` stops being renewed and loses its leases
``REDIS_LEASE_TIMEOUT`` later. The renewal never recreates an expired key (``SET ... XX``): a run
declared dead stays fenced.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from enum import Enum
from typing import Any

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)


class Beat(Enum):
    RENEWED = "renewed"
    STALLED = "stalled"  # the engine loop is silent for too long: not renewed
    FENCED = "fenced"  # the key expired: the others took over this run's work
    UNREACHABLE = "unreachable"


class Heartbeat:
    """Renews ``key`` every ``interval`` seconds from a daemon thread while the engine progresses.

    ``on_lost(beat)`` is called once, from the thread, when the key is gone or Redis can not be
    reached; the caller hands it over to the reactor.
    """

    def __init__(self, client: Any, key: str, lease_timeout: int, stall_timeout: float,
                 interval: float, on_lost: Callable[[Beat], None],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.client = client
        self.key = key
        self.lease_timeout = lease_timeout
        self.stall_timeout = stall_timeout
        self.interval = interval
        self.on_lost = on_lost
        self.clock = clock
        self.progress_at = clock()
        self.stalled = False
        self.stopped = threading.Event()
        self.thread: threading.Thread | None = None

    def progress(self) -> None:
        """The engine loop turned (called on the reactor; a float store is atomic)."""
        self.progress_at = self.clock()

    def beat(self) -> Beat:
        """One renewal, unless the engine loop has been silent for over the stall timeout."""
        silent = self.clock() - self.progress_at
        if silent > self.stall_timeout:
            self._warn_stalled(silent)
            return Beat.STALLED
        self.stalled = False
        try:
            renewed = self.client.set(self.key, 1, ex=self.lease_timeout, xx=True)
        except (RedisConnectionError, RedisTimeoutError):
            return Beat.UNREACHABLE
        return Beat.RENEWED if renewed else Beat.FENCED

    def _warn_stalled(self, silent: float) -> None:
        if not self.stalled:
            self.stalled = True
            logger.warning("The engine loop has been silent for %.0fs (REDIS_STALL_TIMEOUT %ss): "
                           "heartbeat not renewed; the other workers take over this one's requests "
                           "unless it recovers within %ss", silent, self.stall_timeout,
                           self.lease_timeout)

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            outcome = self.beat()
            if outcome in (Beat.FENCED, Beat.UNREACHABLE) and not self.stopped.is_set():
                self.on_lost(outcome)
                return

    def start(self) -> None:
        self.progress()
        self.thread = threading.Thread(target=self.run, name="redis-heartbeat", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """No new renewal and no report. Not joined: a renewal still in flight can not bring the
        key back once a clean leave deleted it (``XX``)."""
        self.stopped.set()
