"""``scrapy shell``: any host's URL with ``--spider=<site>``; no files (see lookonly)."""

from __future__ import annotations

from argparse import Namespace

from scrapy.commands.shell import Command as ScrapyShell

from crawler.commands.lookonly import LookOnly, allow_url_host


class Command(LookOnly, ScrapyShell):
    def run(self, args: list[str], opts: Namespace) -> None:
        if opts.spider and args:
            assert self.settings is not None and self.crawler_process is not None
            spidercls = self.crawler_process.spider_loader.load(opts.spider)
            allow_url_host(self.settings, spidercls, args[0])
        super().run(args, opts)
