"""Rules of the generic body reader, each on a small page written like a real CMS's markup."""

from __future__ import annotations

from lxml import html

from crawler.extract import extract_article, standfirst

PARAGRAPHS = "".join(
    f"<p>Paragraph {n} of the story tells the reader what happened in the town hall on Monday "
    f"evening, and why the vote on the new budget matters to everyone living there.</p>"
    for n in range(1, 6)
)
STANDFIRST = ("The council approved the budget after a four-hour debate, ending a dispute that "
              "had lasted since spring.")


def test_standfirst_in_the_article_header_leads_the_body() -> None:
    # WordPress/Guardian-style: headline and standfirst in <header>, paragraphs in a sibling div
    page = (f"<html><body><article><header><h1>Council approves the budget</h1>"
            f"<p class='standfirst'>{STANDFIRST}</p></header>"
            f"<div class='entry-content'>{PARAGRAPHS}</div></article></body></html>")
    body = extract_article(page, url="https://news.example/2024/budget")["body"]
    assert body.startswith(STANDFIRST)
    assert body.count(STANDFIRST) == 1


def test_headline_and_first_paragraph_meet_in_their_common_container() -> None:
    # lxml makes a new proxy object per access: the answer must not hang on id() reuse
    root = html.fromstring(
        f"<html><body><div id='page'><article id='story'><header><h1>Headline</h1></header>"
        f"<section><div class='entry-content'>{PARAGRAPHS}</div></section></article>"
        f"</div></body></html>")
    headline = root.xpath("//h1")[0]
    first = root.xpath("//p")[0]
    common = standfirst._common(headline, first)
    assert common is not None and common.get("id") == "story"
