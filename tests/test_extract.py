"""The generic extractor on our own fixture pages, field by field, plus edge cases and the CLI."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lxml import html

from crawler.dates import metadata_date_iso
from crawler.extract import FIELDS, extract_article
from crawler.reader.document import Block
from crawler.reader.fields.title import guess_site_cut, site_stripped
from crawler.reader.generic.encoding import detect_encoding
from crawler.reader.generic.filters import (
    PageContext,
    drop_closing_tags,
    drop_company_box,
    drop_header_lines,
    drop_link_lists,
    drop_repeated_teaser_labels,
    drop_trailing_link_list,
)
from crawler.reader.generic.language import guess_language
from crawler.reader.metadata import PageMetadata

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
            "cp1252_meta", "split_chunks"} <= set(CASES)


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
    # generous: linear work takes ~1 s, a shared machine under load may be twenty times slower
    assert time.perf_counter() - start < 60
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
    assert metadata_date_iso(raw) == iso


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


def test_split_article_keeps_every_chunk_and_the_tweet(extracted: dict[str, dict]) -> None:
    body = extracted["split_chunks"]["body"]
    assert body.startswith("Three of the largest denim mills")
    assert "Recycled fibre is shorter than virgin staple" in body  # the second container
    assert "spinning hall. pic.twitter.com/x\n\n— Indigo Mill (@indigomill) May 3, 2024" in body
    assert body.endswith("over the next two years.")  # the company box after it is dropped
    assert "Advertisement" not in body and "Copyright" not in body


@pytest.mark.parametrize(("title", "site", "guess", "stripped"), [
    ("Denim mills bet on recycled cotton | Woven Wire", "Woven Wire", False,
     "Denim mills bet on recycled cotton"),
    ("Woven Wire - Denim mills bet on recycled cotton", "Woven Wire", False,
     "Denim mills bet on recycled cotton"),
    ("Q3 results - what mills said - WovenWire.com", "WovenWire.com", False,
     "Q3 results - what mills said"),
    ("Denim mills bet on recycled cotton - Woven Wire", None, True,
     "Denim mills bet on recycled cotton"),
    ("Denim mills bet on recycled cotton - Woven Wire", None, False,
     "Denim mills bet on recycled cotton - Woven Wire"),
    ("Review: a loom - the long story of how Lyon weaves silk", None, True,
     "Review: a loom - the long story of how Lyon weaves silk"),
    ("No separator here", "Woven Wire", True, "No separator here"),
])
def test_strip_site_name(title: str, site: str | None, guess: bool, stripped: str) -> None:
    """The title rules of crawler.reader.fields.title (the one place site names are cut)."""
    guessed = guess_site_cut(title) if guess else title
    assert site_stripped(guessed, [site] if site else []) == stripped


def test_title_from_html_title_loses_site_name() -> None:
    page = ("<html><head><title>Mills restock cotton - Knit News</title></head><body>"
            "<p>Short.</p></body></html>")
    assert extract_article(page)["title"] == "Mills restock cotton"


@pytest.mark.parametrize(("text", "lang"), [
    ("The mills said that the cotton was cheaper this year, and that they have more orders "
     "from the brands which were waiting for lower prices.", "en"),
    ("Die Spinnereien sagen, dass die Baumwolle nicht mehr so teuer ist und dass sich die "
     "Nachfrage auf dem Markt auch wieder erholt hat, wie es die Messe erwartet.", "de"),
    ("Les filatures disent que le coton est moins cher cette année et que les commandes "
     "des marques sont en hausse pour les tissus qui sont vendus dans les magasins.", "fr"),
    ("As fiações dizem que o algodão está mais barato e que os pedidos das marcas não "
     "param de crescer, com a procura pelo tecido do Brasil também em alta.", "pt"),
    ("纺织品服装出口稳中有升，订单回暖迹象明显。", "zh"),
    ("섬유 수출이 회복세를 보이고 있다.", "ko"),
    ("Cotton 2024: 12 / 14 / 16", None),
])
def test_guess_language(text: str, lang: str | None) -> None:
    assert guess_language(text) == lang


def test_text_overrules_a_declared_language_it_contradicts() -> None:
    page = "<html lang='fr'><body><p>" + "The mill is open and the looms are running. " * 9
    record = extract_article(page + "</p></body></html>")
    assert (record["language"], record["sources"]["language"]) == ("en", "text")


def test_declared_language_wins_when_the_text_agrees_or_is_too_short() -> None:
    agreeing = "<html lang='en-GB'><body><p>" + "The mill is open and the looms run. " * 9
    short = "<html lang='de'><body><p>The mill is open.</p></body></html>"
    assert extract_article(agreeing + "</p></body></html>")["language"] == "en"
    assert extract_article(short)["language"] == "de"


def _blocks(*specs: tuple[str, str, int]) -> list[Block]:
    return [Block(tag, text, links) for tag, text, links in specs]


def test_trailing_link_list_after_a_label_is_dropped() -> None:
    body = _blocks(("p", "A long paragraph of the article itself, ending here.", 0),
                   ("p", "More Great Stories", 0),
                   ("item", "How mills buy cotton", 20), ("item", "Why looms stop", 14))
    assert drop_trailing_link_list(body, PageContext()) == body[:1]
    # a list the article ends on, without links, stays
    plain = _blocks(*[(b.tag, b.text, 0) for b in body])
    assert drop_trailing_link_list(plain, PageContext()) == plain


def test_closing_tag_list_is_dropped_in_any_language() -> None:
    article = _blocks(("p", "A long paragraph of the article itself, ending here.", 0))
    for label in ("Tags:", "- Etiketler :", "Schlagworte"):
        tags = _blocks(("item", label, 0), ("item", "Spor", 0), ("item", "Galatasaray", 11))
        assert drop_closing_tags(article + tags, PageContext()) == article
    # a label followed by a paragraph is not a tag list
    topics = _blocks(("p", "Topics", 0), *[(b.tag, b.text, 0) for b in article])
    assert drop_closing_tags(topics, PageContext()) == topics


def test_link_dense_runs_leave_with_their_label() -> None:
    body = _blocks(("p", "A long paragraph of the article itself, ending here.", 0),
                   ("p", "DON'T MISS", 0),
                   ("p", "China furious at Macron [INSIGHT]", 30),
                   ("p", "Lakers vs Nets decision [VIDEO]", 26),
                   ("p", "The article goes on with another long paragraph here.", 0))
    assert drop_link_lists(body, PageContext()) == [body[0], body[4]]


def test_linked_lines_sharing_a_label_are_teasers_in_any_language() -> None:
    para = ("p", "A long paragraph of the article itself, which goes on for a while here.", 0)
    body = _blocks(para, ("p", "FUNDA OLUNYE UDABA LAPHA | Kuboshwe abahlanu besolwa", 32),
                   para, ("p", "FUNDA OLUNYE UDABA LAPHA | Uphenyo kutholwa abangani", 28))
    assert drop_repeated_teaser_labels(body, PageContext()) == [body[0], body[2]]
    # a label met once, a URL, or linked handles are not that shape
    kept = _blocks(para, ("p", "Account: @darkzip", 8), ("p", "Account: @okuprin", 8),
                   ("p", "http://amzn.to/2iJFhRj", 22), ("p", "http://amzn.to/2hZfWFJ", 22),
                   ("p", "FUNDA OLUNYE UDABA LAPHA | Kuboshwe abahlanu besolwa", 32))
    assert drop_repeated_teaser_labels(kept, PageContext()) == kept


def test_date_lines_and_bylines_above_the_first_paragraph_are_dropped() -> None:
    body = _blocks(("p", "Stand: 22.04.2024, 06:00 Uhr", 0), ("p", "Von Nina Magoley", 0),
                   ("p", "A long paragraph of the article itself, ending here.", 0))
    assert drop_header_lines(body, PageContext()) == body[2:]


def test_company_box_closing_a_press_release_is_dropped() -> None:
    body = _blocks(*[("p", f"Paragraph {i} of the release about the new spinning line.", 0)
                     for i in range(4)],
                   ("p", "About Acme Textiles", 0),
                   ("p", "Acme Textiles is a leading yarn manufacturer founded in 1950.", 0))
    assert drop_company_box(body, PageContext()) == body[:4]
    defined = body[:4] + _blocks(
        ("p", "Acme is a global fibre company. It is headquartered in Lyon.", 0))
    assert drop_company_box(defined, PageContext()) == body[:4]
    # a company defined early in the article is news, not boilerplate
    early = defined[-1:] + body[:4]
    assert drop_company_box(early, PageContext()) == early


def test_page_metadata_reads_graph_tags_and_names() -> None:
    page = """<html lang="en"><head><title>Cotton | Knit News</title>
    <meta property="og:title" content=" Cotton  climbs "><meta name="author" content="A">
    <meta name="author" content="B"><meta http-equiv="content-language" content="en-GB">
    <script type="application/ld+json">{"@graph": [{"@type": "WebSite", "name": "Knit News"},
      {"@type": "NewsArticle", "headline": "Cotton climbs",
       "author": [{"@type": "Person", "name": "Li Wei"}, "Anna Berg"],
       "publisher": {"name": "Knit News"}}]}</script></head><body></body></html>"""
    md = PageMetadata(html.fromstring(page))
    assert md.first("twitter:title", "og:title") == "Cotton climbs"
    assert md.all("author") == ["A", "B"] and md.first("content-language") == "en-GB"
    assert md.ld_text("headline") == "Cotton climbs" and md.ld_text("publisher") == "Knit News"
    assert md.ld_names("author") == ["Li Wei", "Anna Berg"]
    assert md.lang == "en" and md.html_title == "Cotton | Knit News"
