"""``scrapy parse``: the shared ``parse`` callback routes the URL as a crawl would; no files.

A URL on a host the site module does not know (a local copy, a mirror) is allowed for this run
without ``-a allowed_domains``: the command adds its host. Nothing is written
(crawler.commands.lookonly).
"""

from __future__ import annotations

import argparse
import warnings

from scrapy.commands.parse import Command as ScrapyParse
from scrapy.exceptions import ScrapyDeprecationWarning

from crawler.commands.lookonly import LookOnly, allow_url_host


class Command(LookOnly, ScrapyParse):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        # Scrapy's own parse command wraps the callback in one that returns a Deferred, which
        # Scrapy then warns about: not something a user of this project can act on.
        warnings.filterwarnings("ignore", ".*returned a Deferred", ScrapyDeprecationWarning)
        super().run(args, opts)

    def set_spidercls(self, url: str, opts: argparse.Namespace) -> None:
        super().set_spidercls(url, opts)
        assert self.settings is not None
        if not opts.spargs.get("allowed_domains"):
            allow_url_host(self.settings, self.spidercls, url)
