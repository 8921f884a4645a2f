"""Shared test helpers: build real components with Scrapy's get_crawler()."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.utils.test import get_crawler

from crawler import shared
from spiders.sjfzxm import SjfzxmSpider

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def crawler(tmp_path: Path):
    """A crawler of the sjfzxm spider with its state in a temporary directory."""
    settings = {"STATE_DIR": str(tmp_path / "state"), "DATA_DIR": str(tmp_path / "data")}
    crawler = get_crawler(SjfzxmSpider, settings)
    yield crawler
    store = shared.ARTICLE_STORE.get(crawler)
    if store is not None:
        store.close()
