"""`make demo-archive`: write a WARC of the local site offline, then backfill from it.

The pages are rendered as the site would serve them at its real hosts (www.sjfzxm.com and its
mirror), without a server or network, so the backfill is the plain ``scrapy crawl sjfzxm -a
warc=FILE`` a user would run on a WARC of the real site.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from localsite.demo import first_records, newest_output, summary
from localsite.model import SiteModel
from localsite.warc import write_site_warc

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "demo-output"
ARTICLES = 30
SHOWN = 2
SITE = ("http://www.sjfzxm.com", "http://weixifushi88.sjfzxm.com")


def main() -> int:
    warc = DATA_DIR / "sjfzxm-local.warc.gz"
    records = write_site_warc(warc, SiteModel.generate(ARTICLES), *SITE)
    print(f"Wrote {warc} ({records} captures of a {ARTICLES}-article local site), offline.")
    with tempfile.TemporaryDirectory(prefix="sjfzxm-state-") as state:
        command = [sys.executable, "-m", "scrapy", "crawl", "sjfzxm", "-a", f"warc={warc}",
                   "-s", f"STATE_DIR={state}", "-s", f"DATA_DIR={DATA_DIR}"]
        print("Running:", " ".join(command), flush=True)
        code = subprocess.run(command, cwd=REPO_ROOT, check=False).returncode
    print(f"Backfill finished with exit code {code}.")
    output = newest_output(DATA_DIR)
    if output is None:
        print(f"No output found under {DATA_DIR / 'sjfzxm'}.")
        return code or 1
    print(f"Output: {output}")
    for record in first_records(output, SHOWN):
        shown = {**summary(record), "captured_at": record.get("captured_at"),
                 "archive": record.get("archive")}
        print(json.dumps(shown, ensure_ascii=False, indent=2))
    return code


if __name__ == "__main__":
    sys.exit(main())
