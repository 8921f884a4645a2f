"""The reader and plain trafilatura on real news pages nobody here wrote, side by side.

Usage: ``python benchmarks/real.py [--fundus DIR] [--aeb DIR] [--per-page] [--pred-out DIR]``.

- ``../shared/fundus-dev`` (or ``$FUNDUS_DEV_DIR``): 129 pages of 92 publishers with their true
  title, authors, publication time and text; scored by its own ``score.py`` (title, date_exact,
  authors, body P/R/F1).
- ``../shared/aeb-dev`` (or ``$AEB_DEV_DIR``): 93 pages of the article-extraction benchmark with
  hand-checked bodies; scored by its own ``score.py`` (body P/R/F1).

Both readers run in the same process on the same input, page by page in turn, so machine noise
hits them alike; ms/page is the mean wall time of one call.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import trafilatura  # noqa: E402

from crawler.extract import extract_article  # noqa: E402

SHARED = REPO.parent / "shared"
Reader = Callable[[str | bytes, str | None], dict[str, Any]]


def ours(page: str | bytes, url: str | None) -> dict[str, Any]:
    record = extract_article(page, url=url)
    return {k: record.get(k) for k in ("title", "published_at", "authors", "body")}


def plain_trafilatura(page: str | bytes, url: str | None) -> dict[str, Any]:
    doc = trafilatura.bare_extraction(page, url=url, with_metadata=True)
    if doc is None:
        return {"title": None, "published_at": None, "authors": [], "body": ""}
    authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
    return {"title": doc.title, "published_at": doc.date, "authors": authors,
            "body": doc.text or ""}


READERS: dict[str, Reader] = {"ours": ours, "trafilatura": plain_trafilatura}


def load_module(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(pages: dict[str, tuple[str | bytes, str | None]]) -> dict[str, dict[str, Any]]:
    """Per reader: predictions by case and total seconds."""
    first = next(iter(pages.values()))
    for reader in READERS.values():  # warm-up: imports and caches are not page cost
        reader(*first)
    out: dict[str, dict[str, Any]] = {n: {"pred": {}, "secs": 0.0} for n in READERS}
    for case, (page, url) in pages.items():
        for name, reader in READERS.items():
            start = time.perf_counter()
            out[name]["pred"][case] = reader(page, url)
            out[name]["secs"] += time.perf_counter() - start
    return out


def body_prf(scorer: ModuleType, truth: dict[str, str], pred: dict[str, str]) -> tuple[float, ...]:
    """Word 4-gram shingle precision (mean over predicted), recall (mean over true), F1."""
    precisions, recalls = [], []
    for case, true_body in truth.items():
        ts, ps = scorer.shingles(true_body), scorer.shingles(pred.get(case) or "")
        tp = sum((ts & ps).values())
        if ps:
            precisions.append(tp / sum(ps.values()))
        if ts:
            recalls.append(tp / sum(ts.values()))
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def fundus(data: Path, per_page: bool, pred_out: Path | None) -> None:
    scorer = load_module(data / "score.py", "fundus_score")
    truth = json.loads((data / "ground-truth.json").read_text("utf-8"))
    pages = {c: (gzip.decompress((data / "html" / f"{c}.html.gz").read_bytes()).decode("utf-8"),
                 t.get("url")) for c, t in truth.items()}
    results = run(pages)
    print(f"\nfundus-dev: {len(pages)} pages of {len({t['publisher'] for t in truth.values()})} "
          f"publishers ({data})")
    print(f"{'reader':<12} {'title':>6} {'date_exact':>10} {'authors':>7} {'body P':>7} "
          f"{'body R':>7} {'body F1':>7} {'ms/page':>8}")
    for name, res in results.items():
        rows = {c: scorer.page(t, res["pred"][c]) for c, t in truth.items()}
        n = len(rows)
        p, r, f = body_prf(scorer, {c: t["body"] for c, t in truth.items()},
                           {c: v.get("body") for c, v in res["pred"].items()})
        print(f"{name:<12} {sum(x['title'] for x in rows.values()) / n:6.3f} "
              f"{sum(x['exact'] for x in rows.values()) / n:10.3f} "
              f"{sum(x['authors'] for x in rows.values()) / n:7.3f} {p:7.3f} {r:7.3f} {f:7.3f} "
              f"{1000 * res['secs'] / n:8.1f}")
        if per_page and name == "ours":
            print_fundus_misses(truth, res["pred"], rows)
    save(pred_out, "fundus-ours.json", results["ours"]["pred"])


def print_fundus_misses(truth: dict[str, Any], pred: dict[str, Any], rows: dict[str, Any]
                        ) -> None:
    for case, row in rows.items():
        for field, ok in (("title", "title"), ("published_at", "exact"), ("authors", "authors")):
            if not row[ok]:
                print(f"  miss {field:<12} {case:<40} got {pred[case].get(field)!r:.90} "
                      f"want {truth[case].get(field)!r:.90}")


def aeb(data: Path, per_page: bool, pred_out: Path | None) -> None:
    scorer = load_module(data / "score.py", "aeb_score")
    truth = json.loads((data / "ground-truth.json").read_text("utf-8"))
    pages = {c: (gzip.decompress((data / "html" / f"{c}.html.gz").read_bytes()), t.get("url"))
             for c, t in truth.items()}
    results = run(pages)
    print(f"\naeb-dev: {len(pages)} pages ({data})")
    print(f"{'reader':<12} {'body P':>7} {'body R':>7} {'body F1':>7} {'ms/page':>8}")
    secs = {}
    for name, res in results.items():
        pred = {c: {"articleBody": v.get("body") or ""} for c, v in res["pred"].items()}
        m = scorer.score(truth, pred)
        secs[name] = res["secs"]
        print(f"{name:<12} {m['precision']:7.3f} {m['recall']:7.3f} {m['f1']:7.3f} "
              f"{1000 * res['secs'] / len(pages):8.1f}")
    print(f"time ratio ours/trafilatura: {secs['ours'] / secs['trafilatura']:.2f}x "
          "(budget 1.50x)")
    save(pred_out, "aeb-ours.json", results["ours"]["pred"])


def save(folder: Path | None, name: str, pred: dict[str, Any]) -> None:
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(json.dumps(pred, ensure_ascii=False, indent=1), "utf-8")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fundus", type=Path,
                    default=Path(os.environ.get("FUNDUS_DEV_DIR", SHARED / "fundus-dev")))
    ap.add_argument("--aeb", type=Path,
                    default=Path(os.environ.get("AEB_DEV_DIR", SHARED / "aeb-dev")))
    ap.add_argument("--only", choices=("fundus", "aeb"), help="one data set only")
    ap.add_argument("--per-page", action="store_true", help="list our misses on fundus-dev")
    ap.add_argument("--pred-out", type=Path, help="write our predictions (JSON) to this folder")
    args = ap.parse_args(argv)
    if args.only != "aeb":
        fundus(args.fundus, args.per_page, args.pred_out)
    if args.only != "fundus":
        aeb(args.aeb, args.per_page, args.pred_out)


if __name__ == "__main__":
    main()
