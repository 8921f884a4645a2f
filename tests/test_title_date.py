"""Title and publication-time evidence rules (crawler.reader.fields.title,
crawler.reader.fields.published),
each on markup written the way real CMSs write it."""

from __future__ import annotations

from typing import Any

import pytest
from lxml import html

from crawler.extract import extract_article
from crawler.generic import GenericArticlePage, GenericRules
from crawler.reader.fields import Candidate
from crawler.reader.fields.published import data_stamps, machine_stamps
from crawler.reader.fields.title import choose_title
from crawler.reader.metadata import PageMetadata

URL = "https://news.example/politics/article/A2026012914320005196"


def _md(head: str, body: str = "") -> tuple[PageMetadata, Any]:
    root = html.document_fromstring(f"<html><head>{head}</head><body>{body}</body></html>")
    return PageMetadata(root), root


def _page(head: str, body: str) -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def _both_readers(page: str, field: str) -> tuple[Any, Any]:
    """The field as the generic extractor and a site page reader read it."""
    rules = GenericRules("example", ("news.example",), (URL,))
    site_page = GenericArticlePage(URL, page, rules)
    return extract_article(page, url=URL)[field], site_page.record()[field]


# --- title: microdata and <meta name="headline"> ---------------------------------------------
def test_a_microdata_headline_cuts_the_rubric_and_site_glued_to_og_title() -> None:
    # Korean and Japanese portal CMSs glue "-<section>|<site>" to og:title without spaces; the
    # schema.org microdata headline states the headline alone
    head = ('<meta property="og:title" '
            'content="Port strike ends after six days-Business|The Daily">'
            '<meta itemprop="headline" content="Port strike ends after six days">')
    md, _ = _md(head)
    assert choose_title(md, [], ["The Daily"]) == Candidate("Port strike ends after six days",
                                                            "meta")


def test_a_meta_headline_in_the_body_counts_as_well() -> None:
    # microdata inside the article element, as WordPress themes with schema markup write it
    body = ('<article itemscope itemtype="https://schema.org/NewsArticle">'
            '<meta itemprop="headline" content="Mill reopens"><p>Text.</p></article>')
    md, _ = _md('<meta property="og:title" content="Mill reopens - Local">', body)
    found = choose_title(md, [], [])
    assert found is not None and found.value == "Mill reopens"


def test_the_visible_headline_outranks_a_microdata_headline() -> None:
    # no og:title or JSON-LD; the first itemprop=headline on the page is a related story's card
    body = ('<aside itemscope itemtype="https://schema.org/NewsArticle">'
            '<meta itemprop="headline" content="Dyers fined over river pollution"></aside>')
    md, _ = _md("<title>Mill reopens - Local</title>", body)
    assert choose_title(md, ["Mill reopens"], []) == Candidate("Mill reopens", "visible")


def test_a_meta_headline_that_copies_og_title_does_not_keep_the_kicker() -> None:
    # <meta name="headline"> repeats og:title; the visible <h1> shows another kicker before the
    # same headline: the kicker is still cut
    stated = "Iran attack: «Restraint has much to do with the US»"
    head = f'<meta property="og:title" content="{stated}"><meta name="headline" content="{stated}">'

    md, _ = _md(head)
    found = choose_title(md, ["Escalation - «Restraint has much to do with the US»"])
    assert found is not None and found.value == "«Restraint has much to do with the US»"


# --- title: a kicker and a rubric around the agreed headline ----------------------------------
def test_kicker_and_rubric_are_both_cut_around_the_headline_json_ld_states() -> None:
    # "<topic>: <headline> | <section> - <site>", as Times Internet and many Indian portals
    # write og:title; JSON-LD headline is the middle part
    head = ('<meta property="og:title" content="Election 2024: Turnout hits a record high in rural '
            'districts | Politics News - Daily Courier">'
            '<script type="application/ld+json">{"@type":"NewsArticle","headline":'
            '"Turnout hits a record high in rural districts"}</script>')
    md, _ = _md(head)
    found = choose_title(md, [], ["Daily Courier"])
    assert found == Candidate("Turnout hits a record high in rural districts", "meta")


def test_a_short_middle_part_is_not_taken_for_the_headline() -> None:
    # the other statement names only a small part: a shared rubric, not the headline
    title = "Cotton growers across the region brace for a long dry summer: Markets | Weekly"
    head = (f'<meta property="og:title" content="{title}">'
            '<script type="application/ld+json">{"@type":"NewsArticle","headline":"Markets"}'
            "</script>")
    md, _ = _md(head)
    found = choose_title(md, [], [])
    assert found is not None and found.value == title


def test_the_reader_cuts_kicker_and_rubric_in_both_readers() -> None:
    head = ('<meta property="og:title" content="Election 2024: Turnout hits a record high in rural '
            'districts | Politics - Daily Courier"><meta property="og:site_name" '
            'content="Daily Courier">')
    body = ("<article><h1>Turnout hits a record high in rural districts</h1>"
            f"<p>{'Voters came out in numbers not seen in decades. ' * 6}</p></article>")
    assert _both_readers(_page(head, body), "title") == (
        "Turnout hits a record high in rural districts",) * 2


# --- published_at: data- attributes -----------------------------------------------------------
GTM_LAYER = ('<div id="gtm-article-data" style="display:none" data-article-id="A1" '
             'data-title="Port strike ends" data-section-name="Business" '
             'data-deploy-dt="2026.01.29 18:40" data-re-deploy-dt="2026.01.29 18:49"></div>')


def test_a_tag_manager_layer_states_the_time_a_script_rendered_page_shows_nowhere_else() -> None:
    page = _page('<meta property="og:title" content="Port strike ends">',
                 f"<div id='app'></div>{GTM_LAYER}")
    # the site reader puts naive times in the site's zone (UTC where nothing tells it)
    assert _both_readers(page, "published_at") == ("2026-01-29T18:40:00",
                                                   "2026-01-29T18:40:00+00:00")
    md, root = _md("", GTM_LAYER)
    assert [c.source for c in machine_stamps(md, root)] == ["data"]


def test_a_data_attribute_gives_the_time_of_the_visible_day() -> None:
    # Django news templates: <time data-pubdate="Nov. 18, 2019, 4:06 p.m.">November 18, 2019
    body = ("<article><h1>How mills learned to recycle denim</h1>"
            '<time class="pub-date" data-pubdate="Nov. 18, 2019, 4:06 p.m.">November 18, 2019'
            f"</time><p>{'Recycling denim starts with sorting. ' * 8}</p></article>")
    record = extract_article(_page("", body), url=URL)
    assert (record["published_at"], record["sources"]["published_at"]) == (
        "2019-11-18T16:06:00", "data")


@pytest.mark.parametrize("attribute", [
    'data-last-modified-time="2024-05-02T10:00:00Z"', 'data-updated-at="2024-05-02T10:00:00Z"',
    'data-re-deploy-dt="2024.05.02 10:00"', 'data-publisher="2024 Media Group"',
    'data-publication="Weekly 2024-05"',
])
def test_updates_expiries_and_non_dates_in_data_attributes_are_not_publication_times(
        attribute: str) -> None:
    _, root = _md("", f"<div {attribute}></div>")
    assert data_stamps(root) == []


def test_data_attributes_give_way_to_any_stated_timestamp() -> None:
    # a teaser card's data-publish-date of another day; JSON-LD states the article's
    head = ('<script type="application/ld+json">{"@type":"NewsArticle",'
            '"datePublished":"2024-05-06T08:00:00+02:00"}</script>')
    md, root = _md(head, '<div class="teaser" data-publish-date="2024-05-01T09:30:00+02:00">'
                         "</div>")
    assert [(c.source, c.value.iso()) for c in machine_stamps(md, root)] == [
        ("jsonld", "2024-05-06T08:00:00+02:00")]


def test_only_the_first_few_data_attributes_count() -> None:
    cards = "".join(f'<div data-article-publish-date="2024-05-0{d}T09:00:00Z"></div>'
                    for d in range(1, 7))
    _, root = _md("", cards)
    assert [c.value.iso() for c in data_stamps(root)] == [
        "2024-05-01T09:00:00+00:00", "2024-05-02T09:00:00+00:00", "2024-05-03T09:00:00+00:00"]
