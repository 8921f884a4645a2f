"""A site's page class travels to a reading worker by its declarations (crawler.pool.pageclass):
the worker reads the same record without importing the site module or Scrapy."""

from __future__ import annotations

import importlib
import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.pool import pageclass
from crawler.pool.reader import ReaderSpec
from crawler.reader.page import ArticlePage
from spiders.sjfzxm import RULES, SjfzxmArticlePage
from tests.pool_pages import FaultyPage

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "tests" / "fixtures" / "sjfzxm" / "article-587064-portal"
SITE_MODULES = sorted(p.stem for p in (ROOT / "spiders").glob("*.py") if not p.stem.startswith("_"))
# A fresh interpreter: read the pickled spec's page from stdin, print the record and what the
# reading imported.
READ_IN_FRESH_PROCESS = """
import json, pickle, sys
from crawler.pool.reader import PageTask, read_page
spec, url, body, encoding = pickle.loads(sys.stdin.buffer.read())
reading = read_page(PageTask(url, body, encoding, spec))
print(json.dumps({"record": reading.article.record, "scrapy": "scrapy" in sys.modules,
                  "site module": any(m.startswith("spiders") for m in sys.modules)}, default=str))
"""


def site_page_classes() -> list[type]:
    found = []
    for name in SITE_MODULES:
        module = importlib.import_module(f"spiders.{name}")
        found += [value for value in vars(module).values()
                  if isinstance(value, type) and issubclass(value, ArticlePage)
                  and value.__module__ == module.__name__]
    return found


@pytest.mark.parametrize("cls", site_page_classes(), ids=lambda c: c.__name__)
def test_every_site_page_class_travels_by_its_declarations(cls: type) -> None:
    copy = pickle.loads(pageclass.dumps(cls, ArticlePage))
    assert copy is not cls and issubclass(copy, ArticlePage)
    assert (copy.__name__, copy.__qualname__, copy.__module__) == (
        cls.__name__, cls.__qualname__, cls.__module__)
    assert pageclass.declarations(copy) == pageclass.declarations(cls)
    assert copy.__mro__[1:] == cls.__mro__[1:]


def test_a_worker_reads_the_same_record_without_scrapy() -> None:
    meta = json.loads((ARTICLE / "meta.json").read_text("utf-8"))
    body = (ARTICLE / "page.html").read_bytes()
    spec = ReaderSpec(SjfzxmArticlePage, RULES, max_links=2000).dumps()
    result = subprocess.run([sys.executable, "-c", READ_IN_FRESH_PROCESS], cwd=ROOT,
                            input=pickle.dumps((spec, meta["url"], body, meta["encoding"])),
                            capture_output=True, check=True)
    read = json.loads(result.stdout)
    expected = SjfzxmArticlePage(meta["url"], body.decode(meta["encoding"]), RULES).record()
    assert read["record"] == json.loads(json.dumps(expected, default=str))
    assert (read["scrapy"], read["site module"]) == (False, False)


def test_a_page_class_with_methods_travels_by_name() -> None:
    assert pageclass.declarations(FaultyPage) is None  # it overrides record()
    assert pickle.loads(pageclass.dumps(FaultyPage, ArticlePage)) is FaultyPage


def test_a_plain_subclass_of_a_plain_site_class_brings_its_base_by_value() -> None:
    class Regional(SjfzxmArticlePage):
        LANGUAGE = "zh"

    copy = pickle.loads(pageclass.dumps(Regional, ArticlePage))
    assert copy.LANGUAGE == "zh" and copy.SITE_NAMES == SjfzxmArticlePage.SITE_NAMES
    assert copy.__bases__[0] is not SjfzxmArticlePage
    assert copy.__bases__[0].__bases__ == SjfzxmArticlePage.__bases__


def test_the_base_page_class_and_other_values_pickle_as_usual() -> None:
    spec = (ArticlePage, RULES, {"a": (1, "b")})
    assert pickle.loads(pageclass.dumps(spec, ArticlePage)) == spec
