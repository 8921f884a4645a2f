"""``scrapy view``, leaving no output, report, state or lock behind (crawler.commands.lookonly)."""

from __future__ import annotations

from scrapy.commands.view import Command as ScrapyView

from crawler.commands.lookonly import LookOnly


class Command(LookOnly, ScrapyView):
    pass
