"""The data set across runs: three runs (new, updated, deleted article) read with the README's
DuckDB and pandas recipes, and ``python -m crawler.dataset snapshot``."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from crawler.dataset import COLUMNS, record_files
from localsite.model import SiteModel
from localsite.server import LocalSite
from tests.crawl_helpers import ROOT, read_jsonl, run_crawl

README = (ROOT / "README.md").read_text("utf-8")
NEW_TITLE = "Cotton prices climb for a third week"


def recipe(language: str) -> str:
    """The README's code block in ``language`` under "Using the data"."""
    section = README.split("## Using the data", 1)[1].split("\n## ", 1)[0]
    return re.findall(rf"```{language}\n(.*?)```", section, re.S)[0]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Run 1 on a fresh state; then one article retitled, one deleted; runs 2 and 3 fetch every
    emitted article again (RECHECK_AFTER_DAYS=0) and find those two changes, then none."""
    tmp = tmp_path_factory.mktemp("dataset")
    model = SiteModel.generate(30, seed=3)
    extra = ("-s", f"DATA_DIR={tmp / 'data'}")
    files: list[list[Path]] = []
    with LocalSite(model) as site:
        first = run_crawl(site.start_url, tmp / "state", *extra, log=tmp / "run1.log")
        assert first.returncode == 0, first.stderr[-3000:]
        files.append(record_files(tmp / "data"))
        emitted = sorted(r["id"] for r in read_jsonl(files[0][0]))
        retitled, deleted = (int(i.split(":")[1]) for i in emitted[-3:-1])
        model.retitle(retitled, NEW_TITLE)
        model.delete(deleted)
        for run in (2, 3):
            result = run_crawl(site.start_url, tmp / "state", *extra, "-s",
                               "RECHECK_AFTER_DAYS=0", log=tmp / f"run{run}.log")
            assert result.returncode == 0, result.stderr[-3000:]
            files.append([p for p in record_files(tmp / "data") if p not in sum(files, [])])
    return {"tmp": tmp, "files": files, "emitted": emitted,
            "retitled": f"sjfzxm:{retitled}", "deleted": f"sjfzxm:{deleted}"}


def expected_current(runs) -> set[str]:
    return set(runs["emitted"]) - {runs["deleted"]}


def test_second_run_emits_the_new_revision_and_a_tombstone(runs) -> None:
    assert len(runs["files"][1]) == 1
    records = {r["id"]: r for r in read_jsonl(runs["files"][1][0])}
    assert set(records) == {runs["retitled"], runs["deleted"]}
    updated, gone = records[runs["retitled"]], records[runs["deleted"]]
    assert updated["title"] == NEW_TITLE and updated["revision"] == 2 and updated["updated"]
    assert gone["deleted"] is True and gone["revision"] == 2 and gone["updated"] is True
    assert gone["title"] is None and gone["body"] is None and gone["content_hash"] is None
    assert gone["schema_version"] == "1.1" and gone["url"].endswith(
        runs["deleted"].split(":")[1] + ".html")


def test_the_tombstone_is_emitted_once(runs) -> None:
    later = [r for path in runs["files"][2] for r in read_jsonl(path)]
    assert later == []
    log = (runs["tmp"] / "run3.log").read_text()
    number = runs["deleted"].split(":")[1]
    # The notice is recognised as the tombstoned article's, not warned about as a placeholder.
    assert not [line for line in log.splitlines()
                if "invalid article" in line.lower() and number in line]


def test_duckdb_recipe_reads_the_current_articles(runs, monkeypatch) -> None:
    monkeypatch.chdir(runs["tmp"])
    with duckdb.connect() as db:
        db.execute(recipe("sql"))
        rows = db.execute("SELECT id, title, revision, schema_version FROM current_articles"
                          ).fetchall()
        types = dict(db.execute("SELECT column_name, data_type FROM information_schema.columns"
                                " WHERE table_name = 'records'").fetchall())
    assert {row[0] for row in rows} == expected_current(runs)
    assert (runs["retitled"], NEW_TITLE, 2, "1.1") in rows
    assert types["schema_version"] == "VARCHAR" and types["revision"] == "INTEGER"


def test_readme_recipe_names_every_column_with_the_snapshot_types() -> None:
    declared = dict(re.findall(r"(\w+): '([^']+)'", recipe("sql")))
    assert declared == COLUMNS


def test_pandas_recipe_reads_the_current_articles(runs, monkeypatch) -> None:
    monkeypatch.chdir(runs["tmp"])
    scope: dict = {}
    exec(recipe("python"), scope)  # noqa: S102 (the README's own code)
    current: pd.DataFrame = scope["current"]
    assert set(current["id"]) == expected_current(runs)
    assert current.set_index("id").loc[runs["retitled"], "title"] == NEW_TITLE
    assert set(current["schema_version"]) <= {"1.0", "1.1"}
    assert str(current["schema_version"].dtype) == "string"


def test_snapshot_writes_exactly_the_current_articles(runs) -> None:
    out = runs["tmp"] / "snapshot"
    result = subprocess.run([sys.executable, "-m", "crawler.dataset", "snapshot", "--data-dir",
                             str(runs["tmp"] / "data"), "--out", str(out)],
                            cwd=ROOT, text=True, capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr
    records = read_jsonl(out / "articles.jsonl")
    assert sorted(r["id"] for r in records) == sorted(expected_current(runs))
    assert [list(r) for r in records[:1]] == [list(COLUMNS)]
    by_id = {r["id"]: r for r in records}
    assert by_id[runs["retitled"]]["title"] == NEW_TITLE
    assert all(r["deleted"] is False for r in records)
    with duckdb.connect() as db:
        parquet = db.execute(f"SELECT id FROM '{out / 'articles.parquet'}'").fetchall()
    assert sorted(row[0] for row in parquet) == sorted(by_id)
    assert sorted(p.name for p in out.iterdir()) == ["articles.jsonl", "articles.parquet"]


def test_snapshot_of_no_data_fails_clearly(tmp_path: Path) -> None:
    (tmp_path / "data" / "sjfzxm").mkdir(parents=True)
    (tmp_path / "data" / "sjfzxm" / "empty.jsonl").write_text("")
    result = subprocess.run([sys.executable, "-m", "crawler.dataset", "snapshot", "--data-dir",
                             str(tmp_path / "data"), "--out", str(tmp_path / "snap")],
                            cwd=ROOT, text=True, capture_output=True, timeout=120)
    assert result.returncode == 1
    assert "no record file" in result.stderr
    assert not (tmp_path / "snap").exists()


def test_snapshot_that_cannot_be_written_exits_1(runs, tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    result = subprocess.run([sys.executable, "-m", "crawler.dataset", "snapshot", "--data-dir",
                             str(runs["tmp"] / "data"), "--out", str(blocked / "snap")],
                            cwd=ROOT, text=True, capture_output=True, timeout=120)
    assert result.returncode == 1
    assert "not written" in result.stderr and "Traceback" not in result.stderr


def test_snapshot_breaks_a_revision_tie_by_the_later_run(tmp_path: Path) -> None:
    from crawler.dataset import snapshot

    folder = tmp_path / "data" / "sjfzxm"
    folder.mkdir(parents=True)
    base = {name: None for name in COLUMNS} | {"site": "sjfzxm", "revision": 1, "url": "u"}
    for run, title in (("20261101T000000.000Z", "old"), ("20261102T000000.000Z", "new")):
        line = json.dumps(base | {"id": "sjfzxm:1", "title": title})
        (folder / f"{run}.jsonl").write_text(line + "\n")
    result = snapshot(tmp_path / "data", tmp_path / "snap")
    assert result.articles == 1
    assert read_jsonl(result.jsonl)[0]["title"] == "new"
