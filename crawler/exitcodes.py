"""Exit status of ``scrapy crawl``: what went wrong, for cron. Documented in the README."""

from __future__ import annotations

from typing import Any

OK = 0
CRASHED = 1  # Scrapy's own: the crawler could not start, or an unhandled error
USAGE = 2  # Scrapy's own: bad command line
INTERRUPTED = 3  # the spider closed for a reason other than finishing (SIGTERM, Ctrl-C, timeout)
TOO_MANY_ERRORS = 4  # ERROR log lines above EXIT_MAX_ERROR_RATIO of requests
TOO_MANY_DROPPED = 5  # invalid items dropped above EXIT_MAX_DROP_RATIO of article pages
NO_ARTICLES = 6  # pages were fetched but no article page was found: the site changed
NOTHING_FETCHED = 7  # no page could be fetched: site down, DNS, network, wrong start URL
STATE_UNAVAILABLE = 8  # the state store (SQLite file or Redis) could not be used
OUTPUT_FAILED = 9  # the output file or the run report could not be written (read-only, full disk)
LOCKED = 75  # another run of this spider holds the state lock (EX_TEMPFAIL: try later)

MEANING = {
    OK: "ok",
    CRASHED: "crashed",
    USAGE: "usage error",
    INTERRUPTED: "interrupted before finishing",
    TOO_MANY_ERRORS: "too many errors",
    TOO_MANY_DROPPED: "too many invalid items dropped",
    NO_ARTICLES: "pages fetched but no article found (site layout or URLs changed?)",
    NOTHING_FETCHED: "no page could be fetched",
    STATE_UNAVAILABLE: "state store unavailable",
    OUTPUT_FAILED: "output or report could not be written",
    LOCKED: "another run holds the lock",
}

SUCCESS_REASONS = frozenset({"finished", "max_articles"})


def exit_status(stats: dict[str, Any], settings: Any) -> int:
    """The exit status a finished crawl deserves, from its stats (first failing check wins)."""
    if stats.get("state/unavailable"):
        return STATE_UNAVAILABLE
    if stats.get("output/failed"):
        return OUTPUT_FAILED
    articles = stats.get("pages/article", 0)
    pages = stats.get("pages/navigation", 0) + articles
    robots = stats.get("robotstxt/request_count", 0)
    # A backfill's own index and range requests are not page requests, but its failed index
    # requests and capture reads are failed page requests (crawler.archive).
    page_requests = (stats.get("downloader/request_count", 0) - robots
                     - stats.get("archive/requests", 0) + stats.get("archive/failed", 0))
    if stats.get("finish_reason") not in SUCCESS_REASONS:
        return INTERRUPTED
    if pages == 0 and page_requests > 0:
        return NOTHING_FETCHED
    # Ratios over a handful of pages say nothing (a worker's small share, a tiny incremental run).
    least = settings.getint("EXIT_RATIO_MIN_PAGES", 10)
    requests = stats.get("downloader/request_count", 0)
    errors = stats.get("log_count/ERROR", 0)
    if requests >= least and errors / requests > settings.getfloat("EXIT_MAX_ERROR_RATIO", 0.25):
        return TOO_MANY_ERRORS
    dropped = sum(v for k, v in stats.items() if k.startswith("validate/dropped/"))
    if articles >= least and dropped / articles > settings.getfloat("EXIT_MAX_DROP_RATIO", 0.5):
        return TOO_MANY_DROPPED
    # Articles skipped as known (emitted, duplicates, placeholders) show the site still works.
    skipped = sum(v for k, v in stats.items() if k.startswith("incremental/skipped"))
    if pages and not articles and not skipped:
        return NO_ARTICLES
    return OK
