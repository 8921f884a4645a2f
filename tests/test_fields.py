"""Evidence-ranked fields (crawler.reader.fields): CMS pages with their expected records, and each
rule."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from lxml import html

from crawler.extensions.report import field_sources
from crawler.extract import extract_article
from crawler.generic import GenericArticlePage, GenericRules
from crawler.reader.fields import (
    SHOWN_TEXT,
    Candidate,
    language,
    shown_texts_after,
    shown_texts_before,
    xpath,
)
from crawler.reader.fields.authors import choose_authors, clean_names, split_names
from crawler.reader.fields.keywords import labelled_tags, split_keywords
from crawler.reader.fields.language import (
    FIRST_LOOK_CHARS,
    SAMPLE_CHARS,
    choose_language,
    identify,
    iso_code,
)
from crawler.reader.fields.published import Stamp, choose_published, stamp, url_stamp
from crawler.reader.fields.title import choose_title
from crawler.reader.metadata import PageMetadata
from crawler.state.store import ArticleStore
from crawler.timezone import SiteZone, offset_text, revealed_zone

CASES = sorted(p for p in (Path(__file__).parent / "fixtures" / "fields").iterdir() if p.is_dir())
READ_FIELDS = ("title", "published_at", "authors", "keywords", "language")


def _case(case: Path) -> tuple[str, str, dict[str, Any]]:
    url = json.loads((case / "meta.json").read_text("utf-8"))["url"]
    expected = json.loads((case / "expected.json").read_text("utf-8"))
    return (case / "page.html").read_text("utf-8"), url, expected


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_generic_reader_chooses_by_evidence(case: Path) -> None:
    page, url, expected = _case(case)
    record = extract_article(page, url=url)
    assert {k: record[k] for k in expected} == expected


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_site_page_reader_chooses_the_same(case: Path) -> None:
    page, url, expected = _case(case)
    rules = GenericRules("example", (url.split("/")[2],), (url,))
    record = GenericArticlePage(url, page, rules).record()
    assert {k: record[k] for k in READ_FIELDS} == {k: expected[k] for k in READ_FIELDS}


# Comments, a processing instruction, scripts, templates, tails and nesting around a headline.
AXES_PAGE = """<html><head><title>T</title><script>var x = 1;</script></head><body>
<!-- top --><nav>Home <a href="/">News</a></nav><div class="top"><span>Kicker</span>
<h1>Head<b>line</b> here</h1>tail of h1<!-- c -->after comment<?pi x?>after pi
<p>By <a href="/a">Jane Doe</a> and <a href="/b">John Roe</a></p><noscript>hidden</noscript>
<template><p>hidden too</p></template><style>p {}</style>   <p>  </p>
<p>First &amp; paragraph <i>with</i> inline <b>tags</b>.</p></div>div tail<footer>End</footer>
</body></html>"""


def _same_text_nodes(found: list[Any], queried: list[Any]) -> bool:
    return [str(t) for t in found] == [str(t) for t in queried] and all(
        t.getparent() is q.getparent() and bool(t.is_tail) == bool(q.is_tail)
        for t, q in zip(found, queried, strict=True))


@pytest.mark.parametrize("case", [None, *CASES], ids=lambda p: p.name if p else "axes")
def test_shown_texts_around_an_element_are_the_xpath_queries(case: Path | None) -> None:
    root = html.fromstring(_case(case)[0] if case else AXES_PAGE)
    for element in root.iter():
        for limit in (1, 8, 30):
            after = xpath(element, f"following::text()[{SHOWN_TEXT}][position() <= {limit}]")
            before = xpath(element, f"preceding::text()[{SHOWN_TEXT}][position() <= {limit}]")
            assert _same_text_nodes(shown_texts_after(element, limit), after)
            assert _same_text_nodes(shown_texts_before(element, limit), before)


def _md(head: str, body: str = "") -> tuple[PageMetadata, Any]:
    root = html.document_fromstring(f"<html><head>{head}</head><body>{body}</body></html>")
    return PageMetadata(root), root


# --- title ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("head", "h1", "title"), [
    # a site name and date glued on, the <h1> shows the headline alone
    ('<meta property="og:title" content="Fasern aus Holz | DW | 28.04.2023">', "Fasern aus Holz",
     "Fasern aus Holz"),
    # a rubric after the headline that JSON-LD and the <h1> leave out
    ('<meta property="og:title" content="Mills restock - National">'
     '<script type="application/ld+json">{"@type":"NewsArticle","headline":"Mills restock"}'
     "</script>", "Mills restock", "Mills restock"),
    # different kickers before the same headline
    ('<meta property="og:title" content="Iran attack: «Restraint has much to do with the US»">',
     "Escalation - «Restraint has much to do with the US»",
     "«Restraint has much to do with the US»"),
    # entities the CMS escaped twice
    ('<meta property="og:title" content="Drohnen &amp;quot;zerst&amp;ouml;ren&amp;quot; Depot">',
     "", 'Drohnen "zerstören" Depot'),
    # two metadata statements agree: a tail the <h1> leaves out stays
    ('<meta property="og:title" content="Forest fires! Latest - Daily news">'
     '<script type="application/ld+json">{"@type":"NewsArticle","headline":'
     '"Forest fires! Latest - Daily news"}</script>', "Forest fires! Latest",
     "Forest fires! Latest - Daily news"),
    # a cut never splits a quotation
    ("<meta property=\"og:title\" content='\"I sell holidays - the right day saves you money\"'>",
     "the right day saves you money", '"I sell holidays - the right day saves you money"'),
])
def test_title_rules(head: str, h1: str, title: str) -> None:
    md, _ = _md(head)
    found = choose_title(md, [h1] if h1 else [], ["Deutsche Welle", "dw.com", "dw"])
    assert found is not None and found.value == title


def test_the_headline_beats_an_seo_title_that_og_title_and_the_title_tag_share() -> None:
    head = ('<title>Cotton prices: what mills pay in 2024 - Knit News</title>'
            '<meta property="og:title" content="Cotton prices: what mills pay in 2024">'
            '<script type="application/ld+json">{"@type":"NewsArticle","headline":'
            '"Mills pay more for cotton"}</script>')
    md, _ = _md(head)
    found = choose_title(md, ["Mills pay more for cotton"], ["Knit News"])
    assert found == Candidate("Mills pay more for cotton", "visible")
    # a social title of its own (the <title> states the headline) stays the choice
    seo_title = "<title>Cotton prices: what mills pay in 2024 - Knit News</title>"
    md, _ = _md(head.replace(seo_title, "<title>Mills pay more for cotton - Knit News</title>"))
    found = choose_title(md, ["Mills pay more for cotton"], ["Knit News"])
    assert found == Candidate("Cotton prices: what mills pay in 2024", "meta")


def test_title_of_a_page_with_only_a_title_tag_loses_the_site_name() -> None:
    md, _ = _md("<title>Mills restock cotton - Knit News</title>")
    assert choose_title(md) == Candidate("Mills restock cotton", "html")
    # a Chinese portal CMS joins the parts with an underscore; the site's name may be long
    md, _ = _md("<title>Prompt message_World Clothes Shoes &amp; Hats Net</title>")
    found = choose_title(md, [], ["World Clothes Shoes & Hats Net"])
    assert found == Candidate("Prompt message", "html")


# --- published_at -----------------------------------------------------------------------------
def _stamps(*values: tuple[str, str]) -> list[Candidate[Stamp]]:
    return [Candidate(s, source) for value, source in values if (s := stamp(value)) is not None]


def test_a_visible_day_takes_the_minute_of_an_agreeing_timestamp() -> None:
    visible = Candidate(Stamp(datetime(2022, 10, 12), False), "visible")
    machine = _stamps(("2022-10-12T07:45:00-04:00", "microformat"))
    assert choose_published(machine, visible) == machine[0]


def test_visible_minutes_keep_the_seconds_and_offset_of_the_timestamp() -> None:
    visible = Candidate(Stamp(datetime(2024, 5, 6, 10, 20), True), "visible")
    found = choose_published(_stamps(("2024-05-06T10:20:37+08:00", "time")), visible)
    assert found is not None and found.value.iso() == "2024-05-06T10:20:37+08:00"


def test_a_visible_date_the_declared_timestamps_contradict_loses() -> None:
    # the visible date and a <time> of a teaser agree; JSON-LD says another day
    visible = Candidate(Stamp(datetime(2024, 4, 12, 10, 21), True), "visible")
    machine = _stamps(("2024-04-22T15:26:46+00:00", "jsonld"),
                      ("2024-04-12T10:21:01+02:00", "time"))
    assert choose_published(machine, visible) == machine[0]


def test_a_visible_date_alone_and_the_url_date_as_last_resort() -> None:
    visible = Candidate(Stamp(datetime(2026, 5, 13, 15, 44), True), "visible")
    assert choose_published([], visible) == visible
    found = choose_published([], None, url_stamp("https://x.com/2022/10/12/story/"))
    assert found is not None and (found.source, found.value.iso()) == ("url", "2022-10-12")


def test_a_date_only_timestamp_stays_a_day() -> None:
    found = stamp("2024-08-22")
    assert found is not None and (found.iso(), found.precision) == ("2024-08-22", 0)
    assert stamp("1970-01-01T00:00:00Z") is None  # a placeholder


# --- authors ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("raw", "names"), [
    ("Samya Kullab and Vasilisa Stepanenko", ["Samya Kullab", "Vasilisa Stepanenko"]),
    ("Monika Bolliger und Anna Trechsel, Sweidah", ["Monika Bolliger", "Anna Trechsel", "Sweidah"]),
    ("By Jane Doe", ["Jane Doe"]),
    ("Doe, Jane", ["Doe, Jane"]),
    ("신현주 기자", ["신현주"]),
])
def test_names_are_split(raw: str, names: list[str]) -> None:
    assert split_names(raw) == names


def test_what_names_nobody_is_dropped() -> None:
    raw = ["Sophie Foster", "sophie-foster", "s.foster@example.com", "https://x.com/authors/sf",
           "(Image: Getty Images)", "03:07 Min", "Daily Star"]
    assert clean_names(raw, ["Daily Star"]) == ["Sophie Foster"]


def test_a_person_beats_the_site_named_as_author() -> None:
    candidates = [Candidate(["n-tv NACHRICHTEN"], "jsonld"),
                  Candidate(["Von Seb Dumitru"], "visible")]
    assert choose_authors(candidates, ["n-tv.de", "n-tv"]) == Candidate(["Seb Dumitru"], "visible")
    # JSON-LD naming the site (or an agency) is kept when nobody else is named
    assert choose_authors(candidates[:1], ["n-tv"]) == Candidate(["n-tv NACHRICHTEN"], "jsonld")


def test_a_desk_named_beside_a_person_is_an_author_the_bare_site_name_is_not() -> None:
    # ARD broadcasters' JSON-LD credits the writer and the regional desk
    desk = [Candidate(["Jana Beispiel", "MDR SACHSEN-ANHALT"], "jsonld")]
    assert choose_authors(desk, ["mdr.de", "mdr"]) == Candidate(
        ["Jana Beispiel", "MDR SACHSEN-ANHALT"], "jsonld")
    # the publisher's bare name beside a person is a credit line
    bare = [Candidate(["Jana Beispiel", "mdr.de"], "jsonld")]
    assert choose_authors(bare, ["mdr.de", "mdr"]) == Candidate(["Jana Beispiel"], "jsonld")
    # a desk caught with a visible byline is a label there, as the site's name is
    shown = [Candidate(["Jana Beispiel", "MDR SACHSEN-ANHALT"], "visible")]
    assert choose_authors(shown, ["mdr.de", "mdr"]) == Candidate(["Jana Beispiel"], "visible")


# --- keywords ---------------------------------------------------------------------------------
def test_one_keyword_per_element_even_when_only_spaces_separate_them() -> None:
    root = html.fromstring("<div><div><span>Keywords:</span></div><div><span>cotton</span>"
                           "&nbsp;&nbsp;<span>yarn</span>&nbsp;&nbsp;<span>price</span></div>"
                           "<p>The article text goes on here, in a sentence.</p></div>")
    assert labelled_tags(root) == ["cotton", "yarn", "price"]


def test_keyword_texts_split_at_separators() -> None:
    assert split_keywords(["cotton, yarn；price、fibre", ["a, b"]]) == [
        "cotton", "yarn", "price", "fibre", "a, b"]


def test_tag_links_beat_metadata_and_categories_are_no_tags() -> None:
    page = ('<html><head><meta name="keywords" content="seo, words"></head><body><h1>T</h1>'
            '<a rel="tag" href="/t/a">Alpha</a> <a rel="category tag" href="/c/n">News</a>'
            "</body></html>")
    record = extract_article(page)
    assert (record["keywords"], record["sources"]["keywords"]) == (["Alpha"], "microformat")


# --- language ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("tag", "code"), [
    ("en-US", "en"), ("de-DE", "de"), ("pt_BR", "pt"), ("zh-Hans-CN", "zh"), ("utf", None),
    ("english", None), (None, None),
])
def test_language_tags_become_iso_639_1(tag: str | None, code: str | None) -> None:
    assert iso_code(tag) == code


def test_the_text_overrules_a_declaration_it_contradicts() -> None:
    spanish = ("El algodón sube de precio y las hilanderías compran más para el invierno. Los "
               "productores de tejidos esperan una temporada con más pedidos que el año "
               "pasado. ") * 2
    found = choose_language([Candidate("de", "html")], spanish)
    assert found == Candidate("es", "text")


def test_the_language_is_read_from_the_start_of_a_long_text() -> None:
    # A long article costs the identifier no more than its first SAMPLE_CHARS: what follows
    # (here a German appendix) is not read.
    english = ("Cotton prices rose again this week as spinning mills bought ahead of the winter "
               "season, and weavers expect more orders than last year. ")
    german = "Die Baumwollpreise steigen weiter, und die Spinnereien kaufen mehr ein. "
    text = english * (SAMPLE_CHARS // len(english) + 1) + german * 200
    assert identify(text) == identify(text[:SAMPLE_CHARS])
    assert choose_language([Candidate("de", "html")], text) == Candidate("en", "text")


def test_a_declaration_the_texts_start_confirms_stands_without_the_whole_sample(
        monkeypatch: pytest.MonkeyPatch) -> None:
    english = ("Cotton prices rose again this week as spinning mills bought ahead of the winter "
               "season, and weavers expect more orders than last year. ") * 40
    read: list[int] = []

    def identify_counting(text: str) -> tuple[str, float] | None:
        read.append(len(text))
        return identify(text)

    monkeypatch.setattr(language, "identify", identify_counting)
    assert choose_language([Candidate("en", "html")], english) == Candidate("en", "html")
    assert read == [FIRST_LOOK_CHARS]
    # a start that does not confirm the declaration: the whole sample decides, as before
    read.clear()
    assert choose_language([Candidate("de", "html")], english) == Candidate("en", "text")
    assert read == [FIRST_LOOK_CHARS, len(english)]


# --- the site's time zone (generic mode) -------------------------------------------------------
CHINA = timezone(timedelta(hours=8))


def test_a_page_stating_its_shown_time_with_an_offset_reveals_the_zone() -> None:
    shown = datetime(2021, 9, 7, 15, 8)
    assert revealed_zone(shown, [datetime(2021, 9, 7, 15, 8, 0, tzinfo=CHINA)]) == CHINA
    # the same instant written in UTC reveals nothing: its wall clock is not the shown one
    assert revealed_zone(shown, [datetime(2021, 9, 7, 7, 8, tzinfo=timezone.utc)]) is None


def test_generic_page_reveals_the_zone_and_naive_times_take_the_site_zone() -> None:
    rules = GenericRules("example", ("example.cn",), ("https://example.cn/",))
    body = ("<h1>Cotton yarn prices rise</h1><p>2021-09-07 15:08</p>"
            + "<p>Spinning mills raised their prices for the third week in a row.</p>" * 3)
    stated = ('<html><head><meta property="og:title" content="Cotton yarn prices rise"><script '
              'type="application/ld+json">{"@type":"NewsArticle","dateCreated":'
              f'"2021-09-07T15:08:00+08:00"}}</script></head><body>{body}</body></html>')
    assert GenericArticlePage("https://example.cn/a/1.html", stated, rules).revealed_zone() == (
        timezone(timedelta(hours=8)))
    naive = f"<html><body>{body}</body></html>"
    page = GenericArticlePage("https://example.cn/a/2.html", naive, rules, zone=CHINA)
    assert page.published_at() == "2021-09-07T15:08:00+08:00"


def test_the_explicit_zone_wins_and_the_learned_one_is_kept(tmp_path: Path) -> None:
    assert SiteZone(None).zone == timezone.utc and SiteZone(None).assumed
    explicit = SiteZone(timezone.utc)
    assert not explicit.learn(CHINA) and explicit.zone == timezone.utc
    learning = SiteZone(None)
    assert learning.learn(CHINA) and learning.zone == CHINA and not learning.learn(timezone.utc)
    store = ArticleStore(tmp_path / "state.sqlite")
    store.remember_fact("timezone", offset_text(CHINA))
    store.close()
    assert ArticleStore(tmp_path / "state.sqlite").fact("timezone") == "+08:00"
    assert offset_text(timezone(-timedelta(hours=5, minutes=30))) == "-05:30"


def test_the_report_counts_which_source_won_each_field() -> None:
    stats = {"extraction/source/title/site": 8, "extraction/source/title/meta": 2,
             "extraction/source/published_at/jsonld": 10, "pages/article": 10}
    assert field_sources(stats) == {"title": {"meta": 2, "site": 8},
                                    "published_at": {"jsonld": 10}}


def test_sjfzxm_layout_with_keyword_spans_and_a_precise_time_element() -> None:
    """Another layout of a target site: the site's rules find the keyword line and the visible
    minute; the keywords are three, and the <time> of the same minute keeps its seconds."""
    from tests.site_cases import FIXTURES, load, site_spiders

    spider = site_spiders()["sjfzxm"]
    meta, page, _ = load(FIXTURES / "sjfzxm" / "article-587064-portal")
    page = page.replace(
        '<span>2021/9/7 15:08:00&nbsp;&nbsp;<font color="#999999">0</font></span>',
        '<span><time datetime="2021-09-07T15:08:27+08:00">2021/9/7 15:08</time></span>')
    start = page.index('<div class="news_keys">')
    end = page.index("</div>", start) + len("</div>")
    page = (page[:start] + '<div class="news_keys"><span>Cotton</span>&nbsp;&nbsp;<span>Yarn'
            "</span>&nbsp;&nbsp;<span>Digital Economy</span></div>" + page[end:])
    record = spider.page_class(meta["url"], page, spider.site_rules).record()
    assert record["keywords"] == ["Cotton", "Yarn", "Digital Economy"]
    assert record["published_at"] == "2021-09-07T15:08:27+08:00"


def test_textileworld_on_a_classic_wordpress_theme() -> None:
    """The visible day takes the minute of abbr.published / JSON-LD; the tag row after the
    article is the keywords; JSON-LD names two authors in one string."""
    from tests.site_cases import FIXTURES, load, site_spiders

    spider = site_spiders()["textileworld"]
    page, _, expected = _case(FIXTURES / "fields" / "wordpress-classic")
    url = load(FIXTURES / "textileworld" / "article-news-2022")[0]["url"]
    record = spider.page_class(url, page, spider.site_rules).record()
    assert {k: record[k] for k in READ_FIELDS} == {k: expected[k] for k in READ_FIELDS}
    assert record["fallback_fields"] == []
