"""Log lines a cron operator reads: one line per dropped item, one per robots.txt failure.

- ``OneLineLogFormatter`` (setting ``LOG_FORMATTER``): a dropped item is logged as its id and the
  reason (``Dropped sjfzxm:123: duplicate (exact) of sjfzxm:45``), a scraped item as its id, an item
  error as its id: never the whole article, so a cron log grows by a line per item, not a page.
- ``RobotsErrorOneLine``: Scrapy's RobotsTxtMiddleware logs a robots.txt it could not download as
  an ERROR with a ~60-line traceback, although the crawl goes on as if robots.txt allowed all (and
  the page request, which fails the same way, is logged on its own). This filter makes it one
  WARNING line; the formatter installs it once per process.
"""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter, is_item
from scrapy.logformatter import LogFormatter

ROBOTS_LOGGER = "scrapy.downloadermiddlewares.robotstxt"
ROBOTS_MESSAGE = ("robots.txt not fetched for %(request)s (crawling as if it allowed all): "
                  "%(f_exception)s")


def item_label(item: Any) -> str:
    """An item as one short token: its id (or URL), never its content."""
    if is_item(item):
        adapter = ItemAdapter(item)
        for field in ("id", "url", "fetched_url"):
            if adapter.get(field):
                return str(adapter[field])
    return type(item).__name__


class OneLineLogFormatter(LogFormatter):
    """Scrapy's log formatter with items shown by id. Settings: ``LOG_FORMATTER``."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> OneLineLogFormatter:
        RobotsErrorOneLine.install()
        return cls()

    def dropped(self, item: Any, exception: BaseException, response: Any,
                spider: Any = None) -> Any:
        entry = super().dropped(item, exception, response, spider)
        return {**entry, "msg": "Dropped %(id)s: %(exception)s",
                "args": {"id": item_label(item), "exception": exception}}

    def scraped(self, item: Any, response: Any, spider: Any = None) -> Any:
        entry = super().scraped(item, response, spider)
        source = dict(entry["args"]).get("src")
        return {**entry, "msg": "Scraped from %(src)s: %(id)s",
                "args": {"src": source, "id": item_label(item)}}

    def item_error(self, item: Any, exception: BaseException, response: Any,
                   spider: Any = None) -> Any:
        entry = super().item_error(item, exception, response, spider)
        return {**entry, "msg": "Error processing %(id)s", "args": {"id": item_label(item)}}


class RobotsErrorOneLine(logging.Filter):
    """Turns RobotsTxtMiddleware's download-error record into one WARNING line (no traceback)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.args, dict) and "f_exception" in record.args:
            record.msg = ROBOTS_MESSAGE
            record.exc_info = record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True

    @classmethod
    def install(cls) -> None:
        target = logging.getLogger(ROBOTS_LOGGER)
        if not any(isinstance(existing, cls) for existing in target.filters):
            target.addFilter(cls())
