"""An article page read by meaning; a site subclasses it and changes only its constants (Fundus style).

No Scrapy here: a page is built from ``(url, html)`` and tested on stored files.
"""

from __future__ import annotations

import re
from datetime import timezone, tzinfo
from functools import cached_property
from typing import Any
from urllib.parse import urljoin

from crawler import cleaning
from crawler.dates import find_numeric_datetime, parse_iso, to_iso
from crawler.metadata import PageMetadata
from crawler.reading import (
    Block,
    LinkEntry,
    PageText,
    Segment,
    blocks_within,
    clean_label,
    content_root,
    entries_after,
    find_label,
    parse_html,
)
from crawler.site import SiteRules

_TITLE_SPLIT = re.compile(r"\s+[-|–—_]\s+|_{1,2}|\s*\|\s*")
_SENTENCE_END = re.compile(r"[.!?。！？\"”]\s*$")
_INTEGER = re.compile(r"(?<![\d/:.])(\d{1,9})(?![\d/:.])")
_BREADCRUMB = re.compile(r"(^|[\s:：])home\s*(>|»|/|›)", re.IGNORECASE)
_COUNT_LINE = re.compile(r"\s*(?:(?:views|hits|reads|clicks)\s*[:：]?\s*)?(?P<count>\d{1,9})\s*",
                         re.IGNORECASE)
_TRAILING_COUNT = re.compile(r"\s+\d{1,9}\s*$")
_LETTER = re.compile(r"[^\W\d_]")


class ArticlePage:
    """Fields of one article page. Class constants are the site knowledge a subclass overrides."""

    TIMEZONE: tzinfo = timezone.utc
    LANGUAGE: str | None = None
    RELATED_LABEL = re.compile(
        r"related (reading|articles?|news|stories|posts)|you may also like|recommended reading",
        re.IGNORECASE,
    )
    NEXT_LABEL = re.compile(r"(read the )?next (article|story|post|news)|next", re.IGNORECASE)
    KEYWORDS_LABEL = re.compile(r"(key ?words?|tags?)\s*[:：]?\s*(?P<rest>.*)", re.IGNORECASE)
    SOURCE_LINE = re.compile(
        r"[(（]?\s*source\s*[:：]\s*(?P<source>[^()（）]{1,120}?)\s*[)）]?\s*\.?", re.IGNORECASE
    )
    # Whole lines this site prints around articles that are not article text.
    BOILERPLATE_LINES: tuple[str, ...] = ()
    # The site's own name, as <title> and og:site_name print it beside the headline.
    SITE_NAMES: tuple[str, ...] = ()
    # How many blocks after the title may still be header lines (date, keywords, share bar).
    HEADER_SPAN = 8

    def __init__(self, url: str, html: str, rules: SiteRules) -> None:
        self.url = url
        self.rules = rules
        self.root = parse_html(html)
        self.text = PageText(self.root, url) if self.root is not None else None
        self.meta = PageMetadata(self.root) if self.root is not None else None
        self.fallback_fields: list[str] = []
        self._extra_boilerplate = cleaning.compile_line_patterns(self.BOILERPLATE_LINES)

    # --- positions ------------------------------------------------------------------------------
    @property
    def blocks(self) -> list[Block]:
        return self.text.blocks if self.text else []

    @cached_property
    def _title_block(self) -> Block | None:
        wanted = [t.casefold() for t in self._meta_titles() if len(t) >= 5]
        if not wanted:
            return next((b for b in self.blocks if b.element.tag == "h1"), None)
        for headings_only in (True, False):
            for block in self.blocks:
                if headings_only and not block.is_heading:
                    continue
                text = block.text.casefold()
                if len(text) >= 5 and block.link_density < 0.5 and any(
                    text == w or (len(text) >= 15 and (text in w or (block.is_heading and w in text)))
                    for w in wanted
                ):
                    return block
        return None

    @cached_property
    def _date_found(self) -> tuple[Block, Any] | None:
        for block in self._header_blocks():
            found = find_numeric_datetime(block.text, self.TIMEZONE)
            if found:
                return block, found
        return None

    def _header_blocks(self) -> list[Block]:
        start = self._title_block.index + 1 if self._title_block else 0
        header: list[Block] = []
        for block in self.blocks[start : start + self.HEADER_SPAN]:
            if self._is_paragraph(block) and not find_numeric_datetime(block.text, self.TIMEZONE):
                break
            header.append(block)
        return header

    def _is_paragraph(self, block: Block) -> bool:
        text = block.text
        return block.link_density < 0.3 and (len(text) >= 120 or (
            len(text) >= 40 and bool(_SENTENCE_END.search(text))))

    @cached_property
    def _related_label(self) -> Segment | None:
        return self.text and find_label(self.text, self.RELATED_LABEL, self._body_start)

    @cached_property
    def _next_label(self) -> Segment | None:
        return self.text and find_label(self.text, self.NEXT_LABEL, self._body_start)

    @cached_property
    def _body_start(self) -> int:
        return self._title_block.index + 1 if self._title_block else 0

    @cached_property
    def _body_range(self) -> list[Block]:
        stops = [s.block for s in (self._related_label, self._next_label) if s is not None]
        end = min(stops) if stops else len(self.blocks)
        candidates = self.blocks[self._body_start : end]
        root = content_root(candidates)
        return blocks_within(candidates, root) if root is not None else []

    # --- fields ---------------------------------------------------------------------------------
    def _meta_titles(self) -> list[str]:
        if self.meta is None:
            return []
        parts = self._html_title_parts()
        titles = [
            self.meta.first("og:title", "twitter:title"),
            self.meta.ld_text("headline"),
            self.meta.html_title if len(parts) < 2 else None,
        ]
        return [t for t in titles + parts if t]

    def _html_title_parts(self) -> list[str]:
        """The parts of <title> that are not the site's name ("Title_World Clothes ... Net")."""
        if self.meta is None or not self.meta.html_title:
            return []
        names = {n.casefold() for n in self.SITE_NAMES}
        parts = [p.strip() for p in _TITLE_SPLIT.split(self.meta.html_title) if p.strip()]
        return [p for p in parts if p.casefold() not in names]

    def title(self) -> str | None:
        if self._title_block is not None:
            return self._title_block.text
        if self.meta is None:
            return None
        self.fallback_fields.append("title")
        parts = self._html_title_parts()
        return self.meta.first("og:title") or self.meta.ld_text("headline") or (
            max(parts, key=len) if parts else None
        )

    def published_at(self) -> str | None:
        if self._date_found is not None:
            return to_iso(self._date_found[1][0])
        if self.meta is None:
            return None
        value = self.meta.ld_text("datePublished") or self.meta.first(
            "article:published_time", "og:published_time", "pubdate", "publishdate", "date",
            "dc.date", "dc.date.issued",
        ) or self._time_element()
        parsed = parse_iso(value, self.TIMEZONE) if value else None
        if parsed is not None:
            self.fallback_fields.append("published_at")
        return to_iso(parsed)

    def _time_element(self) -> str | None:
        """A <time datetime> of the article itself (header or body), never of a related entry."""
        for block in self._header_blocks() + self._body_range:
            node = next(block.element.iter("time"), None)
            if node is not None and node.get("datetime"):
                return node.get("datetime")
        return None

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

    def keywords(self) -> list[str]:
        words: list[str] = []
        for block in self._header_blocks():
            if block is (self._date_found or (None,))[0] or block.is_heading:
                continue
            words.extend(self._keyword_phrases(block))
        if not words and self.meta is not None:
            words = _split_keywords(
                self.meta.ld("keywords") or self.meta.first("news_keywords", "article:tag", "keywords")
            )
        return list(dict.fromkeys(w for w in words if w))

    def _keyword_phrases(self, block: Block) -> list[str]:
        text = clean_label(block.text)
        labelled = self.KEYWORDS_LABEL.fullmatch(text)
        if labelled is None and (_BREADCRUMB.search(block.text) or self._is_boilerplate(text)):
            return []
        links = [clean_label(s.text) for s in block.segments if s.href]
        if links and (labelled is not None or (len(links) > 1 and block.link_density > 0.9)):
            return [t for t in links if t]  # a row of tag links
        if labelled is not None:
            return _split_keywords(labelled.group("rest"))
        if len(text) > 80 or _SENTENCE_END.search(text) or not _has_letters(text):
            return []
        return _split_keywords(text)

    def body_blocks(self) -> list[Block]:
        header = {b.index for b in self._header_blocks()}
        kept: list[Block] = []
        for block in self._body_range:
            if block.index in header or block.link_density > 0.5:
                continue
            if self.SOURCE_LINE.fullmatch(block.text):
                break
            if not self._is_boilerplate(block.text) and not _BREADCRUMB.search(block.text):
                kept.append(block)
        return kept

    def _is_boilerplate(self, line: str) -> bool:
        return cleaning.is_boilerplate_line(line, self._extra_boilerplate)

    def body(self) -> str | None:
        text = "\n\n".join(b.text for b in self.body_blocks())
        if len(text) >= 80 or cleaning.is_placeholder(text):
            return text  # a notice in place of the article is left for validation to drop
        fallback = self._fallback_body()
        if fallback:
            self.fallback_fields.append("body")
            return fallback
        return text or None

    def _fallback_body(self) -> str | None:
        from crawler.extract import extract_article  # the generic extractor; heavy, load late

        if self.root is None:
            return None
        body = extract_article(self._html_for_fallback(), url=self.url).get("body") or ""
        lines: list[str] = []
        for line in cleaning.paragraphs(body):
            if self.RELATED_LABEL.fullmatch(clean_label(line)) or self.NEXT_LABEL.fullmatch(
                clean_label(line)
            ) or self.SOURCE_LINE.fullmatch(line):
                break
            if not self._is_boilerplate(line):
                lines.append(line)
        return "\n\n".join(lines) or None

    def _html_for_fallback(self) -> str:
        from lxml import html as lxml_html

        return lxml_html.tostring(self.root, encoding="unicode")

    def source(self) -> str | None:
        """The closing ``(source: ...)`` line, or a ``Source:`` item of the info line."""
        tail = self._body_range[-12:] if self._body_range else []
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
        return None

    def related(self) -> list[dict[str, Any]]:
        if self._related_label is None or self.text is None:
            return []
        entries = entries_after(self.text, self._related_label, self.rules.is_article,
                                stop=self.NEXT_LABEL)
        return [self._related_entry(e) for e in entries]

    def _related_entry(self, entry: LinkEntry) -> dict[str, Any]:
        found = find_numeric_datetime(entry.extra, self.TIMEZONE)
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

    def next(self) -> dict[str, Any] | None:
        if self._next_label is None or self.text is None:
            return None
        entries = entries_after(self.text, self._next_label, self.rules.is_article, limit=1)
        if not entries:
            return None
        return {"url": self.rules.canonical(entries[0].url), "title": entries[0].title}

    def category(self) -> str | None:
        if self.meta is not None:
            section = self.meta.ld_text("articleSection") or self.meta.first("article:section")
            if section:
                return section
        crumb = next((b for b in self.blocks[: self._body_start] if _BREADCRUMB.search(b.text)), None)
        if crumb is None:
            return None
        linked = [s.text for s in crumb.segments if s.href and s.text.casefold() != "home"]
        if linked:
            return clean_label(linked[-1]) or None
        last = re.split(r"\s*(?:>|»|›)+\s*", crumb.text.strip(" >»›"))[-1]
        return last if last and last.casefold() != "home" else None

    def images(self) -> list[dict[str, Any]]:
        images: list[dict[str, Any]] = []
        seen: set[str] = set()
        for block in self._body_range:
            for img in block.element.iter("img"):
                src = img.get("src") or img.get("data-src")
                if not src or src.startswith("data:"):
                    continue
                url = urljoin(self.url, src.strip())
                if url not in seen:
                    seen.add(url)
                    images.append({"url": url, "caption": cleaning.normalize_space(img.get("alt") or "") or None})
        return images

    def lead_image(self) -> str | None:
        meta_image = self.meta.first("og:image", "twitter:image") if self.meta else None
        if meta_image:
            return urljoin(self.url, meta_image)
        images = self.images()
        return images[0]["url"] if images else None

    def description(self) -> str | None:
        return self.meta.first("og:description", "description", "twitter:description") if self.meta else None

    def authors(self) -> list[str]:
        if self.meta is None:
            return []
        names = self.meta.ld_names("author")
        if not names and self.meta.first("author", "article:author"):
            names = [self.meta.first("author", "article:author") or ""]
        return names

    def language(self) -> str | None:
        lang = self.meta.lang if self.meta else None
        return lang.split("-")[0].lower() if lang else self.LANGUAGE

    def record(self) -> dict[str, Any]:
        """All fields of the article record that the page itself gives."""
        article_id = self.rules.article_id(self.url)
        fields: dict[str, Any] = {
            "id": self.rules.record_id(article_id) if article_id else None,
            "site": self.rules.name,
            "url": self.rules.canonical(self.url),
            "fetched_url": self.url,
            "title": self.title(),
            "published_at": self.published_at(),
            "body": self.body(),
            "source": self.source(),
            "keywords": self.keywords(),
            "views": self.views(),
            "category": self.category(),
            "related": self.related(),
            "next": self.next(),
            "images": self.images(),
            "lead_image": self.lead_image(),
            "description": self.description(),
            "authors": self.authors(),
            "language": self.language(),
        }
        fields["fallback_fields"] = sorted(set(self.fallback_fields))
        return fields


def _has_letters(text: str) -> bool:
    return bool(_LETTER.search(text))


def _split_keywords(value: Any) -> list[str]:
    if isinstance(value, list):
        return [cleaning.normalize_space(str(v)) for v in value if str(v).strip()]
    if not value:
        return []
    return [p.strip() for p in re.split(r"[,;，、|]", str(value)) if p.strip()]
