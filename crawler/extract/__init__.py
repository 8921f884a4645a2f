"""The public entry points of the generic reader (``crawler.reader``): ``extract_article(html,
url=None)`` builds its record from the declared fields of ``GenericArticle``, and
``python -m crawler.extract FILE...`` prints one record per page."""

from __future__ import annotations

from crawler.reader.generic.article import FIELDS, GenericArticle, extract_article

__all__ = ["FIELDS", "GenericArticle", "extract_article"]
