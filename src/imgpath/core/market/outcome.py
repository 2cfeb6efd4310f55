"""What one simulated Match produced, and what many of them say together."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from imgpath.core.market.generate import SimMarket
from imgpath.core.market.model import APPLICANT_TYPES
from imgpath.core.matching.solve import MarketOutcome

__all__ = ["RunSummary", "aggregate", "interval", "summarize_run"]

_IMG = (APPLICANT_TYPES.index("us_img"), APPLICANT_TYPES.index("non_us_img"))
_FOUR = 4


@dataclass(frozen=True)
class RunSummary:
    """One simulated Match in numbers (plain data: it crosses process boundaries and caches)."""

    seed: int
    applicants: dict[str, int]
    matched: dict[str, int]
    positions: int
    filled: int
    specialty_positions: list[int]
    specialty_filled: list[int]
    specialty_matched_img: list[int]
    """Applicants of the two IMG types matched to each specialty."""
    specialty_matched_four: list[int]
    """Applicants of NRMP's four headline types matched to each specialty."""
    stable: bool
    couples_left_out: int
    seconds: dict[str, float]
    strength_gap: dict[str, float]
    """Per type, matched minus unmatched mean strength, in SDs of the type's strength."""

    @property
    def rate_by_type(self) -> dict[str, float]:
        return {
            t: self.matched[t] / self.applicants[t] for t in self.applicants if self.applicants[t]
        }

    @property
    def fill_rate(self) -> float:
        return self.filled / self.positions if self.positions else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed, "applicants": self.applicants, "matched": self.matched,
            "positions": self.positions, "filled": self.filled,
            "specialty_positions": self.specialty_positions, "specialty_filled": self.specialty_filled,
            "specialty_matched_img": self.specialty_matched_img,
            "specialty_matched_four": self.specialty_matched_four, "stable": self.stable,
            "couples_left_out": self.couples_left_out, "seconds": self.seconds,
            "strength_gap": self.strength_gap,
        }  # fmt: skip

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RunSummary:
        return cls(**dict(data))


def summarize_run(
    sim: SimMarket, outcome: MarketOutcome, seconds: Mapping[str, float]
) -> RunSummary:
    prim = outcome.assignment.prim
    matched = prim >= 0
    n_types = len(APPLICANT_TYPES)
    n_spec = len(sim.model.specialties)
    applicants = np.bincount(sim.applicant_type, minlength=n_types)
    won = np.bincount(sim.applicant_type[matched], minlength=n_types)
    capacity = outcome.report.capacity
    count = outcome.report.count
    spec = sim.program_specialty
    where = spec[prim[matched]]
    kind = sim.applicant_type[matched]
    img = np.isin(kind, _IMG)
    four = kind < _FOUR
    return RunSummary(
        seed=sim.seed,
        applicants={t: int(applicants[i]) for i, t in enumerate(APPLICANT_TYPES)},
        matched={t: int(won[i]) for i, t in enumerate(APPLICANT_TYPES)},
        positions=int(capacity.sum()),
        filled=int(count.sum()),
        specialty_positions=np.bincount(spec, weights=capacity, minlength=n_spec)
        .astype(int)
        .tolist(),
        specialty_filled=np.bincount(spec, weights=count, minlength=n_spec).astype(int).tolist(),
        specialty_matched_img=np.bincount(where[img], minlength=n_spec).tolist(),
        specialty_matched_four=np.bincount(where[four], minlength=n_spec).tolist(),
        stable=bool(outcome.stable),
        couples_left_out=len(outcome.left_out),
        seconds={k: round(float(v), 4) for k, v in seconds.items()},
        strength_gap=_gaps(sim, matched),
    )


def _gaps(sim: SimMarket, matched: np.ndarray) -> dict[str, float]:
    out = {}
    for i, t in enumerate(APPLICANT_TYPES):
        mine = sim.applicant_type == i
        won, lost = mine & matched, mine & ~matched
        if won.any() and lost.any():
            spread = float(sim.strength[mine].std()) or 1.0
            out[t] = float(sim.strength[won].mean() - sim.strength[lost].mean()) / spread
    return out


def interval(values: Sequence[float], level: float = 0.9) -> tuple[float, float]:
    """The central ``level`` interval of ``values`` (empirical quantiles)."""
    if not values:
        return (float("nan"), float("nan"))
    low = (1 - level) / 2
    array = np.asarray(values, dtype=np.float64)
    return (float(np.quantile(array, low)), float(np.quantile(array, 1 - low)))


def _stat(values: Sequence[float]) -> dict[str, Any]:
    lo, hi = interval(values)
    return {"mean": float(np.mean(values)), "interval_90": [lo, hi]}


def aggregate(runs: Sequence[RunSummary], specialties: Sequence[str]) -> dict[str, Any]:
    """Means and 90% intervals over runs: rates by type, fill, and per specialty."""
    types = list(runs[0].applicants)
    by_type = {t: _stat([r.rate_by_type.get(t, 0.0) for r in runs]) for t in types}
    by_specialty = {}
    for s, name in enumerate(specialties):
        positions = runs[0].specialty_positions[s]
        if not positions:
            continue
        fill = [
            r.specialty_filled[s] / r.specialty_positions[s]
            for r in runs
            if r.specialty_positions[s]
        ]
        share = [
            r.specialty_matched_img[s] / r.specialty_matched_four[s]
            for r in runs
            if r.specialty_matched_four[s]
        ]
        by_specialty[name] = {
            "positions": positions,
            "fill_rate": _stat(fill),
            "img_share_of_matches": _stat(share) if share else None,
        }
    return {
        "runs": len(runs),
        "match_rate_by_type": by_type,
        "fill_rate": _stat([r.fill_rate for r in runs]),
        "by_specialty": by_specialty,
        "strength_gap": {
            t: float(np.mean([r.strength_gap[t] for r in runs if t in r.strength_gap]))
            for t in types
            if any(t in r.strength_gap for r in runs)
        },
        "stable_runs": sum(r.stable for r in runs),
        "couples_left_out": sum(r.couples_left_out for r in runs),
        "regenerated_markets": int(sum(r.seconds.get("regenerated", 0) for r in runs)),
    }
