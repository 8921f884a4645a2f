"""Other layouts of the target sites' CMSs (WordPress block and classic themes), written from
public knowledge of their markup: the site reader and the generic reader read the whole body,
in paragraphs, and nothing of the next article's teaser, the captions, tags or widgets.

A case is ``tests/fixtures/layouts/<case>/page.html`` with ``truth.json`` (url, body,
body_excludes).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.extract import extract_article
from spiders.textileworld import RULES, TextileworldArticlePage

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"
CASES = sorted(p.name for p in LAYOUTS.iterdir() if (p / "truth.json").exists())


def load(case: str) -> tuple[str, dict[str, object]]:
    folder = LAYOUTS / case
    return (folder / "page.html").read_text("utf-8"), json.loads(
        (folder / "truth.json").read_text("utf-8"))


def check(body: str | None, truth: dict[str, object]) -> None:
    assert body == truth["body"]
    excluded = truth["body_excludes"]
    assert isinstance(excluded, list)
    assert [snippet for snippet in excluded if snippet in body] == []


@pytest.mark.parametrize("case", CASES)
def test_site_reader_reads_the_whole_body_and_no_teaser(case: str) -> None:
    html, truth = load(case)
    record = TextileworldArticlePage(str(truth["url"]), html, RULES).record()
    check(record["body"], truth)
    assert "body" not in record["fallback_fields"]


@pytest.mark.parametrize("case", CASES)
def test_generic_reader_reads_the_whole_body_and_no_teaser(case: str) -> None:
    html, truth = load(case)
    check(extract_article(html, url=str(truth["url"]))["body"], truth)
