"""Text cleaning shared by every site parser, the generic extractor and the clean pipeline.

Pure functions only. Boilerplate patterns are data (``BOILERPLATE_LINE_PATTERNS``), in the
spirit of trafilatura's ``xpaths.py``: a site module adds its own lines, it does not copy these.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from w3lib.html import remove_tags, replace_entities

# Spaces a browser shows as a space but str.split() and regexes may not treat alike.
_ODD_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
# Characters a browser shows as nothing: zero-width ones, the soft hyphen, and control characters
# (but tab, line ends and the two odd spaces above), which lxml also refuses in element text.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff\u00ad]")
_SPACE_RUN = re.compile(r" {2,}")
_TAG_LIKE = re.compile(r"</?[a-zA-Z][^<>]{0,200}>")
_ENTITY_LIKE = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]{2,8});")
_WORD = re.compile(r"\w+")

# Whole lines that are page chrome, never article text: share, print, comment and ad widgets.
BOILERPLATE_LINE_PATTERNS: tuple[str, ...] = (
    r"(share|share to|share this( article| story)?|tweet|like)\s*:?",
    # A share bar: a label and the names of two or more networks.
    r"(share( this( article| story| page)?)?( to| on)?\s*[:：]?\s*)?((wechat|weibo|qq( ?zone)?|"
    r"facebook|twitter|x|linkedin|whatsapp|e-?mail|print|reddit|pinterest|telegram|douban|line)"
    r"[\s,|/·]*){2,}",
    r"(print|print this( article| page)?|printer friendly|email|e-mail this( article)?)",
    r"(comments?|\d+\s+comments?|post a comment|leave a (comment|reply)|add comment)",
    r"(advertisement|advertising|sponsored( content)?|ad)",
    r"(favorites?|add to favorites|collect|bookmark)",
    r"(font size|font)\s*:?.{0,20}",
    r"(back to top|top|close|more|read more|see more|click here|load more)",
    r"(scan|scan the )?qr code.{0,40}",
    r"(home|home\s*>.*)",
    r"(previous|next)( article| page| post)?",
    r"(related (reading|articles|news|stories)|read the next article|you may also like)",
    r"(subscribe|sign up|join our newsletter).{0,80}",
    r"[\-\|>»·•/\s]+",
    # added with the generic extractor (crawler/extract): page furniture it meets at body edges
    r"(copyright|©|\(c\)).{0,120}(all rights reserved|rights reserved)\.?",
    r"all rights reserved\.?",
    r"(thanks|thank you) for (signing up|subscribing)!?",
    r"(subscribe|sign up) (to|for) (our|the) .{0,60}newsletter.{0,60}",
)
# Bullets, arrows and separators a widget puts before or after its label.
_DECOR = r"[\s•·●▪■◆►▶>»|*:：\-–—]*"
_BOILERPLATE_LINE = re.compile(
    r"^" + _DECOR + r"(?:" + "|".join(BOILERPLATE_LINE_PATTERNS) + r")" + _DECOR + r"$",
    re.IGNORECASE,
)


def normalize_space(text: str) -> str:
    """One line of text with odd spaces folded to plain single spaces, trimmed."""
    text = _INVISIBLE.sub("", _ODD_SPACES.sub(" ", text))
    return _SPACE_RUN.sub(" ", text).strip()


def strip_markup(text: str) -> str:
    """Remove leftover tags and decode entities that survived extraction."""
    if "<" in text and _TAG_LIKE.search(text):
        text = remove_tags(text)
    if "&" in text and _ENTITY_LIKE.search(text):
        text = replace_entities(text)
    return text


def normalize_text(text: str, markup: bool = True) -> str:
    """NFC, no markup, single spaces, one paragraph per line, a blank line between paragraphs.
    ``markup=False``: ``text`` was read from a parsed page, so a ``<...>`` or ``&...;`` in it
    is what the reader sees ("<The Palace: Tale of Jang Noksu>"), not markup to strip."""
    text = unicodedata.normalize("NFC", strip_markup(text) if markup else text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = [normalize_space(line) for line in text.split("\n")]
    return "\n\n".join(p for p in paragraphs if p)


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a normalized text."""
    return [p for p in text.split("\n\n") if p.strip()]


def is_boilerplate_line(line: str, extra: re.Pattern[str] | None = None) -> bool:
    """True for a whole line that is page chrome (share/print/comment/ads...)."""
    if _BOILERPLATE_LINE.match(line):
        return True
    return bool(extra and extra.match(line))


def compile_line_patterns(patterns: Iterable[str]) -> re.Pattern[str] | None:
    """One anchored, case-insensitive regex matching any of ``patterns`` as a whole line."""
    patterns = list(patterns)
    if not patterns:
        return None
    return re.compile(r"^\s*(?:" + "|".join(patterns) + r")\s*$", re.IGNORECASE)


def clean_body(text: str, extra: re.Pattern[str] | None = None, markup: bool = True) -> str:
    """Normalize ``text`` and drop boilerplate lines; paragraph breaks are kept (``markup``:
    as in ``normalize_text``)."""
    kept = [p for p in paragraphs(normalize_text(text, markup))
            if not is_boilerplate_line(p, extra)]
    return "\n\n".join(kept)


# Bodies that are a notice in place of an article (deleted, missing, not yet published).
PLACEHOLDER_PATTERNS: tuple[str, ...] = (
    r".{0,60}(does not exist|has been (deleted|removed)|no longer available|not found).{0,60}",
    r".{0,20}(404|page not found|article not found|content not found).{0,40}",
    r".{0,20}(page|article|content|news) (is )?(not available|unavailable).{0,40}",
    r".{0,20}(文章不存在|已被删除|已删除|页面不存在|内容不存在).{0,20}",
    r"(coming soon|under construction|loading\.*|no content|none)",
    r"(prompt|error|system) (message|notice|information)|提示信息",
)
_PLACEHOLDER = re.compile(r"^\s*(?:" + "|".join(PLACEHOLDER_PATTERNS) + r")\s*$",
                          re.IGNORECASE | re.DOTALL)


def is_placeholder(body: str, title: str | None = None) -> bool:
    """True when a page is a notice such as 'this article has been deleted', not an article."""
    if title and _PLACEHOLDER.match(title):
        return True
    first = body.split("\n\n", 1)[0]
    return len(body) < 300 and bool(_PLACEHOLDER.match(first))


def text_key(text: str) -> str:
    """Case-folded words only: the one key every reader compares texts by, whatever their
    punctuation, spacing and case ("Straße" and "STRASSE" are one text)."""
    return " ".join(_WORD.findall(text.casefold()))
