"""The authors: named by the page's JSON-LD ``author`` (``@id`` references resolved), its
visible byline, its microformats (``rel=author``, ``itemprop=author``), its ``<meta>`` tags
(Yoast's "Written by" pair included) or a sign-off line closing or opening the article, in
that order of trust; the first source that names someone wins.

Each source's names are split ("A and B", "A, B und C", one per link of a byline; "srf/hosb"
is one credit), stripped of byline labels ("By", "Von") and job titles, and cleaned of what
names nobody: e-mail addresses, URLs, slugs ("sophie-foster"), image credits, a photographer
marked in a caption. The site's own name is kept only where the page states its author on
purpose (JSON-LD, meta) and only as a last resort, as is a CMS's administrator account;
elsewhere it is a logo or label caught with the byline, and dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from lxml.etree import _Element

from crawler.cleaning import normalize_space
from crawler.dates import find_datetime
from crawler.reader.fields import (
    SHOWN_TEXT,
    Candidate,
    following_elements,
    raw_text,
    shown_texts_after,
    text_of,
    xpath,
)
from crawler.reader.fields.marks import PageMarks
from crawler.reader.metadata import PageMetadata

META_AUTHOR = ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author",
               "og:author", "cxenseparse:author", "byl")
# Yoast SEO (WordPress) states the author as a labelled pair for link previews:
# <meta name="twitter:label1" content="Written by"><meta name="twitter:data1" content="Jane Doe">,
# or, from its ``twitter_misc`` data, <meta name="twitter:misc:Written by" content="Jane Doe">.
META_LABEL_PAIR = ("twitter:label{}", "twitter:data{}")
META_LABELLED_PREFIX = "twitter:misc:"
META_LABEL_PAIRS_MAX = 4
# The label, in the languages Yoast ships ("Written by", "Geschrieben von", "Escrito por", ...).
AUTHOR_LABEL = re.compile(
    r"^(?:written\s+by|geschrieben\s+von|verfasst\s+von|escrito\s+por|écrit\s+par|scritto\s+da"
    r"|geschreven\s+door|skrevet\s+af|skriven\s+av|napisane\s+przez|author|autor|auteur)$",
    re.IGNORECASE)
# Sources where the page states its author on purpose, the site itself included.
STATED_SOURCES = frozenset({"jsonld", "meta"})
# Cheap tests only (attribute equality, one contains): each XPath step runs on every element.
MICROFORMAT_XPATH = (
    '//a[@rel="author"] | //*[@itemprop="author"]//*[@itemprop="name"]'
    ' | //*[@itemprop="author"][not(.//*[@itemprop="name"])][not(self::meta or self::link)]'
    ' | //*[contains(@class, "byline__name")]'
)
# "By", "Von", "Por", "Par", "Di", "Door", "Av", "Text:", "Autor:", "Written by", in front.
# A noun ("Text", "Author") is a label only before a colon or alone: "Text Size" is none.
BYLINE_LABEL = re.compile(
    r"^\W*(?:(?:(?:written|posted|reported|submitted)\s+by|(?:eingereicht|verfasst)\s+von)\b"
    r"|(?:by|von|por|par|di|door|av|af)\b"
    r"|(?:text|texte|autor(?:in|es)?|author|auteur|redakcja|текст|автор)(?=\s*[:：]|\s*$)"
    r"|作者|记者|記者|撰文)\s*[:：]?\s*", re.IGNORECASE,
)
# Where a byline runs on into its date: "Jane Doe on Fri, 04/28/2023", "Anna Weber am ...".
BYLINE_END = re.compile(r"\s+(?:on|am|le|el|il|op)\s+.*$|\s*[|•·]\s*.*$", re.IGNORECASE)
# Between names: "A and B", "A und B", "A & B", "A y B", "A et B", "A e B", "A en B", "A og B".
# A slash between two lower-case codes is one credit (a desk and its editor, "srf/hosb";
# an agency's regional service, "dpa/lno"), not two names.
CONJUNCTION = re.compile(r"\s+(?:and|und|&|y|et|e|en|og|och|i|ve)\s+|\s*[;|]\s*"
                         r"|\s*(?-i:(?<![a-z])/|/(?![a-z]))\s*", re.IGNORECASE)
# What joins linked names in a byline: a comma, "and", "und", "&", ...
JOINER = re.compile(r"^(?:[,;&/]|,?\s*(?:and|und|y|et|e|en|og|och|i|ve))$", re.IGNORECASE)
COMMA = re.compile(r"\s*[,，、]\s*")
# A trailing job title ("신현주 기자", "Jane Doe, Reporter") is not part of the name.
JOB_TITLE = re.compile(r"\s*(?:기자|특파원|記者|记者|特派員)$")
NOT_A_NAME = re.compile(
    r"@|://|^www\.|\.(?:com|de|net|org|co\.uk)\b|\b(?:image|photo|foto|picture|getty|istock"
    r"|shutterstock|credit)s?\b|[()\[\]]", re.IGNORECASE,
)
URL_LIKE = re.compile(r"://|^www\.|^/")
INLINE_TAGS = frozenset({"span", "strong", "b", "em", "i", "time", "small", "abbr", "font"})
# The author archive of a CMS's administrator account: the site speaking, not a writer.
HOUSE_ACCOUNT_URL = re.compile(r"/author/(?:admin|administrator|webmaster|root)/?(?:[?#].*)?$",
                               re.IGNORECASE)
AUTHOR_CLASS = re.compile(r"author|byline", re.IGNORECASE)
CAPTION_CLASS = re.compile(r"caption|credit", re.IGNORECASE)
INFO_SEPARATOR = re.compile(r"\s*[|•·]\s*")
# A standalone number ("03:07 Min", "12 comments") is no part of a name.
NUMBER = re.compile(r"(?<!\w)\d+(?:[:.,]\d+)*(?!\w)")
# An unlabelled byline beside the date line: two to four capitalised words ("Jane Doe").
NAME_SHAPE = re.compile(r"^(?:[A-ZÀ-ÖØ-Þ][\w'’.-]*\s+){1,3}[A-ZÀ-ÖØ-Þ][\w'’.-]*$")
JOB_WORDS = re.compile(
    r"(?<![\w-])(?:reporter|writer|editor|correspondent|journalist|columnist|contributor|staff"
    r"|redakteur(?:in)?|redaktion|autor(?:in)?|rédaction|redacción)\b", re.IGNORECASE)
SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)+$")
# What a name is compared without (case, spaces, punctuation): "NDR.de" ~ "ndr de".
NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")
A_LETTER = re.compile(r"[^\W\d_]")
# A name has at most this many words and characters; longer texts are sentences.
MAX_NAME_WORDS = 5
MAX_NAME_CHARS = 60
# A site's name with this many words added is still the site ("MDR THÜRINGEN").
SITE_NAME_EXTRA_WORDS = 1
# How many short texts after the headline are searched for a byline.
BYLINE_TEXTS = 30
BYLINE_MAX_CHARS = 120
# Long texts (a standfirst) passed over between the headline and its byline.
STANDFIRSTS = 1
# A sign-off line opens or closes a run of at least this many paragraphs of running text
# (this long), among the first paragraphs after the headline.
SIGN_OFF_MIN_PARAGRAPHS = 3
RUNNING_TEXT_CHARS = 80
SIGN_OFF_PARAGRAPHS = 200
EMPHASIS_TAGS = frozenset({"strong", "b", "em", "i"})


def split_names(text: str) -> list[str]:
    """"A and B" -> [A, B]; "A, B und C" -> [A, B, C]; "Doe, Jane" stays one name."""
    text = BYLINE_LABEL.sub("", normalize_space(text))
    parts = [p for p in CONJUNCTION.split(text) if p.strip()]
    by_comma = [q for p in parts for q in COMMA.split(p) if q.strip()]
    if len(parts) > 1 or any(len(q.split()) > 1 for q in by_comma):  # not "Doe, Jane"
        parts = by_comma
    # "Jane Doe, Political Correspondent": a job title after a name is no second author
    parts = [p for i, p in enumerate(parts) if i == 0 or not JOB_WORDS.search(p)]
    return [JOB_TITLE.sub("", BYLINE_LABEL.sub("", p)).strip(" .·-–—") for p in parts]


def _byline_text(text: str) -> str:
    return BYLINE_END.sub("", text)


def is_person_name(name: str, site_keys: set[str]) -> bool:
    """A plausible name of a person: not an address, slug, credit or the site's own name."""
    if not A_LETTER.search(name) or NUMBER.search(name) or NOT_A_NAME.search(name):
        return False
    if len(name) > MAX_NAME_CHARS or len(name.split()) > MAX_NAME_WORDS or SLUG.match(name):
        return False
    return not names_site(name, site_keys)


def names_site(name: str, site_keys: set[str]) -> bool:
    """``name`` is the site's own name, or the name with a word added ("MDR THÜRINGEN"); a
    credit code ("srf/hosb": the site's editor hosb) names its editor, not the site."""
    if "/" in name:
        return False
    folded = _fold(name)
    return any(folded == k or (len(folded) > 2 and folded in k) or (
        len(k) > 2 and k in folded and len(name.split()) <= SITE_NAME_EXTRA_WORDS + 1)
        for k in site_keys)


def names_desk(name: str, site_keys: set[str]) -> bool:
    """``name`` is one of the site's desks: its name with a word added ("MDR SACHSEN-ANHALT",
    "BR24 Redaktion"), not the bare name of the publisher ("MDR", "mdr.de")."""
    folded = _fold(name)
    return names_site(name, site_keys) and not any(folded in k for k in site_keys)


def _is_site(name: str, site_keys: set[str]) -> bool:
    """The site's own name ("NDR.de"), not an address at the site's domain."""
    return "@" not in name and names_site(name, site_keys)


def _fold(text: str) -> str:
    return NOT_LETTER_OR_DIGIT.sub("", text.casefold())


def _site_keys(site_names: Sequence[str]) -> set[str]:
    return {key for key in map(_fold, site_names) if key}


def clean_names(values: Iterable[str], site_names: Sequence[str] = (), keep_site: bool = False
                ) -> list[str]:
    """Split, cleaned, deduplicated person names from raw author values; the site's own name
    ("NDR.de") dropped, or kept when ``keep_site``."""
    return _clean_names(values, _site_keys(site_names), keep_site)


def _clean_names(values: Iterable[str], site_keys: set[str], keep_site: bool) -> list[str]:
    names = [n for v in values if not URL_LIKE.search(v) for n in split_names(v)
             if (keep_site and _is_site(n, site_keys)) or is_person_name(n, site_keys)]
    # a job title listed after a name ("Amy Gibbons", "Political Correspondent") is no author
    names = [n for i, n in enumerate(names) if i == 0 or not JOB_WORDS.search(n)]
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.casefold(), name)
    return list(seen.values())


def jsonld_names(value: Any) -> list[str]:
    """The names in a JSON-LD author value (a string, a Person or Organization, a list)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [n for item in value for n in jsonld_names(item)]
    if isinstance(value, dict):
        name = value.get("name")
        return jsonld_names(name) if isinstance(name, (str, list)) else []
    return []


def visible_byline(headline: _Element | None) -> list[str]:
    """A labelled byline ("By Jane Doe") among the short texts after the headline, else the
    texts there of elements marked as the author's (``class="authorname"``)."""
    if headline is None:
        return []
    texts = shown_texts_after(headline, BYLINE_TEXTS)
    marked: list[str] = []
    long_texts = 0
    for i, node in enumerate(texts):
        text = normalize_space(str(node))
        if len(text) > BYLINE_MAX_CHARS:
            long_texts += 1  # a standfirst may come between the headline and the byline
            if long_texts > STANDFIRSTS:
                break
            continue
        labelled = _labelled(node, texts[i + 1] if i + 1 < len(texts) else "")
        if labelled is not None:
            return [labelled] if labelled else []
        if _marked_author(node):
            marked.append(text)
    return marked or _beside_date(texts)


def _beside_date(texts: list[Any]) -> list[str]:
    """A name-shaped text on the date line, or just before or after it in the same line's
    element ("Jane Doe | 5.4.2025"); never a link or a heading (a section's name)."""
    shown = [normalize_space(str(t)) for t in texts]
    dated = next((i for i, t in enumerate(shown)
                  if len(t) <= BYLINE_MAX_CHARS and find_datetime(t) is not None), None)
    if dated is None:
        return []
    line = _line_of(texts[dated])
    same_line = [i for i in (dated - 1, dated + 1)
                 if 0 <= i < len(texts) and line is not None and _line_of(texts[i]) is line]
    near = [piece for i in sorted({dated, *same_line})
            for piece in INFO_SEPARATOR.split(shown[i])]
    return [t for t in near if NAME_SHAPE.match(t) and not JOB_WORDS.search(t)][:1]


def _line_of(text: Any) -> Any:
    """The block element a text is shown in; None inside a link or heading."""
    element = _holder(text)
    while element is not None and element.tag in INLINE_TAGS:
        element = element.getparent()
    if element is None or element.tag in ("a", "h1", "h2", "h3", "h4", "h5", "h6"):
        return None
    return element


def _labelled(node: Any, following: object) -> str | None:
    """The names after a byline label in the text ``node``; when the label ends it, the rest
    of its line ("Von <a>A</a>, <a>B</a> und <a>C</a>"), else the next text. The byline may
    follow the date on one line: "25.04.24 | 14:07 | Von Jane Doe"."""
    for piece in INFO_SEPARATOR.split(normalize_space(str(node))):
        label = BYLINE_LABEL.match(piece)
        if label is not None:
            rest = piece[label.end() :] or _rest_of_line(node, piece)
            return _byline_text(rest or normalize_space(str(following)))
    return None


def _rest_of_line(node: Any, label: str) -> str:
    """The linked names after a label that ends its text, as a byline shows several authors:
    "By <a>A</a>, <a>B</a> and <a>C</a>" -> "A; B; C" (one name per link; stops at the first
    text that joins no names: a job title, a date, a "Follow" button's link)."""
    line = _line_of(node)
    if line is None:
        return ""
    texts = xpath(line, f".//text()[{SHOWN_TEXT}]")
    at = next((i for i, t in enumerate(texts) if t is node or t == node), None)
    names: list[str] = []
    joined = True  # the label joins the first name; a link right after a name is a button
    for text in texts[at + 1 :] if at is not None else []:
        shown = normalize_space(str(text))
        if _in_link(text) and joined:
            names.append(shown)
            joined = False
        elif names and not joined and JOINER.match(shown):
            joined = True
        else:
            break
    return "; ".join(names)


def _holder(text: Any) -> Any:
    """The element a text node is shown in: its parent, or for a tail ("A</a>, ") the
    element that holds the one it follows."""
    element = text.getparent()
    return element.getparent() if element is not None and text.is_tail else element


def _in_link(text: Any) -> bool:
    element = _holder(text)
    while element is not None and element.tag in INLINE_TAGS:
        element = element.getparent()
    return element is not None and element.tag == "a"


def _marked_author(node: object) -> bool:
    """The text sits in an element marked as the author's, outside any image caption (where
    ``class="author"`` names the photographer)."""
    parent = getattr(node, "getparent", lambda: None)()
    for element in (parent, parent.getparent() if parent is not None else None):
        if element is not None and AUTHOR_CLASS.search(element.get("class") or ""):
            return not _in_caption(element)
    return False


def _in_caption(element: _Element) -> bool:
    """Inside a ``<figcaption>`` or an element whose class says caption or credit."""
    for ancestor in element.iterancestors():
        if ancestor.tag == "figcaption" or CAPTION_CLASS.search(ancestor.get("class") or ""):
            return True
    return False


def author_candidates(md: PageMetadata, root: _Element, headline: _Element | None,
                      marks: PageMarks | None = None) -> Iterator[Candidate[list[str]]]:
    """Raw author values of every source, most trusted first; each read only when asked for
    (the first source naming a person usually ends the search). A CMS's house account
    (``/author/admin/``) is named by every source that names it only as the last resort."""
    marks = marks if marks is not None else PageMarks(root)  # MICROFORMAT_XPATH's answer
    house = house_accounts(md, root, marks)
    sources: tuple[tuple[Callable[[], list[str]], str], ...] = (
        (lambda: jsonld_names(_resolved(md.ld("author") or md.ld("creator"), md)), "jsonld"),
        (lambda: visible_byline(headline), "visible"),
        (lambda: [_text(el) for el in marks.author_microformats()], "microformat"),
        (lambda: [*md.all(*META_AUTHOR), *labelled_meta_authors(md)], "meta"),
        (lambda: sign_off(headline), "visible"),
    )
    for read, source in sources:
        yield Candidate([v for v in read() if _fold(BYLINE_LABEL.sub("", v)) not in house],
                        source)
    yield Candidate(list(house.values()), "jsonld")


def _resolved(value: Any, md: PageMetadata) -> Any:
    """The JSON-LD author with references to nodes elsewhere on the page (``{"@id": ...}``,
    as in a ``@graph`` naming its Person once) replaced by those nodes."""
    refs = [v for v in _objects(value) if "name" not in v and isinstance(v.get("@id"), str)]
    if not refs:
        return value
    nodes = {obj["@id"]: obj for obj in md.ld_objects
             if isinstance(obj.get("@id"), str) and "name" in obj}
    items = value if isinstance(value, list) else [value]
    return [nodes.get(v["@id"], v) if isinstance(v, dict) and v in refs else v for v in items]


def house_accounts(md: PageMetadata, root: _Element, marks: PageMarks | None = None
                   ) -> dict[str, str]:
    """Names of the CMS accounts the page links as its author that are no person: the
    install's administrator (WordPress ``/author/admin/``), by folded name."""
    found = [(name, url) for obj in _objects(md.ld("author"))
             for name in jsonld_names(obj.get("name"))
             for url in (obj.get("url"), obj.get("@id")) if isinstance(url, str)]
    links = (marks if marks is not None else PageMarks(root)).author_links()  # //a[@rel="author"]
    found += [(text_of(a), a.get("href") or "") for a in links]
    return {_fold(name): name for name, url in found if HOUSE_ACCOUNT_URL.search(url)}


def _objects(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        return [value]
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def sign_off(headline: _Element | None) -> list[str]:
    """A name alone on an emphasised line that opens or closes the article's paragraphs
    (``<p><strong>Jane Doe</strong></p>``): the byline of pages with no byline field."""
    for paragraph in _article_ends(headline):
        text = _emphasised_line(paragraph)
        if text and NAME_SHAPE.match(BYLINE_LABEL.sub("", text)) and not JOB_WORDS.search(text):
            return [text]
    return []


def _article_ends(headline: _Element | None) -> list[_Element]:
    """The first and the last non-empty ``<p>`` child of the element after the headline
    holding the most paragraphs of running text (one paragraph twice where it is the only one)."""
    if headline is None:
        return []
    parents: dict[_Element, int] = {}
    for p in islice(following_elements(headline, "p"), SIGN_OFF_PARAGRAPHS):
        parent = p.getparent()
        if parent is not None and _is_running_text(p):
            parents[parent] = parents.get(parent, 0) + 1
    if not parents:
        return []
    best = max(parents, key=lambda parent: parents[parent])
    if parents[best] < SIGN_OFF_MIN_PARAGRAPHS:
        return []
    children = list(best.iterchildren("p"))
    first = next((p for p in children if text_of(p)), None)
    last = next((p for p in reversed(children) if text_of(p)), None)
    return [first, last] if first is not None and last is not None else []


def _is_running_text(paragraph: _Element) -> bool:
    """``len(text_of(paragraph)) >= RUNNING_TEXT_CHARS``; a text shorter before its spaces are
    normalised is shorter after."""
    raw = raw_text(paragraph)
    return len(raw) >= RUNNING_TEXT_CHARS and len(normalize_space(raw)) >= RUNNING_TEXT_CHARS


def _emphasised_line(paragraph: _Element) -> str | None:
    """The paragraph's text when all of it sits in one ``<strong>``/``<b>``/``<em>``."""
    children = list(paragraph)
    if len(children) != 1 or children[0].tag not in EMPHASIS_TAGS:
        return None
    if (paragraph.text or "").strip() or (children[0].tail or "").strip():
        return None
    text = text_of(children[0])
    return text if len(text) <= MAX_NAME_CHARS else None


def labelled_meta_authors(md: PageMetadata) -> list[str]:
    """The values of ``twitter:dataN`` whose ``twitter:labelN`` says "Written by", and of
    ``twitter:misc:Written by``."""
    label_key, data_key = META_LABEL_PAIR
    found = [v for key, values in md.meta_all.items() if key.startswith(META_LABELLED_PREFIX)
             and AUTHOR_LABEL.match(key[len(META_LABELLED_PREFIX):]) for v in values]
    for n in range(1, META_LABEL_PAIRS_MAX + 1):
        label = md.first(label_key.format(n))
        if label is not None and AUTHOR_LABEL.match(label) and md.first(data_key.format(n)):
            found.append(md.first(data_key.format(n)) or "")
    return found


def _text(element: _Element) -> str:
    return text_of(element)


def choose_authors(candidates: Iterable[Candidate[list[str]]], site_names: Sequence[str] = ()
                   ) -> Candidate[list[str]] | None:
    """The cleaned names of the most trusted source that names someone.

    JSON-LD and ``<meta>`` name their authors on purpose (an agency, a desk), so the site's
    own name stays there, yet only as a last resort: a person another source names is more
    precise. Elsewhere the site's name is a logo or label caught with the byline, and dropped.
    Beside a person, the bare name of the publisher is a credit line ("Jane Doe, mdr.de"), yet
    a desk those sources name with the person ("Jane Doe, MDR SACHSEN-ANHALT") co-wrote it."""
    site_keys = _site_keys(site_names)
    only_site: Candidate[list[str]] | None = None
    for found in candidates:
        stated = found.source in STATED_SOURCES
        names = _clean_names(found.value, site_keys, keep_site=stated)
        people = [n for n in names if not names_site(n, site_keys)]
        if people:
            return Candidate([n for n in names if n in people
                              or (stated and names_desk(n, site_keys))], found.source)
        if names:
            only_site = only_site or Candidate(names, found.source)
    return only_site
