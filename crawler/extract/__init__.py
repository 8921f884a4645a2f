"""The project's generic article extractor (title, date, authors, body, structured metadata)."""

from __future__ import annotations

from crawler.extract.article import FIELDS, extract_article

__all__ = ["FIELDS", "extract_article"]
