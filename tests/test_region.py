"""The region lookup of the generic body (crawler/reader/generic/region.py): one walk gives every
block element's words, the same words ``text_key(el.text_content())`` gives, in linear time; and
the body's other per-block questions on hostile pages, in linear time too."""

from __future__ import annotations

import gzip
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import html

from crawler.cleaning import text_key
from crawler.extract import extract_article
from crawler.reader.document import parse_html
from crawler.reader.generic import patterns as pat
from crawler.reader.generic.blocks import Block
from crawler.reader.generic.body import drop_captions
from crawler.reader.generic.region import index_elements, keep_in_region

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
