"""The visible headline: the one finder every reader asks where a page shows its title.

A heading shows the page's title when its text and one of the page's statements of the title
(``og:title``, JSON-LD ``headline``, ``<title>`` or its parts, the chosen title) are the same
words, or one is the other with words glued on at one end: a heading that is the start or end of
a title (the title has a site name or rubric glued on), or a heading that holds the title after a
kicker (or before a rubric). Candidates are looked at tier by tier
(headings before other elements), in page order within a tier.

The site reader (``crawler.reader.page.layout``) passes its blocks, the generic readers
(``crawler.reader.page.reader``, ``crawler.reader.generic.standfirst``) the page's elements: the
rule is one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple, TypeVar

from lxml.etree import _Element

from crawler.cleaning import text_key
from crawler.reader.document import HEADING_TAGS
from crawler.reader.fields import text_of, xpath

# A statement of the title this short (key characters) is too weak to find a heading by.
TITLE_MIN_CHARS = 5
# A heading that is only part of a title, or a title a heading holds beside a kicker: the part
# has at least this many key characters (shorter parts are rubrics and site names).
PART_MIN_CHARS = 15
# Where the generic readers look: the page's <h1> and its marked headline...
HEADLINE_XPATH = '//h1 | //*[@itemprop="headline"][not(self::meta)]'
# ...or, on a page without them, other headings and elements named as a title.
TITLED_XPATH = '//h2 | //h3 | //*[contains(@class, "title") or contains(@class, "headline")]'
# A kicker printed in the headline is shorter than this share of the headline it stands before.
KICKER_MAX_SHARE = 0.6
# Characters between a kicker and its headline ("Kicker: Headline", "Kicker | Headline").
_KICKER_GAP = " :|-–—·•"
_SOFT_HYPHEN = "\u00ad"

Candidate = TypeVar("Candidate")


class Shown(NamedTuple):
    """What a candidate shows: its text, and whether it is a heading (only a heading may hold
    the title beside a kicker; a paragraph holding it quotes it)."""

    text: str
    heading: bool


def headline_key(text: str) -> str:
    """The text key (``crawler.cleaning.text_key``) with soft hyphens dropped, not split on:
    a CMS hyphenates the visible headline, never its metadata."""
    return text_key(text.replace(_SOFT_HYPHEN, ""))


def title_keys(titles: Iterable[str]) -> list[str]:
    """The keys of the statements of the title long enough to find a heading by."""
    keys = (headline_key(t) for t in titles if t)
    return list(dict.fromkeys(k for k in keys if len(k) >= TITLE_MIN_CHARS))


def shows_title(shown: Shown, wanted: str) -> bool:
    """``shown`` is the title ``wanted`` (a key), part of it, or (a heading) holds it."""
    text = headline_key(shown.text)
    if not text:
        return False
    if text == wanted:
        return True
    return (len(text) >= PART_MIN_CHARS and _ends(wanted, text)) or (
        shown.heading and len(wanted) >= PART_MIN_CHARS and _ends(text, wanted))


def _ends(whole: str, part: str) -> bool:
    """``whole`` (a key) is ``part`` with words glued on at one end: a site name or rubric
    after it, a kicker or site name before it. A part from the middle is a subheading that
    happens to repeat some of the title's words."""
    return whole.startswith(part + " ") or whole.endswith(" " + part)


def find_headline(tiers: Iterable[Iterable[Candidate]], wanted: Sequence[str],
                  read: Callable[[Candidate], Shown]) -> Candidate | None:
    """The first candidate, tier by tier, that shows one of the titles ``wanted``
    (``title_keys``); None when none does."""
    if not wanted:
        return None
    for tier in tiers:
        for candidate in tier:
            shown = read(candidate)
            if any(shows_title(shown, w) for w in wanted):
                return candidate
    return None


def element_shown(element: _Element) -> Shown:
    marked = element.get("itemprop") == "headline"
    return Shown(text_of(element), element.tag in HEADING_TAGS or marked)


def page_headline(root: _Element, titles: Iterable[str]) -> _Element | None:
    """The ``<h1>`` (or marked headline) showing one of ``titles``, else the first: a page's
    ``<h1>`` is its headline even where its wording differs from the metadata's (an SEO title),
    and an element elsewhere showing that wording is a teaser or a media box. Only a page
    without one is looked at for other headings and title elements showing a title."""
    headlines = xpath(root, HEADLINE_XPATH)
    if not headlines:
        return find_headline((xpath(root, TITLED_XPATH),), title_keys(titles), element_shown)
    found = find_headline((headlines,), title_keys(titles), element_shown)
    return found if found is not None else headlines[0]


def without_kicker(element: _Element, text: str, titles: Iterable[str]) -> str:
    """``text`` (the heading ``element`` shows) without a kicker printed before the headline in
    an element of its own (``<h1><span class="kicker">Kicker</span> Headline</h1>``), when a
    statement of the title (``titles``) agrees on the rest and not on the whole."""
    wanted = set(title_keys(titles))
    if headline_key(text) in wanted:
        return text
    for part in element.iterdescendants():
        kicker = text_of(part)
        if not kicker or not text.startswith(kicker) or len(kicker) >= len(text):
            continue
        rest = text[len(kicker) :].lstrip(_KICKER_GAP)
        if len(kicker) < KICKER_MAX_SHARE * len(rest) and headline_key(rest) in wanted:
            return rest
    return text
