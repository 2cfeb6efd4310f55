"""``make bench``: time the engines against their targets (and the Match engine against its peers).

Every timing is the median of several runs in one process after a warm-up (the machines we run on
are noisy, so peers are timed in the same run).  The JIT's one-off costs are measured separately in
fresh processes: compiling from an empty cache, and loading the compiled code from a warm one.

    python benchmarks/run.py              # everything (about 6 minutes: the peers are slow)
    python benchmarks/run.py --quick      # skip the peers
    python benchmarks/run.py --only pathway   # just the pathway engine (about a minute)
    python benchmarks/run.py --only catalog   # just the program catalog (seconds)
    python benchmarks/run.py --only market    # national simulations: 3 x 200 Matches, workers, Dask (~6 min)
    python benchmarks/run.py --only evidence  # the LCA importer on 30,000 and 300,000 rows (~1 min)
    python benchmarks/run.py --only pages     # page medians, --help, first match after make run (~2 min)
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for tests.peers

from benchmarks.cohort import write_cohort
from imgpath.match import Instance, dump_instance, load, solve
from imgpath.services.market import national_instance
from imgpath.services.market_model import load_model

console = Console(width=200)


@dataclasses.dataclass
class Row:
    name: str
    seconds: list[float]
    target: str = ""
    ok: bool | None = None
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def timed(fn: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
    fn()  # warm-up
    times: list[float] = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times, result


def singles_only(doc: dict[str, Any]) -> dict[str, Any]:
    """The same market without couples, supplemental lists or reversions."""
    members = {m for c in doc.get("couples", []) for m in c["members"]}
    applicants = {}
    for a, app in doc["applicants"].items():
        if a in members:
            continue
        rol = [e if isinstance(e, str) else e["program"] for e in app.get("rol", [])]
        applicants[a] = {"rol": rol}
    programs = {
        p: {"quota": prog["quota"], "rol": [a for a in prog.get("rol", []) if a not in members]}
        for p, prog in doc["programs"].items()
    }
    return {"programs": programs, "applicants": applicants}


def national_doc(seed: int, *, scale: float = 1.0, couples: int | None = None) -> dict[str, Any]:
    model = load_model(overrides=None if couples is None else {"couples": couples})
    instance, _ = national_instance(seed=seed, scale=scale, model=model)
    return instance.to_dict()


SUBPROCESS = """
import json, resource, sys, time
t0 = time.perf_counter()
from imgpath.match import Instance, load, solve
t1 = time.perf_counter()
path = sys.argv[1]
inst = load(path)
t2 = time.perf_counter()
result = solve(inst)
t3 = time.perf_counter()
result = solve(inst)
t4 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "first_solve": t3 - t2,
                  "second_solve": t4 - t3, "stable": result.stable,
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def in_fresh_process(path: Path, env: dict[str, str]) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-c", SUBPROCESS, str(path)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measurement (median)")
    parser.add_argument("--quick", action="store_true", help="skip the peers (matching, algmatch)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--only",
        choices=["match", "pathway", "catalog", "market", "evidence", "pages"],
        help="run one section",
    )
    args = parser.parse_args()
    runs = max(args.runs, 5)
    rows: list[Row] = []
    extra: dict[str, Any] = {}
    tmp = Path(tempfile.mkdtemp(prefix="imgpath-bench-"))

    console.print(f"[bold]imgpath benchmarks[/] (medians of {runs} runs; CPUs: {os.cpu_count()})")
    if args.only in (None, "pathway"):
        rows += pathway_rows(tmp, runs)
    if args.only in (None, "catalog"):
        rows += catalog_rows(tmp, max(runs, 15))
    if args.only in (None, "match"):
        rows += match_rows(tmp, runs, quick=args.quick, extra=extra)
    if args.only in (None, "market"):
        rows += market_rows(extra=extra)
    if args.only in (None, "evidence"):
        rows += evidence_rows()
    if args.only in (None, "pages"):
        rows += pages_rows(tmp, runs)
    return report(rows, extra, args.json)


def pathway_rows(tmp: Path, runs: int) -> list[Row]:
    """10,000 people planned from a CSV and a JSON Lines file, in-process and through the CLI."""
    from imgpath.services.pathway import plan_batch, summary

    on = date(2026, 11, 22)
    rows: list[Row] = []
    console.print("planning a cohort of 10,000 ...")
    for suffix in ("csv", "jsonl"):
        path = tmp / f"cohort.{suffix}"
        write_cohort(path, 10_000, seed=1, on=on)
        times, planned = timed(
            lambda path=path: [summary(r) for r in plan_batch(path, on=on)], runs
        )
        valid = sum(1 for r in planned if r["valid"])
        rows.append(
            Row(
                f"pathway: plan 10,000 profiles from {suffix.upper()} (read, validate, evaluate, summarize)",
                times,
                "< 10 s",
                statistics.median(times) < 10,
                f"{valid:,} valid; {statistics.median(times) / 10:.2f} ms per person",
            )
        )
    cli = [str(Path(sys.executable).with_name("imgpath")), "plan", "--batch", str(tmp / "cohort.csv"),
           "--on", on.isoformat(), "-o", str(tmp / "summary.csv")]  # fmt: skip
    cli_times = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(cli, check=True, capture_output=True)
        cli_times.append(time.perf_counter() - start)
    rows.append(
        Row(
            "pathway: imgpath plan --batch (10,000-row CSV), whole command incl. start-up",
            cli_times,
            "< 10 s",
            statistics.median(cli_times) < 10,
        )
    )
    return rows


def pages_rows(tmp: Path, runs: int) -> list[Row]:
    """Every page under 300 ms, --help under 0.3 s, no compile wait after make run (issue 15)."""
    from benchmarks.web_pages import page_rows, startup_rows

    console.print("timing the pages, --help and the first imgpath match after make run ...")
    return [Row(**r) for r in page_rows(tmp, max(runs, 9)) + startup_rows(tmp, runs)]


def evidence_rows() -> list[Row]:
    """The DOL LCA importer streams: peak memory must not grow with the file (30k vs 300k rows)."""
    from benchmarks.evidence import measure

    console.print("importing synthetic LCA files of 30,000 and 300,000 rows ...")
    small = [measure(30_000) for _ in range(3)]
    large = [measure(300_000) for _ in range(3)]
    grown = statistics.median(m for _, m in large) - statistics.median(m for _, m in small)
    return [
        Row("evidence: import a 30,000-row LCA file (300 resident filings), fresh process", [s for s, _ in small],
            note=f"peak {statistics.median(m for _, m in small):.0f} MB"),
        Row("evidence: import a 300,000-row LCA file (3,000 resident filings), fresh process", [s for s, _ in large],
            "peak memory grows < 30 MB", grown < 30, f"peak {statistics.median(m for _, m in large):.0f} MB; "
            f"+{grown:.0f} MB for 10x the rows"),
    ]  # fmt: skip


def catalog_rows(tmp: Path, runs: int) -> list[Row]:
    """Search and fit over all 6,263 programs for one profile, on SQLite and PostgreSQL."""
    from imgpath.catalog import SearchQuery, applicant_from_report, open_catalog
    from imgpath.pathway import load_profile, plan

    on = date(2026, 11, 22)
    profile = load_profile(ROOT / "examples" / "profile-nigeria.yaml", on=on)
    rows: list[Row] = []
    url = f"sqlite:///{tmp / 'catalog.sqlite3'}"
    start = time.perf_counter()
    open_catalog(url).close()
    rows.append(
        Row(
            "catalog: first open (migrate, build 6,263 programs from the bundled list, SQLite)",
            [time.perf_counter() - start],
        )
    )
    reopen, _ = timed(lambda: open_catalog(url).close(), runs)
    rows.append(Row("catalog: open an existing SQLite catalog", reopen))
    targets = [("SQLite", url)]
    postgres = os.environ.get(
        "IMGPATH_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    try:
        from sqlalchemy import create_engine, text

        engine = create_engine(postgres)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS imgpath_bench CASCADE"))
            conn.execute(text("CREATE SCHEMA imgpath_bench"))
        engine.dispose()
        targets.append(("PostgreSQL", f"{postgres}?options=-csearch_path%3Dimgpath_bench"))
    except Exception as exc:  # noqa: BLE001 - report, do not fail the whole benchmark
        console.print(f"[yellow]PostgreSQL not measured: {exc}[/]")
    for label, where in targets:
        catalog = open_catalog(where)

        def ranked(limit: int, words: str = "", catalog: Any = catalog) -> Any:
            applicant = applicant_from_report(plan(profile, on))
            return catalog.search(SearchQuery(sort="fit", limit=limit, text=words), applicant)

        times, result = timed(lambda: ranked(20), runs)
        rows.append(Row(f"catalog ({label}): profile -> fit, filter and rank all {result.total + result.excluded:,} programs, first page",
                        times, "<= 30 ms", statistics.median(times) <= 0.030))  # fmt: skip
        times, result = timed(lambda: ranked(20, "internal medicine"), runs)
        rows.append(Row(f"catalog ({label}): same with full-text search ({result.total:,} match)", times, "<= 30 ms",
                        statistics.median(times) <= 0.030))  # fmt: skip
        times, _ = timed(lambda: ranked(0), max(5, runs // 3))
        rows.append(
            Row(f"catalog ({label}): same, every program explained term by term (--limit 0)", times)
        )
        catalog.close()
    if len(targets) > 1:
        engine = create_engine(postgres)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA imgpath_bench CASCADE"))
        engine.dispose()
    return rows


def match_rows(tmp: Path, runs: int, *, quick: bool, extra: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []

    # ---------------------------------------------------------------- national, full
    console.print("generating the national example markets ...")
    full_docs = {seed: national_doc(seed) for seed in range(3)}
    for seed, doc in full_docs.items():
        path = tmp / f"national-{seed}.json"
        path.write_text(dump_instance(doc), encoding="utf-8")
        load_times, inst = timed(lambda path=path: load(path), runs)
        solve_times, result = timed(lambda inst=inst: solve(inst), runs)
        stats = result.stats
        label = (
            f"national, full (seed {seed}): {stats['applicants']:,} applicants, {stats['couples']:,} couples, "
            f"{inst.market.n_supplemental_lists:,} supplemental lists, {inst.market.reversion_donor.shape[0]} reversions"
        )
        note = (
            "stable"
            if result.stable
            else (
                f"no stable matching found: {stats['couples_left_out']} couple left out, "
                f"{stats['blocking_pairs']} blocking pair(s), {stats['attempts']} attempts"
            )
        )
        rows.append(Row(f"{label}: load (parse, validate, encode)", load_times))
        rows.append(
            Row(
                f"{label}: solve + audit",
                solve_times,
                "<= 0.5 s",
                statistics.median(solve_times) <= 0.5,
                note,
            )
        )

    # ---------------------------------------------------------------- national, singles only
    singles = singles_only(national_doc(0, scale=45_000 / 47_208, couples=0))
    inst = Instance.from_dict(singles)
    n = inst.market.n_applicants
    solve_times, result = timed(lambda: solve(inst), runs)
    rows.append(
        Row(
            f"national, singles only: {n:,} applicants, {inst.market.n_programs:,} programs: solve + audit",
            solve_times,
            "<= 0.2 s",
            statistics.median(solve_times) <= 0.2,
            "stable" if result.stable else "UNSTABLE",
        )
    )

    # ---------------------------------------------------------------- JIT and memory, fresh processes
    cache = tmp / "numba-cache"
    cold = in_fresh_process(tmp / "national-0.json", {"NUMBA_CACHE_DIR": str(cache)})
    warm = in_fresh_process(tmp / "national-0.json", {"NUMBA_CACHE_DIR": str(cache)})
    rows.append(
        Row(
            "JIT: first solve in a fresh process, empty cache (compiles the engine)",
            [cold["first_solve"]],
            "",
            None,
            "once per install",
        )
    )
    rows.append(
        Row(
            "JIT: first solve in a fresh process, warm cache (loads machine code)",
            [warm["first_solve"]],
            "",
            None,
            f"then {warm['second_solve']:.3f} s",
        )
    )
    rows.append(
        Row(
            "peak memory: load + solve the national market (MB, not seconds)",
            [warm["max_rss_mb"]],
            "<= 1024 MB",
            warm["max_rss_mb"] <= 1024,
        )
    )
    extra["fresh_process"] = {"cold": cold, "warm": warm}

    # ---------------------------------------------------------------- peers at 10,000 applicants
    if not quick:
        from tests.peers import algmatch_solve, matching_solve, mutually_acceptable

        doc10 = singles_only(national_doc(0, scale=10_000 / 47_208, couples=0))
        residents, hospitals, _ = mutually_acceptable(doc10)
        ours_times, ours = timed(lambda: solve(Instance.from_dict(doc10)).matches, runs)
        rows.append(
            Row(
                f"peers, {len(doc10['applicants']):,} applicants: imgpath load + solve + audit",
                ours_times,
            )
        )
        for name, fn in (("matching 1.4.3", matching_solve), ("algmatch 1.5.2", algmatch_solve)):
            console.print(f"timing {name} (slow) ...")
            times: list[float] = []
            theirs: dict[str, str | None] = {}
            for _ in range(runs):
                start = time.perf_counter()
                theirs = fn(doc10)
                times.append(time.perf_counter() - start)
            same = theirs == ours
            speedup = statistics.median(times) / statistics.median(ours_times)
            rows.append(
                Row(
                    f"peers: {name} setup + solve",
                    times,
                    ">= 100x slower than imgpath",
                    speedup >= 100 and same,
                    f"{speedup:,.0f}x imgpath; identical result: {same}",
                )
            )
        extra["peer_instance"] = {"residents": len(residents), "hospitals": len(hospitals)}
    return rows


def market_rows(*, extra: dict[str, Any]) -> list[Row]:
    """Full national simulated Matches (generate + match with couples) on each executor.

    Every timing includes starting the workers, as a user's command does.  The speed-up compares
    a pool of one worker with a pool of two on the same 16 Matches, so that both pay the same
    start-up; identical results on every executor are checked, not assumed.
    """
    from imgpath.market import make_executor, simulate

    model = load_model()
    rows: list[Row] = []

    def run(kind: str, workers: int | None, n: int, seed: int) -> tuple[float, dict[str, Any]]:
        start = time.perf_counter()
        pool = make_executor(kind, workers=workers)
        try:
            report = simulate(model, runs=n, seed=seed, executor=pool, use_cache=False)
        finally:
            pool.close()
        return time.perf_counter() - start, report

    big = [run("process", 2, 200, seed) for seed in (0, 1, 2)]
    times = [s for s, _ in big]
    per_run = big[0][1]["seconds_per_run"]
    rows.append(Row("market: 200 national simulated Matches (each generate + full Match with couples), 2 local workers",
                    times, "<= 120 s", statistics.median(times) <= 120,
                    f"per Match in a worker: generate {per_run['generate']:.2f} s, match {per_run['solve']:.2f} s"))  # fmt: skip
    rates = {
        s: {k: v["mean"] for k, v in r["match_rate_by_type"].items()}
        for s, (_, r) in enumerate(big)
    }
    extra["market_200"] = {"seconds": times, "match_rate_by_type": rates}

    timings: dict[str, list[float]] = {}
    reports: dict[str, Any] = {}
    for label, kind, workers in (("1 worker", "process", 1), ("2 workers", "process", 2),
                                 ("Dask LocalCluster, 2 workers", "dask", 2)):  # fmt: skip
        for _ in range(3):
            seconds, report = run(kind, workers, 16, 7)
            timings.setdefault(label, []).append(seconds)
            reports[label] = report["match_rate_by_type"]
    same = all(r == reports["1 worker"] for r in reports.values())
    one = statistics.median(timings["1 worker"])
    for label, seconds in timings.items():
        speedup = one / statistics.median(seconds)
        good = (
            None if label != "2 workers" else speedup >= 1.6
        )  # Dask: a documented run, its start-up included
        rows.append(Row(f"market: 16 national Matches, {label}", seconds,
                        "" if good is None else ">= 1.6x vs 1 worker", good,
                        f"{speedup:.2f}x vs 1 worker; results identical: {'yes' if same else 'NO'}"))  # fmt: skip
    extra["market_executors"] = {"seconds": timings, "identical": same}
    return rows


def report(rows: list[Row], extra: dict[str, Any], json_path: Path | None) -> int:
    table = Table(title="benchmarks", title_justify="left", show_lines=False)
    for col in ("benchmark", "median", "runs", "target", "ok", "note"):
        table.add_column(col, justify="right" if col in {"median", "runs"} else "left")
    for row in rows:
        unit = " MB" if "MB" in row.name else " s"
        value = (
            f"{row.median:,.0f}{unit}"
            if unit == " MB"
            else (f"{row.median * 1000:.1f} ms" if row.median < 0.1 else f"{row.median:.3f}{unit}")
        )
        ok = "" if row.ok is None else ("yes" if row.ok else "NO")
        table.add_row(row.name, value, str(len(row.seconds)), row.target, ok, row.note)
    console.print(table)
    if json_path:
        json_path.write_text(
            json.dumps(
                {"rows": [dataclasses.asdict(r) | {"median": r.median} for r in rows], **extra},
                indent=2,
            )
        )
    return 0 if all(r.ok is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
