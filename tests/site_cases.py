"""Stored pages of every site module: ``tests/fixtures/<site>/<case>/`` and the site's ``_site/``.

A case folder holds ``page.html``, ``meta.json`` (url, kind, layout, encoding, optional
``body_excludes``: snippets that must never reach the body) and ``expected.json``.
``_site/site.json`` says how the end-to-end test serves the cases: the start path, the extra files
(robots.txt, feeds, sitemaps) and the cases only a feed or sitemap links to.
"""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path
from typing import Any

from crawler.site import SiteRules
from crawler.spider import NewsSpider
from localsite.static import StaticFile

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


def site_spiders() -> dict[str, type[NewsSpider]]:
    """Every site module's spider that has stored fixtures, by site name."""
    found: dict[str, type[NewsSpider]] = {}
    for path in sorted((ROOT / "spiders").glob("*.py")):
        module = importlib.import_module(f"spiders.{path.stem}")
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, NewsSpider) and value.__module__ ==
                    module.__name__ and getattr(value, "site_rules", None) is not None):
                if (FIXTURES / value.name).is_dir():
                    found[value.name] = value
    return found


def cases(site: str) -> list[Path]:
    return sorted(p for p in (FIXTURES / site).iterdir()
                  if p.is_dir() and not p.name.startswith("_") and (p / "expected.json").exists())


def load(case: Path) -> tuple[dict[str, Any], str, Any]:
    meta = json.loads((case / "meta.json").read_text("utf-8"))
    html = (case / "page.html").read_bytes().decode(meta.get("encoding") or "utf-8")
    return meta, html, json.loads((case / "expected.json").read_text("utf-8"))


def origins(rules: SiteRules) -> str:
    """A regex of the real site's origins (any scheme, any subdomain of an allowed domain)."""
    domains = "|".join(re.escape(d) for d in rules.allowed_domains)
    return rf"https?://(?:[\w-]+\.)*(?:{domains})(?::\d+)?"


def site_config(site: str) -> dict[str, Any]:
    path = FIXTURES / site / "_site" / "site.json"
    return json.loads(path.read_text("utf-8")) if path.exists() else {}


def served_files(site: str) -> dict[str, StaticFile]:
    """Every case page at its URL's path, and the extra files of ``_site/site.json``."""
    files: dict[str, StaticFile] = {}
    for case in cases(site):
        meta = json.loads((case / "meta.json").read_text("utf-8"))
        path = re.sub(r"^https?://[^/]+", "", meta["url"]) or "/"
        kind = meta.get("content_type") or "text/html; charset=utf-8"
        files[path] = StaticFile((case / "page.html").read_bytes(), kind)
    for path, spec in site_config(site).get("files", {}).items():
        body = (FIXTURES / site / "_site" / spec["file"]).read_bytes()
        files[path] = StaticFile(body, spec.get("type", "text/html; charset=utf-8"))
    return files
