"""crawler.warmup: after it, reading the stored pages of every site loads nothing heavy.

Each case runs in a fresh interpreter: this one has loaded everything already.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.warmup import GC_YOUNG_THRESHOLD, settle_collector

ROOT = Path(__file__).resolve().parent.parent
# What reading loads on first use; a warmed-up process must have it already.
HEAVY = {"py3langid", "numpy", "trafilatura", "htmldate"}
READ_EVERY_ARTICLE = """
import json, sys
from crawler.warmup import warm_up
from tests.site_cases import cases, load, site_spiders
spiders = site_spiders()
if sys.argv[1] == "warm":
    warm_up()
before = set(sys.modules)
for site, spider in spiders.items():
    for case in cases(site):
        meta, html, _ = load(case)
        if meta["kind"] == "article":
            spider.page_class(meta["url"], html, spider.site_rules).record()
print(json.dumps(sorted({name.split(".")[0] for name in set(sys.modules) - before})))
"""


def loaded_while_reading(mode: str) -> set[str]:
    result = subprocess.run([sys.executable, "-c", READ_EVERY_ARTICLE, mode], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return set(json.loads(result.stdout.splitlines()[-1]))


@pytest.mark.parametrize("mode", ["cold", "warm"])
def test_reading_after_warm_up_loads_nothing_heavy(mode: str) -> None:
    loaded = loaded_while_reading(mode)
    if mode == "cold":  # the check sees the lazy loads it is about
        assert "py3langid" in loaded, loaded
    else:
        assert not loaded & HEAVY, loaded


def test_once_settled_the_collector_leaves_start_up_out_and_passes_less_often() -> None:
    threshold = gc.get_threshold()
    try:
        settle_collector()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (GC_YOUNG_THRESHOLD, *threshold[1:])
        assert GC_YOUNG_THRESHOLD > threshold[0]
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
