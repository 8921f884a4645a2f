"""`make demo`: crawl a small generated site with the real spider and show what came out."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from localsite.model import SiteModel
from localsite.server import LocalSite

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "demo-output"
ARTICLES = 30
SHOWN = 3


def crawl_command(site: LocalSite, state_dir: Path, data_dir: Path) -> list[str]:
    # sys.executable -m scrapy: the venv running this module, wherever it lives.
    return [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        "sjfzxm",
        "-a",
        f"start_urls={site.start_url}",
        "-a",
        "allowed_domains=127.0.0.1,127.0.0.2",
        "-s",
        f"STATE_DIR={state_dir}",
        "-s",
        f"DATA_DIR={data_dir}",
        "-s",
        "DOWNLOAD_DELAY=0",
        "-s",
        "AUTOTHROTTLE_ENABLED=False",
    ]


def newest_output(data_dir: Path) -> Path | None:
    files = sorted((data_dir / "sjfzxm").glob("*.jsonl"), key=lambda p: p.stat().st_mtime)
    return files[-1] if files else None


def first_records(path: Path, count: int) -> list[dict[str, Any]]:
    records = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                records.append(json.loads(line))
            if len(records) == count:
                break
    return records


def summary(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": record.get("title"),
        "published_at": record.get("published_at"),
        "url": record.get("url"),
        "body": (record.get("body") or "")[:200],
    }


def main() -> int:
    model = SiteModel.generate(ARTICLES)
    with LocalSite(model) as site, tempfile.TemporaryDirectory(prefix="sjfzxm-state-") as state:
        print(f"Local site with {ARTICLES} articles at {site.start_url} (mirror {site.mirror_url})")
        command = crawl_command(site, Path(state), DATA_DIR)
        print("Running:", " ".join(command), flush=True)
        code = subprocess.run(command, cwd=REPO_ROOT, check=False).returncode
        print(
            f"Crawl finished with exit code {code}; the site served {len(site.requests)} requests."
        )
    output = newest_output(DATA_DIR)
    if output is None:
        print(f"No output found under {DATA_DIR / 'sjfzxm'}.")
        return code or 1
    records = first_records(output, SHOWN)
    print(f"Output: {output}")
    for record in records:
        print(json.dumps(summary(record), ensure_ascii=False, indent=2))
    return code


if __name__ == "__main__":
    sys.exit(main())
