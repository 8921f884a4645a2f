"""``python -m crawler.extract FILE...``: one JSON line per page (.html or .html.gz)."""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

from crawler.reader.generic.article import extract_article


def read_page(path: Path) -> bytes:
    """Raw page bytes; gzip files are recognised by their magic number, not their name."""
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m crawler.extract", description=__doc__)
    ap.add_argument("files", nargs="+", type=Path, metavar="FILE")
    ap.add_argument("--url", help="the page's URL (only with a single FILE)")
    ap.add_argument("--charset", help="charset from the HTTP Content-Type header, if known")
    args = ap.parse_args(argv)
    if args.url and len(args.files) > 1:
        ap.error("--url applies to a single FILE")
    status = 0
    for path in args.files:
        try:
            record = extract_article(read_page(path), url=args.url, headers_charset=args.charset)
        except OSError as err:
            print(f"{path}: {err}", file=sys.stderr)
            status = 1
            continue
        print(json.dumps({"file": str(path), **record}, ensure_ascii=False), flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
