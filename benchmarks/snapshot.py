"""Time ``python -m crawler.dataset snapshot`` on generated runs' files; peak RSS of the command.

Usage: ``python benchmarks/snapshot.py [--articles N] [--changed 0.1] [--deleted 0.01]``.
Run 1 emits N articles (records shaped like the real article 587064: ~3 KB body, related
entries), run 2 a new revision of ``changed`` of them and a tombstone of ``deleted`` of them,
run 3 nothing (an empty file). The snapshot must hold N minus the deleted, checked here.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from crawler.tombstones import make_tombstone  # noqa: E402

TEMPLATE = json.loads(
    (REPO / "tests/fixtures/sjfzxm/article-587064-portal/expected.json").read_text("utf-8"))


def record(number: int, revision: int = 1) -> dict:
    changed = {"id": f"sjfzxm:{number}", "url": f"http://www.sjfzxm.com/global/en/{number}.html",
               "title": f"{TEMPLATE['title']} {number} r{revision}", "revision": revision,
               "updated": revision > 1, "deleted": False, "schema_version": "1.1",
               "content_hash": f"{number:016x}{revision:016x}"}
    return TEMPLATE | changed


def write_runs(data: Path, articles: int, changed: float, deleted: float) -> int:
    folder = data / "sjfzxm"
    folder.mkdir(parents=True)
    with (folder / "20261101T000000.000Z.jsonl").open("w", encoding="utf-8") as out:
        for number in range(articles):
            out.write(json.dumps(record(number), ensure_ascii=False) + "\n")
    gone = int(articles * deleted)
    with (folder / "20261102T000000.000Z.jsonl").open("w", encoding="utf-8") as out:
        for number in range(gone):
            tombstone = record(number, 2)
            make_tombstone(tombstone)
            out.write(json.dumps(tombstone, ensure_ascii=False) + "\n")
        for number in range(gone, gone + int(articles * changed)):
            out.write(json.dumps(record(number, 2), ensure_ascii=False) + "\n")
    (folder / "20261103T000000.000Z.jsonl").write_text("")
    return articles - gone


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--changed", type=float, default=0.1)
    parser.add_argument("--deleted", type=float, default=0.01)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data, out = Path(tmp) / "data", Path(tmp) / "snapshot"
        expected = write_runs(data, args.articles, args.changed, args.deleted)
        size = sum(p.stat().st_size for p in data.rglob("*.jsonl"))
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "crawler.dataset", "snapshot", "--data-dir",
                        str(data), "--out", str(out)], cwd=REPO, check=True)
        seconds = time.perf_counter() - start
        rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        lines = sum(1 for _ in (out / "articles.jsonl").open(encoding="utf-8"))
        assert lines == expected, (lines, expected)
        parquet = (out / "articles.parquet").stat().st_size
        print(f"{args.articles} articles, {size / 1e6:.0f} MB of JSON Lines in 3 runs -> "
              f"{lines} current: {seconds:.1f} s, peak RSS {rss_mb:.0f} MB, "
              f"Parquet {parquet / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
