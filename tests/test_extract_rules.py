"""Rules of the generic body reader, each on a small page written like a real CMS's markup."""

from __future__ import annotations

import json

from lxml import html

from crawler.extract import extract_article
from crawler.reader.generic import body, standfirst
from crawler.reader.generic.blocks import Block
from crawler.reader.generic.body import page_context
from crawler.reader.generic.filters import (
    PageContext,
    drop_affiliate_disclosures,
    drop_calls_to_action,
    drop_closing_credits,
    drop_labelled_teasers,
    drop_picture_credits,
    drop_timestamp_lines,
)
from crawler.reader.lines import common_container

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
    common = common_container(headline, first)
    assert common is not None and common.get("id") == "story"


def _standfirst_of(header: str, description: str = "") -> str | None:
    root = html.fromstring(
        f"<html><body><article><header><h1>Council approves the budget</h1>{header}</header>"
        f"<div class='entry-content'>{PARAGRAPHS}</div></article></body></html>")
    ctx = page_context(root, "Council approves the budget", description)
    found = standfirst.find_standfirst(root, ctx, root.xpath("//p[starts-with(., 'Paragraph')]")[0])
    return found.text if found is not None else None


def test_a_summary_sentence_under_the_headline_is_the_standfirst() -> None:
    assert _standfirst_of(f"<p class='standfirst'>{STANDFIRST}</p>") == STANDFIRST


def test_a_second_headline_is_no_standfirst_unless_the_page_states_it_as_its_summary() -> None:
    # Arc/Drupal themes print an SEO headline or "kicker: title" in an <h2> under the <h1>
    second = "Budget vote in the town hall – councillors end a dispute that lasted since spring"
    assert _standfirst_of(f"<h2 class='subheadline'>{second}</h2>") is None
    assert _standfirst_of(f"<h2 class='subheadline'>{second}</h2>", description=second) == second
    assert _standfirst_of("<div class='meta'>Published 3 hours ago, updated at 09:42 by the "
                          "newsroom of the daily paper</div>") is None


def test_a_box_the_reader_closes_again_is_no_standfirst() -> None:
    # A "send to Messenger" prompt (Facebook's plugin: a top bar with a close button over the
    # prompt's text), a "report an error" box of a share bar (a close link), an HTML <dialog>
    # and an ARIA dialog: each sits between headline and body, sentence-like, and is no summary
    prompts = (
        "<div class='fb-send-to-messenger-container'><div class='top-bar'>"
        "<div class='close-button'></div></div><div class='messenger-content'><p>Chat with us "
        "in Facebook Messenger. Find out what's happening in the world as it unfolds.</p></div>"
        "</div>",
        "<ul class='share'><li class='report-error'><a href='#'>Report an error</a>"
        "<div class='report-error-box'><a class='closeBtn' href='#'></a><div>Please mark the "
        "words in the text. With only two clicks you report the error to the newsroom.</div>"
        "</div></li></ul>",
        "<dialog><p>Get the day's local news in your inbox every morning, with the stories that "
        "matter to you.</p></dialog>",
        "<div role='dialog'><p>This summary was written by a language model from the article; "
        "read the article for the full context.</p></div>",
    )
    for prompt in prompts:
        assert _standfirst_of(prompt) is None
        # the summary the page shows under the prompt is still found
        assert _standfirst_of(prompt + f"<p class='standfirst'>{STANDFIRST}</p>") == STANDFIRST


def test_a_closed_or_enclosed_box_is_no_dialog() -> None:
    # "closed" is a state (a collapsed accordion), "enclosure" a podcast's audio: no control
    for box in ("<div class='accordion closed'>", "<div class='enclosure-player'>"):
        assert _standfirst_of(f"{box}<p>{STANDFIRST}</p></div>") == STANDFIRST
    # the article's own header may carry a share menu with a close button: the standfirst in
    # that header is still the standfirst
    header = ("<div class='share-menu'><button class='share-menu__close' aria-label='Close'>"
              "</button></div>" f"<p class='standfirst'>{STANDFIRST}</p>")
    assert _standfirst_of(header) == STANDFIRST


def test_the_box_of_the_article_body_is_no_dialog_for_its_share_pop_up() -> None:
    # a WordPress theme: the headline in a sidebar column, the excerpt (an <h2>) and the body in
    # one content wrapper that also holds the share bar's pop-up with its close button
    root = html.fromstring(
        "<html><body><div class='single'><div class='sidebar'><h1>Council approves the budget"
        "</h1></div><div class='single-content-wrapper'><div class='single-excerpt'>"
        f"<h2>{STANDFIRST}</h2></div><div class='share-popup'><button class='popup-close'>"
        f"</button></div><div class='single-content'>{PARAGRAPHS}</div></div></div>"
        "</body></html>")
    ctx = page_context(root, "Council approves the budget", "")
    found = standfirst.find_standfirst(root, ctx, root.xpath("//p[starts-with(., 'Paragraph')]")[0])
    assert found is not None and found.text == STANDFIRST


CAPTIONED = (
    "<html><body><article><h1>Council approves the budget</h1>"
    f"<div class='entry-content'>{PARAGRAPHS[:len(PARAGRAPHS) // 2]}"
    # a media box of a public broadcaster's CMS: picture, then its caption as a plain <p>
    "<div class='mediaCon'><div class='media'><picture><img src='/hall.jpg' alt=''></picture>"
    "<div class='mediaInfo'><p class='infotext'>The town hall on Monday evening</p></div>"
    "</div></div>"
    # WordPress classic: the caption shortcode's markup
    "<div class='wp-caption'><img src='/mayor.jpg' alt=''>"
    "<p class='wp-caption-text'>Mayor Jane Doe speaks to the council before the vote on the new "
    "budget in the town hall on Monday</p></div>"
    f"{PARAGRAPHS[len(PARAGRAPHS) // 2:]}</div></article></body></html>"
)


def test_captions_and_credits_of_pictures_stay_out_of_the_body() -> None:
    body = extract_article(CAPTIONED, url="https://news.example/2024/budget")["body"]
    assert "The town hall on Monday evening" not in body
    assert "Mayor Jane Doe speaks" not in body
    assert body.count("Paragraph") == 5


def test_a_pull_quote_in_a_figure_is_text_its_attribution_a_caption() -> None:
    root = html.fromstring(
        "<figure><blockquote><p>We finally have a budget that every part of this town can live "
        "with, and we got there by talking.</p></blockquote><figcaption>Jane Doe, mayor"
        "</figcaption></figure>")
    quote, attribution = root.xpath("//p")[0], root.xpath("//figcaption")[0]
    assert not body._is_caption(Block("quote", quote.text_content(), 0), quote)
    assert body._is_caption(Block("p", attribution.text_content(), 0), attribution)


FURNISHED = (
    # the class on the article's own container says nothing about its blocks
    "<html><body><article class='post has-newsletter-signup'><h1>Council approves the budget</h1>"
    f"<div class='entry-content'>{PARAGRAPHS[:len(PARAGRAPHS) // 2]}"
    "<div class='fact-box'><div class='wrapper'><h3>Facts about the budget</h3><div class='body'>"
    "<ul><li>The budget totals 14 million euros for the coming year, two more than the last.</li>"
    "<li>It was debated for four hours and passed with a majority of three votes.</li></ul>"
    "</div></div></div>"
    f"{PARAGRAPHS[len(PARAGRAPHS) // 2:]}"
    "<div class='newsletter-signup'><p>Get the day's local news in your inbox every morning: "
    "sign up for our free newsletter with the stories that matter to you.</p></div>"
    "<div class='author-bio'><p>Jane Reporter has covered local politics for the paper since "
    "2009 and before that reported on courts and crime in the region.</p></div>"
    "</div></article></body></html>"
)


def test_newsletter_boxes_biographies_and_fact_boxes_stay_out_of_the_body() -> None:
    body = extract_article(FURNISHED, url="https://news.example/2024/budget")["body"]
    assert body.count("Paragraph") == 5
    for furniture in ("Facts about the budget", "14 million euros", "free newsletter",
                      "Jane Reporter has covered"):
        assert furniture not in body


def test_past_the_lead_image_only_the_stated_summary_is_the_standfirst() -> None:
    # a sports/news CMS layout: headline, lead picture, then the teaser paragraph
    picture = "<div class='lead'><img src='/hall.jpg' alt=''></div>"
    teaser = f"<p class='article__teaser'>{STANDFIRST}</p>"
    assert _standfirst_of(picture + teaser, description=STANDFIRST) == STANDFIRST
    # the same text, not stated as the page's summary, may be the picture's caption
    assert _standfirst_of(picture + teaser) is None
    # a box holding the summary and much more is not the summary
    longer = f"<div>{STANDFIRST} {STANDFIRST[::-1]} {STANDFIRST.upper()}</div>"
    assert _standfirst_of(picture + longer, description=STANDFIRST) is None


def _paragraphs(*texts: str) -> list[Block]:
    return [Block("p", t, 0) for t in texts]


def test_closing_calls_to_action_leave_the_body_in_any_language() -> None:
    story = [f"Paragraph {n} of the story about the budget vote." for n in range(24)]
    closing = [
        "Got a story? Get in touch with our news team by emailing us.",
        "Sign up to our free weekly newsletter for the best of the week.",
        "Follow the Gazette on Twitter and Facebook for the latest news.",
        "Folgst du schon 20 Minuten auf Whatsapp?",
        "Abonnez-vous à notre lettre d'information.",
        "Did you like this article? Then please support us with a donation.",
        "Like this story? Share it with a friend!",
        "Listen to the show live at 12:45 weekdays - or listen back here.",
        "We’d like to hear what you think about this or any of our articles.",
        "Follow The New York Times Opinion section on Facebook, Twitter and Instagram.",
        "Write to Al Root at allen.root@dowjones.com",
        "ATENÇÃO: Comentários com textos ininteligíveis ou que faltem com respeito ao usuário "
        "não serão aprovados pelo moderador.",
    ]
    kept = drop_calls_to_action(_paragraphs(*story, *closing), PageContext())
    assert [b.text for b in kept] == story


def test_a_closing_paragraph_that_only_mentions_signing_up_stays() -> None:
    story = [f"Paragraph {n} of the story about the streaming bundle." for n in range(6)]
    closing = [
        "If you just want the film service, you can sign up for a monthly plan.",
        "He said he did not always follow through on suggestions from the envoy.",
        "They are waiting to have the providers tell us what their approach is.",
    ]
    kept = drop_calls_to_action(_paragraphs(*story, *closing), PageContext())
    assert len(kept) == len(story) + len(closing)


ARTICLE_HTML = "".join(
    f"<p class='editor-p'>Paragraph {n}: the council approved the budget after a debate of four "
    f"hours, ending a dispute that had lasted since spring — {'한국어' * n}.</p>" for n in range(4))
SHELL = ("<html><head><title>Council approves the budget</title></head><body><div id='root'>"
         "<h1>Council approves the budget</h1></div>{scripts}</body></html>")


def _push(text: str) -> str:
    return f"<script>self.__next_f.push({json.dumps([1, text])})</script>"


def test_an_app_router_page_reads_the_article_streamed_in_its_flight_rows() -> None:
    # Next.js streams a long HTML string as a text row "<id>:T<hex byte length>," and its bytes
    row = f"24:T{len(ARTICLE_HTML.encode('utf-8')):x},"
    scripts = ("<script>(self.__next_f=self.__next_f||[]).push([0])</script>"
               + _push('1:"$Sreact.fragment"\n') + _push(row) + _push(ARTICLE_HTML)
               + _push('25:["$","div",null,{}]\n'))
    body = extract_article(SHELL.format(scripts=scripts), url="https://news.example/a/1")["body"]
    assert body.count("Paragraph") == 4 and "한국어한국어한국어" in body


def test_a_pages_router_page_reads_the_article_in_its_next_data() -> None:
    data = {"props": {"pageProps": {"article": {"title": "Council", "content": ARTICLE_HTML}}}}
    scripts = (f"<script id='__NEXT_DATA__' type='application/json'>{json.dumps(data)}"
               "</script>")
    body = extract_article(SHELL.format(scripts=scripts), url="https://news.example/a/1")["body"]
    assert body.count("Paragraph") == 4


def test_a_page_with_an_article_in_its_html_ignores_script_data() -> None:
    data = {"props": {"related": ARTICLE_HTML.replace("Paragraph", "Teaser")}}
    page = (f"<html><body><article><h1>Council approves the budget</h1>{PARAGRAPHS}</article>"
            f"<script id='__NEXT_DATA__' type='application/json'>{json.dumps(data)}</script>"
            "</body></html>")
    body = extract_article(page, url="https://news.example/a/1")["body"]
    assert "Teaser" not in body and body.count("Paragraph") == 5


def test_a_chinese_paragraph_beside_a_picture_is_no_caption() -> None:
    # Chinese portal CMSs put an inline picture and the paragraph after it in one small box
    text = ("纺织行业协会周一发布报告称，今年前三季度全国纺织品服装出口总额同比增长百分之五，"
            "其中服装出口增长明显。")
    root = html.fromstring(f"<div class='pic'><img src='/a.jpg'><p>{text}</p></div>")
    paragraph = root.xpath("//p")[0]
    assert not body._is_caption(Block("p", text, 0), paragraph)
    assert body._is_caption(Block("p", "图为展会现场", 0), paragraph)


def test_the_fallback_text_of_a_video_player_stays_out_of_the_body() -> None:
    # video.js (WordPress news themes) prints a "no JavaScript" notice inside <video>: a
    # browser shows it only when it cannot play the video
    player = ("<div class='video-player'><video class='video-js' controls>"
              "<source src='/clip.mp4' type='video/mp4'><p class='vjs-no-js'>To view this video "
              "please enable JavaScript, and consider upgrading to a web browser that supports "
              "HTML5 video</p></video></div>")
    page = (f"<html><body><article><h1>Council approves the budget</h1><div class='entry'>"
            f"{PARAGRAPHS[:len(PARAGRAPHS) // 2]}{player}{PARAGRAPHS[len(PARAGRAPHS) // 2:]}"
            "<audio controls src='/talk.mp3'>Your browser does not support audio.</audio>"
            "</div></article></body></html>")
    body = extract_article(page, url="https://news.example/2024/budget")["body"]
    assert body.count("Paragraph") == 5
    assert "To view this video" not in body and "does not support audio" not in body


def _with_json_ld(article_html: str, article_body: str) -> str:
    data = {"@type": "NewsArticle", "headline": "Council approves the budget",
            "articleBody": article_body}
    return (f"<html><head><script type='application/ld+json'>{json.dumps(data)}</script>"
            f"</head><body><article><h1>Council approves the budget</h1>{article_html}"
            "</article></body></html>")


TRANSCRIPT = " ".join(f"Line {n} of the mayor's speech as delivered to the council, word for "
                      f"word, with the figures of the budget for department {n}."
                      for n in range(40))


def test_a_json_ld_copy_adding_only_boxes_the_page_shows_leaves_the_body_alone() -> None:
    # a WordPress theme's JSON-LD articleBody holds the whole post: a fact box with the full
    # transcript of a speech too, which the page shows and the body leaves out
    box = f"<div class='factbox'><h2>The speech in full</h2><p>{TRANSCRIPT}</p></div>"
    story = PARAGRAPHS.replace("<p>", "").replace("</p>", "\n\n")
    page = _with_json_ld(f"<div class='entry'>{PARAGRAPHS}{box}</div>",
                         f"{story}The speech in full\n\n{TRANSCRIPT}")
    body = extract_article(page, url="https://news.example/2024/budget")["body"]
    assert body.count("Paragraph") == 5 and "Line 3 of the mayor" not in body


def test_a_json_ld_copy_holding_text_the_page_lacks_replaces_a_stub_body() -> None:
    # a paywalled page: the HTML shows the first paragraphs, the publisher's JSON-LD all of them
    rest = " ".join(f"Hidden paragraph {n} explains the budget line by line for the "
                    f"subscribers of the paper, department after department." for n in range(30))
    story = PARAGRAPHS.replace("<p>", "").replace("</p>", "\n\n")
    page = _with_json_ld(f"<div class='entry'>{PARAGRAPHS}</div>", f"{story}{rest}")
    body = extract_article(page, url="https://news.example/2024/budget")["body"]
    assert body.count("Paragraph") == 5 and "Hidden paragraph 29" in body


def test_a_fact_box_paragraph_broken_by_two_line_breaks_stays_out_of_the_body() -> None:
    # a public broadcaster's CMS: an info box after the article, its text one <p> broken into
    # paragraphs by <br><br> (each piece is no page element of its own)
    box = ("<div class='infobox copytext__clearBox'><h3 class='infobox__headline'>The budget in "
           "numbers</h3><p class='infobox__text'>The budget totals 14 million euros for the "
           "coming year, two more than last year, most of it for schools and roads.<br><br>"
           "Of that, 3 million euros go to the new swimming pool, which opens in the spring of "
           "the year after next.</p></div>")
    page = (f"<html><body><article><h1>Council approves the budget</h1>"
            f"<div class='copytext'>{PARAGRAPHS}{box}</div></article></body></html>")
    body = extract_article(page, url="https://news.example/2024/budget")["body"]
    assert body.count("Paragraph") == 5
    assert "14 million" not in body and "swimming pool" not in body


def test_closing_credit_lines_leave_the_body() -> None:
    # wire services and newsrooms close with who reported, wrote and edited the story
    story = [f"Paragraph {n} of the story about the budget vote." for n in range(14)]
    credits = [
        "(Reporting by Jane Doe and John Roe; Editing by Max Moe)",
        "Additional reporting by Joseph Hudak",
        "Associated Press writers Alan Fram and Zeke Miller contributed to this report.",
        "With reports from Reforma and El Economista",
        "Mit Material von dpa und AFP",
        "Keith Bradsher contributed reporting from Hong Kong.",
        "Mit Informationen der Nachrichtenagenturen AFP, AP, dpa und Reuters.",
    ]
    kept = drop_closing_credits(_paragraphs(*story, *credits), PageContext())
    assert [b.text for b in kept] == story


def test_a_paragraph_telling_who_reported_what_stays() -> None:
    # the same words inside the story, or early in it, are the article's text
    story = _paragraphs(
        "Reporting by the local paper first revealed the gap in the budget last spring.",
        *(f"Paragraph {n} of the story about the budget vote." for n in range(6)),
        "The mayor thanked everyone who contributed to this report of the auditors, which "
        "took two years to write and runs to four hundred pages with its appendices.")
    assert drop_closing_credits(story, PageContext()) == story


def test_affiliate_disclosures_leave_the_body_wherever_they_stand() -> None:
    story = [f"Paragraph {n} of the review of the new kettle." for n in range(4)]
    notices = [
        "If you buy something through this post, the site may get a share of the sale.",
        "Die mit einem Symbol gekennzeichneten Links sind Affiliate-Links. Kommt darüber ein "
        "Einkauf zustande, erhalten wir eine Provision.",
        "Postmedia may earn an affiliate commission from purchases made through links on this "
        "page.",
    ]
    blocks = _paragraphs(notices[0], *story[:2], notices[1], *story[2:], notices[2])
    assert [b.text for b in drop_affiliate_disclosures(blocks, PageContext())] == story
    # a commission, or a purchase, alone is the article's business
    news = _paragraphs("Estate agents earn a commission of two percent on each sale.",
                       "If you buy something online, keep the receipt for two years.")
    assert drop_affiliate_disclosures(news, PageContext()) == news


def test_a_link_card_opening_with_a_teaser_label_leaves_the_body() -> None:
    card = "Also on rt.com Journalists threatened with arrest as the party is purged"
    story = _paragraphs(*(f"Paragraph {n} of the story about the budget vote." for n in range(4)))
    blocks = [*story[:2], Block("p", card, len(card)), *story[2:]]
    assert drop_labelled_teasers(blocks, PageContext()) == story
    # the same words as plain text are a sentence of the article
    plain = [*story[:2], Block("p", card, 0), *story[2:]]
    assert drop_labelled_teasers(plain, PageContext()) == plain


def test_angle_brackets_the_page_shows_stay_in_the_body() -> None:
    # Korean and Japanese blogs title works in angle brackets, escaped in the HTML: the reader
    # sees "<The Palace: Tale of Jang Noksu>", which is text, not a tag
    shown = ("<p>It is because &lt;The Palace: Tale of Jang Noksu&gt; was part of the opening "
             "ceremony of the festival, held until October 31st on the park's special stage.</p>")
    page = (f"<html><body><article><h1>Council approves the budget</h1>"
            f"<div class='entry'>{PARAGRAPHS}{shown}</div></article></body></html>")
    body = extract_article(page, url="https://news.example/2024/budget")["body"]
    assert "because <The Palace: Tale of Jang Noksu> was part" in body


def test_picture_credit_lines_leave_the_body_sentences_about_photos_stay() -> None:
    story = [f"Paragraph {n} of the story about the exhibition." for n in range(4)]
    credits = ["Jewels after Jewels, installation views, photos © Inexhibit, 2018",
               "Picture: Getty", "Foto: dpa/Max Muster"]
    blocks = _paragraphs(story[0], credits[0], *story[1:3], credits[1], story[3], credits[2])
    assert [b.text for b in drop_picture_credits(blocks, PageContext())] == story
    sentence = _paragraphs("Photos: the museum shows them all in one room.")
    assert drop_picture_credits(sentence, PageContext()) == sentence


def test_time_stamp_lines_leave_the_body_clock_times_of_the_text_stay() -> None:
    story = [f"Paragraph {n} of the story about the budget vote." for n in range(3)]
    stamps = ["Updated at 1:23 p.m.", "Stand: 22.04.2024 10:00 Uhr", "21.04.2024 | 3:18 min"]
    blocks = _paragraphs(story[0], stamps[0], story[1], stamps[1], story[2], stamps[2])
    assert [b.text for b in drop_timestamp_lines(blocks, PageContext())] == story
    # a live blog's entry time and a museum's opening hours are the article's text
    text = _paragraphs("4:14 p.m.", "9:30 A.M. - 7:00 P.M.", "In 2024 at 10:00 we met again.")
    assert drop_timestamp_lines(text, PageContext()) == text
