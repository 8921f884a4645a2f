"""Show or reset what the state holds: ``python -m crawler.state show|forget ID|forget-all``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from crawler.state import lock
from crawler.state.store import ArticleStore


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.state", description=__doc__)
    parser.add_argument("command", choices=["show", "forget", "forget-all"])
    parser.add_argument("article_id", nargs="?", help="for forget: e.g. sjfzxm:587064")
    parser.add_argument("--spider", default="sjfzxm")
    parser.add_argument("--state-dir", default="./state")
    parser.add_argument("--newest", type=int, default=10)
    args = parser.parse_args(argv)
    path = Path(args.state_dir) / f"{args.spider}.sqlite3"
    if args.command == "show":
        if not path.exists():
            print(json.dumps({"state": str(path), "articles_emitted": 0}))
            return 0
        store = ArticleStore(path)
        print(json.dumps({"state": str(path), **store.summary(args.newest)}, indent=2,
                         ensure_ascii=False))
        store.close()
        return 0
    try:  # changing the state while a crawl runs would put it out of step with the output
        lock.acquire(path.with_suffix(".lock"))
    except lock.LockHeld as held:
        print(f"not changed: {held}", file=sys.stderr)
        return 75
    store = ArticleStore(path)
    if args.command == "forget":
        if not args.article_id:
            parser.error("forget needs an article id")
        found = store.forget(args.article_id)
        print(f"{args.article_id}: {'forgotten' if found else 'was not in the state'}")
    else:
        store.forget_all()
        print(f"all articles of {args.spider} forgotten")
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
