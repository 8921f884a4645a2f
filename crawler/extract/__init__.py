"""The project's generic reader (title, date, authors, body, structured metadata):
``extract_article`` builds its record from the declared fields of ``GenericArticle``."""

from __future__ import annotations

from crawler.extract.article import FIELDS, GenericArticle, extract_article

__all__ = ["FIELDS", "GenericArticle", "extract_article"]
