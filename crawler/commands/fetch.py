"""``scrapy fetch``, leaving no output, report, state or lock behind (crawler.commands.lookonly)."""

from __future__ import annotations

from scrapy.commands.fetch import Command as ScrapyFetch

from crawler.commands.lookonly import LookOnly


class Command(LookOnly, ScrapyFetch):
    pass
