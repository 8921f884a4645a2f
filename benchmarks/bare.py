"""The reference of ``benchmarks/crawl.py``: bare Scrapy following the real spider's links.

Run with ``scrapy runspider benchmarks/bare.py -a start_url=URL -s BENCH_STATS_FILE=PATH``. It
reads no page beyond its links and yields only the URL of each article: no pipelines, no feed,
no state. It follows what ``scrapy crawl sjfzxm`` follows (list pages while they reveal new
articles, every article link of list and article pages) and identifies an article by its id, as
the real spider does, so both fetch the same pages. Politeness settings (robots.txt, concurrency,
download slots, delay) are the project's, as for the real crawl.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response

ARTICLE = re.compile(r"^/global/en/(?P<id>\d+)\.html$")
LIST = re.compile(r"^/global/en/")
OURS_OFF = {
    "crawler.extensions.runstate.RunStateExtension": None,
    "crawler.extensions.report.RunReport": None,
    "crawler.extensions.timing.StageTiming": None,
}


class BareSpider(scrapy.Spider):
    name = "bare"
    custom_settings = {
        "ITEM_PIPELINES": {},
        "EXTENSIONS": OURS_OFF,
        "SPIDER_MIDDLEWARES": {"crawler.extensions.timing.CallbackTiming": None},
        "FEEDS": {},
        # Reads no page: no reading pool (crawler.pool), whose workers would only cost start-up.
        "READING_POOL_SIZE": 0,
    }

    def __init__(self, start_url: str, allowed_domains: str = "127.0.0.1,127.0.0.2",
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls = [start_url]
        self.allowed_domains = allowed_domains.split(",")
        self.seen: set[str] = set()

    def request_key(self, url: str) -> str:
        """One article is one request whatever its host or query (see crawler.fingerprint)."""
        match = ARTICLE.match(urlsplit(url).path)
        return f"a:{match.group('id')}" if match else url.split("#", 1)[0]

    async def start(self) -> Any:
        for url in self.start_urls:
            yield scrapy.Request(url, self.parse_navigation, meta={"depth0": True})

    def _links(self, response: Response) -> Iterator[tuple[str, str | None, bool]]:
        """(url, article id or None, is a list page) of each on-site link."""
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href.strip())
            parts = urlsplit(url)
            if parts.hostname not in self.allowed_domains:
                continue
            match = ARTICLE.match(parts.path)
            yield url, match.group("id") if match else None, bool(LIST.match(parts.path))

    def parse_navigation(self, response: Response) -> Iterator[scrapy.Request]:
        links = list(self._links(response))
        revealed = False
        for url, article_id, _ in links:
            if article_id is not None and article_id not in self.seen:
                self.seen.add(article_id)
                revealed = True
                yield scrapy.Request(url, self.parse_article)
        if revealed or response.meta.get("depth0"):
            for url, article_id, is_list in links:
                if article_id is None and is_list:
                    yield scrapy.Request(url, self.parse_navigation)

    def parse_article(self, response: Response) -> Iterator[Any]:
        yield {"url": response.url}
        for url, article_id, _ in self._links(response):
            if article_id is not None and article_id not in self.seen:
                self.seen.add(article_id)
                yield scrapy.Request(url, self.parse_article)

    def closed(self, reason: str) -> None:
        path = self.settings.get("BENCH_STATS_FILE")
        if path:
            stats = self.crawler.stats.get_stats()
            Path(path).write_text(json.dumps(stats, default=str, indent=1))
