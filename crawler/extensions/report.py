"""The run report: ``<run id>.stats.json`` beside the output, a summary in the log, the exit status.

Named after the run id in the output's directory (``-O out.json`` and ``-O out.csv`` runs each
keep their own); a run that wrote no output puts it where its feed would have been. Written once
the run state has recorded the feeds; a report that can not be written is exit status 9.

The exit status (crawler.exitcodes) is the extension's ``exit_status``, which the crawl command
reads with ``crawler.get_extension(RunReport)``. Settings: ``EXIT_MAX_ERROR_RATIO``,
``EXIT_MAX_DROP_RATIO``, ``RUN_REPORT_ENABLED`` (off: not configured, for the look-only
commands). Stats it keeps, over the records emitted: ``extraction/records``,
``extraction/records_with_fallback`` and ``extraction/records_fallback/<field>`` (records whose
field came from the generic extractor rather than the site's own rules: layout drift shows in
every run's report). It reports the spider's ``extraction/source/<field>/<source>``
counts as ``field_sources``.

The summary is one log line, at INFO when the run worked and at WARNING when it did not (so it
shows at ``LOG_LEVEL=WARNING`` exactly when something is wrong); a failed run's line says why:
the commonest download error with an example host, and a hint when nothing could be fetched.
When the output is complete, the run's exit status and counts go to its row in the state
(``python -m crawler.state show``).
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
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.misc import load_object

from crawler import exitcodes
from crawler import signals as our_signals
from crawler.extensions.runstate import RunStateExtension
from crawler.state import StateUnavailable, store_for

logger = logging.getLogger(__name__)


# Download errors an operator reads in the summary, by exception class name (Scrapy, Twisted).
ERROR_CAUSES = {
    "DNSLookupError": "DNS lookup failed",
    "CannotResolveHostError": "DNS lookup failed",
    "ConnectionRefusedError": "connection refused",
    "ConnectError": "could not connect",
    "TCPTimedOutError": "connection timed out",
    "TimeoutError": "timed out",
    "ResponseNeverReceived": "no response",
    "ConnectionLost": "connection lost",
    "NoRouteError": "no route to host",
}
NOTHING_FETCHED_HINT = ("Offline, or the site down? `make demo` crawls a local copy of the site "
                        "without network.")
# What a run's row in the state keeps of its report (python -m crawler.state show).
OUTCOME_KEYS = ("exit_status", "finish_reason", "pages_fetched", "article_pages",
                "articles_emitted", "new", "updated", "deleted", "skipped_already_emitted")


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


def _is_ignored(exception_path: str) -> bool:
    """Whether a downloader exception is a request left out by design (robots.txt, offsite...)."""
    try:
        cls = load_object(exception_path)
    except (ImportError, NameError, ValueError):
        return False
    return isinstance(cls, type) and issubclass(cls, IgnoreRequest)


def download_errors(stats: dict[str, Any]) -> dict[str, int]:
    """Failed download attempts (retries included) by exception; requests ignored by design are
    not errors and are left out."""
    counts = _by_prefix(stats, "downloader/exception_type_count/")
    return {name: count for name, count in counts.items() if not _is_ignored(name)}


def requests_ignored(stats: dict[str, Any]) -> int:
    """Requests left out by design (robots.txt, offsite, size cap): counted, not errors."""
    counts = _by_prefix(stats, "downloader/exception_type_count/")
    return sum(count for name, count in counts.items() if _is_ignored(name))


def commonest_download_error(stats: dict[str, Any]) -> str | None:
    """``"DNS lookup failed for www.sjfzxm.com: 16 requests"``, or None without errors."""
    errors = download_errors(stats)
    if not errors:
        return None
    path, count = max(errors.items(), key=lambda pair: pair[1])
    name = path.rsplit(".", 1)[-1]
    host = stats.get(f"download_error_host/{name}")
    where = f" for {host}" if host else ""
    return f"{ERROR_CAUSES.get(name, name)}{where}: {count} request{'' if count == 1 else 's'}"


def field_sources(stats: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Per evidence-ranked field, how many records took it from each source ("site", "jsonld",
    "meta", "visible"...): a layout change shows as a shift between sources."""
    found: dict[str, dict[str, int]] = {}
    for key, count in _by_prefix(stats, "extraction/source/").items():
        field, _, source = key.partition("/")
        found.setdefault(field, {})[source] = count
    return found


def build_report(stats: dict[str, Any], status: int, output: str | None) -> dict[str, Any]:
    # Emitted: in a committed output file (not merely handed to the exporter).
    emitted = stats.get("state/recorded", 0)
    # Tombstones are revisions too (incremental/updated counts them): reported apart, so that
    # articles_emitted = new + updated + deleted.
    deleted = min(stats.get("incremental/deleted", 0), emitted)
    updated = min(stats.get("incremental/updated", 0), emitted) - deleted
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
        "new": emitted - updated - deleted,
        "updated": updated,
        "deleted": deleted,
        "skipped_already_emitted": stats.get("incremental/skipped", 0),
        "skipped_known_duplicates": stats.get("incremental/skipped_known_duplicate", 0),
        "skipped_known_placeholders": stats.get("incremental/skipped_known_placeholder", 0),
        "duplicates_dropped": _by_prefix(stats, "dedup/dropped/"),
        "items_dropped": {**_by_prefix(stats, "validate/dropped/"),
                          **_by_prefix(stats, "incremental/dropped/")},
        # Emitted records only (as extraction_sources); pages dropped later are not counted.
        "extraction_fallbacks": _by_prefix(stats, "extraction/records_fallback/"),
        "extraction_sources": extraction_sources(stats),
        "field_sources": field_sources(stats),
        "http_status": _by_prefix(stats, "downloader/response_status_count/"),
        "dangling_links": _by_prefix(stats, "links/dangling/"),
        "download_errors": download_errors(stats),
        "commonest_download_error": commonest_download_error(stats),
        "requests_ignored": requests_ignored(stats),
        "offsite_filtered": stats.get("offsite/filtered", 0),
        "robots_forbidden": stats.get("robotstxt/forbidden", 0),
        "retries": stats.get("retry/count", 0),
        "errors_logged": stats.get("log_count/ERROR", 0),
        "recovered": {"runs": stats.get("state/recovered_runs", 0),
                      "records": stats.get("state/recovered_records", 0)},
        "timing_ms": {k.removesuffix("_ms"): v for k, v in _by_prefix(stats, "timing/").items()},
        # The reading pool (crawler.pool): size (0 or absent: pages read in-process), pages read,
        # the workers' CPU ms, pages lost to a dead or hung worker.
        "reading_pool": _by_prefix(stats, "reading_pool/"),
    }


class RunReport:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.output: str | None = None
        self.exit_status = exitcodes.OK
        crawler.signals.connect(self.feed_opened, signal=our_signals.feed_opened)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.stopped, signal=signals.engine_stopped)
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.feeds_closed, signal=signals.feed_exporter_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RunReport:
        if not crawler.settings.getbool("RUN_REPORT_ENABLED", True):
            raise NotConfigured  # no message: Scrapy would log one as a WARNING
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

    def feeds_closed(self) -> None:
        """The output is complete: the run's row in the state gets its exit status and counts
        (the state closes before the report is written, so this cannot wait for engine_stopped)."""
        stats = self.crawler.stats.get_stats()
        status = exitcodes.exit_status(stats, self.crawler.settings)
        report = build_report(stats, status, self.output)
        run_id = report["run_id"] or report["spider"]
        try:
            store_for(self.crawler).set_run_outcome(run_id, {k: report[k] for k in OUTCOME_KEYS})
        except StateUnavailable:
            pass  # the store said why; the exit status is 8

    def feed_opened(self, part_path: str, final_path: str) -> None:
        self.output = self.output or final_path

    def report_dir(self) -> Path:
        """The output's directory; without output, the first local feed's, else DATA_DIR's."""
        if self.output:
            return Path(self.output).parent
        for uri in self.crawler.settings.getdict("FEEDS"):
            parent = Path(str(uri).removeprefix("file://")).parent
            if "://" not in str(uri) or str(uri).startswith("file://"):
                if "%(" not in str(parent):
                    return parent
        return Path(self.crawler.settings.get("DATA_DIR", "./data")) / self.crawler.spidercls.name

    def report_path(self) -> Path:
        run_id = self.crawler.stats.get_value("run/id") or "run"
        return self.report_dir() / f"{run_id}.stats.json"

    async def stopped(self) -> None:
        # The exit status depends on the feeds being recorded: wait for the run state.
        state = self.crawler.get_extension(RunStateExtension)
        if state is not None:
            await state.when_closed()
        self.engine_stopped()

    def engine_stopped(self) -> None:
        stats = self.crawler.stats.get_stats()
        status = exitcodes.exit_status(stats, self.crawler.settings)
        report = build_report(stats, status, self.output)
        path = self.report_path()
        try:
            write_json(path, report)
        except OSError as error:
            status = worse(status, exitcodes.OUTPUT_FAILED)
            logger.error("Run report %s could not be written: %s (exit status %d)", path, error,
                         status)
            report.update(exit_status=status, exit_meaning=exitcodes.MEANING[status])
        self.exit_status = status
        self.log_summary(report, path)

    @staticmethod
    def log_summary(report: dict[str, Any], path: Path) -> None:
        failed = report["exit_status"] != exitcodes.OK
        logger.log(logging.WARNING if failed else logging.INFO, "%s", summary(report, path))


def summary(report: dict[str, Any], path: Path) -> str:
    """The run in one line: outcome (and why, when it failed), counts, output and report."""
    head = (f"Run {report['run_id']} of {report['spider']}: {report['exit_meaning']} "
            f"(exit status {report['exit_status']}).")
    return " ".join(part for part in (head, _why(report), _counts(report),
                                      f"Output: {_written(report['output'])}. Report: {path}")
                    if part)


def _why(report: dict[str, Any]) -> str:
    if report["exit_status"] == exitcodes.OK:
        return ""
    parts = []
    if report["commonest_download_error"]:
        parts.append(f"Commonest download error: {report['commonest_download_error']}.")
    if report["exit_status"] == exitcodes.NOTHING_FETCHED:
        parts.append(NOTHING_FETCHED_HINT)
    return " ".join(parts)


def _counts(report: dict[str, Any]) -> str:
    return (f"Pages fetched {report['pages_fetched']}, articles emitted "
            f"{report['articles_emitted']} ({report['new']} new, {report['updated']} updated, "
            f"{report['deleted']} deleted); "
            f"skipped: {report['skipped_already_emitted']} emitted before and unchanged, "
            f"{report['skipped_known_duplicates']} known duplicates, "
            f"{report['skipped_known_placeholders']} known placeholder pages; duplicates dropped "
            f"{report['duplicates_dropped'] or 'none'}, items dropped "
            f"{report['items_dropped'] or 'none'}; emitted records with a fallback field: "
            f"{_share(report['extraction_sources'])}{_fields(report['extraction_fallbacks'])}.")


def _fields(by_field: dict[str, int]) -> str:
    return f" {by_field}" if by_field else ""


def _written(output: str | None) -> str:
    """The output file, if there is one with content (an empty run may leave none)."""
    if output and Path(output).is_file() and Path(output).stat().st_size > 0:
        return output
    return "none written"


def worse(status: int, failure: int) -> int:
    """A failure to write replaces any verdict on the crawl, but not a state failure."""
    return status if status == exitcodes.STATE_UNAVAILABLE else failure


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write ``path`` whole or not at all."""
    tmp = path.with_name(path.name + ".part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", "utf-8")
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


def _share(sources: dict[str, Any]) -> str:
    if not sources["records"]:
        return "none emitted"
    return f"{sources['with_fallback']} of {sources['records']} ({sources['fallback_share']:.0%})"
