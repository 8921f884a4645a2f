"""The language, as an ISO 639-1 code: the one the page declares (``<html lang>``, JSON-LD
``inLanguage``, ``<meta>``), checked against the text by a language identifier.

The identifier is py3langid (langid.py's model, 97 languages, bundled in the package: no
download; about 1 ms per page; the model is memory-mapped from an uncompressed copy in the user's
cache folder, written once: ``crawler.reader.fields.langmodel``).
A declaration the text contradicts with confidence loses to the text ("de" declared on a
Spanish page); a page that declares nothing gets the identified language when confident.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from crawler.reader.fields import Candidate
from crawler.reader.fields.scripts import guess_language
from crawler.reader.metadata import PageMetadata

META_LANGUAGE = ("content-language", "og:locale", "dc.language", "language")
# 'en', 'en-US', 'pt_BR', 'zh-Hans-CN': the primary subtag is the ISO 639-1 code.
TAG = re.compile(r"^\s*([a-zA-Z]{2})(?:[-_][a-zA-Z0-9]{2,8})*\s*$")
# The identifier overrules a declaration only this sure, on at least this much text.
CONFIDENT = 0.95
MIN_TEXT_CHARS = 200
# The identifier reads only the text's start: its cost grows with the text, and by 3,000 chars
# its answer is settled (the same on every page of ../shared/fundus-dev and aeb-dev as with 5,000;
# 2,000 left one Indonesian page short of CONFIDENT).
SAMPLE_CHARS = 3000
# A first look at the text's start, where a language is declared: when its first 500 characters
# read confidently as that language, the declaration stands without the whole sample (the
# identifier's cost grows with the text). The whole sample agreed on every page of
# ../shared/fundus-dev and aeb-dev and 300 local-site pages where the first look decided (495
# of 507 with a declaration; from 300 characters on, too); a first look that does not confirm
# the declaration leaves the choice to the whole sample.
FIRST_LOOK_CHARS = 500


def iso_code(value: str | None) -> str | None:
    """'en-US' -> 'en', 'pt_BR' -> 'pt'; None for what is no language tag ('utf', 'english')."""
    match = TAG.match(value or "")
    return match.group(1).lower() if match else None


def declared_languages(md: PageMetadata) -> list[Candidate[str]]:
    """Every language the page declares, as ISO 639-1 codes, most trusted first."""
    raw: list[tuple[Any, str]] = [
        (md.lang, "html"), (md.ld("inLanguage"), "jsonld"),
        *((v, "meta") for v in md.all(*META_LANGUAGE)),
    ]
    found = [Candidate(iso_code(v if isinstance(v, str) else None) or "", s) for v, s in raw]
    return [c for c in found if c.value]


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from crawler.reader.fields.langmodel import load_identifier  # numpy and the model on first use

    return load_identifier()


def identify(text: str) -> tuple[str, float] | None:
    """The text's language and the identifier's confidence; None for too little text."""
    sample = text[:SAMPLE_CHARS]
    if len(sample.strip()) < MIN_TEXT_CHARS:
        return None
    lang, prob = _identifier().classify(sample)
    return str(lang), float(prob)


def choose_language(declared: Sequence[Candidate[str]], text: str,
                    default: Candidate[str] | None = None) -> Candidate[str] | None:
    """The first declaration unless the text confidently says another language; else what
    the text says (when confident), else ``default`` (a site's rule)."""
    first = declared[0] if declared else default
    if first is not None and _confirms(text[:FIRST_LOOK_CHARS], first.value):
        return first
    found = identify(text)
    sure = found[0] if found is not None and found[1] >= CONFIDENT else None
    if first is not None and (sure is None or sure == first.value):
        return first
    if sure is not None:
        return Candidate(sure, "text")
    if first is None:  # too little text for the identifier: its writing system may tell
        guessed = guess_language(text)
        return Candidate(guessed, "text") if guessed else None
    return first


def _confirms(text: str, language: str) -> bool:
    """The identifier reads ``text`` as ``language``, confidently."""
    found = identify(text)
    return found is not None and found[1] >= CONFIDENT and found[0] == language
