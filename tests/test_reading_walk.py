"""The page walk's shortcuts (issue 13) read pages as the plain reading did: same blocks, same
segments, same links, same labels."""

from __future__ import annotations

import re
import sys
from urllib.parse import urljoin

import pytest
from lxml import etree
from lxml import html as lxml_html

from crawler.reader.document import (
    SPACES,
    PageText,
    absolute_url,
    clean_label,
    entries_after,
    find_label,
    is_caption,
    page_links,
    parse_html,
)

# What clean_label stripped before it used str.strip: bullets and spaces at either end.
_BULLETS_PATTERN = re.compile(r"^[\s•·●▪■◆◇►▶>»\-–—*|:：]+|[\s•·●▪■◆◇►▶>»\-–—*|:：]+$")
LABELS = ["• Related reading:", "  ", "", "» Next »", "-a-", "a - b", "：标签：", "x\n",
          "\u3000y\u00a0", "\u200bz", "::", "a:b", "—", "*|*", "Tags: x, y ", "a\u2028",
          "\x1cq\x85"]
BASE = "https://www.example.com/news/2024/story.html?id=1"
HREFS = ["/a", "/", "//cdn.example.org/x", "http://other.org/y", "https://www.example.com/z",
         "https://", "http://[x", "https://a.b/c?", "http://a/b#", "../up", "./here", "?q=1",
         "#top", "", "HTTP://A/B", "https:/x", "http:///x", "/a/../b", "mailto:x@y"]


def test_spaces_are_the_characters_python_calls_spaces() -> None:
    assert SPACES == "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())


@pytest.mark.parametrize("text", LABELS)
def test_a_label_is_cleaned_as_the_pattern_cleaned_it(text: str) -> None:
    assert clean_label(text) == _BULLETS_PATTERN.sub("", text).strip()


@pytest.mark.parametrize("base", [BASE, "https://www.example.com", "http://h?q/x", "ftp://f/x/y",
                                  "not a url", "http://[::1]/x/y"])
def test_links_are_joined_as_urljoin_joins_them(base: str) -> None:
    for href in HREFS:
        try:
            expected = urljoin(base, href)
        except ValueError:
            expected = ""
        assert absolute_url(base, href) == expected, (base, href)


def test_page_links_are_absolute_in_order_without_repeats_nor_scripts() -> None:
    root = parse_html("<html><body><a href=' /b '>b</a><a href='javascript:go()'>j</a>"
                      "<a href='mailto:x@y'>m</a><a href='#top'>t</a><a>none</a>"
                      "<div><a href='c'>c</a><a href='/b'>again</a><a href='http://[x'>bad</a>"
                      "<a href='https://o.org/d'>d</a></div></body></html>")
    assert root is not None
    assert page_links(root, BASE) == ["https://www.example.com/b",
                                      "https://www.example.com/news/2024/c", "https://o.org/d"]
    assert page_links(root, BASE, limit=2) == ["https://www.example.com/b",
                                               "https://www.example.com/news/2024/c"]
    # a subtree's own links only, itself included when it is a link
    link = root.find(".//div/a")
    assert link is not None
    assert page_links(link, BASE) == ["https://www.example.com/news/2024/c"]


def test_blocks_carry_their_text_and_link_counts() -> None:
    root = parse_html("<html><body><p>\u00a0Mills  add\tlines <a href='/m'>More\u200b news</a> "
                      "<b>\u200b</b> here </p><p>\u200b<span>\u200b</span></p>"
                      "<ul><li>one<br>two</li></ul></body></html>")
    assert root is not None
    blocks = PageText(root, BASE).blocks
    assert [(b.tag, b.text) for b in blocks] == [("p", "Mills add lines More news here"),
                                                 ("item", "one"), ("item", "two")]
    first = blocks[0]
    assert [(s.text, s.href) for s in first.segments] == [
        ("Mills add lines", None), ("More news", "https://www.example.com/m"), ("", None),
        ("here", None)]
    assert (first.text_chars, first.link_chars) == (len("Mills add lines" "More news" "here"),
                                                    len("More news"))
    assert [b.index for b in blocks] == [0, 1, 2]
    assert {s.block for b in blocks for s in b.segments} == {0, 1, 2}


def test_the_walk_reads_tails_after_processing_instructions_and_entities() -> None:
    parser = etree.XMLParser(resolve_entities=False)
    root = etree.fromstring('<!DOCTYPE html [<!ENTITY e "v">]><html><body><p>one <?x y?>two '
                            "&e; three</p></body></html>", parser)
    assert [b.text for b in PageText(root, BASE).blocks] == ["one two three"]


def test_a_caption_box_is_judged_by_its_text_up_to_the_bound() -> None:
    root = lxml_html.fromstring("<html><body><div><img src=a.jpg><p>Spinning frames.</p></div>"
                                f"<div><img src=b.jpg><p>Short.</p><p>{'Long text. ' * 40}</p>"
                                "</div></body></html>")
    captioned, long_box = root.findall(".//div/p[1]")
    assert is_caption(captioned)
    assert not is_caption(long_box)  # its box holds far more text than it: no caption
    assert is_caption(long_box, own=1000)  # ...unless the text judged is that long itself


def test_entries_after_a_label_start_at_the_label() -> None:
    root = parse_html("<html><body><p><a href='/old'>Old story</a></p><h3>Related reading</h3>"
                      "<ul><li><a href='/one'>One</a> May 1</li><li><a href='/two'>Two</a></li>"
                      "</ul></body></html>")
    assert root is not None
    page = PageText(root, BASE)
    label = find_label(page, re.compile("related reading", re.IGNORECASE))
    assert label is not None
    entries = entries_after(page, label, lambda url: True)
    assert [(e.url, e.title, e.extra) for e in entries] == [
        ("https://www.example.com/one", "One", "May 1"), ("https://www.example.com/two", "Two", "")]


@pytest.mark.parametrize("top", ["span", "a", "b"])
def test_a_container_that_is_no_block_keeps_its_last_block(top: str) -> None:
    # issue 10: the text after a container's last block element was read and never kept
    root = etree.fromstring(
        f"<{top} href='/x'>lead <p>Inner paragraph.</p> closing words<br/>last line</{top}>")
    assert [b.text for b in PageText(root, BASE).blocks] == [
        "lead", "Inner paragraph.", "closing words", "last line"]
    only_text = etree.fromstring(f"<{top}>Only text.</{top}>")
    assert [b.text for b in PageText(only_text, BASE).blocks] == ["Only text."]


def test_a_page_without_body_keeps_its_last_block() -> None:
    root = etree.fromstring("<html><p>First.</p>Trailing text.</html>")
    assert [b.text for b in PageText(root, BASE).blocks] == ["First.", "Trailing text."]


# Links where the walk reads no text (the <head>, <noscript>, <svg>, a <select>), blank and
# script links, repeats, a link that cannot be joined.
LINKS_PAGE = (
    "<html><head><title>t</title></head><body><a href=' /b '>b</a><a href=' '>blank</a>"
    "<noscript><a href='/n'>n</a><p><a href='/np'>np</a></p></noscript>"
    "<a href='javascript:go()'>j</a><a href='mailto:x@y'>m</a><a href='#top'>t</a><a>none</a>"
    "<svg><a href='/svg'>s</a></svg><div><a href='c'>c</a><a href='/b'>again</a>"
    "<a href='http://[x'>bad</a><select><option><a href='/o'>o</a></option></select>"
    "<a href='https://o.org/d'>d</a></div><script>var a = '<a href=\"/s\">';</script>"
    "</body></html>")


@pytest.mark.parametrize("limit", [None, 1, 2, 3, 5, 100])
def test_the_walk_gives_the_page_links(limit: int | None) -> None:
    root = parse_html(LINKS_PAGE)
    assert root is not None
    head = root.find("head")
    assert head is not None
    head.append(lxml_html.fromstring("<a href='/in-head'>h</a>"))  # only a built tree has one
    walked = PageText(root, BASE).links(limit)
    assert walked == page_links(root, BASE, limit)
    assert "https://www.example.com/in-head" in PageText(root, BASE).links()
    assert "https://www.example.com/n" in PageText(root, BASE).links()


def test_odd_text_is_told_as_the_pattern_tells_it() -> None:
    # plain ASCII text skips the regex: its answer must be the regex's on every kind of text
    from itertools import product

    from crawler.reader.document import _ODD_TEXT, _may_be_odd

    pieces = ["a", " ", "\t", "\n", "\x1c", "\x7f", "\u00a0", "\u200b", "é", "\u3000", "\ufeff",
              "\u00ad", "\u2028", "."]
    for size in range(4):
        for parts in product(pieces, repeat=size):
            text = "".join(parts)
            assert _may_be_odd(text) == bool(_ODD_TEXT.search(text)), repr(text)
