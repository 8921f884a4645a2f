"""Page classes and a spider for the reading pool's failure tests: a page that kills, hangs or
fails its worker. Which page is marked comes from the environment (``POOL_TEST_FAULT``:
``<kind>:<url part>[,...]``, kind ``exit``, ``segfault``, ``hang``, ``slow``, ``memory``), so
that a spawned worker sees the test's choice."""

from __future__ import annotations

import os
import signal
import time
from dataclasses import replace

from crawler.dates import CHINA_TIME
from crawler.reader.page import ArticlePage
from spiders.sjfzxm import RULES, SjfzxmArticlePage, SjfzxmSpider

FAULT = "POOL_TEST_FAULT"
# Longer than any READING_TIMEOUT a test sets: the worker is killed before it wakes.
HANG_SECONDS = 600
# A slow page's reading time: well within the READING_TIMEOUT a test sets, yet two of them in a
# row are beyond it.
SLOW_SECONDS = 1.5


def fault_on(url: str) -> None:
    """Fail as the environment says when ``url`` is the marked page."""
    marks = (mark.partition(":") for mark in os.environ.get(FAULT, "").split(","))
    kind = next((kind for kind, _, part in marks if part and part in url), None)
    if kind == "exit":
        os._exit(3)
    if kind == "segfault":
        os.kill(os.getpid(), signal.SIGSEGV)
    if kind == "hang":
        time.sleep(HANG_SECONDS)
    if kind == "slow":
        time.sleep(SLOW_SECONDS)
    if kind == "memory":
        raise MemoryError(f"test fault on {url}")


class FaultyPage(SjfzxmArticlePage):
    """sjfzxm's page, failing on the marked page before it reads anything."""

    TIMEZONE = CHINA_TIME

    def record(self) -> dict:
        fault_on(self.url)
        return super().record()


class FaultySpider(SjfzxmSpider):
    name = "faulty"
    site_rules = replace(RULES, name="faulty")
    page_class: type[ArticlePage] = FaultyPage
