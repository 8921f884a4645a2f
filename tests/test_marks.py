"""The page's marked elements (crawler.reader.fields.marks) answer each reader's whole-tree XPath
query
exactly: the same values or elements, in the same order, on markup that tests every predicate."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from lxml import html

from crawler.reader.document import PageText
from crawler.reader.fields import authors, keywords, published, text_of, xpath
from crawler.reader.fields.marks import PageMarks

# Each predicate of the queries, met and narrowly missed.
TRICKY_BODY = """
<!-- a comment is no element -->
<p data-publish-date="2026-01-29T10:00:00Z" data-modified-date="2026-01-30" data-src="x.jpg"
   data-pubdate="2026-01-28" data-deploy-dt="2026-01-27 08:00" data-PUBLISHED="no">teaser</p>
<abbr class="published" title="2026-01-26">Jan 26</abbr>
<abbr class="unpublished-note" title="2026-01-25">Jan 25</abbr>
<abbr class="published">no title</abbr>
<span class="Published" title="2026-01-24">not an abbr</span>
<span itemprop="datePublished" content="2026-01-23" datetime="2026-01-22T09:00">shown</span>
<time datetime="2026-01-21T08:00:00+01:00">21.1.</time><time datetime="">empty</time>
<time>none</time>
<a rel="tag" href="/t/a">A</a>
<a rel=" nofollow	tag
 " href="/t/b">B</a>
<a rel="category tag" href="/c">Category</a>
<a rel="Tag" href="/t/c">upper case</a>
<a rel="tags" href="/t/d">plural</a>
<a rel="tag&#160;x" href="/t/e">no-break space is no XPath space</a>
<span rel="tag">not a link</span>
<ul class="tags"><li>one</li></ul><div class="post-keywords">k</div><div class="Tags">upper</div>
<div itemprop="author"><span itemprop="name">Anna Weber</span></div>
<div itemprop="author"><div><b itemprop="name">Ben Ode</b></div></div>
<span itemprop="author">Cleo Park</span>
<link itemprop="author" href="/cleo"><meta itemprop="author" content="Meta Person">
<span itemprop="name">a name outside any author</span>
<span class="byline__name">Dan Roe</span><span class="byline">Eve</span>
<a rel="author" href="/author/admin/">admin</a><a rel="author me" href="/me">Me</a>
"""
TRICKY_PAGE = (f'<html data-published-at="2026-01-20"><head><title>t</title>'
               f'<meta itemprop="datePublished" content="2026-01-19"></head>'
               f"<body>{TRICKY_BODY}</body></html>")
PLAIN_PAGE = ("<html><head><title>t</title></head>"
              "<body><p class='x'>Nothing marked.</p></body></html>")

# Each question of PageMarks, and the XPath query that defines it.
QUESTIONS: list[tuple[str, Callable[[PageMarks], list[Any]], Callable[[Any], list[Any]]]] = [
    ("time", PageMarks.time_datetimes,
     lambda root: [str(v) for v in xpath(root, published.TIME_XPATH)]),
    ("published microformats", PageMarks.published_microformats,
     lambda root: [str(v) for v in xpath(root, published.MICROFORMAT_XPATH)]),
    ("data- publication", PageMarks.data_published,
     lambda root: [(a.attrname, str(a)) for a in xpath(root, published.DATA_PUBLISHED_XPATH)]),
    ("tag links", PageMarks.tag_links, lambda root: xpath(root, keywords.TAG_LINK_XPATH)),
    ("tag classes", PageMarks.tag_classed, lambda root: xpath(root, keywords.TAG_LIST_XPATH)),
    ("author microformats", PageMarks.author_microformats,
     lambda root: xpath(root, authors.MICROFORMAT_XPATH)),
    ("author links", PageMarks.author_links, lambda root: xpath(root, '//a[@rel="author"]')),
]


@pytest.mark.parametrize("page", [TRICKY_PAGE, PLAIN_PAGE], ids=["tricky", "plain"])
@pytest.mark.parametrize(("name", "answer", "query"), QUESTIONS, ids=[q[0] for q in QUESTIONS])
def test_each_answer_is_its_xpath_query(page: str, name: str,
                                        answer: Callable[[PageMarks], list[Any]],
                                        query: Callable[[Any], list[Any]]) -> None:
    root = html.document_fromstring(page)
    assert answer(PageMarks(root)) == query(root)


def test_the_tricky_page_meets_every_predicate() -> None:
    # the equality above means something only where the queries find things
    marks = PageMarks(html.document_fromstring(TRICKY_PAGE))
    assert marks.time_datetimes() == ["2026-01-21T08:00:00+01:00", ""]
    # contains(@class, "published") takes "unpublished-note" too: the query's meaning is kept
    assert marks.published_microformats() == [
        "2026-01-26", "2026-01-25", "2026-01-23", "2026-01-22T09:00"]
    assert [name for name, _ in marks.data_published()] == [
        "data-published-at", "data-publish-date", "data-pubdate", "data-deploy-dt",
        "data-published"]  # the parser lower-cases names; "data-modified-date" names no publi
    assert [a.text for a in marks.tag_links()] == ["A", "B"]
    assert [e.get("class") for e in marks.tag_classed()] == ["tags", "post-keywords"]
    assert [text_of(e) for e in marks.author_microformats()] == [
        "Anna Weber", "Ben Ode", "Cleo Park", "Dan Roe", "admin"]
    assert [a.text for a in marks.author_links()] == ["admin"]


def test_a_subtree_is_read_as_its_whole_document() -> None:
    # as an absolute XPath query (//...) does from any node
    root = html.document_fromstring(TRICKY_PAGE)
    body = root.find("body")
    assert body is not None
    assert PageMarks(body).elements == PageMarks(root).elements


# Marked elements where the walk does not read text: the <head>, a <script>, an <svg>, a
# <noscript>, a <br>; and the root itself.
HIDDEN_MARKS_PAGE = (
    '<html class="tag-page"><head><meta itemprop="datePublished" content="2026-01-19">'
    '<link rel="author" href="/a"><script data-pubdate="2026-01-18"></script></head><body>'
    '<p>Text <br class="published"> more <span itemprop="author">Ann Lee</span></p>'
    '<svg class="icon"><g class="tags"><a rel="tag" href="/t">t</a></g></svg>'
    '<noscript><a rel="author" href="/n">N</a><time datetime="2026-01-17">x</time></noscript>'
    '<select><option class="keyword">k</option></select>'
    f"{TRICKY_BODY}</body></html>")


@pytest.mark.parametrize("page", [TRICKY_PAGE, PLAIN_PAGE, HIDDEN_MARKS_PAGE],
                         ids=["tricky", "plain", "hidden"])
def test_the_page_walk_finds_the_same_marked_elements(page: str) -> None:
    root = html.document_fromstring(page)
    walked = PageText(root, "https://example.com/", marks=True).marked
    assert walked == PageMarks(root).elements
    assert PageText(root, "https://example.com/").marked is None  # asked for only


def test_the_hidden_marks_are_found() -> None:
    marks = PageMarks(html.document_fromstring(HIDDEN_MARKS_PAGE))
    assert [e.tag for e in marks.elements[:11]] == [
        "html", "meta", "link", "script", "br", "span", "g", "a", "a", "time", "option"]


def test_the_plain_attributes_are_never_a_mark() -> None:
    # an element carrying only these is passed over: none may be a name a mark is read from
    from crawler.reader.fields.marks import DATA_PREFIX, MARKING_ATTRIBUTES, PLAIN_ATTRIBUTES

    assert not PLAIN_ATTRIBUTES & (MARKING_ATTRIBUTES | {"class"})
    assert not any(name.startswith(DATA_PREFIX) for name in PLAIN_ATTRIBUTES)
    root = html.document_fromstring(
        "<html><body><a href='/x' title='t' target='_blank'>plain</a>"
        "<a href='/y' title='t' rel='tag'>tag</a><img src='a.jpg' alt='a' class='tagged'>"
        "<span id='s' data-pubdate='2026-01-02'>d</span></body></html>")
    assert [e.text or e.tag for e in PageMarks(root).elements] == ["tag", "img", "d"]


def test_a_page_read_from_a_subtree_still_asks_the_whole_document() -> None:
    from crawler.reader.page.layout import PageLayout
    from crawler.site import SiteRules

    root = html.document_fromstring(HIDDEN_MARKS_PAGE)
    rules = SiteRules("example", ("example.com",), ("https://example.com/",), r"/a$", r"/")
    whole = PageLayout("https://example.com/a", "", rules, root).marks
    body = PageLayout("https://example.com/a", "", rules, root.find("body")).marks
    assert whole is not None and body is not None
    assert whole.elements == body.elements == PageMarks(root).elements
