"""``scrapy check`` offline: a downloader middleware answering requests from stored fixtures."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from scrapy import Request, Spider
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

logger = logging.getLogger(__name__)

NOT_FOUND = 404


def fixture_pages(folder: Path) -> dict[str, Path]:
    """Case folders of one site by the URL their ``meta.json`` names."""
    pages: dict[str, Path] = {}
    for meta in sorted(folder.glob("*/meta.json")):
        if (meta.parent / "page.html").exists():
            pages[json.loads(meta.read_text("utf-8"))["url"]] = meta.parent
    return pages


class FixtureResponses:
    """Answer every request from ``<CHECK_FIXTURES_DIR>/<spider>/<case>/`` (``page.html`` at the
    ``url`` of ``meta.json``, with its ``content_type``); any other URL answers 404, logged.

    The contracts of the site modules (``@url`` the real URL of a stored page) thus run offline
    and always on the same pages. The ``check`` command (crawler/commands/check.py) installs it.
    Setting: ``CHECK_FIXTURES_DIR`` (empty: not configured, contracts fetch the live site).
    Stats: ``fixtures/served``, ``fixtures/missing``.
    """

    def __init__(self, root: Path, stats: Any) -> None:
        self.root = root
        self.stats = stats
        self.sites: dict[str, dict[str, Path]] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> FixtureResponses:
        folder = crawler.settings.get("CHECK_FIXTURES_DIR")
        if not folder:
            raise NotConfigured("CHECK_FIXTURES_DIR is empty")
        return cls(Path(folder), crawler.stats)

    def process_request(self, request: Request, spider: Spider) -> Response:
        if spider.name not in self.sites:
            self.sites[spider.name] = fixture_pages(self.root / spider.name)
        case = self.sites[spider.name].get(request.url)
        if case is None:
            self.stats.inc_value("fixtures/missing")
            logger.warning("No stored page for %s under %s: answered 404", request.url,
                           self.root / spider.name)
            return Response(request.url, status=NOT_FOUND, request=request)
        self.stats.inc_value("fixtures/served")
        meta = json.loads((case / "meta.json").read_text("utf-8"))
        headers = Headers({"Content-Type": meta.get("content_type") or "text/html"})
        body = (case / "page.html").read_bytes()
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        return cls(request.url, body=body, headers=headers, request=request)
