"""How often the Match engine finds a stable matching on simulated markets: the table in
docs/explanation/match-engine.md ("Stable found, none proven, undecided").

    python scripts/match_stability.py gen DIR          # write the markets (national 0-9, fifth 0-19)
    python scripts/match_stability.py run DIR OUT.json [--no-repair] [--label TEXT]
    python scripts/match_stability.py table A.json B.json ...   # the Markdown table
    python scripts/match_stability.py couples [--seeds 5]          # couples' lists and match rate

Markets are saved as ``.npz`` (the integer arrays of :class:`imgpath.match.Market`), so that one
set of markets can be solved by two versions of the engine (before and after a change: run
``gen`` and ``run`` from an export of the old tree, then ``run`` from this one on the same
directory).  Solving uses `imgpath match`'s settings (8 couple orders; solve seed = market seed).
"""

from __future__ import annotations

import argparse
import dataclasses
import inspect
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

NATIONAL = list(range(10))
FIFTH = list(range(20))


def _markets(directory: Path) -> list[tuple[str, int, Path]]:
    out = [("national", s, directory / f"national-{s}.npz") for s in NATIONAL]
    out += [("fifth", s, directory / f"fifth-{s}.npz") for s in FIFTH]
    return out


def gen(directory: Path) -> None:
    from imgpath.core.market.generate import generate_market
    from imgpath.market import load_model

    directory.mkdir(parents=True, exist_ok=True)
    model = load_model()
    for scale_name, seed, path in _markets(directory):
        if path.exists():
            continue
        sim = generate_market(model, seed=seed, scale=1.0 if scale_name == "national" else 0.2)
        arrays = {
            f.name: getattr(sim.market, f.name)
            for f in dataclasses.fields(sim.market)
            if getattr(sim.market, f.name) is not None
        }
        np.savez_compressed(path, **arrays)
        sys.stderr.write(f"wrote {path}\n")


def _load(path: Path) -> Any:
    from imgpath.core.matching.market import Market

    with np.load(path) as data:
        return Market(**{k: data[k] for k in data.files})


def run(directory: Path, out: Path, *, repair: bool, label: str) -> None:
    from imgpath.core.matching.solve import solve_market

    accepts = inspect.signature(solve_market).parameters
    rows = []
    for scale_name, seed, path in _markets(directory):
        market = _load(path)
        _ = market.prepared
        kwargs: dict[str, Any] = {"seed": seed}  # the CLI's settings: 8 couple orders
        if "exact_time" in accepts and not repair:
            kwargs["exact_time"] = 0.0
        start = time.perf_counter()
        outcome = solve_market(market, **kwargs)
        seconds = time.perf_counter() - start
        row = {
            "scale": scale_name,
            "seed": seed,
            "applicants": market.n_applicants,
            "couples": market.n_couples,
            "stable": bool(outcome.stable),
            "stable_exists": outcome.stable_exists,
            "left_out": len(outcome.left_out),
            "blocking_pairs": int(outcome.report.n_blocking),
            "seconds": round(seconds, 3),
            "repair_seconds": round(getattr(outcome, "repair_seconds", 0.0), 3),
            "repair_free": int(getattr(outcome, "repair_free", 0)),
        }
        rows.append(row)
        sys.stderr.write(json.dumps(row) + "\n")
    out.write_text(json.dumps({"label": label, "rows": rows}, indent=1), encoding="utf-8")


def _verdict(row: dict[str, Any]) -> str:
    if row["stable"]:
        return "stable"
    return "none" if row["stable_exists"] is False else "undecided"


def table(paths: list[Path]) -> str:
    lines = [
        "| engine | national seeds 0-9: stable / none proven / undecided | fifth scale seeds 0-19: stable / none proven / undecided | median solve (national) | repairs: median time |",
        "|---|---|---|---|---|",
    ]
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        cells = []
        for scale in ("national", "fifth"):
            verdicts = [_verdict(r) for r in data["rows"] if r["scale"] == scale]
            cells.append(
                " / ".join(str(verdicts.count(v)) for v in ("stable", "none", "undecided"))
            )
        national = [r["seconds"] for r in data["rows"] if r["scale"] == "national"]
        repairs = [r["repair_seconds"] for r in data["rows"] if r["repair_seconds"] > 0]
        rep = (
            f"{statistics.median(repairs):.1f} s ({len(repairs)} markets)"
            if repairs
            else "none ran"
        )
        lines.append(
            f"| {data['label']} | {cells[0]} | {cells[1]} | {statistics.median(national):.2f} s | {rep} |"
        )
    return "\n".join(lines)


NRMP_COUPLES_MATCHED = 0.932
"""NRMP, Results and Data: 2025 Main Residency Match (29 May 2025): 1,259 couples, 93.2% matched
(read through copies of NRMP's release, not the PDF itself: grade M)."""


def couples(seeds: int) -> str:
    """Couples' list lengths, regions and match rate on national markets (Markdown)."""
    from imgpath.core.market.generate import generate_market
    from imgpath.core.matching.solve import solve_market
    from imgpath.market import load_model

    model = load_model()
    lengths: list[int] = []
    regions_spanned: list[int] = []
    same_region = total_two = 0
    partners = partners_matched = couples_n = both = 0
    for seed in range(seeds):
        sim = generate_market(model, seed=seed)
        m = sim.market
        region = sim.program_region
        for c in range(m.n_couples):
            rows = m.couple_rol[m.couple_rol_offsets[c] : m.couple_rol_offsets[c + 1]]
            lengths.append(int(rows.shape[0]))
            two = rows[(rows[:, 0] >= 0) & (rows[:, 1] >= 0)]
            total_two += int(two.shape[0])
            same_region += int((region[two[:, 0]] == region[two[:, 1]]).sum())
            regions_spanned.append(len(set(region[rows[rows >= 0]].tolist())))
        outcome = solve_market(m, seed=seed, attempts=1)
        prim = outcome.assignment.prim[m.couple_members]
        partners += int(prim.size)
        partners_matched += int((prim >= 0).sum())
        couples_n += int(prim.shape[0])
        both += int((prim >= 0).all(axis=1).sum())
    q = np.percentile(lengths, [10, 50, 90])
    rate = partners_matched / max(partners, 1)
    return "\n".join(
        [
            f"National markets, seeds 0-{seeds - 1} ({couples_n:,} couples):",
            "",
            "| measure | simulated | published |",
            "|---|---|---|",
            f"| pairs per couple (p10 / median / p90) | {q[0]:.0f} / {q[1]:.0f} / {q[2]:.0f} | tens of pairs (advising pages; grade L); at most 300 (NRMP, H) |",
            f"| two-program pairs within one region | {same_region / max(total_two, 1):.1%} | couples rank one area (NRMP, school advising; grade M) |",
            f"| regions a couple's list spans (median / max) | {statistics.median(regions_spanned):.0f} / {max(regions_spanned)} | one or two (grade L) |",
            f"| partners matched | {rate:.1%} | 93.2% (NRMP 2025, grade M) |",
            f"| couples with both partners matched | {both / max(couples_n, 1):.1%} | not published |",
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("gen")
    g.add_argument("directory", type=Path)
    r = sub.add_parser("run")
    r.add_argument("directory", type=Path)
    r.add_argument("out", type=Path)
    r.add_argument("--no-repair", action="store_true")
    r.add_argument("--label", default="this engine")
    t = sub.add_parser("table")
    t.add_argument("results", type=Path, nargs="+")
    c = sub.add_parser("couples")
    c.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    if args.command == "gen":
        gen(args.directory)
    elif args.command == "run":
        run(args.directory, args.out, repair=not args.no_repair, label=args.label)
    elif args.command == "couples":
        sys.stdout.write(couples(args.seeds) + "\n")
    else:
        sys.stdout.write(table(args.results) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
