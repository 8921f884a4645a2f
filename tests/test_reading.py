"""Paragraphs as a browser shows them: source line breaks are spaces, blocks make paragraphs."""

from __future__ import annotations

from crawler.extract import extract_article
from crawler.page import ArticlePage
from crawler.reading import PageText, parse_html
from spiders.juststyle import RULES

WRAPPED = (
    "<html><body><article><h1>Mills add a second spinning line this spring</h1>"
    "<p>The mill in the valley doubled its output\n\tof organic cotton yarn this year,\r\n"
    "   its owners said on Monday.</p>\n<p>A second line\nis planned for next spring, they "
    "added, and forty new jobs\nwith it in the town.</p></article></body></html>"
)
FIRST = ("The mill in the valley doubled its output of organic cotton yarn this year, "
         "its owners said on Monday.")
SECOND = ("A second line is planned for next spring, they added, and forty new jobs with it "
          "in the town.")


def test_source_line_breaks_inside_a_paragraph_are_spaces() -> None:
    root = parse_html(WRAPPED)
    assert root is not None
    assert [b.text for b in PageText(root, "https://x/").blocks][1:] == [FIRST, SECOND]


def test_site_and_generic_bodies_have_one_paragraph_per_block() -> None:
    page = ArticlePage("https://www.just-style.com/news/wrapped/", WRAPPED, RULES)
    assert page.body() == f"{FIRST}\n\n{SECOND}"
    assert extract_article(WRAPPED)["body"] == f"{FIRST}\n\n{SECOND}"
