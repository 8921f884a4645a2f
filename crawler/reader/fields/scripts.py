"""A cheap language guess by writing system, then stopwords: for text too short for the
language identifier (crawler.reader.fields.language)."""

from __future__ import annotations

import re
from collections import Counter

# Scripts that name their language well enough on a news page, checked in this order
# (Japanese text also holds Han characters, so kana decide first).
SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ko", re.compile(r"[\uac00-\ud7a3]")),
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
)
# Frequent words that are rare in the other listed languages.
STOPWORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split()) for lang, words in {
        "en": "the and of to is that was for with are have this from which were been their",
        "de": "der die und das ist nicht mit sich auf dem den ein eine auch für wird sind",
        "fr": "le les des est une dans pour que qui sur pas avec sont aux ont cette été",
        "es": "el los las del una por con para es se su como más pero fue sus y",
        "it": "il della che di per sono con non gli dei nel alla anche è delle",
        "pt": "os das não uma com mais dos ao foi são pelo também do da em",
        "nl": "het een van en niet dat zijn voor met ook op wordt aan maar",
        "id": "yang dan dengan untuk dari dalam ini itu tidak akan pada adalah",
        "ru": "и в не на что с по это как из он она но для от к",
    }.items()
}
_WORD = re.compile(r"\w+")
# Share of letters a script needs to decide; stopword hits needed, and the lead over the next.
SCRIPT_SHARE = 0.2
MIN_HITS = 5
LEAD = 1.5
SAMPLE_CHARS = 5000


def _by_script(text: str) -> str | None:
    letters = sum(1 for c in text if c.isalpha()) or 1
    for lang, pattern in SCRIPTS:
        if len(pattern.findall(text)) >= SCRIPT_SHARE * letters:
            return lang
    return None


def _by_stopwords(text: str) -> str | None:
    counts = Counter(_WORD.findall(text.lower()))
    hits = sorted(
        ((sum(counts[w] for w in words), lang) for lang, words in STOPWORDS.items()),
        reverse=True,
    )
    (best, lang), (second, _) = hits[0], hits[1]
    return lang if best >= MIN_HITS and best >= LEAD * second else None


def guess_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when unsure."""
    sample = text[:SAMPLE_CHARS]
    return _by_script(sample) or _by_stopwords(sample)
