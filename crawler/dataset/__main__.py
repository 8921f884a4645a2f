"""``python -m crawler.dataset snapshot``: the current version of every article, all runs.

Exit status 0 when the snapshot was written, 1 when it could not be (no record file, a file
that cannot be read or written), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scrapy.utils.project import get_project_settings

from crawler.dataset import snapshot

FAILED = 1


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    data_dir = get_project_settings().get("DATA_DIR", "./data")
    parser = argparse.ArgumentParser(prog="python -m crawler.dataset", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    snap = commands.add_parser("snapshot", help="write the current articles to JSON Lines and "
                               "Parquet (an article's newest revision; deleted ones left out)")
    snap.add_argument("--data-dir", type=Path, default=Path(data_dir),
                      help=f"folder of the runs' output (<spider>/<run id>.jsonl; default "
                           f"{data_dir}, setting DATA_DIR)")
    snap.add_argument("--out", type=Path, default=Path("snapshot"),
                      help="folder for articles.jsonl and articles.parquet (default ./snapshot)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    import duckdb

    try:
        result = snapshot(args.data_dir, args.out)
    except (OSError, duckdb.Error) as error:
        print(f"python -m crawler.dataset snapshot: not written: {error}", file=sys.stderr)
        return FAILED
    print(f"{result.articles} current articles from {result.files_read} files: "
          f"{result.jsonl}, {result.parquet}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
