"""The generic extractor on our own fixture pages, field by field, plus edge cases and the CLI."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.extract import FIELDS, extract_article
from crawler.extract.dates import to_iso
from crawler.extract.encoding import detect_encoding

FIXTURES = Path(__file__).parent / "fixtures" / "extract"
REPO = Path(__file__).resolve().parent.parent
CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "expected.json").exists())
CHECKED = ("title", "published_at", "authors", "body", "language", "lead_image", "keywords",
           "section", "description")


def _load(case: str) -> tuple[bytes, str, dict]:
    folder = FIXTURES / case
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    return (folder / "page.html").read_bytes(), meta["url"], expected


@pytest.fixture(scope="module")
def extracted() -> dict[str, dict]:
    return {case: extract_article(*_load(case)[:2]) for case in CASES}


@pytest.mark.parametrize("field", CHECKED)
@pytest.mark.parametrize("case", CASES)
def test_fixture_field(extracted: dict[str, dict], case: str, field: str) -> None:
    assert extracted[case][field] == _load(case)[2][field]


def test_cases_present() -> None:
    assert {"news_article", "table_layout", "jsonld_thin", "no_article", "gbk_meta",
            "cp1252_meta"} <= set(CASES)


def test_news_article_drops_page_furniture(extracted: dict[str, dict]) -> None:
    body = extracted["news_article"]["body"]
    for junk in ("Read more", "newsletter", "Related stories", "Wool auction", "Copyright",
                 "Cotton prices climb as mills restock\n"):
        assert junk not in body
    assert body.count("\n\n") == 5  # six paragraphs, one blank line between each


def test_every_field_present(extracted: dict[str, dict]) -> None:
    for record in extracted.values():
        assert set(FIELDS) <= set(record)
        assert isinstance(record["authors"], list) and isinstance(record["keywords"], list)


@pytest.mark.parametrize("page", ["", b"", "   ", b"\xef\xbb\xbf"])
def test_empty_page(page: str | bytes) -> None:
    record = extract_article(page, url="https://x.example/a")
    assert record["body"] == "" and record["title"] is None and record["authors"] == []
    assert record["url"] == "https://x.example/a"


def test_str_and_bytes_agree() -> None:
    page, url, _ = _load("cp1252_meta")
    as_text = page.decode("cp1252")
    assert extract_article(as_text, url=url)["body"] == extract_article(page, url=url)["body"]


def test_http_charset_beats_meta() -> None:
    page = "<html><head><meta charset='windows-1252'></head><body><p>Ærø</p></body></html>"
    assert detect_encoding(page.encode("utf-8"), "utf-8") == "utf-8"
    assert detect_encoding(page.encode("cp1252")) == "cp1252"


def test_encoding_bom_and_guess() -> None:
    assert detect_encoding(b"\xef\xbb\xbf<html></html>", "latin-1") == "utf-8"
    chinese = "<p>纺织品服装出口稳中有升，订单回暖迹象明显。</p>".encode("gbk") * 20
    assert detect_encoding(chinese) in ("gb18030", "gbk", "gb2312")


def test_huge_page_is_fast_and_finds_article() -> None:
    noise = "".join(
        f"<div class='c'><a href='/x/{i}'>Other story number {i}</a> <span>comment {i}</span></div>"
        for i in range(20_000)
    )
    article = "".join(
        f"<p>Paragraph {i} of the real article about woven fabrics, with enough words to count "
        f"as text rather than navigation for any extractor.</p>" for i in range(200)
    )
    page = f"<html><body><nav>{noise}</nav><article>{article}</article></body></html>"
    start = time.perf_counter()
    body = extract_article(page.encode("utf-8"))["body"]
    assert time.perf_counter() - start < 15
    assert "Paragraph 0 of the real article" in body and "Paragraph 199 of" in body
    assert "Other story number" not in body


@pytest.mark.parametrize(("raw", "iso"), [
    ("2024-03-05T08:30:00+08:00", "2024-03-05T08:30:00+08:00"),
    ("2019-11-19T10:00:00Z", "2019-11-19T10:00:00+00:00"),
    ("2019-11-19 10:00:00 +0100", "2019-11-19T10:00:00+01:00"),
    ("Tue, 19 Nov 2019 10:00:00 GMT", "2019-11-19T10:00:00+00:00"),
    ("2019-11-19", "2019-11-19"),
    ("yesterday", None),
])
def test_dates_to_iso(raw: str, iso: str | None) -> None:
    assert to_iso(raw) == iso


def test_cli_on_gzip_file() -> None:
    path = FIXTURES / "cli_gzip" / "page.html.gz"
    out = subprocess.run(
        [sys.executable, "-m", "crawler.extract", str(path), "--url", "https://t.example/a"],
        cwd=REPO, capture_output=True, text=True, timeout=60, check=True,
    )
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["file"] == str(path)
    assert record["title"] == "Cotton prices climb as mills restock"
    assert record["authors"] == ["Li Wei", "Anna Berg"]
    assert record["body"].startswith("Cotton futures rose for a fourth straight session")
    assert record["lead_image"] == "https://t.example/img/cotton-bales.jpg"
    assert gzip.decompress(path.read_bytes()).startswith(b"<!DOCTYPE html>")


def test_cli_url_needs_single_file() -> None:
    path = str(FIXTURES / "cli_gzip" / "page.html.gz")
    out = subprocess.run(
        [sys.executable, "-m", "crawler.extract", path, path, "--url", "https://t.example/a"],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )
    assert out.returncode != 0 and "single FILE" in out.stderr
