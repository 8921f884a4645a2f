"""``scrapy crawl`` that refuses to overlap a running crawl and exits with a meaningful status."""

from __future__ import annotations

import argparse
import logging
import sys

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from crawler import exitcodes
from crawler.arguments import ArgumentError, check_run
from crawler.extensions.report import RunReport
from crawler.pool.middleware import prestart_pool
from crawler.state import StateUnavailable, lock, preflight, state_path

logger = logging.getLogger(__name__)


class Command(ScrapyCrawl):
    def short_desc(self) -> str:
        return "Run a spider; the exit status says whether the run worked (see README)"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one spider name")
        assert self.settings is not None and self.crawler_process is not None
        try:
            check_run(self.crawler_process.spider_loader, args[0], opts.spargs, self.settings)
        except ArgumentError as error:
            print(f"scrapy crawl {args[0]}: not started: {error}. Exit status {exitcodes.USAGE}.",
                  file=sys.stderr)
            self.exitcode = exitcodes.USAGE
            return
        lock_path = state_path(self.settings, args[0], ".lock")
        try:
            preflight(self.settings, args[0])
        except (lock.LockHeld, StateUnavailable) as refused:
            status = exitcodes.LOCKED if isinstance(refused, lock.LockHeld) else (
                exitcodes.STATE_UNAVAILABLE)
            print(f"scrapy crawl {args[0]}: not started: {refused}. Exit status {status}.",
                  file=sys.stderr)
            lock.release(lock_path)
            self.exitcode = status
            return
        prestart_pool(self.settings, self.crawler_process.spider_loader.load(args[0]))
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = exitcodes.CRASHED
        else:
            report = crawler.get_extension(RunReport)
            self.exitcode = report.exit_status if report is not None else exitcodes.OK
        lock.release(lock_path)
