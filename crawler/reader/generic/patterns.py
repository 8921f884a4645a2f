"""Data for the extractor: thresholds, teaser labels, metadata names (cf. trafilatura's xpaths)."""

from __future__ import annotations

import re

from crawler.reader.document import CORE_MAX_LINK_DENSITY  # noqa: F401  (one bound for both readers)

# A block whose text is mostly link text is navigation or a teaser of another article.
LINK_DENSE = 0.5
# ...unless it is long: a real paragraph can be one long quoted link, a teaser rarely is.
LINK_DENSE_MAX_WORDS = 30
# A closing list whose items mostly carry this much link text, after a short label, is a
# "more stories" box.
LIST_ITEM_LINKED = 0.2
LABEL_MAX_WORDS = 6
SENTENCE_END = re.compile(r"[.!?。！？:：]\W*$")
# A heading at the top of the body this long is a standfirst, not a section heading.
STANDFIRST_MIN_WORDS = 12
# Only this many leading blocks are compared with the page title.
TITLE_WINDOW = 3
# Header lines left at the top of a body (a date line, "By Jane Doe"): this short, this near
# the top.
HEADER_LINE_MAX_WORDS = 8
HEADER_WINDOW = 4
# A numeric date in any order ("22.04.2024", "2024-04-22", "4/22/24").
NUMERIC_DATE = re.compile(
    r"\b(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}[./-]\d{1,2}[./-]\d{1,2})\b"
)
# A line of nothing but a time stamp: labels, dates, clock times, durations ("Updated at 1:23
# p.m.", "Stand: 22.04.2024 10:00 Uhr", "21.04.2024 | 3:18 min" under a video teaser), with a
# date or a label (a bare "4:14 p.m." heads a live blog's entry; "9:30 A.M. - 7:00 P.M." are
# opening hours: both are text).
TIMESTAMP_PARTS = re.compile(
    r"\b(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}[./-]\d{1,2}[./-]\d{1,2})\b"
    r"|\b\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\b"
    r"|\b(?:last |zuletzt )?(?:updated?|published|posted|aktualisiert|veröffentlicht|stand"
    r"|actualizado|publicado|mis à jour|publié|aggiornato|pubblicato)\b"
    r"|\b(?:at|on|um|am|à|a las|alle|uhr|min|mins|minutes?|minuten|sec|[ap]\.?\s?m)\b\.?",
    re.IGNORECASE,
)
TIMESTAMP_MAX_WORDS = 8
TIMESTAMP_ANCHOR = re.compile(
    r"\b(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}[./-]\d{1,2}[./-]\d{1,2})\b"
    r"|\b(?:updated?|published|posted|aktualisiert|veröffentlicht|stand|actualizado|publicado"
    r"|mis à jour|publié|aggiornato|pubblicato)\b", re.IGNORECASE,
)
BYLINE_START = re.compile(
    r"^\W*(?:by|von|par|por|di|da|door|av|af|przez|tarafından)\s+\w", re.IGNORECASE
)
# A standfirst is never inside these (captions and credits sit between headline and body too).
# A date this near the start of a line makes it a byline or a date line, not a summary.
BYLINE_DATE_WINDOW = 60
# The standfirst (the summary under the headline) leads the body, as issue 10 asks and as
# Fundus's truth has it (fundus-dev body F1 0.967 with it, 0.961 without); the
# article-extraction benchmark's truth leaves it out (aeb-dev F1 0.981, P 0.973 with it; 0.987,
# P 0.986 without). One convention must be chosen: this is it.
STANDFIRST_IN_BODY = True
# A text holding the page's stated summary is that summary when at most this much longer.
SUMMARY_SLACK = 1.5
MEDIA_TAGS: tuple[str, ...] = ("img", "picture", "video", "figure", "iframe")
STANDFIRST_EXCLUDED = frozenset({"figure", "figcaption", "aside", "nav", "footer", "time"})
# A standfirst stays on the page under the headline: a box the reader opens and closes again
# (a "report an error" form, a "chat with us" prompt, an AI-summary panel) is a dialog, and its
# text no summary of the article. Such a box is an HTML <dialog>, an ARIA dialog, or a box
# holding a close control ("close-button", "close_btn", "closeBtn", aria-label "Close"); a
# state name such as "closed" or "enclosure" is no control.
DIALOG_ROLES = frozenset({"dialog", "alertdialog"})
CLOSE_CONTROL = re.compile(r"(?<![a-z])close(?:btn|button|icon|[^a-z]|$)", re.IGNORECASE)
# How many boxes above a candidate are looked at (a prompt's text sits in a content div inside
# the box whose top bar holds the close button).
DIALOG_LEVELS = 2

# Labels that introduce a link to another article, in the languages the crawler meets.
TEASER_LABELS: tuple[str, ...] = (
    r"read more", r"read also", r"also read", r"see more", r"see also", r"related",
    r"recommended", r"more on this", r"more from", r"don'?t miss", r"also on \S+", r"watch",
    r"leggi anche", r"lesen sie auch", r"mehr zum thema", r"voir aussi", r"lire aussi",
    r"à lire aussi", r"leia também", r"veja também", r"lea también", r"ver también",
    r"相关阅读", r"相关新闻", r"延伸阅读", r"推荐阅读",
    r"les også", r"læs også", r"läs också", r"lue myös", r"lees ook", r"lees meer",
    r"czytaj także", r"czytaj też", r"leia mais", r"lisez aussi", r"leer más", r"lee también",
    r"auch interessant", r"das könnte sie auch interessieren", r"ayrıca okuyun",
)
# ...when at least this share of the line is link text.
LABELLED_LINK_SHARE = 0.3
# "LABEL | linked title", "Label: linked title": the shape of an inline teaser in any language.
LABELLED_LINE = re.compile(r"^\W*(?P<label>[^|:：\n]{1,60}?)(?:\s*\|\s*|\s*[:：]\s+)\S")
# ...when this many lines of the body share the label.
REPEATED_LABEL_MIN = 2
TEASER_TITLE_MIN_WORDS = 3
TEASER_LABEL = re.compile(
    r"^\W*(?:" + "|".join(TEASER_LABELS) + r")\b\W*[:：\-–—|]", re.IGNORECASE
)
# A link whose own text opens with such a label ("Also on rt.com <title>", a "read more" card)
# needs no separator: being a link, it points to another article.
TEASER_LABEL_START = re.compile(r"^\W*(?:" + "|".join(TEASER_LABELS) + r")\b", re.IGNORECASE)

# A label of the page's tag list, closing the body ("Tags:", "Etiketler :", "Schlagworte").
TAGS_LABEL = re.compile(
    r"^\W*(?:tags?|tagged|keywords?|topics?|themen|schlagw(?:ö|oe)rter|schlagworte|etiketler"
    r"|etiquetas|mots[- ]cl(?:é|e)s|parole chiave|tagi|emneord|taggar|trefwoorden|标签|关键词|タグ)"
    r"\W*$", re.IGNORECASE,
)
# The tags after it are short (a few words each) and end the body.
TAG_MAX_WORDS = 4

# A call to action closing an article: the reader asked to sign up, subscribe, follow the
# publisher, support it or write in (second person or imperative, in the languages the crawler
# meets).
CALL_TO_ACTION = re.compile(
    r"\b(?:sign(?:ing)? up (?:to|for) our|sign up (?:here|now|today|below)"
    r"|subscribe (?:to our|now|here)|our (?:free )?(?:daily |weekly )?newsletters?"
    r"|(?:in|to) your (?:inbox|letterbox)|follow us|get in touch|click here"
    r"|follow (?:\S+ ){1,6}on (?:twitter|x|facebook|instagram|tiktok|youtube|linkedin"
    r"|threads|bluesky)"
    r"|tell us what you think|send us your|push (?:alerts|notifications)"
    r"|whatsapp[- ](?:channel|kanal)|support (?:us|our journalism)|unterstützen sie uns"
    r"|newsletter abonnieren|abonniere|abonnieren sie|folgen sie uns|folgst du"
    r"|abonnez-vous|inscrivez-vous|suivez-nous|suscr[ií]bete|s[ií]guenos|iscriviti|seguici"
    r"|inscreva-se|siga-nos|volg ons|schrijf je in"
    # ...to share the story, to listen to the publisher's show, to write a letter
    r"|write to (?:\S+ ){1,4}at \S+@\S+"
    r"|share (?:it|this|this story|this article) with|teilen sie (?:diesen artikel|ihn)"
    r"|listen (?:back|again|live)\b|how to listen|(?:we(?:'|’)?d|we would) (?:like|love) to hear"
    # ...and the rules of the comment section under it
    r"|comments? (?:are|will be) (?:moderated|reviewed)|coment[aá]rios? .{0,120}moderador"
    r"|kommentare? .{0,120}(?:moderiert|freigeschaltet))",
    re.IGNORECASE,
)
# ...a short block (a paragraph of a real article may mention newsletters at length).
CALL_TO_ACTION_MAX_WORDS = 45

# The credit line closing a wire or newsroom story: who reported, wrote, edited, contributed
# ("(Reporting by X; Editing by Y)", "Additional reporting by X", "X contributed to this
# report", "With reports from X", "Mit Material von dpa", "Con información de X").
CREDIT_LINE = re.compile(
    r"^\W*(?:(?:additional |with |further )?reporting by|writing by|editing by|edited by"
    r"|compiled by|with reports? from|with information from|mit material (?:von|der|aus)"
    r"|mit informationen (?:von|der|aus)|mitarbeit:"
    r"|con información de|com informações d[aeo]s?|avec (?:l['’])?(?:afp|ap|reuters))\b"
    r"|\bcontributed (?:reporting )?to this (?:report|story|article)\W*$"
    r"|\bcontributed (?:reporting|research)\b",
    re.IGNORECASE,
)
CREDIT_MAX_WORDS = 40
# A picture's credit line left where its caption was ("installation views, photos © Inexhibit,
# 2018", "Picture: Getty", "Foto: dpa"): a short line, no sentence, naming the photographer.
PICTURE_CREDIT = re.compile(
    r"\b(?:photos?|pictures?|images?|fotos?|bild(?:er)?|photograph(?:s|y)?)\W{0,3}"
    r"(?:©|ⓒ|\(c\)|:|by\b|courtesy\b)", re.IGNORECASE,
)
PICTURE_CREDIT_MAX_WORDS = 15

# An affiliate disclosure: the publisher earns from what the reader buys through its links.
# A notice about the page, not the article's text, wherever it stands.
AFFILIATE_DISCLOSURE = re.compile(
    r"\baffiliate[- ](?:links?|partners?|commissions?)\b|\bprovisions-?links?\b"
    # a commission and a purchase or link in one short block ("If you buy something through
    # this post, we may get a share of the sale"); a commission alone is business news
    r"|\b(?:commission|provision|share of the sale)\b.{0,80}"
    r"\b(?:links?|purchases?|buy|bought|einkauf|kauf)\b"
    r"|\b(?:links?|purchases?|buy|bought|einkauf|kauf)\b.{0,80}"
    r"\b(?:commission|provision|share of the sale)\b",
    re.IGNORECASE,
)
DISCLOSURE_MAX_WORDS = 60

# Press-release boilerplate closing a body: an "About <company>" label, or a paragraph that
# defines the company ("Acme is a leading provider of...") and states its size or seat.
ABOUT_LABEL = re.compile(
    r"^\W*(?:about|über|à propos d[eu']?|a propos d[eu']?|acerca de|sobre|informazioni su"
    r"|chi è|関於|关于)\s+\S", re.IGNORECASE,
)
COMPANY_DEFINITION = re.compile(
    r"^\W*(?:about\s+)?[A-Z][\w&.,'’\- ]{1,50}?\s(?:is|are)\s(?:a|an|the|one of the)\s"
    r"(?:[\w-]+\s){0,5}(?:company|provider|leader|manufacturer|group|firm|organi[sz]ation|supplier"
    r"|developer|maker|corporation|producer|specialist|distributor|network|platform|agency)\b"
)
COMPANY_FACTS = re.compile(
    r"\b(?:headquartered|founded in|employs|employees|subsidiaries|listed on|stock exchange"
    r"|for more information|visit\s+\S*www\.|www\.)", re.IGNORECASE,
)
# Only the closing share of the body is searched for that boilerplate.
CLOSING_SHARE = 0.34

# Pop-ups inside paragraphs (a hover card of a linked name, a tooltip): their text is not
# read in line, and a browser shows it only on hover.
POPUP_XPATH = (
    '//p//*[self::span or self::div][contains(@class, "rollover") or contains(@class, "tooltip")'
    ' or contains(@class, "popover") or contains(@class, "hovercard")]'
)
# Media elements whose content is fallback for browsers that cannot play them ("To view this
# video please enable JavaScript..." of video.js): the reader sees the player, never that text.
MEDIA_FALLBACK_TAGS: tuple[str, ...] = ("video", "audio", "object", "canvas")
# ...and their children that are no fallback but the media's own sources and subtitles.
MEDIA_SOURCE_TAGS = frozenset({"source", "track", "param"})

# Boxes inside or beside an article that are not its text: a newsletter or sign-up form, a
# pop-up, the author's biography, a fact box or info box (CMS class/id names, any token of
# them: "author__biography", "newsletter-signup", "amedia-factbox fact-box", "infobox").
FURNITURE_CLASS = re.compile(
    r"newsletter|sign-?up|subscri(?:be|ption)|popup|pop-up|modal"
    r"|author[-_]*bio|biography|fact-?box|info-?box",
    re.IGNORECASE,
)
# How far above a block's element such a box is looked for (a list item in a fact box sits
# five levels down: li < ul < div.body < div.content < div.wrapper < factbox).
FURNITURE_LEVELS = 6

# Page elements a body block is looked up in, to place it in the DOM.
BLOCK_TAGS: tuple[str, ...] = (
    "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dd", "dt",
    "figcaption", "td", "th", "tr", "a",
)
# trafilatura's fallback extractors (jusText, readability) are quadratic on long runs of list
# and table cells (about 5 s from 1,000 cells on): a page with more block elements than this
# is read without them. The largest of 222 real pages in ../shared/*-dev has 2,578; the 90th
# percentile 610.
FALLBACK_MAX_BLOCKS = 1000
FALLBACK_BLOCK_TAGS = ("p", "li", "td", "div", "tr")
# trafilatura looks at every ancestor of each paragraph in two places, and jusText keeps each
# paragraph's path from the root: their cost is paragraphs times the page's depth, whatever the
# tags (4,000 paragraphs under 1,500 divs: 3.3 s; 1,900 nested blockquotes: 1.2 s). A page with
# elements deeper than this is not handed to trafilatura: its body is read from the page's own
# blocks. The deepest of the 222 real pages in ../shared/*-dev nests 51 elements deep, the next 33.
MAX_DEPTH = 100
# trafilatura recurses once per level of nested lists (a RecursionError from about 450 levels)
# and is quadratic in nested tables (500 levels: 2 s): a page whose lists and tables nest deeper
# than this is not handed to it, its body is read from the page's own blocks instead. The
# deepest of the 269 pages in tests/fixtures and ../shared nests 4; old table layouts, ~10.
MAX_NESTING = 32
NESTING_TAGS = ("ul", "ol", "dl", "table")
# Scripts written without spaces between words (Han, kana), and about how many of their
# characters make a word, for word counts of Chinese and Japanese text.
UNSPACED_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
UNSPACED_PER_WORD = 2
# Core paragraphs, the ones that define where the article is.
CORE_MIN_WORDS = 12
# (their link density bound is crawler.reader.document.CORE_MAX_LINK_DENSITY, imported above)
# The region is found by crawler.reader.document.content_region (the one region finder).

# --- what the page states about itself, to recognise it repeated in the body ------------
# Where a page states its headline and its summary, besides the chosen title/description.
TITLE_TEXTS_XPATH = (
    '//title/text() | //h1//text()'
    ' | //meta[@property="og:title" or @name="twitter:title"]/@content'
)
DESCRIPTION_TEXTS_XPATH = (
    '//meta[@name="description" or @property="og:description"'
    ' or @name="twitter:description"]/@content'
)

# --- region completion -----------------------------------------------------------------------
# Social posts embedded in an article (their widget classes make trafilatura drop them).
EMBED_XPATH = (
    './/blockquote[contains(@class, "tweet") or contains(@class, "instagram")'
    ' or contains(@class, "tiktok") or contains(@class, "embed")]'
)
# How far above the region to look for sibling containers continuing the article.
CHUNK_LEVELS = 3
# Elements between two chunks of one article hold at most this much text (ads, embeds).
CHUNK_GAP_CHARS = 200
# Pages rendered in the browser: the article's HTML in script data, read when the page's own
# HTML gives no body. Next.js app router: ``self.__next_f.push([1,"..."])`` calls whose strings
# join into rows, text rows being "<id>:T<hex byte length>,<text>".
FLIGHT_PUSH = re.compile(r"self\.__next_f\.push\((\[.*\])\);?", re.DOTALL)
FLIGHT_TEXT_ROW = re.compile(rb"(?:^|\n|\})[0-9a-zA-Z]+:T([0-9a-fA-F]{1,8}),")
# ...and JSON data scripts (``__NEXT_DATA__`` of the pages router, Nuxt, others).
JSON_SCRIPT_XPATH = '//script[@type="application/json" or @id="__NEXT_DATA__"]'
SCRIPT_JSON_MAX_DEPTH = 32
# A fragment is taken for the article with at least this many paragraphs.
SCRIPT_MIN_PARAGRAPHS = 3

