"""Worker processes that read pages (``crawler.pool.reader.read_page``), one page at a time each.

Each worker is a new interpreter (``python -m crawler.pool.workers``: never a fork of the running
reactor process and its threads, and nothing imported but what reading needs) with a socket to
the main process; a thread per worker waits on its socket and hands each answer to
the caller's event loop (``call_from_thread``), where the pool's state lives. Pages are handed out
in the order they were asked for, so one worker reads them first in, first out.

Failure containment: a worker that dies (``os._exit``, a segfault, the OOM killer) or takes more
than ``timeout`` seconds on one page (it is killed) fails that page alone with ``WorkerLost``,
and a new worker takes its place. Workers ignore SIGINT and SIGTERM (the main process owns
shutdown), exit when their pipe closes, and exit within a second of the main process's death.
No Scrapy or Twisted here: the event loop comes in as two functions.
"""

from __future__ import annotations

import atexit
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any
from weakref import WeakSet

from crawler.pool.reader import PageReading, PageTask, read_page

# How often a worker checks that the main process is alive (its parent pid changes when not).
PARENT_CHECK_SECONDS = 1.0
# How long closing the pool waits for a worker to leave by itself before killing it.
EXIT_GRACE_SECONDS = 2.0

# A worker's first message: it has started and waits for pages.
READY = ("ready", None)
# What tells a worker to leave (its socket then closes, which ends its listener thread).
STOP = None

CallLater = Callable[..., Any]  # (seconds, function, *args) -> a handle with .cancel()
CallFromThread = Callable[..., Any]  # (function, *args): run it in the loop's thread
# Pools not closed yet: their workers are killed when the main process exits.
_OPEN_POOLS: WeakSet[ReadingPool] = WeakSet()


class WorkerLost(Exception):
    """The worker reading ``url`` died (``reason`` "died") or was killed ("timeout")."""

    def __init__(self, url: str, reason: str, exitcode: int | None = None) -> None:
        super().__init__(f"{reason} reading {url} (worker exit status {exitcode})")
        self.url, self.reason, self.exitcode = url, reason, exitcode


class ReadingFailed(Exception):
    """Reading the page raised in the worker: its exception type, message and traceback."""


class PoolClosed(Exception):
    """The pool closed before the page was read."""


def serve(conn: Connection, parent_pid: int) -> None:
    """A worker's life: read each task the pipe brings until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent_pid,), daemon=True).start()
    conn.send(READY)  # imported: pages may come (the timeout counts from here)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is STOP:
            return
        conn.send(_answer(task))


def _answer(task: PageTask) -> tuple[str, Any]:
    try:
        return "read", read_page(task)
    except Exception as error:  # any failure of one page is that page's; the worker goes on
        return "failed", "".join(traceback.format_exception(error)).rstrip()


def _exit_with_parent(parent_pid: int) -> None:
    """A worker never outlives the main process (a SIGKILL gives it no chance to close pipes
    held by a worker busy on a page)."""
    while os.getppid() == parent_pid:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(0)


@dataclass
class _Job:
    task: PageTask
    future: Future[PageReading]


class _Worker:
    """One worker process, its pipe, and the page it is reading."""

    def __init__(self, on_answer: Callable[[_Worker, Any], None],
                 on_exit: Callable[[_Worker], None], call_from_thread: CallFromThread) -> None:
        ours, theirs = socket.socketpair()
        with ours, theirs:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "crawler.pool.workers", str(theirs.fileno()),
                 str(os.getpid())],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL,
                # the main process's import path: a spider module found there is found here
                env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
            self.conn = Connection(ours.detach())
        self.job: _Job | None = None
        self.ready = False
        self.timer: Any = None
        self.timed_out = False
        threading.Thread(target=self._listen, args=(on_answer, on_exit, call_from_thread),
                         name="reading-pool-listener", daemon=True).start()

    def _listen(self, on_answer: Callable[[_Worker, Any], None],
                on_exit: Callable[[_Worker], None], call_from_thread: CallFromThread) -> None:
        try:
            while True:
                try:
                    answer = self.conn.recv()
                except (EOFError, OSError):
                    call_from_thread(on_exit, self)
                    return
                call_from_thread(on_answer, self, answer)
        except RuntimeError:  # the loop is closed: nobody waits for an answer any more
            return
        finally:
            self.conn.close()  # here only: the thread reading a socket is the one to close it

    def stop_timer(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None


class ReadingPool:
    """``size`` workers; ``read(task)`` gives a future of the page's ``PageReading``.

    All methods but the listeners run in the event loop's thread (``call_later`` and
    ``call_from_thread`` belong to that loop: Twisted's reactor or asyncio's loop).
    """

    def __init__(self, size: int, timeout: float, call_later: CallLater,
                 call_from_thread: CallFromThread) -> None:
        self.size, self.timeout = size, timeout
        self._call_later, self._call_from_thread = call_later, call_from_thread
        self._queue: deque[_Job] = deque()
        self._closed = False
        self._workers = [self._spawn() for _ in range(size)]
        _OPEN_POOLS.add(self)

    def read(self, task: PageTask) -> Future[PageReading]:
        future: Future[PageReading] = Future()
        if self._closed:
            future.set_exception(PoolClosed(task.url))
            return future
        self._queue.append(_Job(task, future))
        self._dispatch()
        return future

    def pids(self) -> list[int]:
        return [worker.process.pid for worker in self._workers]

    def close(self) -> None:
        """Fail what is still queued, ask the workers to leave, kill any that does not within
        ``EXIT_GRACE_SECONDS``."""
        self._closed = True
        _OPEN_POOLS.discard(self)
        while self._queue:
            job = self._queue.popleft()
            job.future.set_exception(PoolClosed(job.task.url))
        workers, self._workers = self._workers, []
        for worker in workers:
            worker.stop_timer()
            try:
                worker.conn.send(STOP)
            except (OSError, ValueError):  # it is gone already
                pass
        deadline = time.monotonic() + EXIT_GRACE_SECONDS
        for worker in workers:
            try:
                worker.process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait()
            if worker.job is not None and not worker.job.future.done():
                worker.job.future.set_exception(PoolClosed(worker.job.task.url))

    def _spawn(self) -> _Worker:
        return _Worker(self._answered, self._exited, self._call_from_thread)

    def _dispatch(self) -> None:
        """Pages to idle, started workers; a worker that died is replaced once there is work
        (a worker that can not even start does not respawn in a loop)."""
        while self._queue and len(self._workers) < self.size and not self._closed:
            self._workers.append(self._spawn())
        for worker in self._workers:
            if worker.ready and worker.job is None and self._queue:
                self._start(worker, self._queue.popleft())

    def _start(self, worker: _Worker, job: _Job) -> None:
        try:
            worker.conn.send(job.task)
        except (OSError, ValueError):  # it died idle: the page waits for its replacement
            self._queue.appendleft(job)
            return
        worker.job = job
        worker.timer = self._call_later(self.timeout, self._expire, worker)

    def _answered(self, worker: _Worker, answer: tuple[str, Any]) -> None:
        if answer == READY:
            worker.ready = True
            self._dispatch()
            return
        job, worker.job = worker.job, None
        worker.stop_timer()
        if job is not None and not job.future.done():
            kind, value = answer
            if kind == "read":
                job.future.set_result(value)
            else:
                job.future.set_exception(ReadingFailed(value))
        self._dispatch()

    def _exited(self, worker: _Worker) -> None:
        """A worker's pipe closed: it died, or was killed for its timeout. Its page fails; a
        new worker takes its place when pages wait."""
        if worker not in self._workers:
            return  # closed with the pool
        worker.stop_timer()
        try:
            worker.process.wait(EXIT_GRACE_SECONDS)
        except subprocess.TimeoutExpired:  # its socket closed, yet it lives: end it
            worker.process.kill()
            worker.process.wait()
        self._workers.remove(worker)
        job = worker.job
        if job is not None and not job.future.done():
            reason = "timeout" if worker.timed_out else "died"
            job.future.set_exception(WorkerLost(job.task.url, reason, worker.process.returncode))
        self._dispatch()

    def _expire(self, worker: _Worker) -> None:
        worker.timer = None
        if worker.job is not None:
            worker.timed_out = True
            worker.process.kill()


@atexit.register
def _kill_open_pools() -> None:
    for pool in list(_OPEN_POOLS):
        pool._closed = True
        for worker in pool._workers:
            worker.process.kill()
            worker.process.wait()


if __name__ == "__main__":  # a worker: python -m crawler.pool.workers <socket fd> <main pid>
    serve(Connection(int(sys.argv[1])), int(sys.argv[2]))
