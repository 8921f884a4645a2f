"""``scrapy crawlall``: every configured site in one process, for cron; a failure stops no other.

Sites: the spiders named by ``--spiders`` or the ``CRAWLALL_SPIDERS`` setting, else every spider
of the project but ``news`` (the generic mode needs start URLs). Each site takes its own state
lock, writes its own output and ``<run>.stats.json`` as with ``scrapy crawl``, and the run writes
one combined report ``<DATA_DIR>/crawlall/<run id>.stats.json``. ``-a NAME=VALUE`` goes to every
spider, ``-a SPIDER:NAME=VALUE`` to one. Exit status: see ``combined_status``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from scrapy.commands import ScrapyCommand
from scrapy.crawler import Crawler
from scrapy.exceptions import UsageError
from scrapy.utils.conf import arglist_to_dict

from crawler import exitcodes
from crawler.arguments import ArgumentError, check_run
from crawler.extensions.report import RunReport
from crawler.pool.middleware import prestart_pool
from crawler.state import StateUnavailable, lock, preflight, state_path

logger = logging.getLogger(__name__)

# Spiders left out unless named: they need arguments a cron line does not give.
NOT_CONFIGURED_SITES = frozenset({"news"})
# The worst per-site status is the run's: first in this list wins. A site whose lock was held
# (75) counts only when nothing worse happened elsewhere.
SEVERITY = (
    exitcodes.CRASHED, exitcodes.STATE_UNAVAILABLE, exitcodes.OUTPUT_FAILED,
    exitcodes.NOTHING_FETCHED,
    exitcodes.NO_ARTICLES, exitcodes.TOO_MANY_DROPPED, exitcodes.TOO_MANY_ERRORS,
    exitcodes.INTERRUPTED, exitcodes.LOCKED,
)


def combined_status(statuses: dict[str, int]) -> int:
    """0 when every site's status is 0; else the worst per-site status by ``SEVERITY``."""
    failed = {s for s in statuses.values() if s != exitcodes.OK}
    for status in SEVERITY:
        if status in failed:
            return status
    return max(failed, default=exitcodes.OK)


def spider_args(pairs: dict[str, str], spider: str) -> dict[str, str]:
    """Arguments for one spider: ``NAME=VALUE`` for all, ``SPIDER:NAME=VALUE`` for that one."""
    shared = {k: v for k, v in pairs.items() if ":" not in k}
    own = {k.split(":", 1)[1]: v for k, v in pairs.items() if k.split(":", 1)[0] == spider
           and ":" in k}
    return {**shared, **own}


class Command(ScrapyCommand):
    requires_project = True

    def syntax(self) -> str:
        return "[options]"

    def short_desc(self) -> str:
        return "Run every configured site in one process; the exit status names failed sites"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("-a", dest="spargs", action="append", default=[],
                            metavar="[SPIDER:]NAME=VALUE", help="spider argument (may be repeated)")
        parser.add_argument("--spiders", metavar="NAME[,NAME...]",
                            help="sites to crawl (default: setting CRAWLALL_SPIDERS, else all)")

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        try:
            opts.spargs = arglist_to_dict(opts.spargs)
        except ValueError:
            raise UsageError("Invalid -a value, use -a [SPIDER:]NAME=VALUE", print_help=False
                             ) from None

    def sites(self, opts: argparse.Namespace) -> list[str]:
        assert self.crawler_process is not None and self.settings is not None
        known = self.crawler_process.spider_loader.list()
        named = (opts.spiders.split(",") if opts.spiders
                 else self.settings.getlist("CRAWLALL_SPIDERS"))
        names = [n.strip() for n in named if n.strip()] or [
            n for n in sorted(known) if n not in NOT_CONFIGURED_SITES]
        unknown = [n for n in names if n not in known]
        if unknown:
            raise UsageError(f"unknown spider(s): {', '.join(unknown)}", print_help=False)
        return list(dict.fromkeys(names))

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError("crawlall takes no spider names; use --spiders")
        assert self.settings is not None and self.crawler_process is not None
        run_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%f")[:-3] + "Z"
        statuses: dict[str, int] = {}
        crawlers: dict[str, Crawler] = {}
        locks: list[Path] = []
        sites = self.sites(opts)
        try:  # every site's arguments before any site starts: a typo stops the whole run at once
            for name in sites:
                check_run(self.crawler_process.spider_loader, name,
                          spider_args(opts.spargs, name), self.settings)
        except ArgumentError as error:
            print(f"scrapy crawlall: not started: site {name}: {error}. "
                  f"Exit status {exitcodes.USAGE}.", file=sys.stderr)
            self.exitcode = exitcodes.USAGE
            return
        for name in sites:
            lock_path = state_path(self.settings, name, ".lock")
            try:
                preflight(self.settings, name)
            except (lock.LockHeld, StateUnavailable) as refused:
                logger.error("Site %s not started: %s", name, refused)
                statuses[name] = exitcodes.LOCKED if isinstance(refused, lock.LockHeld) else (
                    exitcodes.STATE_UNAVAILABLE)
                lock.release(lock_path)
                continue
            locks.append(lock_path)
            prestart_pool(self.settings, self.crawler_process.spider_loader.load(name))
            crawlers[name] = self.crawler_process.create_crawler(name)
            self.crawler_process.crawl(crawlers[name], **spider_args(opts.spargs, name))
        if crawlers:
            self.crawler_process.start()
        for name, crawler in crawlers.items():
            statuses[name] = site_status(crawler)
        for lock_path in locks:
            lock.release(lock_path)
        self.exitcode = combined_status(statuses)
        self.write_report(run_id, statuses, crawlers)

    def write_report(self, run_id: str, statuses: dict[str, int], crawlers: dict[str, Crawler]
                     ) -> None:
        assert self.settings is not None
        sites = {name: site_summary(status, crawlers.get(name))
                 for name, status in statuses.items()}
        failed = sorted(name for name, status in statuses.items() if status != exitcodes.OK)
        report = {
            "run_id": run_id,
            "worker": {"host": os.uname().nodename, "pid": os.getpid()},
            "exit_status": self.exitcode,
            "exit_meaning": exitcodes.MEANING.get(self.exitcode, "unknown"),
            "failed_sites": failed,
            "sites": sites,
        }
        path = Path(self.settings.get("DATA_DIR", "./data")) / "crawlall" / f"{run_id}.stats.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        text = json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n"
        tmp.write_text(text, "utf-8")
        os.replace(tmp, path)
        summary = ", ".join(f"{n} {s['exit_status']}" for n, s in sites.items())
        if failed:
            logger.error("crawlall %s: sites failed: %s (exit status %d). Per site: %s. Report: %s",
                         run_id, ", ".join(failed), self.exitcode, summary, path)
            print(f"scrapy crawlall: sites failed: {', '.join(failed)}; "
                  f"exit status {self.exitcode}. Report: {path}", file=sys.stderr)
        else:
            logger.info("crawlall %s: every site ok. Per site: %s. Report: %s", run_id, summary,
                        path)


def _late(crawler: Crawler, name: str) -> Any:
    """A crawler attribute set once the crawl starts (stats, spider...), or None."""
    try:
        return getattr(crawler, name, None)
    except RuntimeError:  # scrapy's late attributes raise this until set
        return None


def site_status(crawler: Crawler) -> int:
    """The status the site's run report gave; crashed when the crawl never got that far."""
    stats = _late(crawler, "stats")
    if _late(crawler, "spider") is None or stats is None or not stats.get_value("finish_reason"):
        return exitcodes.CRASHED
    report = crawler.get_extension(RunReport)
    return report.exit_status if report is not None else exitcodes.CRASHED


def site_summary(status: int, crawler: Crawler | None) -> dict[str, Any]:
    """A site's status with the main figures of its own report, and where that report is."""
    summary: dict[str, Any] = {"exit_status": status,
                               "exit_meaning": exitcodes.MEANING.get(status, "unknown")}
    extension = crawler.get_extension(RunReport) if crawler is not None and _late(
        crawler, "extensions") is not None else None
    if extension is None:
        return summary
    path = extension.report_path()
    summary["report"] = str(path)
    if path.exists():
        site = json.loads(path.read_text("utf-8"))
        for key in ("output", "finish_reason", "pages_fetched", "articles_emitted", "new",
                    "updated", "deleted", "duplicates_dropped", "items_dropped",
                    "extraction_sources", "field_sources"):
            summary[key] = site.get(key)
    return summary
