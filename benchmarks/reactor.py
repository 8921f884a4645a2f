"""CPU per record of the crawl process's own stages, on real records of the local site.

Usage: ``python benchmarks/reactor.py [--pages N] [--repeat R] [--code DIR] [--records-out FILE]``.

Renders N article pages of the local site (the sjfzxm-like pages ``make bench`` crawls; seed 0),
reads each as a pool worker does (``read_page``) and times, in this process's thread CPU, best of
R passes, what the crawl process then does with each page: Scrapy's meta-refresh check of the
response, the clean, validate and dedup stages (the dedup's body hash and MinHash signature
apart), the JSON Lines export (journaled, as a crawl writes it). ``--code DIR`` runs another
checkout's code on the same pages (e.g. ``git archive <commit> | tar -x -C DIR``): run both
alternately to compare. ``--records-out FILE`` writes the exported lines, the journal and every
body's hash, signature and band keys, to check that a change leaves them alone (``cmp``).
"""

from __future__ import annotations

import argparse
import copy
import gc
import importlib
import io
import json
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def best_ms(work: Callable[[Any], Any], make: Callable[[], list[Any]], repeat: int) -> float:
    """Thread CPU ms per element of ``make()``, best of ``repeat`` passes."""
    best = float("inf")
    for _ in range(repeat):
        elements = make()
        gc.collect()
        started = time.thread_time()
        for element in elements:
            try:
                work(element)
            except Exception:  # noqa: BLE001 (a dropped item is the stage's answer)
                pass
        best = min(best, (time.thread_time() - started) * 1e3 / len(elements))
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--code", type=Path, default=REPO, help="the checkout whose code runs")
    parser.add_argument("--records-out", type=Path, default=None)
    args = parser.parse_args()
    sys.path[:0] = [str(args.code), str(REPO / "benchmarks"), str(REPO)]

    from scrapy import Request
    from scrapy.exporters import JsonLinesItemExporter
    from scrapy.http import HtmlResponse
    from scrapy.utils.misc import load_object
    from scrapy.utils.test import get_crawler

    from crawler import nearduplicates
    from crawler.exporters import journaled
    from crawler.items import ARTICLE_FIELDS, Article
    from crawler.pool.reader import read_page
    from crawler.settings import DOWNLOADER_MIDDLEWARES
    from crawler.state.journal import Journal
    from crawler.state.store import ArticleStore
    from pipelines.clean import CleanPipeline
    from pipelines.dedup import DedupPipeline
    from pipelines.validate import ValidatePipeline
    # benchmarks/reading.py (the same pages) puts this checkout first on the path: imported
    # after the code above, which is then in already.
    article_tasks = importlib.import_module("reading").article_tasks
    print(f"code: {nearduplicates.__file__.rsplit('/crawler/', 1)[0]}")
    tasks = article_tasks(args.pages, 0)
    records = [read_page(task).article.record for task in tasks]  # type: ignore[union-attr]

    class Stats:
        def inc_value(self, *args: Any, **kwargs: Any) -> None:
            pass

    def items() -> list[Article]:
        return [Article(**copy.deepcopy(record), crawled_at="2026-11-30T00:00:00Z")
                for record in records]

    refresh_path = next(path for path, order in DOWNLOADER_MIDDLEWARES.items()
                        if order == 580) if 580 in DOWNLOADER_MIDDLEWARES.values() else (
        "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware")
    refresh = load_object(refresh_path).from_crawler(
        get_crawler(settings_dict={"METAREFRESH_ENABLED": True}))
    request = Request(tasks[0].url)
    headers = {"Content-Type": "text/html; charset=utf-8"}
    figures = {"meta refresh": best_ms(
        lambda response: refresh.process_response(request, response),
        lambda: [HtmlResponse(t.url, body=t.body, headers=headers) for t in tasks], args.repeat)}
    clean = CleanPipeline(stats=Stats())
    figures["clean"] = best_ms(clean.process_item, items, args.repeat)
    cleaned = items()
    for item in cleaned:
        clean.process_item(item)
    validate = ValidatePipeline(Stats())
    figures["validate"] = best_ms(validate.process_item, lambda: cleaned, args.repeat)
    figures["dedup: body hash + signature"] = best_ms(
        lambda item: (nearduplicates.body_hash(item.body), nearduplicates.signature(item.body)),
        lambda: cleaned, args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        stores: list[ArticleStore] = []

        def dedup_items() -> list[Article]:
            stores.append(ArticleStore(Path(tmp) / f"{len(stores)}.sqlite3"))
            return cleaned

        def dedup(item: Article) -> None:
            DedupPipeline(stores[-1], Stats(), 0.7).process_item(item)

        figures["dedup (with the state's lookups)"] = best_ms(dedup, dedup_items, args.repeat)
        for store in stores:
            store.close()
        exporter_class = journaled(JsonLinesItemExporter)

        def exporter() -> Any:
            out: Any = io.BytesIO()
            out.journal = Journal(Path(tmp) / "journal")
            made = exporter_class(out, fields_to_export=ARTICLE_FIELDS, encoding="utf-8")
            made.output = out
            return made

        exporters: list[Any] = []
        figures["export (JSON Lines + journal)"] = best_ms(
            lambda item: exporters[-1].export_item(item),
            lambda: exporters.append(exporter()) or cleaned, args.repeat)
        if args.records_out:
            write_records(args.records_out, exporter(), cleaned, nearduplicates)
    print(f"{len(records)} article pages, thread CPU ms per page, best of {args.repeat}:")
    for stage, ms in figures.items():
        print(f"  {stage:40}{ms:8.4f}")
    return 0


def write_records(path: Path, exporter: Any, items: Iterable[Any], nearduplicates: Any) -> None:
    items = list(items)
    for item in items:
        exporter.export_item(item)
    exporter.output.journal.handle.flush()
    path.write_bytes(exporter.output.getvalue() + exporter.output.journal.path.read_bytes())
    signatures = [nearduplicates.signature(item.body) for item in items]
    with path.open("a") as handle:
        json.dump([[nearduplicates.body_hash(item.body), signature,
                    nearduplicates.band_keys(signature)]
                   for item, signature in zip(items, signatures, strict=True)], handle)


if __name__ == "__main__":
    sys.exit(main())
