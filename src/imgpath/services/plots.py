"""Plots people would rather look at than read (matplotlib, no display needed)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from imgpath.core.market.model import TYPE_LABELS
from imgpath.errors import InvalidInputError
from imgpath.extras import require_extra

__all__ = ["calibration_plot", "odds_plot"]


def _figure(width: float, height: float) -> Any:
    require_extra("plots")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(width, height), dpi=110)


def _save(fig: Any, path: Path) -> None:
    import matplotlib.pyplot as plt

    if path.suffix.lower() not in (".png", ".svg"):
        msg = f"{path}: write the plot as .png or .svg"
        raise InvalidInputError(msg)
    fig.tight_layout()
    fig.savefig(path, metadata={"Date": None} if path.suffix.lower() == ".svg" else None)
    plt.close(fig)


def odds_plot(report: Mapping[str, Any], path: Path, *, title: str) -> None:
    """P(match) against the number of programs ranked, with the 90% band across simulated markets."""
    rows: Sequence[Mapping[str, Any]] = report["by_ranks"]
    ks = [r["ranks"] for r in rows]
    mean = [100 * r["p_match"] for r in rows]
    lo = [100 * r["interval_90"][0] for r in rows]
    hi = [100 * r["interval_90"][1] for r in rows]
    fig, ax = _figure(6.4, 4.0)
    ax.fill_between(ks, lo, hi, alpha=0.25, label="90% of simulated markets")
    ax.plot(ks, mean, marker="o", label="estimated chance")
    ax.set_xlabel("programs ranked")
    ax.set_ylabel("chance of matching (%)")
    ax.set_ylim(0, 100)
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right", fontsize=8)
    _save(fig, path)


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


def odds_plot_bytes(report: Mapping[str, Any] | None) -> bytes:
    """The odds plot as PNG bytes (the web app serves it without touching the disk)."""
    import tempfile

    from imgpath.errors import NotFoundError

    if not report:
        msg = "this odds run has no result yet"
        raise NotFoundError(msg)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "odds.png"
        odds_plot(report, path, title=f"{report['specialty']}: chance by programs ranked")
        return path.read_bytes()
