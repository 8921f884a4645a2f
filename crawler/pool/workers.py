"""Worker processes that read pages (``crawler.pool.reader.read_page``), one page at a time each.

Each worker is a new interpreter (``python -m crawler.pool.workers``: never a fork of the running
reactor process and its threads, and nothing imported but what reading needs) with a socket to
the main process. Two threads per worker talk to it, so that the event loop never waits on the
socket: a sender writes the pages the loop hands it (the loop only appends to a queue, whatever
the worker is doing), a listener waits for answers and hands each to the caller's event loop
(``call_from_thread``), where the pool's state lives. A worker has up to
``PAGES_IN_FLIGHT_PER_WORKER`` pages sent to it: when it answers one, the next is already in its
socket, so it never idles for the loop's round trip while pages wait. Pages are handed out in the
order they were asked for, so one worker reads them first in, first out.

Failure containment: a worker that dies (``os._exit``, a segfault, the OOM killer) or takes more
than ``timeout`` seconds on one page (it is killed) fails that page alone with ``WorkerLost``;
the pages sent to it behind that one go back to the head of the queue, in order, and a new worker
takes its place. The timeout of a page counts from when the worker starts it: from its sending
to an idle worker, or from the answer to the page before it. Workers ignore SIGINT and SIGTERM
(the main process owns shutdown), exit when their pipe closes, and exit within a second of the
main process's death.

Memory: a worker that has been sent ``max_pages`` pages (0: no limit) takes no more; once it has
answered them it is asked to leave and a new worker takes its place, as multiprocessing's
``maxtasksperchild`` does. What a long-lived reading process accumulates (the C heap's
fragmentation under lxml's many small allocations, the pages of the mapped language model it has
touched, caches filling up) is then given back to the system every ``max_pages`` pages.
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
from queue import SimpleQueue
from typing import Any
from weakref import WeakSet

from crawler.pool.reader import PageReading, PageTask, read_page
from crawler.warmup import settle_collector, warm_up

# How often a worker checks that the main process is alive (its parent pid changes when not).
PARENT_CHECK_SECONDS = 1.0
# How long closing the pool waits for a worker to leave by itself before killing it.
EXIT_GRACE_SECONDS = 2.0
# Pages sent to one worker at a time: the one it reads and one waiting in its socket, which it
# starts as soon as it has sent its answer. More would hold pages behind a slow one while another
# worker idles, and re-send more of them when a worker dies.
PAGES_IN_FLIGHT_PER_WORKER = 2

# A worker's first message: it has started and waits for pages.
READY = ("ready", None)
# What tells a worker to leave (its socket then closes, which ends its listener thread).
STOP = None
# What ends a sender thread without writing anything (its worker is gone).
_END = object()

CallLater = Callable[..., Any]  # (seconds, function, *args) -> a handle with .cancel()
CallFromThread = Callable[..., Any]  # (function, *args): run it in the loop's thread
# Pools not closed yet: their workers are killed when the main process exits.
_OPEN_POOLS: WeakSet[ReadingPool] = WeakSet()
# Workers started ahead of their pool (``prestart``), in the order the pool takes them.
_PRESTARTED: list[_Started] = []


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
    # The lazily loaded parts of reading (language model, trafilatura) are loaded before the worker
    # says it is ready: READING_TIMEOUT then times a page's reading, not a fresh worker's imports.
    warm_up()
    settle_collector()
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
class _Started:
    """A worker process and the main process's end of its socket."""

    process: subprocess.Popen[bytes]
    socket: socket.socket

    @classmethod
    def spawn(cls) -> _Started:
        ours, theirs = socket.socketpair()
        with theirs:
            process = subprocess.Popen(
                [sys.executable, "-m", "crawler.pool.workers", str(theirs.fileno()),
                 str(os.getpid())],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL,
                # the main process's import path: a spider module found there is found here
                env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
        return cls(process, ours)


def prestart(count: int) -> None:
    """Start ``count`` worker processes now, before their pool (and the event loop it needs)
    exists: the pool's first workers are these, so their start-up (imports, warm-up: about a
    second) overlaps the caller's. Those no pool takes are killed when the main process exits."""
    while len(_PRESTARTED) < count:
        _PRESTARTED.append(_Started.spawn())


@dataclass
class _Job:
    task: PageTask
    future: Future[PageReading]
    sent: bool = False  # written whole to the worker's socket (set by the sender thread)


class _Worker:
    """One worker process, its socket, and the pages sent to it (the first is the one it reads).

    The listener and the sender each own a descriptor of the socket and close it when they end,
    so that neither closes a descriptor the other is still using."""

    def __init__(self, on_answer: Callable[[_Worker, Any], None],
                 on_exit: Callable[[_Worker], None], call_from_thread: CallFromThread) -> None:
        started = _PRESTARTED.pop(0) if _PRESTARTED else _Started.spawn()
        self.process = started.process
        with started.socket as ours:
            self.conn = Connection(os.dup(ours.fileno()))  # the listener's
            self.outgoing: SimpleQueue[Any] = SimpleQueue()
            sending = Connection(ours.detach())  # the sender's
        self.jobs: deque[_Job] = deque()
        self.pages_sent = 0
        self.ready = False
        self.timer: Any = None
        self.timed_out = False
        threading.Thread(target=self._send, args=(sending,), name="reading-pool-sender",
                         daemon=True).start()
        threading.Thread(target=self._listen, args=(on_answer, on_exit, call_from_thread),
                         name="reading-pool-listener", daemon=True).start()

    def send(self, job: _Job) -> None:
        """Hand ``job`` to the sender thread: never waits, however full the socket is."""
        self.jobs.append(job)
        self.outgoing.put(job)

    def stop(self) -> None:
        """Ask the worker to leave once it has what was sent before."""
        self.outgoing.put(STOP)

    def _send(self, conn: Connection) -> None:
        try:
            while True:
                item = self.outgoing.get()
                if item is _END:
                    return
                if item is STOP:
                    conn.send(STOP)
                    return
                conn.send(item.task)
                item.sent = True
        except (OSError, ValueError):  # the worker is gone: its listener tells the pool
            return
        finally:
            conn.close()

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
            self.outgoing.put(_END)  # the sender leaves too, if it has not
            self.conn.close()  # here only: the thread reading a socket is the one to close it

    def start_timer(self, call_later: CallLater, timeout: float,
                    expire: Callable[[_Worker], None]) -> None:
        """The timeout of the page the worker reads now (the first sent)."""
        self.stop_timer()
        if self.jobs:
            self.timer = call_later(timeout, expire, self)

    def stop_timer(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None


class ReadingPool:
    """``size`` workers; ``read(task)`` gives a future of the page's ``PageReading``.

    All methods but the workers' sender and listener threads run in the event loop's thread
    (``call_later`` and ``call_from_thread`` belong to that loop: Twisted's reactor or asyncio's
    loop).
    """

    def __init__(self, size: int, timeout: float, call_later: CallLater,
                 call_from_thread: CallFromThread, max_pages: int = 0) -> None:
        self.size, self.timeout, self.max_pages = size, timeout, max_pages
        self._call_later, self._call_from_thread = call_later, call_from_thread
        self._queue: deque[_Job] = deque()
        # Workers that were sent their max_pages, answered them all and were asked to leave.
        self._retiring: list[_Worker] = []
        self.recycled = 0
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
        workers, self._workers = self._workers + self._retiring, []
        self._retiring = []
        for worker in workers:
            worker.stop_timer()
            worker.stop()
        deadline = time.monotonic() + EXIT_GRACE_SECONDS
        for worker in workers:
            try:
                worker.process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait()
            for job in worker.jobs:
                if not job.future.done():
                    job.future.set_exception(PoolClosed(job.task.url))

    def _spawn(self) -> _Worker:
        return _Worker(self._answered, self._exited, self._call_from_thread)

    def _dispatch(self) -> None:
        """Pages to started workers, up to ``PAGES_IN_FLIGHT_PER_WORKER`` each, the idle ones
        first; a worker that died is replaced once there is work (a worker that can not even
        start does not respawn in a loop)."""
        while (self._queue and len(self._workers) + len(self._retiring) < self.size
               and not self._closed):
            self._workers.append(self._spawn())
        for depth in range(PAGES_IN_FLIGHT_PER_WORKER):
            for worker in self._workers:
                if (worker.ready and len(worker.jobs) == depth and self._queue
                        and not self._spent(worker)):
                    self._send(worker, self._queue.popleft())

    def _spent(self, worker: _Worker) -> bool:
        """The worker has been sent its ``max_pages``: it takes no more."""
        return 0 < self.max_pages <= worker.pages_sent

    def _send(self, worker: _Worker, job: _Job) -> None:
        worker.pages_sent += 1
        worker.send(job)
        if len(worker.jobs) == 1:  # an idle worker starts it at once
            worker.start_timer(self._call_later, self.timeout, self._expire)

    def _answered(self, worker: _Worker, answer: tuple[str, Any]) -> None:
        if answer == READY:
            worker.ready = True
            self._dispatch()
            return
        if worker not in self._workers or not worker.jobs:
            return  # closed with the pool
        job = worker.jobs.popleft()
        worker.start_timer(self._call_later, self.timeout, self._expire)  # the next page's
        if not job.future.done():
            kind, value = answer
            if kind == "read":
                job.future.set_result(value)
            else:
                job.future.set_exception(ReadingFailed(value))
        if self._spent(worker) and not worker.jobs:
            self._retire(worker)
        self._dispatch()

    def _retire(self, worker: _Worker) -> None:
        """Ask a worker that has answered its ``max_pages`` to leave. The one that takes its
        place starts once it has exited (``_exited``): the two never hold memory at once."""
        worker.stop_timer()
        self._workers.remove(worker)
        self._retiring.append(worker)
        worker.stop()
        self.recycled += 1

    def _exited(self, worker: _Worker) -> None:
        """A worker's socket closed: it died, or was killed for its timeout. The page it was
        reading fails; the pages sent behind it go back to the head of the queue, in order, and
        a new worker takes its place. A retired worker's socket closes as it leaves: it is
        reaped, nothing else."""
        if worker in self._retiring:
            self._retiring.remove(worker)
            _reap(worker)
            self._dispatch()  # its replacement
            return
        if worker not in self._workers:
            return  # closed with the pool
        worker.stop_timer()
        _reap(worker)
        self._workers.remove(worker)
        jobs, worker.jobs = worker.jobs, deque()
        if jobs and jobs[0].sent:  # a page never written whole was never started
            self._lose(jobs.popleft(), worker)
        for job in jobs:
            job.sent = False  # not yet to the worker that reads it next
        self._queue.extendleft(reversed(jobs))
        self._dispatch()

    def _lose(self, job: _Job, worker: _Worker) -> None:
        if not job.future.done():
            reason = "timeout" if worker.timed_out else "died"
            job.future.set_exception(WorkerLost(job.task.url, reason, worker.process.returncode))

    def _expire(self, worker: _Worker) -> None:
        worker.timer = None
        if worker.jobs:
            worker.timed_out = True
            worker.process.kill()


def _reap(worker: _Worker) -> None:
    """Wait for a worker whose socket closed to exit; kill it if it does not."""
    try:
        worker.process.wait(EXIT_GRACE_SECONDS)
    except subprocess.TimeoutExpired:  # its socket closed, yet it lives: end it
        worker.process.kill()
        worker.process.wait()


@atexit.register
def _kill_open_pools() -> None:
    while _PRESTARTED:
        started = _PRESTARTED.pop()
        started.process.kill()
        started.process.wait()
        started.socket.close()
    for pool in list(_OPEN_POOLS):
        pool._closed = True
        for worker in pool._workers + pool._retiring:
            worker.process.kill()
            worker.process.wait()


if __name__ == "__main__":  # a worker: python -m crawler.pool.workers <socket fd> <main pid>
    serve(Connection(int(sys.argv[1])), int(sys.argv[2]))
