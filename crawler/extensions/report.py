"""The run report: ``<run>.stats.json`` beside the output, a summary in the log, the exit status.

The exit status (crawler.exitcodes) is left on the crawler as ``crawler.exit_status`` for the
crawl command. Settings: ``EXIT_MAX_ERROR_RATIO``, ``EXIT_MAX_DROP_RATIO``. Stats it keeps, over
the records emitted: ``extraction/records``, ``extraction/records_with_fallback`` and
``extraction/records_fallback/<field>`` (records whose field came from the generic extractor
rather than the site's own rules: layout drift shows in every run's report).
"""

from __future__ import annotations

import json
import logging
import os
import socket
from datetime import datetime
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals

from crawler import exitcodes
from crawler import signals as our_signals

logger = logging.getLogger(__name__)


def _by_prefix(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    return {k[len(prefix):]: v for k, v in sorted(stats.items()) if k.startswith(prefix)}


def _iso(value: Any) -> Any:
    return value.isoformat(timespec="seconds") if isinstance(value, datetime) else value


def extraction_sources(stats: dict[str, Any]) -> dict[str, Any]:
    """Of the records emitted, how many had every field from the site's own rules, how many had
    some from the generic fallback, and the share per field."""
    records = stats.get("extraction/records", 0)
    fallback = stats.get("extraction/records_with_fallback", 0)
    by_field = _by_prefix(stats, "extraction/records_fallback/")
    return {
        "records": records,
        "site_rules_only": records - fallback,
        "with_fallback": fallback,
        "fallback_share": round(fallback / records, 4) if records else None,
        "fallback_share_by_field": {k: round(v / records, 4) for k, v in by_field.items()},
    }


def build_report(stats: dict[str, Any], status: int, output: str | None) -> dict[str, Any]:
    emitted = stats.get("item_scraped_count", 0)
    updated = stats.get("incremental/updated", 0)
    return {
        "run_id": stats.get("run/id"),
        "spider": stats.get("run/spider"),
        "site": stats.get("run/site"),
        "worker": {"host": socket.gethostname(), "pid": os.getpid()},
        "start": _iso(stats.get("start_time")),
        "end": _iso(stats.get("finish_time")),
        "finish_reason": stats.get("finish_reason"),
        "exit_status": status,
        "exit_meaning": exitcodes.MEANING.get(status, "unknown"),
        "output": output,
        "pages_fetched": stats.get("response_received_count", 0),
        "article_pages": stats.get("pages/article", 0),
        "navigation_pages": stats.get("pages/navigation", 0),
        "articles_emitted": emitted,
        "new": emitted - updated,
        "updated": updated,
        "skipped_already_emitted": stats.get("incremental/skipped", 0),
        "duplicates_dropped": _by_prefix(stats, "dedup/dropped/"),
        "items_dropped": {**_by_prefix(stats, "validate/dropped/"),
                          **_by_prefix(stats, "incremental/dropped/")},
        "extraction_fallbacks": _by_prefix(stats, "extraction/fallback/"),
        "extraction_sources": extraction_sources(stats),
        "http_status": _by_prefix(stats, "downloader/response_status_count/"),
        "dangling_links": _by_prefix(stats, "links/dangling/"),
        "download_errors": _by_prefix(stats, "downloader/exception_type_count/"),
        "offsite_filtered": stats.get("offsite/filtered", 0),
        "robots_forbidden": stats.get("robotstxt/forbidden", 0),
        "retries": stats.get("retry/count", 0),
        "errors_logged": stats.get("log_count/ERROR", 0),
        "recovered": {"runs": stats.get("state/recovered_runs", 0),
                      "records": stats.get("state/recovered_records", 0)},
        "timing_ms": {k.removesuffix("_ms"): v for k, v in _by_prefix(stats, "timing/").items()},
    }


class RunReport:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.output: str | None = None
        crawler.exit_status = exitcodes.OK
        crawler.signals.connect(self.feed_opened, signal=our_signals.feed_opened)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RunReport:
        return cls(crawler)

    def spider_opened(self, spider: Any) -> None:
        self.crawler.stats.set_value("run/id", getattr(spider, "run_id", None))
        self.crawler.stats.set_value("run/spider", spider.name)
        rules = getattr(spider, "rules", None)
        self.crawler.stats.set_value("run/site", getattr(rules, "name", None) or spider.name)

    def item_scraped(self, item: Any) -> None:
        stats = self.crawler.stats
        fields = ItemAdapter(item).get("fallback_fields") or []
        stats.inc_value("extraction/records")
        if fields:
            stats.inc_value("extraction/records_with_fallback")
        for field in fields:
            stats.inc_value(f"extraction/records_fallback/{field}")

    def feed_opened(self, part_path: str, final_path: str) -> None:
        self.output = self.output or final_path

    def report_path(self) -> Path:
        if self.output:
            final = Path(self.output)
            return final.with_name(final.name.rsplit(".", 1)[0] + ".stats.json")
        data_dir = Path(self.crawler.settings.get("DATA_DIR", "./data"))
        run_id = self.crawler.stats.get_value("run/id") or "run"
        return data_dir / self.crawler.spidercls.name / f"{run_id}.stats.json"

    def engine_stopped(self) -> None:
        stats = self.crawler.stats.get_stats()
        status = exitcodes.exit_status(stats, self.crawler.settings)
        self.crawler.exit_status = status
        report = build_report(stats, status, self.output)
        path = self.report_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        text = json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n"
        tmp.write_text(text, "utf-8")
        os.replace(tmp, path)
        self.log_summary(report, path)

    @staticmethod
    def log_summary(report: dict[str, Any], path: Path) -> None:
        log = logger.info if report["exit_status"] == exitcodes.OK else logger.error
        log("Run %s of %s: %s (exit status %d). Pages fetched %d, articles emitted %d (%d new, %d "
            "updated), %d already emitted and skipped, duplicates dropped %s, items dropped %s, "
            "extraction fallbacks %s (records with a fallback field: %s). Output: %s. Report: %s",
            report["run_id"], report["spider"], report["exit_meaning"], report["exit_status"],
            report["pages_fetched"], report["articles_emitted"], report["new"], report["updated"],
            report["skipped_already_emitted"], report["duplicates_dropped"] or "none",
            report["items_dropped"] or "none", report["extraction_fallbacks"] or "none",
            _share(report["extraction_sources"]), report["output"], path)


def _share(sources: dict[str, Any]) -> str:
    if not sources["records"]:
        return "none emitted"
    return f"{sources['with_fallback']} of {sources['records']} ({sources['fallback_share']:.0%})"
