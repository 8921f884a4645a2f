"""``scrapy check``: the site modules' contracts, run offline against the stored fixtures.

Requests are answered by crawler.fixtureresponses.FixtureResponses from ``CHECK_FIXTURES_DIR``
(``-s CHECK_FIXTURES_DIR=`` checks against the live site instead); no output, report, state or
lock is written (crawler.commands.lookonly).
"""

from __future__ import annotations

import argparse

from scrapy.commands.check import Command as ScrapyCheck

from crawler.commands.lookonly import LookOnly

FIXTURE_MIDDLEWARE = "crawler.fixtureresponses.FixtureResponses"
# After Scrapy's OffsiteMiddleware (50), so that a contract URL off the site still fails, and
# before RobotsTxtMiddleware (100) and the downloader: nothing reaches the network.
FIXTURE_MIDDLEWARE_ORDER = 55


class Command(LookOnly, ScrapyCheck):
    def short_desc(self) -> str:
        return "Check spider contracts (offline: against the stored fixtures)"

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        name = "DOWNLOADER_MIDDLEWARES"
        middlewares = {**self.settings.getdict(name), FIXTURE_MIDDLEWARE: FIXTURE_MIDDLEWARE_ORDER}
        self.settings.set(name, middlewares, priority=self.settings.getpriority(name) or "default")
