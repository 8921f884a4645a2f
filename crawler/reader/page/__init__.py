"""An article page read by meaning; a site subclasses it and changes only its constants (Fundus
style). No Scrapy here: a page is built from ``(url, html)`` and tested on stored files.

``PageLayout`` (``crawler.reader.page.layout``) finds where the parts are; ``ArticlePage`` reads
them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import time
from functools import cached_property
from typing import Any

from lxml.etree import _Element
from lxml.html import HtmlElement

from crawler import cleaning
from crawler.dates import find_datetime, split_trailing_date, to_iso
from crawler.reader import lines
from crawler.reader.document import Block, LinkEntry, clean_label, entries_after
from crawler.reader.fields import Candidate
from crawler.reader.fields.headline import without_kicker
from crawler.reader.fields.published import Stamp, choose_published, machine_stamps, url_stamp
from crawler.reader.page.fields import build_record, field
from crawler.reader.page.layout import _SENTENCE_END, PageLayout
from crawler.reader.page.reader import value_of
from crawler.urls import joined

# A bare count ("... 15:08:00 0"), not a reading time ("13 Dec '24 1 min read").
_INTEGER = re.compile(r"(?<![\d/:.])(\d{1,9})(?![\d/:.])(?!\s*(?:min|minute|hour|sec|day)s?\b)",
                      re.IGNORECASE)
_COUNT_LINE = re.compile(r"\s*(?:(?:views|hits|reads|clicks)\s*[:：]?\s*)?(?P<count>\d{1,9})\s*",
                         re.IGNORECASE)
_TRAILING_COUNT = re.compile(r"\s+\d{1,9}\s*$")
_LETTER = re.compile(r"[^\W\d_]")
_KEYWORD_LABEL_ONLY = re.compile(r"(?:key ?words?|tags?|关键词|关键字|标签)\s*[:：]?",
                                 re.IGNORECASE)

__all__ = ["ArticlePage", "PageLayout"]


class ArticlePage(PageLayout):
    """Fields of one article page, declared with ``@field`` (``crawler.reader.page.fields``): the
    record
    is built from them. Class constants (see ``PageLayout``) are the site knowledge."""

    # A site body shorter than this (and no placeholder notice) gives way to the generic body.
    MIN_BODY_CHARS = 80
    # A line this much link text is all links: a row of tags, a lone section link.
    LINKED_LINE = 0.9
    # An unlabelled keywords line is short: at most this many characters.
    KEYWORDS_LINE_MAX_CHARS = 80
    # A labelled tag row closes the body within this many blocks after it.
    CLOSING_TAGS_SPAN = 6
    # The closing "(source: ...)" line is among the body's last this many blocks.
    SOURCE_LINE_SPAN = 12

    def _meta_title(self) -> str | None:
        """The generic title: the evidence-ranked headline the page states."""
        found = self.title_choice
        return self._without_badges(found.value) if found is not None else None

    @field(fallback="_meta_title")
    def title(self) -> str | None:
        """The headline block's text, without a kicker printed in it apart from the headline
        that another statement of the title agrees on."""
        if self._title_block is None:
            return None
        block = self._title_block
        return self._without_badges(without_kicker(block.element, block.text, self._meta_titles()))

    def _stated_published(self) -> str | None:
        """The generic date: the page's machine timestamps ranked by trust and precision."""
        found = self._published_choice(None)
        return to_iso(found.value.value) if found is not None else None

    def _printed(self) -> Candidate[Stamp] | None:
        """The date the site's rule reads near the title (or above it, or in the body)."""
        if self._date_found is not None:
            printed, match = self._date_found[1]
            return Candidate(Stamp(printed, match.group("H") is not None), "site")
        other = self._pre_title_date() or self._body_date()
        return Candidate(Stamp(other, other.time() != time(0)), "site") if other else None

    def _published_choice(self, visible: Candidate[Stamp] | None) -> Candidate[Stamp] | None:
        """The visible date made exact by an agreeing timestamp
        (crawler.reader.fields.published)."""
        if self.root is None or self.meta is None:
            return visible
        return choose_published(self._machine_stamps, visible, url_stamp(self.url, self.TIMEZONE))

    @cached_property
    def _machine_stamps(self) -> list[Candidate[Stamp]]:
        """The page's machine timestamps, read once: the field and its source in the run
        report (``field_sources``) both weigh them."""
        if self.root is None or self.meta is None:
            return []
        block = self._date_block()
        times = [n.get("datetime") or "" for n in block.element.iter("time")] if block else []
        return machine_stamps(self.meta, self.root, self.TIMEZONE,
                              [t for t in (*times, self._time_element()) if t], self.marks)

    def _date_block(self) -> Block | None:
        return self._date_found[0] if self._date_found is not None else None

    @field(fallback="_stated_published")
    def published_at(self) -> str | None:
        """The date printed near the title (or in the body), made precise by the page's own
        metadata when that states the same day with a time; else the metadata date (fallback)."""
        printed = self._printed()
        if printed is None:
            return None
        found = self._published_choice(printed)
        return to_iso(found.value.value) if found is not None else None

    @field
    def views(self) -> int | None:
        """The bare count of the info line: after the date, or alone where the date is missing."""
        if self._date_found is not None:
            block, (_, match) = self._date_found
            rest = block.text[block.text.find(match.group(0)) + len(match.group(0)) :]
            count = _INTEGER.search(rest)
            return int(count.group(1)) if count else None
        for block in self._header_blocks():
            labelled = _COUNT_LINE.fullmatch(block.text)
            if labelled:
                return int(labelled.group("count"))
        return None

    @field
    def keywords(self) -> list[str]:
        """The site's keyword line or closing tag row, else the page's other keyword evidence
        (kept out of ``fallback_fields``, as the metadata keywords always were)."""
        return list(self._site_keywords) or value_of(self.keywords_choice)

    @cached_property
    def _site_keywords(self) -> list[str]:
        """The site rule's keywords, read once: the field and ``field_sources`` both ask."""
        words: list[str] = []
        for block in self._header_blocks():
            if block is (self._date_found or (None,))[0] or block.is_heading or (
                    block.index in self._byline_blocks):
                continue
            words.extend(self._keyword_phrases(block))
        words = words or self._closing_tags()
        return list(dict.fromkeys(w for w in words if w))

    def _closing_tags(self) -> list[str]:
        """A labelled row of tag links just after the body ("Tags: Vietnam sourcing")."""
        end = self._body_range[-1].index + 1 if self._body_range else self._body_start
        for block in self.blocks[end : end + self.CLOSING_TAGS_SPAN]:
            labelled = self.KEYWORDS_LABEL.fullmatch(clean_label(block.text))
            linked = [clean_label(s.text) for s in block.segments if s.href]
            if labelled is not None and linked:
                return [t for t in linked if t]
        return []

    def _keyword_phrases(self, block: Block) -> list[str]:
        text = clean_label(block.text)
        labelled = self.KEYWORDS_LABEL.fullmatch(text)
        if labelled is None and (self._is_breadcrumb(block) or self._is_boilerplate(text)):
            return []
        links = [clean_label(s.text) for s in block.segments if s.href]
        if links and (labelled is not None or (
                len(links) > 1 and block.link_density > self.LINKED_LINE)):
            return [t for t in links if t]  # a row of tag links
        if labelled is not None:
            return _keywords_of(block, labelled.group("rest"))
        if not self.HEADER_KEYWORDS or len(text) > self.KEYWORDS_LINE_MAX_CHARS or (
                _SENTENCE_END.search(text)) or (
                not _has_letters(text)):
            return []
        return _keywords_of(block, text)

    def _body_is_read(self, text: str | None) -> bool:
        # a notice in place of the article is left for validation to drop
        return bool(text) and (len(text or "") >= self.MIN_BODY_CHARS
                               or cleaning.is_placeholder(text or ""))

    @field(fallback="_fallback_body", accept=_body_is_read)
    def body(self) -> str | None:
        text = "\n\n".join(b.text for b in self.body_blocks())
        return self.TRAILING_SOURCE.sub("", text) or None

    def _fallback_body(self) -> str | None:
        """The generic reader's body field (``GenericArticle.body``), read from this page's own
        tree, up to the site's related/next/source lines."""
        from crawler.reader.generic.article import GenericArticle  # heavy (trafilatura): load late

        if not isinstance(self.root, HtmlElement):
            return None
        body = GenericArticle(self.url, self.root).body()
        lines: list[str] = []
        for line in cleaning.paragraphs(body):
            if self.RELATED_LABEL.fullmatch(clean_label(line)) or self.NEXT_LABEL.fullmatch(
                clean_label(line)
            ) or self.SOURCE_LINE.fullmatch(line):
                break
            if not self._is_boilerplate(line):
                lines.append(line)
        return "\n\n".join(lines) or None

    @field
    def source(self) -> str | None:
        """The closing ``(source: ...)`` line, or a ``Source:`` item of the info line."""
        tail = self._body_range[-self.SOURCE_LINE_SPAN :] if self._body_range else []
        for segment in [s for b in tail for s in b.segments] + [
            s for b in self._header_blocks() for s in b.segments
        ]:
            match = self.SOURCE_LINE.fullmatch(segment.text)
            if match:
                return match.group("source").strip()
        for block in tail:
            match = self.SOURCE_LINE.fullmatch(block.text)
            if match:
                return match.group("source").strip()
        kept = self.body_blocks()
        match = self.TRAILING_SOURCE.search(kept[-1].text) if kept else None
        return match.group("source").strip() if match else None

    @field
    def related(self) -> list[dict[str, Any]]:
        if self._related_label is None or self.text is None:
            return []
        entries = entries_after(self.text, self._related_label, self.rules.is_article,
                                stop=self.NEXT_LABEL)
        return [self._related_entry(e) for e in entries]

    def _related_entry(self, entry: LinkEntry) -> dict[str, Any]:
        found = find_datetime(entry.extra, self.TIMEZONE)
        shown = entry.extra[: found[1].start()] if found else entry.extra
        # "Local hotspot | 2021/9/1 2:03:00 2": the category is what stands before a separator.
        shown = re.split(r"\s[|｜]\s?|\s/\s", shown)[0]
        category = clean_label(_TRAILING_COUNT.sub("", shown)) or None  # "Industry news 27"
        return {
            "url": self.rules.canonical(entry.url),
            "title": entry.title,
            "category": category,
            "published_at": to_iso(found[0]) if found else None,
        }

    @field
    def next(self) -> dict[str, Any] | None:
        if self._next_label is None or self.text is None:
            return None
        entries = entries_after(self.text, self._next_label, self.rules.is_article, limit=1)
        if not entries:
            return None
        return {"url": self.rules.canonical(entries[0].url), "title": entries[0].title}

    @field
    def category(self) -> str | None:
        if self.meta is not None:
            section = self.meta.ld_text("articleSection") or self.meta.first("article:section")
            if section:
                return section
        crumb = next((b for b in self.blocks[: self._body_start] if self._is_breadcrumb(b)), None)
        if crumb is None:
            return self._section_link()
        linked = [s.text for s in crumb.segments if s.href and s.text.casefold() != "home"]
        if linked:
            return clean_label(linked[-1]) or None
        last = re.split(r"\s*(?:>|»|›)+\s*", crumb.text.strip(" >»›"))[-1]
        return last if last and last.casefold() != "home" else None

    def _section_link(self) -> str | None:
        """A lone link to a list page right above the headline ("Industry Talk")."""
        title = self._title_block
        above = self.blocks[title.index - 1] if title is not None and title.index > 0 else None
        linked = [s for s in above.segments if s.href] if above is not None else []
        if len(linked) == 1 and above is not None and above.link_density > self.LINKED_LINE and (
                self.rules.is_list(linked[0].href or "")):
            return clean_label(linked[0].text) or None
        return None

    @field
    def images(self) -> list[dict[str, Any]]:
        images: list[dict[str, Any]] = []
        seen: set[str] = set()
        for block in self._body_range:
            for img in block.element.iter("img"):
                src = img.get("src") or img.get("data-src")
                if not src or src.startswith("data:"):
                    continue
                url = joined(self.url, src.strip())
                if url and url not in seen:
                    seen.add(url)
                    caption = cleaning.normalize_space(img.get("alt") or "") or None
                    images.append({"url": url, "caption": caption})
        return images

    @field
    def lead_image(self) -> str | None:
        meta_image = self.meta.first("og:image", "twitter:image") if self.meta else None
        if meta_image:
            return joined(self.url, meta_image)
        images = self.images()
        return images[0]["url"] if images else None

    @field
    def description(self) -> str | None:
        if self.meta is None:
            return None
        return self.meta.first("og:description", "description", "twitter:description")

    def headline(self) -> _Element | None:
        """The headline the site's reading found (the byline is looked for under it)."""
        return self._title_block.element if self._title_block is not None else None

    @field
    def authors(self) -> list[str]:
        """The site's byline lines, else the page's other author evidence (kept out of
        ``fallback_fields``, as the metadata authors always were)."""
        return self._site_authors() or value_of(self.authors_choice)

    def _site_authors(self) -> list[str]:
        return list(dict.fromkeys(n for names in self._byline_blocks.values() for n in names))

    def language_text(self) -> str:
        return " ".join(b.text for b in self.body_blocks())

    @field
    def language(self) -> str | None:
        """ISO 639-1: the declared language (the page's, else the site's) unless the article
        text confidently says another (crawler.reader.fields.language)."""
        return self.language_choice.value if self.language_choice is not None else None

    def field_sources(self) -> dict[str, str]:
        """Which source won each evidence-ranked field, for the run report: ``site`` where the
        site's own rule read it (from the cached choices: no field keeps a list as it runs)."""
        found: dict[str, str] = {}
        title, fell_back = type(self).title.resolve(self)
        if title:
            found["title"] = self.title_choice.source if (
                fell_back and self.title_choice is not None) else "site"
        # the generic choice is read only where the site's rule read nothing (as the field does)
        choices: tuple[tuple[str, list[str], Callable[[], Candidate[list[str]] | None]], ...] = (
            ("authors", self._site_authors(), lambda: self.authors_choice),
            ("keywords", self._site_keywords, lambda: self.keywords_choice))
        for name, site, choose in choices:
            if site:
                found[name] = "site"
            elif (choice := choose()) is not None and choice.value:
                found[name] = choice.source
        published, fell_back = type(self).published_at.resolve(self)
        if published:
            found["published_at"] = self._published_source(fell_back)
        if self.language_choice is not None and self.language_choice.value:
            found["language"] = self.language_choice.source
        return found

    def _published_source(self, fell_back: bool) -> str:
        found = self._published_choice(None if fell_back else self._printed())
        return found.source if found is not None else "site"

    @classmethod
    def listing(cls, title: str | None, after: str = "") -> tuple[str | None, str | None]:
        """How a list page shows an article: its title (without badges, or a date printed after
        it: "Title (06/18/2012)") and its date (in the text after the title, else that one)."""
        dated = None
        if title:
            title, dated = split_trailing_date(title, cls.TIMEZONE)
            badges = lines.badge_pattern(cls.TITLE_BADGES)
            title = (badges.sub("", title).strip() or title) if badges else title
        found = find_datetime(after, cls.TIMEZONE)
        return title, to_iso(found[0] if found else dated)

    @field(name="id")
    def record_id(self) -> str | None:
        article_id = self.rules.article_id(self.url)
        return self.rules.record_id(article_id) if article_id else None

    @field(name="site")
    def site(self) -> str:
        return self.rules.name

    @field(name="url")
    def record_url(self) -> str:
        """The page's canonical link (``rel=canonical``, else ``og:url``) when it names this same
        article (a print or AMP variant names its main page), else the fetched URL; canonical
        form either way."""
        article_id = self.rules.article_id(self.url)
        url = (self.meta.canonical_url(self.url) if self.meta is not None else None) or self.url
        if article_id is None or self.rules.article_id(url) != article_id:
            url = self.url
        return self.rules.canonical(url)

    @field
    def fetched_url(self) -> str:
        return self.url

    def links(self, limit: int | None = None) -> list[str]:
        """Every link of the page (the first ``limit``), absolute, in order, without repeats."""
        return self.text.links(limit) if self.text is not None else []  # joined by the walk

    def record(self) -> dict[str, Any]:
        """The article record: every declared field, and which of them fell back."""
        return build_record(self)


def _has_letters(text: str) -> bool:
    return bool(_LETTER.search(text))


def _keywords_of(block: Block, text: str) -> list[str]:
    """One keyword per element (separate <span>s joined by spaces are separate keywords),
    else the text split at its separators; a label segment ("Keywords:") left out."""
    parts = [clean_label(s.text) for s in block.segments]
    parts = [p for p in parts if p and not _KEYWORD_LABEL_ONLY.fullmatch(p)]
    if len(parts) > 1:
        return [w for p in parts for w in _split_keywords(p)]
    return _split_keywords(text)


def _split_keywords(value: Any) -> list[str]:
    if isinstance(value, list):
        return [cleaning.normalize_space(str(v)) for v in value if str(v).strip()]
    if not value:
        return []
    return [p.strip() for p in re.split(r"[,;，、|]", str(value)) if p.strip()]
