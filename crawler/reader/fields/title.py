"""The title: the page's declared headline, cut to the part its other statements agree on.

The declared headline (``og:title``, else JSON-LD ``headline``, else the visible ``<h1>``, else
the microdata or ``<meta name="headline">``, else ``<title>``) is the editor's. Site names glued
to it ("- Golem.de", "| DW | 28.04.2023") are cut; so are rubrics and kickers ("| Sport", "Topic:
...") where another statement of the headline (the visible ``<h1>``, the other metadata titles)
shows only the rest. Two metadata statements that agree are kept as they are. HTML entities left in
by the CMS are decoded.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from lxml.etree import _Element

from crawler.cleaning import normalize_space
from crawler.reader.fields import Candidate, text_of, xpath
from crawler.reader.fields.headline import HEADLINE_XPATH
from crawler.reader.metadata import PageMetadata

# Between a headline and a site name or kicker: "Story - Site", "Site | Story", "Topic: Story",
# "标题_网站" (Chinese portal CMSs join <title> parts with underscores).
SEPARATOR = re.compile(r"\s+[-–—|·•»:*]\s+|\s*[|｜：]\s*|(?<=\w):\s+|\s*_{1,2}\s*")
# A part agreed on must keep this share of the declared headline's length: shorter common
# parts are a shared site name or rubric, not the headline.
AGREED_SHARE = 0.4
# A tail this short (in words) glued to a headline is a site name or rubric.
SITE_NAME_MAX_WORDS = 4
# At most this many such parts are cut from the end ("| Site | by Author").
MAX_CUT_PARTS = 2
# Shorter keys are too weak to say a part is the site's name.
MIN_NAME_CHARS = 3
# Only the first few visible headlines are the article's (later ones head teasers).
MAX_HEADLINES = 3
_QUOTES = str.maketrans("‘’‚‛“”„‟«»‹›–—", "''''\"\"\"\"\"\"''--", "\u00ad")
_KEY = re.compile(r"\w+")


def key(text: str) -> str:
    """Compare headlines regardless of case, quote style, dashes, soft hyphens and spacing."""
    return " ".join(_KEY.findall(text.translate(_QUOTES).lower()))


def decoded(text: str | None) -> str:
    """``text`` with HTML entities the CMS double-escaped decoded, spaces normalised."""
    return normalize_space(html.unescape(text or ""))


def spans(title: str) -> list[tuple[int, int]]:
    """Where ``title``'s parts are, between its separators."""
    found, start = [], 0
    for sep in SEPARATOR.finditer(title):
        if title[start : sep.start()].strip():
            found.append((start, sep.start()))
        start = sep.end()
    if title[start:].strip():
        found.append((start, len(title)))
    return found


def runs(title: str) -> list[tuple[int, int, str]]:
    """Every contiguous run of ``title``'s parts as written (separators inside kept), with the
    indexes of its first and last part."""
    found = spans(title)
    return [(i, j, title[found[i][0] : found[j][1]].strip())
            for i in range(len(found)) for j in range(i, len(found))]


def declared(md: PageMetadata, headlines: Sequence[str]) -> list[Candidate[str]]:
    """Every statement of the headline, most trusted first."""
    found = [
        Candidate(decoded(md.first("og:title", "twitter:title")), "meta"),
        Candidate(decoded(md.ld_text("headline")), "jsonld"),
        *(Candidate(decoded(h), "visible") for h in headlines),
        # schema.org microdata (<meta itemprop="headline">) and <meta name="headline">: what
        # JSON-LD states, from CMSs that write none; after the visible headline, since the
        # first such tag may be a teaser's
        Candidate(decoded(md.first("headline")), "microformat"),
        Candidate(decoded(md.html_title), "html"),
    ]
    return [c for c in found if c.value]


def agreed_part(title: str, other: str) -> str | None:
    """The part of ``title`` that ``other`` states too, when the rest is a site name or rubric
    (``other`` is ``title`` without it) or a kicker both put before the same headline."""
    part = _whole_other(title, other) or _prefix_other(title, other) or _common_tail(title, other)
    return part if part is not None and _quotes_balanced(part) else None


def _whole_other(title: str, other: str) -> str | None:
    """``other`` is a run of ``title``'s parts: a short tail cut off after it (a site name or
    rubric), a kicker cut off before it when it is most of the headline, or both
    ("Topic: Headline | Rubric")."""
    last = len(spans(title)) - 1
    for i, j, run in runs(title):
        if key(run) != key(other) or (i, j) == (0, last):
            continue
        kicker_ok = i == 0 or len(run) >= AGREED_SHARE * len(title)
        if kicker_ok and (j == last or _is_tail(title, j)):
            return run
    return None


def _is_tail(title: str, last_kept: int) -> bool:
    """The parts after ``last_kept`` are few and short: a site name, rubric or byline."""
    cut = spans(title)[last_kept + 1 :]
    return len(cut) <= MAX_CUT_PARTS and all(
        len(title[slice(*span)].split()) <= SITE_NAME_MAX_WORDS for span in cut)


def _prefix_other(title: str, other: str) -> str | None:
    """``title`` is ``other`` and a short tail glued on by punctuation ("...-Politics|Site")."""
    if not other or not title.startswith(other) or len(other) == len(title):
        return None
    rest = title[len(other) :]
    if rest[0].isalnum() or len(rest.split()) > SITE_NAME_MAX_WORDS:
        return None
    return other if len(other) >= AGREED_SHARE * len(title) else None


def _common_tail(title: str, other: str) -> str | None:
    """Both end with the same run after different kickers that share no word."""
    theirs = {key(r): r for i, j, r in runs(other) if i > 0 and j == len(spans(other)) - 1}
    last = len(spans(title)) - 1
    for i, j, run in runs(title):  # of the runs ending last, the longest comes first
        if j != last or i == 0 or key(run) not in theirs:
            continue
        kicker = set(key(title[: title.rfind(run)]).split())
        their_kicker = set(key(other[: other.rfind(theirs[key(run)])]).split())
        if kicker & their_kicker or len(run) < AGREED_SHARE * len(title):
            return None
        return run
    return None


def _quotes_balanced(text: str) -> bool:
    return text.translate(_QUOTES).count('"') % 2 == 0


def site_stripped(title: str, site_names: Sequence[str]) -> str:
    """``title`` without a first or last part that is the site's name."""
    found = spans(title)
    names = {key(n) for n in site_names if len(key(n)) >= MIN_NAME_CHARS}
    if len(found) < 2 or not names:
        return title
    if _names_site(title[slice(*found[-1])], names):
        return title[: found[-2][1]].strip()
    if _names_site(title[slice(*found[0])], names):
        return title[found[1][0] :].strip()
    return title


def _names_site(part: str, names: set[str]) -> bool:
    """``part`` is (mostly) one of the site's names: "Golem.de", "News - SRF", "BILD.de"."""
    found = key(part)
    return len(found) >= MIN_NAME_CHARS and any(
        found in n or (n in found and len(found.split()) <= len(n.split()) + 1) for n in names)


def guess_site_cut(title: str) -> str:
    """A ``<title>`` that is all a page states: its short last part is the site's name."""
    found = spans(title)
    if len(found) < 2:
        return title
    head, tail = title[: found[-2][1]].strip(), title[slice(*found[-1])]
    return head if len(tail.split()) <= SITE_NAME_MAX_WORDS and len(head) > len(tail) else title


def visible_headlines(root: _Element) -> list[str]:
    """The texts of the page's ``<h1>`` elements (and marked headlines), in page order."""
    found = [text_of(el) for el in xpath(root, HEADLINE_XPATH)]
    return [t for t in dict.fromkeys(found) if t][:MAX_HEADLINES]


def choose_title(
    md: PageMetadata, headlines: Sequence[str] = (), site_names: Sequence[str] = ()
) -> Candidate[str] | None:
    """The declared headline without the site's name, cut to the part another statement
    agrees on; ``headlines`` are the visible ``<h1>`` texts of the article, best first."""
    found = [Candidate(site_stripped(c.value, site_names), c.source)
             for c in declared(md, headlines)]
    if not found:
        return None
    if len(found) == 1 and found[0].source == "html":
        return Candidate(site_stripped(guess_site_cut(decoded(md.html_title)), site_names), "html")
    best = found[0]
    if any(key(o.value) == key(best.value) for o in found[1:] if o.source == "jsonld"):
        return best
    for other in found[1:]:
        part = agreed_part(best.value, other.value)
        if part is not None:
            return Candidate(part, best.source)
    return headline_over_seo_title(found) or best


def headline_over_seo_title(found: Sequence[Candidate[str]]) -> Candidate[str] | None:
    """The visible headline when JSON-LD states it too while ``og:title`` and ``<title>``
    agree on other wording: a CMS's SEO title field feeds those two (Yoast's "SEO title"),
    its headline field the ``<h1>`` and JSON-LD; two sources of one field are one voice, and
    the headline is what the reader sees."""
    first = {c.source: c.value for c in reversed(found)}
    seo, page_title = first.get("meta"), first.get("html")
    headline, stated = first.get("visible"), first.get("jsonld")
    if not (seo and page_title and headline and stated):
        return None
    if key(seo) != key(page_title) or key(headline) != key(stated) or key(seo) == key(stated):
        return None
    return Candidate(headline, "visible")
