"""Plots people would rather look at than read (matplotlib, no display needed)."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from imgpath.core.market.model import TYPE_LABELS
from imgpath.errors import InvalidInputError
from imgpath.extras import require_extra

__all__ = [
    "calibration_plot",
    "describe_funnel",
    "describe_odds",
    "funnel_plot",
    "funnel_plot_bytes",
    "odds_plot",
]


def _figure(width: float, height: float) -> Any:
    require_extra("plots")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(width, height), dpi=110)


def _figure_pair(width: float, height: float) -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt.subplots(1, 2, figsize=(width, height), dpi=110)


def _save(fig: Any, path: Path) -> None:
    import matplotlib.pyplot as plt

    if path.suffix.lower() not in (".png", ".svg"):
        msg = f"{path}: write the plot as .png or .svg"
        raise InvalidInputError(msg)
    fig.tight_layout()
    fig.savefig(path, metadata={"Date": None} if path.suffix.lower() == ".svg" else None)
    plt.close(fig)


def _fit_title(title: str, width_inches: float, fontsize: float = 10) -> str:
    """The title broken into lines that fit ``width_inches`` (about 0.55 em per character)."""
    per_line = max(20, int(width_inches * 72 / (fontsize * 0.55)))
    return textwrap.fill(title, per_line)


def odds_plot(report: Mapping[str, Any], path: Path, *, title: str) -> None:
    """P(match) against the number of programs ranked (whole numbers), with the 90% band across
    simulated markets; with several specialties chosen, a second panel draws each of them at
    the rank-list length the report compares them at.  :func:`describe_odds` says the same in
    words (for screen readers and the text beside the chart)."""
    from matplotlib.ticker import MaxNLocator

    rows: Sequence[Mapping[str, Any]] = report["by_ranks"]
    specialties: Sequence[Mapping[str, Any]] = report.get("by_specialty") or []
    ks = [r["ranks"] for r in rows]
    mean = [100 * r["p_match"] for r in rows]
    lo = [100 * r["interval_90"][0] for r in rows]
    hi = [100 * r["interval_90"][1] for r in rows]
    several = len(specialties) > 1
    width = 10.5 if several else 6.4
    if several:
        fig, (ax, right) = _figure_pair(width, 4.2)
    else:
        fig, ax = _figure(width, 4.0)
    ax.fill_between(ks, lo, hi, alpha=0.25, label="90% of simulated markets")
    ax.plot(ks, mean, marker="o", label="estimated chance")
    ax.set_xlabel("programs ranked")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if len(ks) <= 12:
        ax.set_xticks(ks)
    ax.set_ylabel("chance of matching (%)")
    ax.set_ylim(0, 100)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right", fontsize=8)
    if several:
        names = [str(r["specialty"]) for r in specialties]
        p = [100 * r["p_match"] for r in specialties]
        err = [[100 * (r["p_match"] - r["interval_90"][0]) for r in specialties],
               [100 * (r["interval_90"][1] - r["p_match"]) for r in specialties]]  # fmt: skip
        ys = list(range(len(names)))
        right.barh(ys, p, xerr=err, capsize=3, alpha=0.8)
        right.set_yticks(ys, [textwrap.fill(n, 22) for n in names], fontsize=8)
        right.invert_yaxis()
        right.set_xlim(0, 100)
        right.set_xlabel("chance of matching (%), 90% of simulated markets")
        ranks = specialties[0].get("ranks")
        right.set_title(
            _fit_title(f"Each chosen specialty, ranking {ranks} programs", width / 2), fontsize=10
        )
        right.grid(alpha=0.3, axis="x")
        ax.set_title(
            _fit_title(f"{report['specialty']}: by programs ranked", width / 2), fontsize=10
        )
        fig.suptitle(_fit_title(title, width, 11), fontsize=11)
    else:
        ax.set_title(_fit_title(title, width), fontsize=10)
    _save(fig, path)


def describe_odds(report: Mapping[str, Any]) -> str:
    """The odds chart in words: the curve's points and each chosen specialty's chance."""

    def pct(x: float) -> str:
        return f"{round(100 * x)}%"

    rows = report["by_ranks"]
    points = "; ".join(f"{r['ranks']} programs: {pct(r['p_match'])} ({pct(r['interval_90'][0])} to "
                       f"{pct(r['interval_90'][1])})" for r in rows)  # fmt: skip
    text = (f"Chance of matching in {report['specialty']} by programs ranked, across "
            f"{report['runs']} simulated national Matches (90% of markets in brackets): {points}.")  # fmt: skip
    specialties = report.get("by_specialty") or []
    if len(specialties) > 1:
        each = "; ".join(f"{r['specialty']} {pct(r['p_match'])}" for r in specialties)
        text += f" Ranking {specialties[0].get('ranks')} programs, by specialty: {each}."
    return text


def funnel_plot(answer: Mapping[str, Any], path: Path) -> None:
    """The funnel: chance of matching and expected interviews against applications sent, each
    with its range, and the national rate of the person's type as a line."""
    rows: Sequence[Mapping[str, Any]] = answer["rows"]
    n = [r["applications"] for r in rows]
    fig, (top, bottom) = _figure_stack()
    top.fill_between(n, [100 * r["p_match_range"][0] for r in rows],
                     [100 * r["p_match_range"][1] for r in rows], alpha=0.25, label="range")  # fmt: skip
    top.plot(n, [100 * r["p_match"] for r in rows], marker="o", label="your chance of matching")
    national = answer["national"]
    if national["published"] is not None:
        top.axhline(100 * national["published"], color="grey", linestyle="--",
                    label=f"{national['label']}, NRMP {national['year']}")  # fmt: skip
    top.set_ylabel("chance of matching (%)")
    top.set_ylim(0, 100)
    top.set_title(f"{answer['specialty']}: applications -> interviews -> Match", fontsize=10)
    top.grid(alpha=0.3)
    top.legend(loc="lower right", fontsize=8)
    bottom.fill_between(
        n,
        [r["interviews_range"][0] for r in rows],
        [r["interviews_range"][1] for r in rows],
        alpha=0.25,
    )
    bottom.plot(n, [r["interviews"] for r in rows], marker="o", color="tab:green")
    bottom.set_xlabel("applications sent")
    bottom.set_ylabel("interviews (expected)")
    bottom.grid(alpha=0.3)
    _save(fig, path)


def _figure_stack() -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (top, bottom) = plt.subplots(2, 1, figsize=(6.4, 6.0), dpi=110, sharex=True)
    return fig, (top, bottom)


def calibration_plot(report: Mapping[str, Any], path: Path) -> None:
    """Targets against simulated rates by applicant type, and IMG share by specialty."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), dpi=110)
    targets = report["targets"]["match_rate_by_type"]
    sim = report["match_rate_by_type"]
    kinds = [k for k in sim if k in targets]
    xs = range(len(kinds))
    left.bar([x - 0.2 for x in xs], [100 * targets[k] for k in kinds], width=0.4, label="NRMP 2025")
    errs = [[100 * (sim[k]["mean"] - sim[k]["interval_90"][0]) for k in kinds],
            [100 * (sim[k]["interval_90"][1] - sim[k]["mean"]) for k in kinds]]  # fmt: skip
    left.bar(
        [x + 0.2 for x in xs],
        [100 * sim[k]["mean"] for k in kinds],
        width=0.4,
        yerr=errs,
        capsize=3,
        label="simulated (90%)",
    )
    left.set_xticks(list(xs), [TYPE_LABELS.get(k, k) for k in kinds], rotation=20, fontsize=8)
    left.set_ylabel("match rate (%)")
    left.set_ylim(0, 100)
    left.legend(fontsize=8)
    left.set_title("Match rate by applicant type", fontsize=10)
    shares = report["targets"]["img_share_of_matches"]
    points = [(shares[name], row["img_share_of_matches"]["mean"], row["positions"])
              for name, row in report["by_specialty"].items()
              if name in shares and row.get("img_share_of_matches")]  # fmt: skip
    right.scatter(
        [100 * p[0] for p in points],
        [100 * p[1] for p in points],
        s=[max(8, p[2] / 40) for p in points],
        alpha=0.6,
    )
    right.plot([0, 100], [0, 100], color="grey", lw=0.8)
    right.set_xlabel("NRMP 2025 IMG share of PGY-1 matches (%)")
    right.set_ylabel("simulated (%)")
    right.set_title("IMG share of matches by specialty (size = positions)", fontsize=10)
    right.grid(alpha=0.3)
    _save(fig, path)


def funnel_plot_bytes(answer: Mapping[str, Any] | None) -> bytes:
    """The funnel plot (:func:`funnel_plot`) as PNG bytes: the web app serves it without
    touching the disk.  Raises NotFoundError without an answer."""
    import tempfile

    from imgpath.errors import NotFoundError

    if not answer:
        msg = "this odds run has no result yet"
        raise NotFoundError(msg)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "funnel.png"
        funnel_plot(answer, path)
        return path.read_bytes()


def describe_funnel(answer: Mapping[str, Any]) -> str:
    """The funnel chart in words (its text alternative): for each number of applications, the
    expected interviews and the chance of matching with their ranges, and the national rate."""

    def pct(x: float) -> str:
        return f"{round(100 * x)}%"

    points = "; ".join(
        f"{r['applications']} applications: {r['interviews']:.1f} interviews "
        f"({r['interviews_range'][0]:.1f} to {r['interviews_range'][1]:.1f}), "
        f"{pct(r['p_match'])} chance of matching ({pct(r['p_match_range'][0])} to {pct(r['p_match_range'][1])})"
        for r in answer["rows"]
    )
    national = answer["national"]
    text = (
        f"{answer['specialty']}, applications to interviews to the Match, across {answer['runs']} "
        f"simulated Matches of the {answer['model_year']} model (ranges in brackets): {points}."
    )
    if national["published"] is not None:
        text += (
            f" The dashed line is NRMP's {national['year']} match rate of {national['label']}: "
            f"{pct(national['published'])}."
        )
    return text
