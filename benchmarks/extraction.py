"""Score ``extract_article`` and plain ``trafilatura.extract`` on the article-extraction benchmark.

Usage: ``python benchmarks/extraction.py [--data DIR] [--repeat N] [--pred-out FILE]``.
The data folder (``html/<id>.html.gz``, ``ground-truth.json``, ``score.py``) defaults to
``../shared/aeb-dev`` beside the repository, or ``$AEB_DEV_DIR``. Both extractors run in the
same process on the same bytes, page by page in turn, so machine noise hits them alike.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import statistics
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

DEFAULT_DATA = REPO.parent / "shared" / "aeb-dev"
Extractor = Callable[[bytes, str], str]


def load_scorer(data: Path) -> ModuleType:
    """The benchmark's own score.py, imported from the data folder."""
    spec = importlib.util.spec_from_file_location("aeb_score", data / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"no score.py in {data}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ours(page: bytes, url: str) -> str:
    return extract_article(page, url=url)["body"]


def plain_trafilatura(page: bytes, url: str) -> str:
    return trafilatura.extract(page, url=url) or ""


EXTRACTORS: dict[str, Extractor] = {"ours": ours, "trafilatura": plain_trafilatura}


def run_all(pages: dict[str, tuple[bytes, str]], repeat: int) -> dict[str, dict[str, Any]]:
    """Per extractor: predictions and per-page seconds (best of ``repeat``)."""
    first = next(iter(pages.values()))
    for fn in EXTRACTORS.values():  # warm-up: imports and caches are not page cost
        fn(*first)
    results: dict[str, dict[str, Any]] = {n: {"pred": {}, "secs": []} for n in EXTRACTORS}
    for page_id, (page, url) in pages.items():
        for name, fn in EXTRACTORS.items():
            best = float("inf")
            for _ in range(repeat):
                start = time.perf_counter()
                text = fn(page, url)
                best = min(best, time.perf_counter() - start)
            results[name]["pred"][page_id] = {"articleBody": text}
            results[name]["secs"].append(best)
    return results


def page_f1(counts: tuple[int, int, int, bool]) -> float:
    tp, fp, fn, _ = counts
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def print_table(scorer: ModuleType, truth: dict, results: dict[str, dict[str, Any]]) -> None:
    print(f"{'extractor':<12} {'F1':>6} {'prec':>6} {'recall':>6} {'acc':>6} "
          f"{'mean ms':>8} {'median ms':>9}")
    for name, res in results.items():
        m = scorer.score(truth, res["pred"])
        secs = res["secs"]
        print(f"{name:<12} {m['f1']:6.3f} {m['precision']:6.3f} {m['recall']:6.3f} "
              f"{m['accuracy']:6.3f} {1000 * statistics.mean(secs):8.1f} "
              f"{1000 * statistics.median(secs):9.1f}")
    ratio = sum(results["ours"]["secs"]) / sum(results["trafilatura"]["secs"])
    print(f"time ratio ours/trafilatura (mean per page): {ratio:.2f}x  (budget 1.50x)")


def print_losses(scorer: ModuleType, truth: dict, results: dict[str, dict[str, Any]]) -> None:
    ours_c = scorer.per_page_counts(truth, results["ours"]["pred"], list(truth))
    traf_c = scorer.per_page_counts(truth, results["trafilatura"]["pred"], list(truth))
    diffs = {i: page_f1(ours_c[i]) - page_f1(traf_c[i]) for i in truth}
    loss = [i for i in sorted(truth, key=diffs.__getitem__) if diffs[i] < 0][:10]
    print(f"\npages where we lose most to trafilatura ({len(loss)} of at most ten; page F1):")
    for page_id in loss:
        ours_f1, traf_f1 = page_f1(ours_c[page_id]), page_f1(traf_c[page_id])
        print(f"  {diffs[page_id]:+.3f}  {ours_f1:.3f} vs {traf_f1:.3f}"
              f"  {page_id[:12]}  {truth[page_id].get('url', '')[:70]}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path,
                    default=Path(os.environ.get("AEB_DEV_DIR", DEFAULT_DATA)))
    ap.add_argument("--repeat", type=int, default=1,
                    help="time each page N times, keep the best")
    ap.add_argument("--pred-out", type=Path, help="write our predictions as JSON here")
    args = ap.parse_args(argv)
    scorer = load_scorer(args.data)
    truth = scorer.load_json(args.data / "ground-truth.json")
    pages = {
        i: (gzip.decompress((args.data / "html" / f"{i}.html.gz").read_bytes()), e.get("url"))
        for i, e in truth.items()
    }
    results = run_all(pages, max(args.repeat, 1))
    print(f"{len(pages)} pages from {args.data}\n")
    print_table(scorer, truth, results)
    print_losses(scorer, truth, results)
    if args.pred_out:
        args.pred_out.write_text(json.dumps(results["ours"]["pred"], ensure_ascii=False))


if __name__ == "__main__":
    main()
