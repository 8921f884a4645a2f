"""Author rules (crawler.reader.fields.authors), each on markup written from how real CMSs state the
author: WordPress with Yoast SEO or Rank Math, Co-Authors Plus bylines, Arc/Parse.ly meta,
German public broadcasters' desk codes, Vietnamese and South African portals' sign-offs.
Every page goes through both readers: ``extract_article`` and a site module's page."""

from __future__ import annotations

import json
from typing import Any

import pytest

from crawler.extract import extract_article
from crawler.generic import GenericArticlePage, GenericRules
from crawler.reader import metadata
from crawler.reader.fields.authors import split_names

URL = "https://news.example.org/2025/04/16/mills-restock-cotton/"
HEADLINE = "<h1>Mills restock cotton as prices fall</h1>"
# Running text: the article's paragraphs (three or more, each a full sentence or two).
PARAGRAPHS = "".join(
    f"<p>Paragraph {n} of the article says how spinning mills bought cotton this week, "
    "and why traders expect prices to keep falling until the next harvest.</p>"
    for n in range(1, 5))
STANDFIRST = ("<p class=\"standfirst\">Spinning mills across the region bought more raw "
              "cotton this week than in any week since January, traders said on Tuesday.</p>")


def page(head: str = "", body: str = "", article: str = PARAGRAPHS) -> str:
    return (f"<html><head><title>Mills restock cotton</title>{head}</head><body>"
            f"<article>{HEADLINE}{body}<div class=\"content\">{article}</div></article>"
            "</body></html>")


def ld(obj: dict[str, Any]) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


def authors(html: str, url: str = URL) -> tuple[list[str], str | None]:
    """The authors and their source from the generic reader; a site module's page agrees."""
    record = extract_article(html, url=url)
    rules = GenericRules("example", (url.split("/")[2],), (url,))
    assert GenericArticlePage(url, html, rules).record()["authors"] == record["authors"]
    return record["authors"], record["sources"].get("authors")


def test_yoast_labelled_author_pair_when_meta_author_is_an_address() -> None:
    """Yoast SEO writes the author for link previews as twitter:label1/data1 ("Written by"),
    or as twitter:misc:Written by; meta author may hold the login e-mail."""
    pair = ('<meta name="author" content="j.doe@news.example.org">'
            '<meta name="twitter:label1" content="Written by">'
            '<meta name="twitter:data1" content="Jane Doe">'
            '<meta name="twitter:label2" content="Est. reading time">'
            '<meta name="twitter:data2" content="3 minutes">')
    assert authors(page(pair)) == (["Jane Doe"], "meta")
    misc = '<meta name="twitter:misc:Geschrieben von" content="Anna Weber">'
    assert authors(page(misc)) == (["Anna Weber"], "meta")
    # a reading time is no author
    other = ('<meta name="twitter:label1" content="Est. reading time">'
             '<meta name="twitter:data1" content="3 minutes">')
    assert authors(page(other)) == ([], None)


def test_an_agency_named_as_author_beside_a_person_is_kept() -> None:
    head = ld({"@type": "NewsArticle", "author": [{"@type": "Person", "name": "Reuters"},
                                                  {"@type": "Person", "name": "Jane Doe"}]})
    assert authors(page(head)) == (["Reuters", "Jane Doe"], "jsonld")
    # an image credit still names nobody
    assert authors(page(ld({"@type": "NewsArticle", "author": "Photo: Reuters"}))) == (
        [], None)


def test_the_site_named_in_meta_author_is_the_last_resort() -> None:
    """Public broadcasters' CMSs put the site's name in meta author when no writer signs."""
    head = '<meta name="author" content="NEWS.example.org">'
    assert authors(page(head)) == (["NEWS.example.org"], "meta")
    # a byline naming a person wins over it
    assert authors(page(head, "<p class=\"byline\">Von Anna Weber</p>")) == (
        ["Anna Weber"], "visible")
    # an address at the site's domain is no name of the site
    assert authors(page('<meta name="author" content="desk@news.example.org">')) == ([], None)


def test_cxense_and_byl_meta() -> None:
    head = '<meta name="cXenseParse:author" content="Jan Kixmüller">'
    assert authors(page(head)) == (["Jan Kixmüller"], "meta")
    assert authors(page('<meta name="byl" content="By Anna Alpha and Ben Beta">')) == (
        ["Anna Alpha", "Ben Beta"], "meta")


def test_name_beside_the_date_carries_the_lines_separator() -> None:
    body = ('<div class="row"><span>Sehernur Karsu &nbsp;|</span>'
            '<span class="tarih">05.04.2025 - Güncelleme : 05.04.2025</span></div>')
    assert authors(page(body=body)) == (["Sehernur Karsu"], "visible")


def test_a_byline_after_the_standfirst() -> None:
    body = STANDFIRST + "<h5 class=\"authorline\">By Jane Doe</h5>"
    assert authors(page(body=body)) == (["Jane Doe"], "visible")


def test_a_label_followed_by_linked_names_reads_them_all() -> None:
    """WordPress Co-Authors Plus: "By <a>A</a>, <a>B</a> and <a>C</a>", then the date."""
    body = ('<div class="entry-meta">By <a href="/author/anna/">Anna Alpha</a>, '
            '<a href="/author/ben/">Ben Beta</a> and <a href="/author/cara/">Cara Gamma</a>'
            ' <span class="sep">|</span> <time>April 16, 2025</time></div>')
    assert authors(page(body=body)) == (["Anna Alpha", "Ben Beta", "Cara Gamma"], "visible")
    # a "Follow" button's link right after the name is no author
    body = ('<div class="col"><span class="author-name"> By <a href="/author/victoria/">'
            'Victoria O’Regan</a></span> <span class="author-follow"><a href="/sign-in">'
            "Follow</a></span></div>")
    assert authors(page(body=body)) == (["Victoria O’Regan"], "visible")
    # a job title after the linked name is no author
    body = ('<div class="byline"><span>Von</span> <a href="/autor/h">Hannah Ritzmann</a>'
            '<span class="role">Redakteurin für Finanzen</span></div>')
    assert authors(page(body=body)) == (["Hannah Ritzmann"], "visible")


@pytest.mark.parametrize(("raw", "names"), [
    ("Jane Doe, Staff Writer", ["Jane Doe"]),
    ("Amy Gibbons, Political Correspondent", ["Amy Gibbons"]),
    # a desk code and its editor's sign, a desk's regional service: one credit each
    ("srf/hosb;kesm", ["srf/hosb", "kesm"]),
    ("dpa/lno", ["dpa/lno"]),
    ("Jane Doe/John Smith", ["Jane Doe", "John Smith"]),
    ("Jane Doe / Reuters", ["Jane Doe", "Reuters"]),
    ("Text: Jane Doe", ["Jane Doe"]),
    ("Текст: Венера Ерофеева", ["Венера Ерофеева"]),
])
def test_names_split(raw: str, names: list[str]) -> None:
    assert split_names(raw) == names


def test_a_desk_code_with_the_sites_name_is_kept() -> None:
    body = ('<p class="article-reference">SRF 4 News; '
            '<span itemprop="author">srf/hosb;kesm</span></p>')
    assert authors(page(body=body), "https://www.srf.ch/news/a-1") == (
        ["srf/hosb", "kesm"], "microformat")


def test_job_title_marked_as_author_is_no_second_author() -> None:
    body = ('<div class="author"><span class="author-name">Amy Gibbons</span>'
            '<span class="author-title">Political Correspondent</span></div>')
    assert authors(page(body=body)) == (["Amy Gibbons"], "visible")


def test_text_size_control_is_no_byline_label() -> None:
    body = ('<div class="byline"><a href="/toireporter/aashish">Aashish Saxena</a></div>'
            '<div class="tools"><strong>Text Size</strong><ul><li>Small</li></ul></div>')
    assert authors(page(body=body)) == (["Aashish Saxena"], "visible")


def test_an_author_class_in_an_image_caption_is_the_photographer() -> None:
    body = ('<figure><img src="/a.jpg"><figcaption><span class="description">Mills at work'
            '</span> <span class="media-author">AFP</span></figcaption></figure>'
            '<div class="article-author"><a href="/autor/m">Miguel Herguedas</a></div>')
    assert authors(page(body=body)) == (["Miguel Herguedas"], "visible")
    only_caption = body.split("<div")[0]
    assert authors(page(body=only_caption)) == ([], None)


def test_sign_off_line_closing_the_article() -> None:
    """Vietnamese portals sign the article with the writer's name, bold and right-aligned,
    after its last paragraph; JSON-LD names only the site."""
    head = ld({"@type": "NewsArticle", "author": {"@type": "Organization",
                                                  "name": "News Example"}})
    article = PARAGRAPHS + ('<p class="Normal" style="text-align:right;">'
                            "<strong>Lê Phương</strong></p>")
    assert authors(page(head, article=article)) == (["Lê Phương"], "visible")
    # without it the site is the author
    assert authors(page(head)) == (["News Example"], "jsonld")
    # an emphasised sentence closing the article is no sign-off
    article = PARAGRAPHS + "<p><em>This article was first published in 2018.</em></p>"
    assert authors(page(head, article=article)) == (["News Example"], "jsonld")


def test_the_wordpress_admin_account_yields_to_a_sign_off() -> None:
    """Rank Math names the post's WordPress account; when it is the install's admin account,
    the byline is the writer's name in bold opening the text."""
    graph = ld({"@context": "https://schema.org", "@graph": [
        {"@type": "Person", "@id": "https://news.example.org/author/admin/",
         "name": "Example D"},
        {"@type": "NewsArticle", "headline": "Mills restock cotton as prices fall",
         "author": {"@id": "https://news.example.org/author/admin/", "name": "Example D"}}]})
    byline = ('<p class="meta"> by <span class="author vcard"><a href="https://news.example.org/'
              'author/admin/" rel="author">Example D</a></span> | <span class="published">5 '
              "November 2024</span></p>")
    article = "<p><strong>MTHOBISI SITHOLE&nbsp;</strong></p>" + PARAGRAPHS
    assert authors(page(graph, byline, article)) == (["MTHOBISI SITHOLE"], "visible")
    # nobody else named: the account it is
    assert authors(page(graph, byline)) == (["Example D"], "jsonld")


def test_jsonld_author_by_reference_to_a_person_node() -> None:
    """Yoast-style @graph: the article's author is {"@id": ...} of a Person node."""
    graph = ld({"@context": "https://schema.org", "@graph": [
        {"@type": "NewsArticle", "headline": "Mills restock cotton as prices fall",
         "author": {"@id": "https://news.example.org/#/schema/person/1"}},
        {"@type": "Person", "@id": "https://news.example.org/#/schema/person/1",
         "name": "Jane Doe"}]})
    assert authors(page(graph)) == (["Jane Doe"], "jsonld")


def test_a_reference_is_looked_up_in_the_json_ld_the_page_parsed_once(
        monkeypatch: pytest.MonkeyPatch) -> None:
    graph = ld({"@context": "https://schema.org", "@graph": [
        {"@type": "NewsArticle", "author": {"@id": "#person"}},
        {"@type": "Person", "@id": "#person", "name": "Jane Doe"}]})
    parsed: list[str] = []
    loads = json.loads

    def loads_counting(raw: str) -> Any:
        parsed.append(raw)
        return loads(raw)

    monkeypatch.setattr(metadata.json, "loads", loads_counting)
    record = extract_article(page(graph), url=URL)
    assert record["authors"] == ["Jane Doe"]
    assert len(parsed) == 1
