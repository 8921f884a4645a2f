"""What crash and disk safety cost: the state store's check at open, the run journal per record.

Usage: ``python benchmarks/integrity.py [--articles N]``. Builds a store of N emitted articles
(content index included), times opening it (the read-only schema and ``PRAGMA quick_check``
pass, then the writable open), and times exporting N records with Scrapy's JSON Lines exporter,
plain and journaled (crawler.exporters), to files in a temporary directory.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scrapy.exporters import JsonLinesItemExporter  # noqa: E402
from scrapy.utils.test import get_crawler  # noqa: E402

from crawler import nearduplicates  # noqa: E402
from crawler.exporters import journaled  # noqa: E402
from crawler.feedstorage import OutputFile  # noqa: E402
from crawler.state.journal import Journal  # noqa: E402
from crawler.state.store import ArticleStore  # noqa: E402
from spiders.sjfzxm import SjfzxmSpider  # noqa: E402

WORDS = "cotton polyester mill yarn dye fabric price export denim knit weave spin".split()
BODY_WORDS = 300  # about a typical article's length


def record(i: int) -> dict:
    body = " ".join(f"{WORDS[(i * 7 + k * 3) % len(WORDS)]}{(i * k) % 97}"
                    for k in range(BODY_WORDS))
    return {"id": f"sjfzxm:{i}", "url": f"http://x/{i}.html", "title": f"Story {i}",
            "body": body, "content_hash": f"{i:032x}", "revision": 1,
            "related": [{"url": f"http://x/{i + 1}.html"}]}


def store_open_ms(tmp: Path, records: list[dict]) -> tuple[float, float]:
    store = ArticleStore(tmp / "s.sqlite3", commit_every=1000)
    store.begin_run("r", 1)
    for r in records:
        store.remember_content(r["id"], nearduplicates.body_hash(r["body"]),
                               nearduplicates.signature(r["body"]))
    store.record_emitted(records)
    store.end_run("r", "closed")
    store.close()
    started = time.perf_counter()
    ArticleStore(tmp / "s.sqlite3").close()
    return (time.perf_counter() - started) * 1000, (tmp / "s.sqlite3").stat().st_size / 1e6


def export_ms(tmp: Path, records: list[dict], with_journal: bool) -> float:
    name = "journaled" if with_journal else "plain"
    journal = Journal(tmp / f"{name}.journal") if with_journal else None
    out = OutputFile(tmp / f"{name}.jsonl.part", journal)
    exporter = (journaled(JsonLinesItemExporter).from_crawler(get_crawler(SjfzxmSpider), out)
                if with_journal else JsonLinesItemExporter(out))
    started = time.perf_counter()
    exporter.start_exporting()
    for r in records:
        exporter.export_item(r)
    exporter.finish_exporting()
    out.flush()
    if journal is not None:
        journal.sync()
    return (time.perf_counter() - started) * 1000 / len(records)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=20000)
    args = parser.parse_args()
    records = [record(i) for i in range(args.articles)]
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        opened, size = store_open_ms(tmp, records)
        print(f"store of {args.articles} articles ({size:.1f} MB): "
              f"open with checks {opened:.0f} ms")
        for with_journal in (False, True):
            label = "journaled" if with_journal else "plain"
            per_record = export_ms(tmp, records, with_journal)
            print(f"JSON Lines export, {label}: {per_record:.3f} ms/record")


if __name__ == "__main__":
    main()
