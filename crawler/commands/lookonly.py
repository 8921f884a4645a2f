"""What the look-only commands (parse, check, shell, fetch, view) share: they leave no files.

A developer looking at a page must not create an output file, a run report, a state run row or a
lock. These commands switch the run state, the run report and the default feed off
(``RUN_STATE_ENABLED``, ``RUN_REPORT_ENABLED``, ``DEFAULT_FEED_ENABLED``) and feeds
(``SITE_FEEDS_ENABLED``) unless ``-s`` sets them;
the spider then works on an empty in-memory article store.
"""

from __future__ import annotations

import argparse
import logging
from typing import Any

from scrapy.settings import SETTINGS_PRIORITIES, Settings

from crawler.urls import host_of

logger = logging.getLogger(__name__)

LOOK_ONLY_SETTINGS: dict[str, Any] = {
    "RUN_STATE_ENABLED": False,
    "RUN_REPORT_ENABLED": False,
    "DEFAULT_FEED_ENABLED": False,
    # One page is looked at: the sitemaps its host's robots.txt names are not crawled on the side.
    "SITE_FEEDS_ENABLED": False,
    # One page is read: in-process, without starting worker processes (crawler.pool).
    "READING_POOL_SIZE": 0,
}


def look_only(settings: Settings) -> None:
    """Switch the file-writing components off, below what ``-s`` gives on the command line.

    Set at the command-line priority because the project's settings module declares them on
    (a command's ``default_settings`` rank below the project's).
    """
    for name, value in LOOK_ONLY_SETTINGS.items():
        if (settings.getpriority(name) or 0) < SETTINGS_PRIORITIES["cmdline"]:
            settings.set(name, value, priority="cmdline")


def allow_url_host(settings: Settings, spidercls: Any, url: str | None) -> None:
    """Let a site's spider fetch ``url`` when its host is not one of the site's (a local copy, a
    mirror): the host joins ``<SITE>_ALLOWED_DOMAINS`` for this command only."""
    rules = getattr(spidercls, "site_rules", None)
    if rules is None or not url:
        return
    configured = rules.configured(settings)
    if configured.on_site(url):
        return
    host = host_of(url)
    settings.set(f"{rules.name.upper()}_ALLOWED_DOMAINS", [*configured.allowed_domains, host],
                 priority="cmdline")
    logger.info("%s is not a host of %s: allowed for this command", host, rules.name)


class LookOnly:
    """Mixin for a Scrapy command class: ``process_options`` then ``look_only``."""

    settings: Settings | None

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)  # type: ignore[misc]  # the command class's
        assert self.settings is not None
        look_only(self.settings)
