"""What the project switches off in Scrapy to save reactor CPU per page, and why that is safe."""

from __future__ import annotations

import inspect

import pytest
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.misc import is_generator_with_return_value
from scrapy.utils.project import get_project_settings

SETTINGS = get_project_settings()
SPIDERS = SpiderLoader.from_settings(SETTINGS)


def callbacks() -> list[tuple[str, object]]:
    found = []
    for name in SPIDERS.list():
        spider = SPIDERS.load(name)
        for attribute, value in inspect.getmembers(spider, inspect.isfunction):
            if attribute.startswith(("parse", "on_")) or attribute == "closed":
                found.append((f"{name}.{attribute}", value))
    return found


@pytest.mark.parametrize(("name", "callback"), callbacks(), ids=lambda v: v if isinstance(v, str)
                         else "")
def test_no_callback_is_a_generator_that_returns_a_value(name, callback) -> None:
    # What WARN_ON_GENERATOR_RETURN_VALUE would warn about at run time, checked here once.
    assert not is_generator_with_return_value(callback), name


def test_the_runtime_check_is_off_and_items_run_a_few_at_a_time() -> None:
    assert SETTINGS.getbool("WARN_ON_GENERATOR_RETURN_VALUE") is False
    assert 1 <= SETTINGS.getint("CONCURRENT_ITEMS") <= 16
