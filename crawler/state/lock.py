"""One run per spider and state directory at a time: an advisory lock (cron overlaps happen)."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

# Locks this process holds, by path: the crawl command takes the lock before the crawler starts
# and the run-state extension finds it here instead of taking it twice.
_HELD: dict[str, IO[str]] = {}


class LockHeld(RuntimeError):
    """Another process holds the lock."""


def acquire(path: str | Path) -> None:
    """Take the lock at ``path`` or raise LockHeld naming the holder's pid."""
    key = str(Path(path).resolve())
    if key in _HELD:
        return
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+")  # noqa: SIM115 (held open for the process's lifetime)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "unknown"
        handle.close()
        raise LockHeld(f"another run holds {path} (pid {holder})") from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    _HELD[key] = handle


def release(path: str | Path) -> None:
    handle = _HELD.pop(str(Path(path).resolve()), None)
    if handle is not None:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()
