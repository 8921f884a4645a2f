"""Run the real ``scrapy crawl`` in a subprocess against a LocalSite, and read what it wrote."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_WORD = re.compile(r"\w+")


def crawl_command(
    start_url: str, state_dir: Path, *extra: str, spider: str = "sjfzxm"
) -> list[str]:
    return [sys.executable, "-m", "scrapy", "crawl", spider, "-a", f"start_urls={start_url}",
            "-a", "allowed_domains=127.0.0.1,127.0.0.2", "-s", f"STATE_DIR={state_dir}",
            "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=INFO",
            *extra]


def run_crawl(start_url: str, state_dir: Path, *extra: str, timeout: float = 120,
              log: Path | None = None, spider: str = "sjfzxm") -> subprocess.CompletedProcess[str]:
    command = crawl_command(start_url, state_dir, *extra, spider=spider)
    result = subprocess.run(command, cwd=ROOT, text=True,
                            capture_output=True, timeout=timeout)
    if log is not None:
        log.write_text(result.stderr)
    return result


def start_crawl(start_url: str, state_dir: Path, *extra: str, log: Path) -> subprocess.Popen:
    handle = log.open("w")
    return subprocess.Popen(crawl_command(start_url, state_dir, *extra), cwd=ROOT, text=True,
                            stdout=handle, stderr=subprocess.STDOUT)


def kill_after(process: subprocess.Popen, seconds: float, sig: int = signal.SIGKILL) -> int:
    time.sleep(seconds)
    if process.poll() is None:
        os.kill(process.pid, sig)
    return process.wait(timeout=120)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def run_report(directory: Path) -> dict:
    """The newest run report (``<run id>.stats.json``) in ``directory``."""
    return json.loads(max(directory.glob("*.stats.json")).read_text("utf-8"))


def outputs(data_dir: Path, spider: str = "sjfzxm") -> list[dict]:
    """Every record of every complete output file, in file order."""
    records: list[dict] = []
    for path in sorted((data_dir / spider).glob("*.jsonl")):
        records.extend(read_jsonl(path))
    return records


def word_f1(truth: str, predicted: str) -> float:
    t, p = Counter(_WORD.findall(truth)), Counter(_WORD.findall(predicted))
    common = sum((t & p).values())
    if not common:
        return 0.0
    precision, recall = common / sum(p.values()), common / sum(t.values())
    return 2 * precision * recall / (precision + recall)


def number(record_id: str) -> int:
    return int(record_id.split(":", 1)[1])


def kill_on_line(command: list[str], pattern: str, occurrence: int = 1,
                 sig: int = signal.SIGKILL, timeout: float = 120) -> tuple[int, str]:
    """Run ``command``; send ``sig`` when its log shows ``pattern`` the n-th time. (exit, log)."""
    process = subprocess.Popen(command, cwd=ROOT, text=True, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    seen, lines = 0, []
    deadline = time.monotonic() + timeout
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line)
        if pattern in line:
            seen += 1
            if seen == occurrence:
                process.send_signal(sig)
        if time.monotonic() > deadline:
            process.kill()
            break
    return process.wait(timeout=60), "".join(lines)


def start_until_line(command: list[str], pattern: str, timeout: float = 60) -> subprocess.Popen:
    """Start ``command`` and return once its log shows ``pattern`` (its log is drained after)."""
    process = subprocess.Popen(command, cwd=ROOT, text=True, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    seen = threading.Event()

    def drain() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            if pattern in line:
                seen.set()

    threading.Thread(target=drain, daemon=True).start()
    if not seen.wait(timeout):
        process.kill()
        process.wait()
        raise AssertionError(f"{pattern!r} not logged within {timeout} s")
    return process
