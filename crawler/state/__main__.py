"""Show or reset what the state holds: ``python -m crawler.state show|forget ID|forget-all``.

``show`` prints the counts, the newest articles and the recent runs, each with its status
(running, closed, recovered), exit status and counts. Exits 1 when there is no state there.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from crawler import exitcodes
from crawler.state import StateUnavailable, lock
from crawler.state.store import ArticleStore

NO_STATE = 1  # exit status when there is no state file where the options point


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except StateUnavailable as refused:  # damaged or of another version: say so, touch nothing
        print(f"{refused} (exit status {exitcodes.STATE_UNAVAILABLE})", file=sys.stderr)
        return exitcodes.STATE_UNAVAILABLE


def _main(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.state", description=__doc__)
    parser.add_argument("command", choices=["show", "forget", "forget-all"])
    parser.add_argument("article_id", nargs="?", help="for forget: e.g. sjfzxm:587064")
    parser.add_argument("--spider", default="sjfzxm")
    parser.add_argument("--state-dir", default="./state")
    parser.add_argument("--newest", type=int, default=10)
    args = parser.parse_args(argv)
    path = Path(args.state_dir) / f"{args.spider}.sqlite3"
    if not path.is_file():
        # A typo in --state-dir or --spider must not look like an empty state (nor create one).
        print(f"no state at {path}: check --state-dir and --spider (a crawl creates it)",
              file=sys.stderr)
        return NO_STATE
    if args.command == "show":
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
