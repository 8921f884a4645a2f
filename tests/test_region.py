"""The region lookup of the generic body (crawler/reader/generic/region.py): one walk gives every
block element's words, the same words ``text_key(el.text_content())`` gives, in linear time; and
the body's other per-block questions on hostile pages, in linear time too; and pages whose lists
and tables nest past trafilatura's reach, read from their own blocks."""

from __future__ import annotations

import gzip
import logging
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import html

from crawler.cleaning import text_key
from crawler.extract import extract_article
from crawler.pool.reader import PageTask, ReaderSpec, read_page
from crawler.reader.document import parse_html
from crawler.reader.generic import body
from crawler.reader.generic import patterns as pat
from crawler.reader.generic.article import GenericArticle
from crawler.reader.generic.blocks import Block
from crawler.reader.generic.body import drop_captions, nesting
from crawler.reader.generic.region import index_elements, keep_in_region
from spiders.sjfzxm import RULES, SjfzxmArticlePage

FIXTURES = Path(__file__).parent / "fixtures"
Element = html.HtmlElement
PARAGRAPH = ("The mill in the valley doubled its output of organic cotton yarn this year, "
             "its owners said on Monday, and plans a second spinning line for next spring.")
# Time on 8n against time on n: linear is 8, quadratic 64; the factor absorbs a loaded machine
# (as tests/test_fuzz.py); below the floor (CPU seconds) a time is noise.
SCALE = 8
LINEAR_FACTOR = 24
TIME_FLOOR = 0.002


def reference_index(root: Element, keys: set[str]) -> dict[str, list[Element]]:
    """The lookup as it was written first: each block element's whole text, read again."""
    found: dict[str, list[Element]] = {}
    for el in root.iter(*pat.BLOCK_TAGS):
        key = text_key(el.text_content())
        if key in keys:
            found.setdefault(key, []).append(el)
    return found


def fixture_pages() -> list[Path]:
    return sorted(FIXTURES.rglob("page.html")) + sorted(FIXTURES.rglob("page.html.gz"))


def read(path: Path) -> Element:
    data = path.read_bytes()
    root = parse_html((gzip.decompress(data) if path.suffix == ".gz" else data).decode(
        "utf-8", "replace"))
    assert root is not None
    return root


def every_key(root: Element) -> set[str]:
    """Keys of every block element and of some parts of them (a block the extractor cut)."""
    keys = {text_key(el.text_content()) for el in root.iter(*pat.BLOCK_TAGS)}
    return keys | {" ".join(k.split()[1:]) for k in keys} | {"", "the"}


def same(found: dict[str, list[Element]], expected: dict[str, list[Element]]) -> bool:
    return {k: [id(e) for e in v] for k, v in found.items()} == {
        k: [id(e) for e in v] for k, v in expected.items()}


@pytest.mark.parametrize("path", fixture_pages(), ids=lambda p: str(p.parent.relative_to(FIXTURES)))
def test_same_elements_as_each_elements_own_text(path: Path) -> None:
    root = read(path)
    keys = every_key(root)
    assert same(index_elements(root, keys), reference_index(root, keys))


@pytest.mark.parametrize("markup", [
    "<p>cot<b>ton</b> yarn</p><p>Straße <i>STRASSE</i></p>",  # a word cut by a tag; case folding
    "<div><p>one<!-- two -->three</p><li>a<?pi x?>b</li></div>",  # comments hold no text
    "<p>  </p><p>- * -</p><td>&nbsp;</td>",  # blocks without words: the key ''
    "<ul><li>w0<td>&nbsp;y<li>w0<td>&nbsp;y<li>w0</ul>",  # unclosed soup
    "<blockquote><blockquote><p>same words</p></blockquote></blockquote>",  # one text, nested
    "<p>İstanbul ﬁbre ǅ</p><p>i̇stanbul fibre ǆ</p>",  # folding that changes lengths
])
def test_same_elements_on_odd_markup(markup: str) -> None:
    root = parse_html(f"<html><body>{markup}</body></html>")
    assert root is not None
    keys = every_key(root)
    assert same(index_elements(root, keys), reference_index(root, keys))


def _cpu(root: Element, keys: set[str]) -> float:
    started = time.process_time()
    index_elements(root, keys)
    return time.process_time() - started


def best_cpu(run: Callable[[], object], tries: int = 3) -> float:
    spent = []
    for _ in range(tries):
        started = time.process_time()
        run()
        spent.append(time.process_time() - started)
    return min(spent)


def assert_linear(prepare: Callable[[int], Callable[[], object]], size: int) -> None:
    """The work ``prepare(n)`` returns (its input built first, untimed: libxml2 is not linear in
    a page's depth) costs at most ~SCALE times as much for ``SCALE * size`` as for ``size``."""
    small_run, large_run = prepare(size), prepare(SCALE * size)
    small = best_cpu(small_run)
    large = best_cpu(large_run, tries=2)
    assert large < LINEAR_FACTOR * max(small, TIME_FLOOR), (small, large)


def test_nested_soup_is_read_in_linear_time() -> None:
    """Each level's words once cost a copy of all the words below it: 8 times the depth took
    ~50 times the time (960 snippets nest 1,920 deep, below libxml2's 2,048 levels)."""

    def soup(depth: int) -> tuple[Element, set[str]]:
        root = parse_html("<html><body>" + "<li>w0<td>&nbsp;y " * depth + "</body></html>")
        assert root is not None
        return root, {text_key("w0 y " * n) for n in range(1, depth, 7)}

    small, large = soup(120), soup(960)
    spent = min(_cpu(*large) for _ in range(3))
    assert spent < 24 * max(min(_cpu(*small) for _ in range(3)), 0.002), spent


def article(middle: str) -> str:
    return (f"<html><head><title>Mill</title></head><body><article><h1>The mill</h1>"
            f"<p>{PARAGRAPH} One.</p>{middle}<p>{PARAGRAPH} Two.</p></article></body></html>")


def test_one_paragraph_of_many_lines_is_read_in_linear_time() -> None:
    """A paragraph the extractor splits at each <br><br> is placed by its whole unit: each
    line once read the whole unit's text again (1,200 lines: 40 times the time of 150)."""

    def read(lines: int) -> Callable[[], object]:
        page = article("<p>" + "".join(f"{PARAGRAPH} {n}<br><br>" for n in range(lines)) + "</p>")
        return lambda: extract_article(page, "https://e.com/news/a.html")

    assert_linear(read, 150)


def test_captions_are_judged_in_linear_time_however_deep_the_page() -> None:
    """Whether a block is inside a <blockquote> once walked to the root per block: n blocks
    n levels deep cost n * n."""

    def judge(depth: int) -> Callable[[], object]:
        root = parse_html(article("<div>x " * depth + f"<p>{PARAGRAPH}</p>" * depth))
        assert root is not None
        paragraphs = list(root.iter("p"))
        blocks = [Block("p", PARAGRAPH, 0) for _ in paragraphs]
        found = [[p] for p in paragraphs]
        assert len(drop_captions(blocks, found)[0]) == len(blocks)  # none is a caption
        return lambda: drop_captions(blocks, found)

    assert_linear(judge, 250)


def test_blocks_are_placed_in_the_region_in_linear_time_however_deep() -> None:
    """Whether a block is in the article's region once walked up from the block to the region:
    n list items n levels below it cost n * n."""

    def keep(depth: int) -> Callable[[], object]:
        items = "".join(f"<li>item {n}</li>" for n in range(depth))
        root = parse_html(f"<html><body><div>{f'<p>{PARAGRAPH}</p>' * 20}{'<div>x ' * depth}"
                          f"{items}</div></body></html>")
        assert root is not None
        elements = list(root.iter("p", "li"))
        blocks = [Block("p" if el.tag == "p" else "item", el.text_content(), 0)
                  for el in elements]
        found = [[el] for el in elements]
        assert len(keep_in_region(blocks, found)) == len(blocks)  # all in the region
        return lambda: keep_in_region(blocks, found)

    assert_linear(keep, 250)


# --- lists and tables nested past trafilatura's reach -------------------------------------------
# One level of nesting each (the parser adds <tbody> to a table), with and without text in it.
NESTING = ("<ul><li>", "<ol><li>item ", "<dl><dd>", "<table><tr><td>", "<table><tr><td>cell ")
# Hostile sizes: 1x, 2x, 8x (8x nests 1,920 elements deep at most, below libxml2's 2,048).
NESTED_SIZES = (60, 120, 480)


def nested_page(snippet: str, depth: int) -> str:
    return article(snippet * depth + "deepest words")


def test_nesting_counts_lists_and_tables_only() -> None:
    root = parse_html("<body><div><ul><li><table><tr><td><ol><li><div><dl><dd>x</dd></dl>"
                      "</div></li></ol></td></tr></table></li></ul><ul><li>y</li></ul></div>")
    assert root is not None
    assert nesting(root) == 4
    flat = parse_html(article(""))
    assert flat is not None and nesting(flat) == 0


@pytest.mark.parametrize("snippet", NESTING)
@pytest.mark.parametrize("depth", NESTED_SIZES)
def test_deeply_nested_page_gives_a_record(snippet: str, depth: int,
                                           caplog: pytest.LogCaptureFixture) -> None:
    """500 nested lists raised RecursionError inside trafilatura; 500 nested tables took ~2 s."""
    with caplog.at_level(logging.WARNING, logger=body.__name__):
        record = extract_article(nested_page(snippet, depth), "https://e.com/news/a.html")
    assert record["body"].startswith(PARAGRAPH + " One.")
    assert record["body"].endswith(PARAGRAPH + " Two.")
    assert record["title"] == "The mill"
    assert "its body is read from the page's own blocks" in caplog.text
    assert "https://e.com/news/a.html" in caplog.text


@pytest.mark.parametrize("snippet", ["<ul><li>item ", "<table><tr><td>cell "])
def test_deeply_nested_page_is_read_in_linear_time(snippet: str) -> None:
    """trafilatura's table handling is quadratic in their nesting: the page's own blocks are not."""

    def read(depth: int) -> Callable[[], object]:
        root = parse_html(nested_page(snippet, depth))
        assert root is not None
        return lambda: GenericArticle("https://e.com/news/a.html", root).record()

    assert_linear(read, NESTED_SIZES[0])


@pytest.fixture
def trafilatura_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One item per page the body extractor hands to trafilatura."""
    calls: list[int] = []
    real = body._trafilatura_body

    def counted(root: Element, url: str | None) -> Element | None:
        calls.append(1)
        return real(root, url)

    monkeypatch.setattr(body, "_trafilatura_body", counted)
    return calls


def test_trafilatura_reads_pages_nested_up_to_the_bound(trafilatura_calls: list[int]) -> None:
    """The bound is the only change: a page nested as deep as ``MAX_NESTING`` is trafilatura's,
    one level deeper is not."""
    calls = trafilatura_calls
    extract_article(nested_page("<ul><li>item ", pat.MAX_NESTING), "https://e.com/a.html")
    assert calls == [1]
    extract_article(nested_page("<ul><li>item ", pat.MAX_NESTING + 1), "https://e.com/a.html")
    assert calls == [1]


def test_trafilatura_reads_pages_up_to_the_depth_bound(
        trafilatura_calls: list[int], caplog: pytest.LogCaptureFixture) -> None:
    """trafilatura's cost is its paragraphs times the page's depth, whatever the tags: a page
    with elements deeper than ``MAX_DEPTH`` is read from its own blocks."""
    # <html>, <body>, <article> and the paragraph: the quotes are the rest of the depth
    for quotes in (pat.MAX_DEPTH - 4, pat.MAX_DEPTH - 3):
        with caplog.at_level(logging.WARNING, logger=body.__name__):
            record = extract_article(nested_page("<blockquote>", quotes), "https://e.com/a.html")
        assert "deepest words" in record["body"] and record["title"] == "The mill"
    assert trafilatura_calls == [1]
    assert f"elements nest more than MAX_DEPTH ({pat.MAX_DEPTH}) deep" in caplog.text


def test_paragraphs_under_deep_nesting_are_read_in_linear_time() -> None:
    """Each paragraph's ancestors were looked at, in trafilatura: 4,000 paragraphs under 1,500
    divs took 3.3 s."""

    def read(depth: int) -> Callable[[], object]:
        page = ("<html><body><h1>The mill</h1>" + "<div>" * depth
                + f"<p>{PARAGRAPH}</p>" * depth + "</body></html>")
        root = parse_html(page)
        assert root is not None
        return lambda: GenericArticle("https://e.com/news/a.html", root).record()

    assert_linear(read, 240)  # 8 x 240 nest 1,920 deep, below libxml2's 2,048 levels


def test_recursion_in_trafilatura_falls_back_to_the_page_blocks(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """Whatever the nesting, trafilatura running out of stack costs the page its extractor only."""

    def out_of_stack(root: Element, url: str | None) -> Element | None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(body, "_trafilatura_body", out_of_stack)
    with caplog.at_level(logging.WARNING, logger=body.__name__):
        record = extract_article(article(""), "https://e.com/a.html")
    assert record["body"] == f"{PARAGRAPH} One.\n\n{PARAGRAPH} Two."
    assert "trafilatura ran out of stack" in caplog.text


def test_site_page_whose_fallback_body_is_nested_deep_is_read() -> None:
    """A site page whose own body is too short falls back on the generic body: in a crawl
    (the reading pool's ``read_page``), a RecursionError there lost the page."""
    html_page = ("<html><head><title>Mill</title></head><body><article><h1>The mill</h1>"
                 "<p>Short.</p>" + "<ul><li>item " * 600 + "</article></body></html>")
    spec = ReaderSpec(SjfzxmArticlePage, RULES, 2000).dumps()
    task = PageTask("http://www.sjfzxm.com/global/en/123.html", html_page.encode(), "utf-8", spec)
    reading = read_page(task)
    assert reading.article is not None
    assert reading.article.record["fallback_fields"] == ["body"]
    assert len(reading.warnings) == 1 and "nest 600 deep" in reading.warnings[0]
    assert reading.article.record["body"].startswith("Short.\n\nitem\n\nitem")
