"""The article of the generated site: metadata kept in memory, body text rebuilt on demand."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import datetime

from localsite import words
from localsite.realdata import TEASER_CHARS

# What an id is on the site; it decides listing, the page served and whether a record is expected.
ARTICLE = "article"  # an ordinary listed article
DELETED = "deleted"  # still listed, the page shows a "deleted" notice and no body
PRIVATE = "private"  # lives under the robots-disallowed /global/en/private/ path
MISSING = "missing"  # shown in one related block only; its URL answers 404
RELATED_ONLY = "related_only"  # has a page, but only another article's related block links to it
OFFSITE = "offsite"  # listed, its URL redirects to an offsite host

LISTED_KINDS = frozenset({ARTICLE, DELETED, OFFSITE})
PAGE_KINDS = frozenset({ARTICLE, PRIVATE, RELATED_ONLY})  # kinds whose page carries a full article

_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")


@dataclass(frozen=True)
class BodyRecipe:
    """How to (re)build a body: generated from a seed, fixed text, or a copy of another body."""

    seed: int = 0
    fixed: tuple[str, ...] = ()
    copy_of: Article | None = None
    reword: bool = False
    extra: tuple[str, ...] = ()

    def paragraphs(self) -> list[str]:
        # Rebuilt on every call rather than cached: 50,000 bodies would hold ~150 MB for nothing.
        if self.fixed:
            paras = list(self.fixed)
        elif self.copy_of is not None:
            paras = self.copy_of.paragraphs
        else:
            paras = words.paragraphs(random.Random(self.seed))
        if self.reword:
            paras = _reword_one_sentence(paras)
        if self.extra:
            paras = paras[:1] + list(self.extra) + paras[1:]
        return paras


def _reword_one_sentence(paras: list[str]) -> list[str]:
    """Reword the first statement of the middle paragraph, keeping its meaning."""
    out = list(paras)
    index = len(out) // 2
    sentences = _SENTENCE_END.split(out[index])
    for i, sentence in enumerate(sentences):
        if sentence.endswith("."):
            sentences[i] = sentence[:-1] + ", the reporter learned."
            break
    out[index] = " ".join(sentences)
    return out


@dataclass
class Article:
    id: int
    title: str
    published: datetime | None  # naive, China time (UTC+08:00)
    keywords: list[str]
    source: str | None
    category: str
    views: int
    layout: str
    recipe: BodyRecipe = field(repr=False)
    kind: str = ARTICLE
    encoding: str = "utf-8"
    related: list[int] = field(default_factory=list)
    next_id: int | None = None
    duplicate_of: int | None = None

    @property
    def paragraphs(self) -> list[str]:
        return self.recipe.paragraphs()

    @property
    def teaser(self) -> str:
        """The "Read the next article" teaser: a cut by length, as the real page does."""
        return " ".join(self.paragraphs)[:TEASER_CHARS].rstrip()

    @property
    def listed(self) -> bool:
        return self.kind in LISTED_KINDS

    @property
    def has_page(self) -> bool:
        return self.kind in PAGE_KINDS


def info_time(when: datetime) -> str:
    """The site's own format: 2021/9/7 15:08:00, no zero padding except minutes and seconds."""
    return f"{when.year}/{when.month}/{when.day} {when.hour}:{when.minute:02d}:{when.second:02d}"


def iso_time(when: datetime | None) -> str | None:
    return None if when is None else when.strftime("%Y-%m-%dT%H:%M:%S") + "+08:00"
