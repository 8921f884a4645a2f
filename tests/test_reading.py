"""Paragraphs as a browser shows them: source line breaks are spaces, blocks make paragraphs."""

from __future__ import annotations

from lxml import html as lxml_html

from crawler.extract import extract_article
from crawler.reader.document import PageText, parse_html
from crawler.reader.page import ArticlePage
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


def test_the_tree_has_lxml_html_element_classes() -> None:
    page = ("<html><body><form><input name=q><select><option>a</option></select>"
            "<textarea>t</textarea><label>l</label></form><p>text</p></body></html>")
    ours = parse_html(page)
    theirs = lxml_html.document_fromstring(page)
    assert ours is not None
    assert [type(e) for e in ours.iter()] == [type(e) for e in theirs.iter()]
    assert ours.find(".//form").inputs["q"] is not None  # a FormElement, as lxml.html's


def test_the_walk_reads_tails_after_comments_and_skips_scripts() -> None:
    # A tree from another parser may keep comments: the text after one is still read.
    root = lxml_html.fromstring("<html><body><p>one <!-- note -->two<script>x()</script> three"
                                "<br>four <a href='/a'>link</a> five</p>six</body></html>")
    blocks = PageText(root, "http://example.com/").blocks
    assert [b.text for b in blocks] == ["one two three", "four link five", "six"]
    assert [s.href for s in blocks[1].segments] == [None, "http://example.com/a", None]
