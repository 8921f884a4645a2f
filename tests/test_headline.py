"""The one headline finder (crawler.reader.fields.headline) and its callers: the site layout, the
generic fields reader and the standfirst; a kicker printed in the headline; the common
container of two elements."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from lxml import html

from crawler.extract import GenericArticle, extract_article
from crawler.generic import GenericArticlePage, GenericRules
from crawler.reader.document import parse_html
from crawler.reader.fields.headline import (
    Shown,
    find_headline,
    page_headline,
    shows_title,
    title_keys,
    without_kicker,
)
from crawler.reader.generic.body import page_context
from crawler.reader.generic.standfirst import find_standfirst
from crawler.reader.lines import common_container

URL = "https://news.example/politics/article/2026/turnout"
TITLE = "Turnout hits a record high in rural districts"
PARAGRAPHS = "".join(
    f"<p>Paragraph {n} of the story tells the reader what happened in the town hall on Monday "
    f"evening, and why the vote on the new budget matters to everyone living there.</p>"
    for n in range(1, 6))
STANDFIRST = ("Voters queued before the polls opened in most villages, officials said on "
              "Sunday evening.")


def _root(body: str, head: str = "") -> Any:
    root = parse_html(f"<html><head>{head}</head><body>{body}</body></html>")
    assert root is not None
    return root


def _site_page(page: str) -> GenericArticlePage:
    return GenericArticlePage(URL, page, GenericRules("example", ("news.example",), (URL,)))


# --- the rule ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("shown", "found"), [
    (Shown(TITLE, heading=True), True),
    # case, punctuation and soft hyphens are no difference
    (Shown("TURNOUT hits a re\u00adcord high — in rural districts!", heading=True), True),
    # a heading that is part of the title (the title has a site name glued on)
    (Shown("Turnout hits a record high", heading=False), True),
    # a heading holding the title beside a kicker...
    (Shown(f"Election 2024 {TITLE}", heading=True), True),
    # ...but a paragraph holding it quotes it
    (Shown(f"As we reported under the headline {TITLE}, turnout was high.", heading=False), False),
    # a part from the middle of the title is a subheading repeating some of its words
    (Shown("hits a record high in rural", heading=True), False),
    # a short part is a rubric, not the headline
    (Shown("Politics", heading=True), False),
    (Shown("", heading=True), False),
])
def test_a_heading_shows_the_title_when_the_words_agree(shown: Shown, found: bool) -> None:
    wanted = title_keys([TITLE, f"{TITLE} | Politics - Daily Courier"])
    assert any(shows_title(shown, w) for w in wanted) is found


def test_a_title_too_short_finds_no_heading() -> None:
    assert title_keys(["News", "", "Turnout"]) == ["turnout"]
    assert find_headline([[Shown("News", True)]], title_keys(["News"]), lambda s: s) is None


def test_the_first_tier_wins_over_an_earlier_candidate_of_a_later_tier() -> None:
    teaser, heading = Shown(TITLE, heading=False), Shown(TITLE, heading=True)
    tiers = [[heading], [teaser, heading]]
    assert find_headline(tiers, title_keys([TITLE]), lambda s: s) is heading


# --- the cases where the three old finders disagreed -----------------------------------------
NO_H1 = (f"<header><div class='logo'>Daily Courier</div></header><article>"
         f"<h2 class='entry-title'>{TITLE}</h2><div class='entry-meta'>May 2, 2024</div>"
         f"<p class='standfirst'>{STANDFIRST}</p><div class='entry-content'>{PARAGRAPHS}"
         f"</div></article>")
OG_TITLE = (f'<meta property="og:title" content="{TITLE} | Daily Courier">'
            '<meta property="og:site_name" content="Daily Courier">')


def test_every_reader_finds_the_heading_showing_the_title_on_a_page_without_h1() -> None:
    page = f"<html><head>{OG_TITLE}</head><body>{NO_H1}</body></html>"
    generic = GenericArticle(URL, html.document_fromstring(page)).headline()
    site = _site_page(page).headline()
    assert generic is not None and site is not None
    assert (generic.tag, generic.text_content()) == (site.tag, site.text_content()) == ("h2", TITLE)
    root = _root(NO_H1, OG_TITLE)
    ctx = page_context(root, TITLE, None)
    standfirst = find_standfirst(root, ctx, root.xpath("//p[starts-with(., 'Paragraph')]")[0])
    assert standfirst is not None and standfirst.text == STANDFIRST


def test_the_h1_stays_the_headline_when_a_media_box_shows_the_seo_title() -> None:
    # og:title is an SEO wording of the <h1>; a video box elsewhere is titled with it: the
    # generic reader anchors byline, date and standfirst on the <h1> (where the body starts)
    seo = "Turnout breaks records in the countryside"
    head = f'<meta property="og:title" content="{seo}">'
    body = (f"<article><h1 class='article-title'>{TITLE}</h1><p class='standfirst'>{STANDFIRST}"
            f"</p><div class='entry-content'>{PARAGRAPHS}</div></article>"
            f"<aside><div class='media-object__title'>{seo}</div></aside>")
    root = _root(body, head)
    found = page_headline(root, [seo])
    assert found is not None and found.get("class") == "article-title"
    ctx = page_context(root, seo, None)
    standfirst = find_standfirst(root, ctx, root.xpath("//p[starts-with(., 'Paragraph')]")[0])
    assert standfirst is not None and standfirst.text == STANDFIRST


def test_the_h1_showing_the_title_wins_over_an_earlier_h2_showing_it() -> None:
    # a "most read" box above the article heads its first teaser with this very headline: the
    # standfirst's finder (headings in page order) took that <h2>
    root = _root(f"<aside><h2 class='teaser-title'>{TITLE}</h2></aside>"
                 f"<article><h1>{TITLE}</h1>{PARAGRAPHS}</article>")
    found = page_headline(root, [TITLE])
    assert found is not None and found.tag == "h1"


def test_a_rubric_heading_is_not_the_headline() -> None:
    # the generic fields reader took any heading whose words were inside the title, however
    # short ("Politics" in "Politics: Turnout ..."); the layout and the standfirst wanted 15
    # characters
    root = _root(f"<h1 class='section'>Politics</h1><article><h1>{TITLE}</h1></article>")
    found = page_headline(root, [f"Politics: {TITLE}"])
    assert found is not None and found.text_content() == TITLE


def test_without_an_h1_showing_the_title_the_generic_readers_take_the_first_h1() -> None:
    root = _root("<h1>Daily Courier</h1><h1>Another story</h1>")
    found = page_headline(root, [TITLE])
    assert found is not None and found.text_content() == "Daily Courier"
    assert page_headline(_root("<p>No heading</p>"), [TITLE]) is None


def test_the_site_layout_does_not_take_a_logo_h1_for_the_title() -> None:
    # with titles stated and none shown, the site has no title block (the generic title is its
    # fallback) rather than a logo
    page = (f"<html><head>{OG_TITLE}</head><body><h1>Daily Courier</h1>"
            f"<article><div class='lead'>Something else entirely</div>{PARAGRAPHS}</article>"
            f"</body></html>")
    assert _site_page(page).headline() is None
    assert _site_page(page).record()["title"] == TITLE


# --- a kicker printed in the headline ---------------------------------------------------------
KICKERS = [
    # German public broadcasters' "Dachzeile"
    "<h1><span class='dachzeile'>Nahost</span> {title}</h1>",
    # Arc/WordPress news themes: a kicker span and a headline span
    "<h1 class='headline'><span class='kicker'>Exclusive:</span> <span>{title}</span></h1>",
    # the kicker inside the link around the headline
    "<h1><a href='/a/1'><span class='topline'>Wahl 2024</span> {title}</a></h1>",
]


@pytest.mark.parametrize("heading", KICKERS)
def test_the_site_reader_cuts_a_kicker_og_title_leaves_out(heading: str) -> None:
    page = (f"<html><head>{OG_TITLE}</head><body><article>{heading.format(title=TITLE)}"
            f"{PARAGRAPHS}</article></body></html>")
    assert extract_article(page, url=URL)["title"] == TITLE
    assert _site_page(page).record()["title"] == TITLE


def test_a_leading_span_the_metadata_title_states_too_stays() -> None:
    # og:title states the whole heading: the span is part of the headline, no kicker
    whole = f"Exclusive: {TITLE}"
    heading = f"<h1><span class='kicker'>Exclusive:</span> {TITLE}</h1>"
    page = (f'<html><head><meta property="og:title" content="{whole}"></head><body><article>'
            f"{heading}{PARAGRAPHS}</article></body></html>")
    assert _site_page(page).record()["title"] == whole


@pytest.mark.parametrize(("heading", "titles"), [
    # no statement agrees on the rest
    (f"<h1><span>Nahost</span> {TITLE}</h1>", ["Something else said in the metadata"]),
    # a leading part longer than what follows is no kicker
    ("<h1><span>Turnout hits a record high in rural districts</span> Politics</h1>",
     ["Politics"]),
    # a kicker as bare text, not set apart by an element
    (f"<h1>Nahost {TITLE}</h1>", [TITLE]),
])
def test_the_heading_stays_whole_without_a_kicker_set_apart_and_agreed_on(
        heading: str, titles: list[str]) -> None:
    element = _root(heading).xpath("//h1")[0]
    text = element.text_content()
    assert without_kicker(element, text, titles) == text


# --- the common container ---------------------------------------------------------------------
def test_the_common_container_of_an_element_and_one_inside_it_is_the_outer_one() -> None:
    root = _root("<div id='page'><article id='story'><h1>Headline</h1><p>Text</p></article>"
                 "</div>")
    story, heading, paragraph = (root.xpath(f"//{tag}")[0] for tag in ("article", "h1", "p"))
    assert common_container(story, heading) is story
    assert common_container(heading, story) is story
    found = common_container(heading, paragraph)
    assert found is not None and found.get("id") == "story"
    assert common_container(heading, heading) is heading


def test_the_generic_reader_finds_its_headline_once_and_the_standfirst_starts_there(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from crawler.reader.generic import standfirst as standfirst_module
    from crawler.reader.page import reader as page_reader

    calls: list[Any] = []

    def counted(root: Any, titles: Any) -> Any:
        calls.append(root)
        return page_headline(root, titles)
    monkeypatch.setattr(page_reader, "page_headline", counted)
    monkeypatch.setattr(standfirst_module, "page_headline", counted)
    body = (f"<article><h1>{TITLE}</h1><p class='standfirst'>{STANDFIRST}</p>"
            f"<div class='entry-content'>{PARAGRAPHS}</div></article>")
    page = f"<html><head>{OG_TITLE}</head><body>{body}</body></html>"
    record = GenericArticle(URL, html.document_fromstring(page)).record()
    assert record["body"].startswith(STANDFIRST)
    assert len(calls) == 1  # authors, date and the body's standfirst share one answer


def test_the_standfirst_takes_the_readers_headline_of_its_own_tree_only() -> None:
    body = (f"<article><h2>{STANDFIRST}</h2><h1>{TITLE}</h1><p>Lead: a second summary sentence "
            f"of the story, given for the standfirst.</p>{PARAGRAPHS}</article>")
    root = _root(body, OG_TITLE)
    first = root.xpath("//p[starts-with(., 'Paragraph')]")[0]
    ctx = page_context(root, TITLE, None)
    found = find_standfirst(root, ctx, first)
    assert found is not None and found.text.startswith("Lead:")
    # the reader's headline, if it is one of this tree's elements, is where the summary starts
    headed = replace(ctx, headline=root.find(".//p"))
    assert find_standfirst(root, headed, first) is None  # nothing sentence-like after it
    # an element of another tree (the page, where the body is a script's article) is not
    elsewhere = _root(body, OG_TITLE).find(".//p")
    found = find_standfirst(root, replace(ctx, headline=elsewhere), first)
    assert found is not None and found.text.startswith("Lead:")
