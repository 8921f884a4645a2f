"""Distributed workers' event-loop silences: how long each reactor stayed busy, and exit statuses.

Usage: ``python benchmarks/loop_silence.py [--workers 3] [--articles 60] [--lease 6] [--runs 1]
[-s NAME=VALUE ...]``. Starts the workers (real ``scrapy crawl`` subprocesses, as
tests/test_distributed.py does: lease 6 s, poll 0.25 s) on a generated local site with a fresh key
prefix, plus the ``LoopSilence`` extension below, which notes every gap over ``GAP_SECONDS``
between two turns of its own ``TICK_SECONDS`` loop. A gap longer than the lease used to get a live
worker declared dead (exit 8); see docs/distributed.md, "What alive means". Run it under load
(e.g. a few ``python -c 'while 1: pass' &``) to see what a loaded machine does.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
TICK_SECONDS = 0.05
GAP_SECONDS = 0.5
MARK = "LOOP_SILENCES "
logger = logging.getLogger(__name__)


class LoopSilence:
    """Extension (benchmark only): logs the event loop's gaps at close, one JSON line."""

    def __init__(self, crawler: Any) -> None:
        from scrapy import signals

        self.crawler = crawler
        self.gaps: list[dict[str, Any]] = []
        self.started = self.last = time.monotonic()
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> LoopSilence:
        return cls(crawler)

    def opened(self, spider: Any) -> None:
        from twisted.internet import task

        self.started = self.last = time.monotonic()
        task.LoopingCall(self.tick).start(TICK_SECONDS)

    def tick(self) -> None:
        now = time.monotonic()
        if now - self.last > GAP_SECONDS:
            self.gaps.append({"at": round(now - self.started, 2), "gap": round(now - self.last, 2),
                              "articles": self.crawler.stats.get_value("pages/article", 0)})
        self.last = now

    def closed(self, spider: Any) -> None:
        logger.warning("%s%s", MARK, json.dumps(self.gaps))


def extensions() -> dict[str, int | None]:
    """The project's extensions, distributed mode's, and this one (a -s replaces the dict)."""
    from scrapy.utils.project import get_project_settings

    from crawler.distributed import COMPONENTS

    found = dict(get_project_settings().getdict("EXTENSIONS"))
    found.update(COMPONENTS["EXTENSIONS"])
    found["loop_silence.LoopSilence"] = 1
    return found


def run(args: argparse.Namespace, redis_url: str) -> dict[str, Any]:
    from localsite.model import SiteModel
    from localsite.server import LocalSite

    prefix = f"tnc:bench:{uuid.uuid4().hex[:10]}"
    tmp = Path(tempfile.mkdtemp(prefix="loop-silence-"))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "benchmarks"), str(REPO)])}
    with LocalSite(SiteModel.generate(args.articles, seed=7)) as site:
        workers = []
        for i in range(args.workers):
            command = [sys.executable, "-m", "scrapy", "crawl", "sjfzxm",
                       "-a", f"start_urls={site.start_url}",
                       "-a", "allowed_domains=127.0.0.1,127.0.0.2",
                       "-s", f"STATE_DIR={tmp / 'state'}", "-s", f"DATA_DIR={tmp / f'w{i}'}",
                       "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
                       "-s", f"REDIS_URL={redis_url}", "-s", f"REDIS_KEY_PREFIX={prefix}",
                       "-s", f"REDIS_LEASE_TIMEOUT={args.lease}", "-s", "REDIS_POLL_INTERVAL=0.25",
                       "-s", f"EXTENSIONS={json.dumps(extensions())}"]
            for setting in args.setting:
                command += ["-s", setting]
            log = (tmp / f"w{i}.log").open("w")
            workers.append(subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                                            stderr=log))
        codes = [worker.wait(timeout=600) for worker in workers]
    return {"load": os.getloadavg()[0], "exit": codes,
            "gaps": [silences(tmp / f"w{i}.log") for i in range(args.workers)]}


def silences(log: Path) -> list[dict[str, Any]]:
    for line in log.read_text().splitlines():
        if MARK in line:
            return list(json.loads(line.split(MARK, 1)[1]))
    return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--lease", type=int, default=6)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9")
    parser.add_argument("-s", dest="setting", action="append", default=[],
                        help="NAME=VALUE for every worker")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    for _ in range(args.runs):
        result = run(args, args.redis_url)
        longest = [max((g["gap"] for g in gaps), default=0.0) for gaps in result["gaps"]]
        print(json.dumps({"load": round(result["load"], 1), "exit": result["exit"],
                          "longest_silence_s": longest}))


if __name__ == "__main__":
    main()
