"""Throughput and memory of the whole crawl against bare Scrapy on the same pages (``make bench``).

Usage: ``python benchmarks/crawl.py [--articles N] [--seed S] [--incremental] [--max-rss-mb M]``.

One run: generate a local sjfzxm-like site of N articles (localsite), serve it on 127.0.0.1 and
127.0.0.2, measure what the server gives to a trivial keep-alive client (every page once while
rendering it, then again from its cache: the crawls get the cached pages), then crawl it with
(a) bare Scrapy following the same links (benchmarks/bare.py) and (b) the real
``scrapy crawl sjfzxm`` with every pipeline, the export and the state. Both run in their own
process with the project's politeness settings except DOWNLOAD_DELAY=0 and AutoThrottle off
(robots.txt obeyed, same concurrency). Printed for each: pages per second (pages over the
process's wall time, start-up included), CPU ms per page (the process's user + system time,
children included), split into the crawl process (the reactor thread and Scrapy's own threads)
and its child processes (the reading pool's workers, crawler.pool: CPU read from /proc every
0.1 s), the pool size (``reading_pool/size``; "in-process" when absent or 0), peak RSS of all
processes together (the process's high-water mark, or the sum over it and its children if higher,
sampled every 0.1 s), and the curve of memory over each crawl by process (the crawl process and
its workers) and kind (anonymous: the process's own heap, what grows if something leaks;
file-backed: libraries and the mapped language model, counted in every process that maps them),
with the peak PSS of all processes together (a shared page counted once); for (b) the CPU time
by stage (``timing/*`` stats, crawler.extensions.timing) and the workers' reading CPU
(``reading_pool/cpu_ms``).
``--incremental`` runs (b) a second time on the same state, as the next cron run would. The last
line is ``RESULT throughput_ratio=<b/a> peak_rss_mb=<b> articles=<N> pages_per_s=<b>``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from localsite.links import article_path, list_path  # noqa: E402
from localsite.model import SiteModel  # noqa: E402
from localsite.server import LocalSite  # noqa: E402

# Stages of (b) in pipeline order; whatever CPU time is in no stage is Scrapy's own work.
STAGES = ("extraction", "navigation", "cleaning", "validation", "incremental", "dedup", "export",
          "state")
COMMON = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=INFO")
ALLOWED = "allowed_domains=127.0.0.1,127.0.0.2"
SAMPLE_SECONDS = 0.1  # how often the process tree's RSS and CPU are read
# How often each process's memory is read by kind (smaps_rollup walks every mapping: dearer).
BREAKDOWN_SECONDS = 2.0
# Points of a run (shares of its wall time) at which the memory curve is printed.
CURVE_SHARES = (0.1, 0.25, 0.5, 0.75, 1.0)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass
class Run:
    label: str
    returncode: int
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    stats: dict[str, Any]
    rss_curve: list[tuple[float, float]] = field(default_factory=list)
    # CPU seconds of the child processes (the reading pool's workers), as last sampled.
    children_cpu_seconds: float = 0.0
    # Peak RSS of the crawl process alone (VmHWM) and of its children together (sampled).
    own_peak_rss_mb: float = 0.0
    children_peak_rss_mb: float = 0.0
    breakdown: list[Breakdown] = field(default_factory=list)

    @property
    def peak_pss_mb(self) -> float:
        return max((point.pss_mb for point in self.breakdown), default=0.0)

    @property
    def pages(self) -> int:
        return int(self.stats.get("pages_fetched") or self.stats.get("response_received_count")
                   or 0)

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms_per_page(self) -> float:
        return self.cpu_seconds * 1e3 / self.pages if self.pages else 0.0

    @property
    def workers_ms_per_page(self) -> float:
        return self.children_cpu_seconds * 1e3 / self.pages if self.pages else 0.0

    @property
    def reactor_ms_per_page(self) -> float:
        """The crawl process's own CPU per page: all of it but its children's."""
        return max(0.0, self.cpu_ms_per_page - self.workers_ms_per_page)

    @property
    def pool(self) -> dict[str, Any]:
        return self.stats.get("reading_pool") or {}

    @property
    def pool_size(self) -> str:
        size = self.pool.get("size") or 0
        return str(size) if size else "in-process"

    @property
    def reading_ms_per_page(self) -> float:
        """The workers' reading alone (``reading_pool/cpu_ms``, measured in each worker)."""
        return (self.pool.get("cpu_ms") or 0.0) / self.pages if self.pages else 0.0


def rss_kb(pid: int) -> int:
    """Resident memory of ``pid`` alone, in KiB (0 once it has exited)."""
    try:
        return int(Path(f"/proc/{pid}/status").read_text().split("VmRSS:", 1)[1].split()[0])
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss_kb(pid: int) -> int:
    """Resident memory of ``pid`` and its descendants (a process pool counts), in KiB."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(status.split("VmRSS:", 1)[1].split()[0])
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, IndexError, ValueError):
            continue
    return total


def descendants(pid: int) -> list[int]:
    """The live descendants of ``pid``."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            continue
        if current != pid:
            found.append(current)
    return found


def memory_kb(pid: int) -> dict[str, int]:
    """``Rss``, ``Pss``, ``Anonymous``... of ``pid`` in KiB (/proc/<pid>/smaps_rollup); empty
    once it has exited or where the kernel has no rollup (before Linux 4.14)."""
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]
    except OSError:
        return {}
    return {line.split(":", 1)[0]: int(line.split()[1]) for line in lines if line.endswith("kB")}


@dataclass
class Breakdown:
    """The memory of a crawl at one moment, MB: the crawl process and its children (the reading
    pool's workers) together, each split into anonymous memory (its own heap: what grows when
    something leaks) and file-backed pages (libraries, the mapped language model: shared with
    every process mapping them, counted in each one's RSS); PSS counts a shared page once."""

    seconds: float
    crawl_rss_mb: float
    crawl_anon_mb: float
    workers_rss_mb: float
    workers_anon_mb: float
    pss_mb: float


def breakdown(pid: int, seconds: float) -> Breakdown | None:
    crawl = memory_kb(pid)
    if not crawl:
        return None
    workers = [memory_kb(child) for child in descendants(pid)]
    total = [crawl, *workers]

    def mb(kind: str, of: list[dict[str, int]]) -> float:
        return sum(m.get(kind, 0) for m in of) / 1024

    return Breakdown(seconds, mb("Rss", [crawl]), mb("Anonymous", [crawl]), mb("Rss", workers),
                     mb("Anonymous", workers), mb("Pss", total))


def children_cpu_seconds(pid: int) -> dict[int, float]:
    """CPU seconds (user + system) of each live descendant of ``pid``, by pid."""
    found: dict[int, float] = {}
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(c) for c in (task / "children").read_text().split())
            if current != pid:
                # Fields after the command name (which may hold spaces): utime, stime are 12, 13.
                fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
                found[current] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        except (OSError, IndexError, ValueError):
            continue
    return found


def high_water_kb(pid: int) -> int:
    """Peak RSS of ``pid`` since its exec (VmHWM; ru_maxrss would carry over this process's)."""
    try:
        return int(Path(f"/proc/{pid}/status").read_text().split("VmHWM:", 1)[1].split()[0])
    except (OSError, IndexError, ValueError):
        return 0


@dataclass
class Measured:
    returncode: int
    seconds: float
    cpu_seconds: float  # the process and its children, from wait4
    peak_rss_mb: float
    rss_curve: list[tuple[float, float]]
    children_cpu_seconds: float  # the children alone, last sampled from /proc
    own_peak_rss_mb: float  # the crawl process alone (VmHWM)
    children_peak_rss_mb: float  # its children together, sampled
    breakdown: list[Breakdown]  # every BREAKDOWN_SECONDS


def run_measured(command: list[str], log: Path) -> Measured:
    """Wall time, CPU, peak RSS and the RSS curve of a command and its child processes."""
    samples: list[tuple[float, float]] = []
    high_water = [0]
    children: dict[int, float] = {}
    children_peak = [0]
    points: list[Breakdown] = []
    started = time.perf_counter()
    with log.open("w") as handle:
        process = subprocess.Popen(command, cwd=REPO, stdout=handle, stderr=subprocess.STDOUT)
    done = threading.Event()

    def sample() -> None:
        next_breakdown = 0.0
        while not done.wait(SAMPLE_SECONDS):
            now = time.perf_counter() - started
            if now >= next_breakdown:
                point = breakdown(process.pid, now)
                points.extend([point] if point else [])
                next_breakdown = now + BREAKDOWN_SECONDS
            rss = tree_rss_kb(process.pid)
            if rss:  # 0: the process has just exited
                samples.append((time.perf_counter() - started, rss / 1024))
                children_peak[0] = max(children_peak[0], rss - rss_kb(process.pid))
            high_water[0] = max(high_water[0], high_water_kb(process.pid))
            children.update(children_cpu_seconds(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    peak = max([high_water[0] / 1024] + [rss for _, rss in samples])
    return Measured(process.returncode, seconds, usage.ru_utime + usage.ru_stime, peak, samples,
                    sum(children.values()), high_water[0] / 1024, children_peak[0] / 1024,
                    points)


def site_paths(model: SiteModel) -> list[str]:
    """Every page a crawl may fetch: robots.txt, the list pages and every article."""
    lists = [list_path(page) for page in range(1, model.page_count + 1)]
    return ["/robots.txt", *lists, *(article_path(i) for i in sorted(model.articles))]


def server_capacity(site: LocalSite, paths: list[str], threads: int) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "loadgen.py"), site.base_url, str(threads)],
        input="\n".join(paths), capture_output=True, text=True, check=True,
    )
    return json.loads(result.stdout)


def crawl_bare(site: LocalSite, tmp: Path) -> Run:
    stats_file = tmp / "bare-stats.json"
    command = [sys.executable, "-m", "scrapy", "runspider", str(REPO / "benchmarks" / "bare.py"),
               "-a", f"start_url={site.start_url}", "-a", ALLOWED,
               "-s", f"BENCH_STATS_FILE={stats_file}", *COMMON]
    measured = run_measured(command, tmp / "bare.log")
    stats = json.loads(stats_file.read_text()) if stats_file.exists() else {}
    return run_of("(a) bare Scrapy", measured, stats)


def run_of(label: str, measured: Measured, stats: dict[str, Any]) -> Run:
    return Run(label, measured.returncode, measured.seconds, measured.cpu_seconds,
               measured.peak_rss_mb, stats, measured.rss_curve, measured.children_cpu_seconds,
               measured.own_peak_rss_mb, measured.children_peak_rss_mb, measured.breakdown)


def crawl_real(site: LocalSite, tmp: Path, label: str) -> Run:
    data = tmp / "data"
    before = set(data.glob("sjfzxm/*.stats.json"))
    command = [sys.executable, "-m", "scrapy", "crawl", "sjfzxm",
               "-a", f"start_urls={site.start_url}", "-a", ALLOWED,
               "-s", f"STATE_DIR={tmp / 'state'}", "-s", f"DATA_DIR={data}", *COMMON]
    measured = run_measured(command, tmp / f"real-{len(before)}.log")
    reports = sorted(set(data.glob("sjfzxm/*.stats.json")) - before)
    stats = json.loads(reports[-1].read_text()) if reports else {}
    return run_of(label, measured, stats)


def print_runs(runs: list[Run]) -> None:
    print(f"{'':34}{'pages':>7}{'seconds':>9}{'pages/s':>9}{'CPU ms/page':>13}{'peak RSS MB':>13}")
    for run in runs:
        print(f"{run.label:34}{run.pages:7d}{run.seconds:9.1f}{run.pages_per_s:9.1f}"
              f"{run.cpu_ms_per_page:13.2f}{run.peak_rss_mb:13.1f}")
    print("By process: CPU ms per page (start-up included) and peak RSS MB (above: all together)")
    print(f"{'':34}{'pool':>11}{'crawl process':>15}{'workers':>9}{'of it reading':>15}"
          f"{'RSS crawl':>11}{'RSS workers':>13}")
    for run in runs:
        print(f"{run.label:34}{run.pool_size:>11}{run.reactor_ms_per_page:15.2f}"
              f"{run.workers_ms_per_page:9.2f}{run.reading_ms_per_page:15.2f}"
              f"{run.own_peak_rss_mb:11.1f}{run.children_peak_rss_mb:13.1f}")


def print_stages(run: Run) -> None:
    timing = run.stats.get("timing_ms") or {}
    total = timing.get("cpu") or 0.0
    pages = run.pages or 1
    print(f"{run.label}: CPU time by stage (crawler.extensions.timing, spider open to engine stop)")
    print(f"  {'stage':44}{'ms/page':>9}{'share':>8}")
    named = [(s, timing.get(s, 0.0)) for s in STAGES]
    named += [(s, v) for s, v in timing.items() if s not in STAGES and s != "cpu"]
    for stage, ms in named:
        print(f"  {stage:44}{ms / pages:9.3f}{ms / total if total else 0:8.1%}")
    other = total - sum(ms for _, ms in named)
    print(f"  {'other: Scrapy (HTTP, scheduling, signals)':44}{other / pages:9.3f}"
          f"{other / total if total else 0:8.1%}")
    print(f"  {'total (process CPU while crawling)':44}{total / pages:9.3f}")


def print_growth(run: Run) -> None:
    if not run.rss_curve:
        return
    end = run.rss_curve[-1][0]
    points = []
    for share in CURVE_SHARES:
        rss = next((r for t, r in run.rss_curve if t >= share * end), run.rss_curve[-1][1])
        points.append(f"{share:.0%} {rss:.0f}")
    print(f"{run.label}: RSS MB over the run (share of wall time): " + ", ".join(points))
    print_breakdown(run)


def print_breakdown(run: Run) -> None:
    """The curve by process and kind of memory (``Breakdown``), and the peak PSS."""
    if not run.breakdown:
        return
    end = run.breakdown[-1].seconds
    print(f"  {'share':>7}{'crawl RSS':>11}{'of it anon':>12}{'workers RSS':>13}{'of it anon':>12}"
          f"{'all PSS':>9}")
    for share in CURVE_SHARES:
        point = next(p for p in run.breakdown if p.seconds >= share * end)
        print(f"  {share:7.0%}{point.crawl_rss_mb:11.0f}{point.crawl_anon_mb:12.0f}"
              f"{point.workers_rss_mb:13.0f}{point.workers_anon_mb:12.0f}{point.pss_mb:9.0f}")
    print(f"  peak PSS of all processes together: {run.peak_pss_mb:.0f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--client-threads", type=int, default=4)
    parser.add_argument("--incremental", action="store_true",
                        help="crawl again with (b) on the same state")
    parser.add_argument("--no-bare", action="store_true",
                        help="skip (a): memory and re-crawl figures only, no throughput ratio")
    parser.add_argument("--max-rss-mb", type=float, default=None,
                        help="exit status 1 when (b)'s peak RSS is above this")
    parser.add_argument("--work-dir", type=Path, default=None,
                        help="keep logs, output and state here (default: a temporary directory)")
    args = parser.parse_args()

    model = SiteModel.generate(args.articles, seed=args.seed)
    paths = site_paths(model)
    with LocalSite(model) as site, tempfile.TemporaryDirectory(prefix="bench-crawl-") as tmp_dir:
        tmp = args.work_dir or Path(tmp_dir)
        tmp.mkdir(parents=True, exist_ok=True)
        site.router.renderer.cache_size = len(paths) + 1000  # render each page once, keep it
        cold = server_capacity(site, paths, args.client_threads)
        warm = server_capacity(site, paths, args.client_threads)
        print(f"{date.today()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
              f"{platform.machine()}")
        print(f"Local site: {args.articles} articles (seed {args.seed}), {model.page_count} list "
              f"pages, {warm['mb_per_s'] * 1e6 / warm['pages_per_s'] / 1e3:.1f} KB per page, "
              f"at {site.start_url}")
        print(f"Server capacity, {args.client_threads} keep-alive clients, {warm['pages']} pages: "
              f"{cold['pages_per_s']:.0f} pages/s rendering, {warm['pages_per_s']:.0f} pages/s "
              f"cached ({warm['mb_per_s']:.0f} MB/s); the crawls get cached pages")
        sys.stdout.flush()
        site.reset_requests()
        bare = None if args.no_bare else crawl_bare(site, tmp)
        real = crawl_real(site, tmp, "(b) scrapy crawl sjfzxm")
        runs = [real] if bare is None else [bare, real]
        if args.incremental:
            runs.append(crawl_real(site, tmp, "(b2) second run, same state"))
    print_runs(runs)
    ratio = real.pages_per_s / bare.pages_per_s if bare and bare.pages_per_s else 0.0
    print(f"b/a throughput: {ratio:.2f}; (b) emitted {real.stats.get('articles_emitted')} "
          f"articles, exit status {real.stats.get('exit_status')}")
    for run in runs[runs.index(real):]:
        print_stages(run)
    for run in runs:
        print_growth(run)
    if args.incremental:
        second = runs[-1]
        print(f"{second.label}: emitted {second.stats.get('articles_emitted')}, skipped as "
              f"already emitted {second.stats.get('skipped_already_emitted')}, "
              f"{second.pages} pages in {second.seconds:.1f} s, CPU {second.cpu_seconds:.1f} s")
    failed = [r.label for r in runs if r.returncode != 0]
    if failed:
        print(f"FAILED: non-zero exit status of {', '.join(failed)} (logs: --work-dir)")
    over = args.max_rss_mb is not None and real.peak_rss_mb > args.max_rss_mb
    if over:
        print(f"FAILED: (b) peak RSS {real.peak_rss_mb:.0f} MB is above {args.max_rss_mb:.0f} MB")
    print(f"RESULT throughput_ratio={ratio:.2f} peak_rss_mb={real.peak_rss_mb:.0f} "
          f"articles={args.articles} pages_per_s={real.pages_per_s:.1f}")
    return 1 if failed or over else 0


if __name__ == "__main__":
    sys.exit(main())
