"""``imgpath market calibrate``: fit a year's model to NRMP's results, write it down, report it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from imgpath.core.market.calibrate import BREADTH_TYPES, Calibration
from imgpath.core.market.model import APPLICANT_TYPES, TYPE_LABELS
from imgpath.parallel.executors import Executor
from imgpath.services.market_model import load_model
from imgpath.services.simulation import calibrate_model, calibration_overrides, simulate

__all__ = ["calibration_markdown", "run_calibration", "write_calibration"]

Tick = Callable[[str, int, int], None]


def run_calibration(
    *,
    executor: Executor,
    iterations: int = 24,
    runs: int = 2,
    scale: float = 0.3,
    final_iterations: int = 8,
    final_runs: int = 2,
    verify_runs: int = 10,
    seed: int = 2025,
    year: int = 2025,
    progress: Tick | None = None,
) -> dict[str, Any]:
    """Reduced-scale iterations, a few at full scale, then a full-scale check with fresh seeds.

    2025 starts from the model's own starting values and fits the rank-list length scale to the
    fill rate.  A later year starts from the previous year's fit and keeps its length scale: the
    scale is shared by every type, and the list lengths it multiplies are data (non-US IMGs'
    from Charting Outcomes 2026), so it is a structural parameter, not a knob for one year's
    fill; that year's fill is then a check.  A type with no published result that year (2026's
    prior graduates) keeps the previous fit too."""
    fit_scale = year == 2025
    base = load_model(year=year, calibrated=False)
    first = base if year == 2025 else load_model(year=year, calibration_year=year - 1)
    start = Calibration(
        {t: first.types[t].considered_share for t in APPLICANT_TYPES if t not in BREADTH_TYPES},
        {t: first.types[t].specialties_per_applicant - 1 for t in BREADTH_TYPES},
        first.rank_length_scale,
    )

    def model_for(overrides: Mapping[str, Any]) -> Any:
        return load_model(year=year, calibrated=False, overrides=overrides)

    def tick(stage: str) -> Callable[[int, int], None] | None:
        return (lambda done, total: progress(stage, done, total)) if progress else None

    reduced, log1 = calibrate_model(model_for, start, iterations=iterations, runs_per_iteration=runs,
                                    scale=scale, seed=seed, executor=executor, progress=tick("reduced scale"),
                                    fit_scale=fit_scale)  # fmt: skip
    final, log2 = calibrate_model(
        model_for,
        reduced,
        iterations=final_iterations,
        runs_per_iteration=final_runs,
        scale=1.0,
        seed=seed + 1,
        executor=executor,
        progress=tick("full scale"),
        first_iteration=5,
        fit_scale=fit_scale,
    )  # fmt: skip  (a fresh, moderate step at full scale)
    parameters = calibration_overrides(final)
    check = simulate(
        model_for(parameters),
        runs=verify_runs,
        seed=seed + 2,
        executor=executor,
        use_cache=False,
        progress=tick("check"),
    )
    gap = check["strength_gap"].get("non_us_img")
    if gap:  # Step 2 CK's weight, so a person's score separates as much as NRMP's data says
        weight = min(1.0, base.step2ck_gap / gap)
        parameters["step2ck_weight"] = round(weight, 4)
        check["step2ck_weight"] = {
            "strength_gap": gap,
            "step2ck_gap": base.step2ck_gap,
            "weight": weight,
        }

    return {
        "parameters": parameters,
        "settings": {
            "iterations": iterations,
            "runs_per_iteration": runs,
            "scale": scale,
            "final_iterations": final_iterations,
            "final_runs": final_runs,
            "verify_runs": verify_runs,
            "seed": seed,
            "year": year,
            "fit_scale": fit_scale,
        },
        "iterations": log1.iterations + log2.iterations,
        "check": check,
    }


def write_calibration(result: Mapping[str, Any], path: Path, *, today: date) -> None:
    """The fitted parameters as a data file, with how and when they were fitted."""
    check = result["check"]
    year = result["settings"].get("year", 2025)
    document = {
        "fitted": today.isoformat(),
        "how": f"imgpath market calibrate --year {year} (docs/reference/calibration-{year}.md)",
        "settings": result["settings"],
        "parameters": result["parameters"],
        "check": {
            "runs": check["runs"],
            "match_rate_by_type": {
                k: round(v["mean"], 4) for k, v in check["match_rate_by_type"].items()
            },
            "fill_rate": round(check["fill_rate"]["mean"], 4),
        },
    }
    header = (f"# Fitted by `imgpath market calibrate --year {year}`; do not edit by hand (re-run it instead).\n"
              f"# The model and its sources: model_{year}.yaml; the report: docs/reference/calibration-{year}.md.\n")  # fmt: skip
    path.write_text(header + yaml.safe_dump(document, sort_keys=False), encoding="utf-8")


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def calibration_markdown(result: Mapping[str, Any], *, today: date, plot: str | None) -> str:
    check = result["check"]
    targets = check["targets"]
    settings = result["settings"]
    year = settings.get("year", 2025)
    lines = [
        f"# Calibration of the {year} market model",
        "",
        (
            f"Generated by `imgpath market calibrate --year {year}` on {today.isoformat()}; re-running it rewrites this "
            f"page and `src/imgpath/data/market/calibration_{year}.yaml`. The model, every figure and its "
            "source: [the market model](market-model.md)."
        ),
        "",
        (
            f"**Method.** {settings['iterations']} iterations of {settings['runs_per_iteration']} simulated Matches at "
            f"{settings['scale']:g} of national scale, then {settings['final_iterations']} at full scale "
            f"({settings['final_runs']} each), moving each free parameter by its gap on the logit scale with "
            f"shrinking steps. **Check:** {check['runs']} fresh full-scale simulated Matches (seed {settings['seed'] + 2}), "
            "each a complete Match with couples, supplemental lists and reversions."
        ),
        "",
        f"## Match rate by applicant type (NRMP {year} vs simulated)",
        "",
        f"| applicant type | NRMP {year} | simulated mean | 90% of runs | gap |",
        "|---|---|---|---|---|",
    ]
    for kind, row in check["match_rate_by_type"].items():
        target = targets["match_rate_by_type"].get(kind)
        gap = "" if target is None else f"{100 * (row['mean'] - target):+.1f} pp"
        lo, hi = row["interval_90"]
        lines.append(
            f"| {TYPE_LABELS.get(kind, kind)} | {'' if target is None else _pct(target)} | {_pct(row['mean'])} | {_pct(lo)}–{_pct(hi)} | {gap} |"
        )
    fill = check["fill_rate"]
    lines += [
        "",
        (
            f"Positions filled: NRMP {year} {_pct(targets['fill_rate'])}; simulated {_pct(fill['mean'])} "
            f"(90% of runs {_pct(fill['interval_90'][0])}–{_pct(fill['interval_90'][1])})."
            + (
                ""
                if settings.get("fit_scale", True)
                else f" Not fitted: the rank-list length scale is kept from {year - 1} (shared by every type, it "
                "multiplies list lengths that are data), so the fill rate is a check."
            )
        ),
        "",
        "## Fitted parameters",
        "",
        "| parameter | value |",
        "|---|---|",
    ]
    for kind, values in result["parameters"]["applicant_types"].items():
        for name, value in values.items():
            lines.append(f"| {TYPE_LABELS.get(kind, kind)}: {name.replace('_', ' ')} | {value} |")
    lines.append(
        f"| rank-list length scale (all types) | {result['parameters']['rank_length_scale']} |"
    )
    if "step2ck_weight" in result["parameters"]:
        lines.append(
            f"| weight of Step 2 CK in programs' judgement (from the check's matched-unmatched gap) | {result['parameters']['step2ck_weight']} |"
        )
    shares = targets["img_share_of_matches"]
    rows = [
        (name, row)
        for name, row in check["by_specialty"].items()
        if name in shares and row.get("img_share_of_matches")
    ]
    weight = sum(row["positions"] for _, row in rows) or 1
    mae = (
        sum(
            abs(row["img_share_of_matches"]["mean"] - shares[name]) * row["positions"]
            for name, row in rows
        )
        / weight
    )
    lines += [
        "",
        "## IMG share of matches by specialty",
        "",
        (
            "Not fitted; a check of the model's structure. Mean absolute gap, weighted by positions: "
            f"**{100 * mae:.1f} percentage points** over {len(rows)} specialties."
        ),
        "",
        f"| specialty | positions | NRMP 2025 (the latest table by type) | simulated {year} |",
        "|---|---|---|---|",
    ]
    for name, row in sorted(rows, key=lambda nr: -nr[1]["positions"])[:20]:
        lines.append(
            f"| {name} | {row['positions']:,} | {_pct(shares[name])} | {_pct(row['img_share_of_matches']['mean'])} |"
        )
    if plot:
        lines += ["", f"![Targets and simulated outcomes]({plot})"]
    lines += [
        "",
        "## Reading this",
        "",
        "The model reproduces the four headline match rates because its free parameters were fitted to",
        "them; that is the least a simulation used for odds must do, not evidence that it predicts.",
        "The per-specialty IMG shares are not fitted and show how far the model's structure is from",
        "the real Match. Assumptions marked [A] in the model are the places to look first.",
    ]
    return "\n".join(lines) + "\n"
