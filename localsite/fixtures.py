"""Re-render the generated parser fixtures: python -m localsite.fixtures [--check].

Each case is tests/fixtures/sjfzxm/<case>/ with page.html (the bytes a server sends), meta.json and
expected.json. Hand-written cases (see HAND_WRITTEN) are left alone. --check only reports drift.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from localsite.article import ARTICLE, Article
from localsite.links import SiteUrls, list_path
from localsite.model import SiteModel
from localsite.realdata import REAL_ID
from localsite.render import encode, render_article, render_list

FIXTURE_DIR = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "sjfzxm"
URLS = SiteUrls("http://www.sjfzxm.com", "http://weixifushi88.sjfzxm.com")
SEED = 0
ARTICLES = 60  # three list pages: portal, redesign, portal
HAND_WRITTEN = ("article-legacy2010-412873",)
GENERATOR = "localsite.fixtures"  # marks generated cases in meta.json; others are never touched


@dataclass(frozen=True)
class Case:
    name: str
    kind: str  # "article" or "list"
    url: str  # where the page was fetched from; canonical URLs come from URLS.base
    layout: str
    article: Article | None = None
    page: int = 0


def fixture_model() -> SiteModel:
    return SiteModel.generate(ARTICLES, seed=SEED)


def _pick(model: SiteModel, test: Callable[[Article], bool]) -> Article:
    special = set(dataclasses.astuple(model.specials)[:2]) | set(model.specials.related_of_real)
    for article in model.articles.values():
        plain = (
            article.kind == ARTICLE and article.duplicate_of is None and article.id not in special
        )
        if plain and article.published and article.source and test(article):
            return article
    raise LookupError("no article fits; change the fixture seed or size")


def cases(model: SiteModel) -> list[Case]:
    real = model.articles[REAL_ID]
    specials = model.specials
    portal = _pick(model, lambda a: a.layout == "portal" and a.id % 3 == 1)
    redesign = _pick(model, lambda a: a.layout == "redesign" and a.id % 6 == 0)
    found = [model.articles[i] for i in (specials.no_date, specials.deleted, specials.gb2312)]
    no_date, deleted, gb2312 = found
    return [
        Case(
            "article-587064-portal",
            "article",
            f"{URLS.mirror}/global/en/{REAL_ID}.html",
            "portal",
            dataclasses.replace(real, layout="portal"),
        ),
        Case(
            "article-587064-redesign",
            "article",
            f"{URLS.base}/global/en/{REAL_ID}.html?from=timeline",
            "redesign",
            dataclasses.replace(real, layout="redesign"),
        ),
        # Stable names, so that a renderer change shows as a diff of the same files.
        _article_case("article-generated-portal", portal),
        _article_case("article-generated-redesign", redesign),
        _article_case("article-nodate", no_date),
        _article_case("article-deleted", deleted),
        _article_case("article-gb2312", gb2312),
        _list_case(model, 1),
        _list_case(model, 2),
        _list_case(model, model.page_count),
    ]


def _article_case(name: str, article: Article) -> Case:
    return Case(name, "article", URLS.article(article.id), article.layout, article)


def _list_case(model: SiteModel, page: int) -> Case:
    layout = model.page_layout(page)
    name = f"list-{layout}-page{page}"
    return Case(name, "list", f"{URLS.base}{list_path(page)}", layout, page=page)


def render_case(model: SiteModel, case: Case) -> dict[str, bytes]:
    """The three files of a case, as bytes."""
    if case.article is not None:
        article = case.article
        page = encode(render_article(model, article, URLS), article.encoding)
        expected: Any = model.record(article, URLS.base) if article.has_page else None
        encoding = article.encoding
    else:
        page = render_list(model, case.page, URLS).encode()
        expected = _list_expected(model, case.page)
        encoding = "utf-8"
    content_type = "text/html" if encoding != "utf-8" else "text/html; charset=utf-8"
    meta = {
        "url": case.url,
        "layout": case.layout,
        "kind": case.kind,
        "encoding": encoding,
        "content_type": content_type,
        "generator": GENERATOR,
    }
    return {"page.html": page, "meta.json": _json(meta), "expected.json": _json(expected)}


def _list_expected(model: SiteModel, page: int) -> dict[str, Any]:
    next_page = f"{URLS.base}{list_path(page + 1)}" if page < model.page_count else None
    return {"articles": [URLS.article(a.id) for a in model.list_page(page)], "next_page": next_page}


def _json(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def _generated_folders(root: Path) -> set[str]:
    found = set()
    for meta in root.glob("*/meta.json"):
        if json.loads(meta.read_text(encoding="utf-8")).get("generator") == GENERATOR:
            found.add(meta.parent.name)
    return found


def drift(model: SiteModel, root: Path = FIXTURE_DIR) -> list[str]:
    """Files that differ from what the renderer produces now, and generated cases now gone."""
    names = {case.name for case in cases(model)}
    stale = [f"{name}/ (no longer generated)" for name in sorted(_generated_folders(root) - names)]
    for case in cases(model):
        for filename, content in render_case(model, case).items():
            path = root / case.name / filename
            if not path.exists() or path.read_bytes() != content:
                stale.append(f"{case.name}/{filename}")
    return stale


def write(model: SiteModel, root: Path = FIXTURE_DIR) -> list[str]:
    names = {case.name for case in cases(model)}
    for name in _generated_folders(root) - names:
        shutil.rmtree(root / name)
    written = []
    for case in cases(model):
        folder = root / case.name
        folder.mkdir(parents=True, exist_ok=True)
        for filename, content in render_case(model, case).items():
            (folder / filename).write_bytes(content)
        written.append(case.name)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m localsite.fixtures", description=__doc__)
    parser.add_argument("--check", action="store_true", help="report drift, write nothing")
    args = parser.parse_args(argv)
    model = fixture_model()
    if args.check:
        stale = drift(model)
        print("\n".join(stale) if stale else "fixtures are up to date")
        return 1 if stale else 0
    for name in write(model):
        print(f"wrote {FIXTURE_DIR.name}/{name}")
    print("review with: git diff --stat tests/fixtures/sjfzxm")
    return 0


if __name__ == "__main__":
    sys.exit(main())
