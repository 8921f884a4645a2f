"""The cheap language guess, where the extractor's callers found it
(crawler.reader.fields.scripts)."""

from __future__ import annotations

from crawler.reader.fields.scripts import guess_language

__all__ = ["guess_language"]
