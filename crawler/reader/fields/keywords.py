"""Keywords: the page's tag links (``rel=tag``), a labelled "Tags:" row, a tag list, JSON-LD
``keywords``, ``<meta>`` keywords, in that order of precision; the first source with any wins.

One keyword per element or separator: tags shown as separate elements are separate keywords
even when only spaces stand between them ("k1&nbsp;&nbsp;k2" is two keywords); a keyword
text is split at commas, semicolons, ideographic commas and vertical bars.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from lxml.etree import _Element

from crawler.cleaning import normalize_space
from crawler.reader.fields import SHOWN_TEXT, Candidate, text_of, xpath
from crawler.reader.fields.marks import PageMarks
from crawler.reader.metadata import PageMetadata

META_KEYWORDS = ("news_keywords", "keywords", "article:tag", "parsely-tags")
# The whole-tree queries are answered from the page's marked elements (PageMarks), which tests
# hold to them.
# rel="tag" marks a tag link (WordPress, microformats); rel="category tag" a category.
# (Cheap tests first: each XPath step runs on every element of the page.)
TAG_LINK_XPATH = (
    '//a[@rel][contains(concat(" ", normalize-space(@rel), " "), " tag ")]'
    '[not(contains(concat(" ", normalize-space(@rel), " "), " category "))]'
)
# A list of tags marked by its class: <ul class="tags"><li>..., <div class="tag-list"><a>...
# (Never a union of //ul | //div...: sorting it into page order is slow on big pages.)
TAG_LIST_XPATH = '//*[contains(@class, "tag") or contains(@class, "keyword")]'
TAG_LIST_CLASS = re.compile(r"tags|tag-list|keywords", re.IGNORECASE)
TAG_LIST_TAGS = frozenset({"ul", "ol", "div", "p", "span"})
# A keyword is a phrase, not a sentence.
MAX_KEYWORD_CHARS = 60
TAGS_LABELS = (
    "tags", "tag", "tagged", "keywords", "keyword", "key words", "schlagwörter", "themen",
    "etiquetas", "mots-clés", "mots clés", "关键词", "关键字", "标签", "タグ", "키워드", "태그",
)
TAGS_LABEL = re.compile(r"^\s*(?:" + "|".join(map(re.escape, TAGS_LABELS)) + r")\s*[:：]?\s*$",
                        re.IGNORECASE)
# A label ends with a colon or its text ("Tags: a, b", "Tags"), not a word ("Tagesschau").
TAGS_LABEL_END = re.compile(r"^\s*(?:" + "|".join(map(re.escape, TAGS_LABELS)) + r")\s*(?:[:：]|$)",
                            re.IGNORECASE)
TAGS_PREFIX = re.compile(r"^\s*(?:" + "|".join(map(re.escape, TAGS_LABELS)) + r")\s*[:：]?\s*",
                         re.IGNORECASE)
SEPARATORS = re.compile(r"\s*[,;，；、|｜]\s*|\s{2,}|\u00a0{2,}|\u3000+")
# How far up a "Tags:" label's own element the row of tags is looked for; at most this many.
LABEL_LEVELS = 3
MAX_TAGS = 40
SENTENCE_END = re.compile(r"[.!?。！？]$")
A_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


def split_keywords(values: Iterable[Any]) -> list[str]:
    """Keywords from texts and lists, one per item or separator, deduplicated in order."""
    found: list[str] = []
    for value in values:
        if isinstance(value, list):
            found.extend(str(v) for v in value if isinstance(v, (str, int)))
        elif isinstance(value, str):
            found.extend(SEPARATORS.split(value))
    return unique(found)


def unique(words: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for word in map(normalize_space, words):
        if word and len(word) <= MAX_KEYWORD_CHARS and A_LETTER_OR_DIGIT.search(word):
            seen.setdefault(word.casefold(), word)
    return list(seen.values())


def _texts(element: _Element) -> list[str]:
    """One keyword per text node (a link, a span) and per separator inside one."""
    return [w for node in xpath(element, f".//text()[{SHOWN_TEXT}]")
            for w in SEPARATORS.split(normalize_space(str(node))) if w]


def labelled_tags(root: _Element) -> list[str]:
    """The tags after a "Tags:" label: the rest of its line, or the short texts that follow
    it in its element and the next siblings of the label's own element."""
    for holder, text, is_tail in _label_texts(root):
        rest = TAGS_PREFIX.sub("", normalize_space(text), count=1)
        found = unique(SEPARATORS.split(rest) if rest else _after_label(holder, text, is_tail))
        if found:
            return found
    return []


def _label_texts(root: _Element) -> Iterator[tuple[_Element, str, bool]]:
    """Texts that open with a tags label, with the element they belong to. The labels the page
    shows are found first in its whole text (one string built in C, one literal search per
    label): an XPath test per label on every text node, or one regex alternation over the
    whole text, is slow on big pages."""
    text = str(root.xpath("string()")).lower()
    shown = [label for label in TAGS_LABELS if label in text and _shown_as_label(label, text)]
    if not shown:
        return
    tests = " or ".join(f"starts-with(normalize-space(), '{variant}')" for label in shown
                        for variant in {label, label.capitalize(), label.upper()})
    for node in xpath(root, f"//text()[{tests}]"):
        holder = node.getparent()
        if holder is not None and holder.tag not in ("script", "style") and (
                TAGS_LABEL_END.match(node)):
            yield holder, str(node), bool(node.is_tail)


def _shown_as_label(label: str, text: str) -> bool:
    """``label`` stands as a word of its own before a colon or a line break somewhere in
    ``text`` (a literal search: a lookbehind would make the regex scan slow)."""
    for match in re.finditer(re.escape(label) + r"[ \t]*(?:[:：]|\n|$)", text):
        if match.start() == 0 or not text[match.start() - 1].isalnum():
            return True
    return False


def _after_label(holder: _Element, node: str, is_tail: bool) -> list[str]:
    """The short texts after the label among the next siblings of the label's own element."""
    label = normalize_space(node)
    top = holder
    for _ in range(LABEL_LEVELS):  # climb while the parent holds the label alone
        parent = top.getparent()
        if parent is None or text_of(parent) != label:
            break
        top = parent
    # lxml hands out the same proxy for an element while one is alive: the set holds them
    scope = set(top.iter()) | {e for sibling in top.itersiblings() for e in sibling.iter()}
    axes = "following::text()" if is_tail else "descendant::text() | following::text()"
    found: list[str] = []
    for text in xpath(holder, f"({axes})[{SHOWN_TEXT}][position() <= {MAX_TAGS}]"):
        value = normalize_space(str(text))
        if text.getparent() not in scope or len(value) > MAX_KEYWORD_CHARS or (
                SENTENCE_END.search(value)):
            break
        if value != label:
            found.extend(w for w in SEPARATORS.split(value) if w)
    return found


def tag_candidates(md: PageMetadata, root: _Element, marks: PageMarks | None = None
                   ) -> Iterator[Candidate[list[str]]]:
    """The keywords of every source, most precise first; each read only when asked for.
    ``marks``: the page's marked elements where the caller has them already."""
    marks = marks if marks is not None else PageMarks(root)
    yield Candidate(unique(_text(a) for a in marks.tag_links()), "microformat")
    yield Candidate(labelled_tags(root), "visible")
    tag_list = next((e for e in marks.tag_classed() if e.tag in TAG_LIST_TAGS
                     and TAG_LIST_CLASS.search(e.get("class") or "")), None)
    yield Candidate(unique(_texts(tag_list)) if tag_list is not None else [], "visible")
    yield Candidate(split_keywords([md.ld("keywords")]), "jsonld")
    yield Candidate(split_keywords(md.all(*META_KEYWORDS)), "meta")


def _text(element: _Element) -> str:
    return text_of(element)


def choose_keywords(candidates: Iterable[Candidate[list[str]]]) -> Candidate[list[str]] | None:
    return next((c for c in candidates if c.value), None)
