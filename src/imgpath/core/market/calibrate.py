"""Calibration: move the free parameters until the simulated Match reproduces NRMP's results.

Free parameters, one per target: for US MD and DO seniors, the share who rank a second specialty
as a backup (their unmatched are those who chose a crowded specialty alone, so breadth is what
moves their rate); for US IMGs, non-US IMGs and prior graduates, the share of the programs they
rank that consider them in turn (programs screen on visa, years since graduation, attempts and
US experience, and some leave positions empty rather than rank them); and one scale on every
rank-list length for the share of positions filled (and, after the check, the weight of Step 2 CK from the
matched-unmatched gap it shows).  Targets: NRMP's 2025 match rates by type and the fill rate.  Each iteration simulates
reduced-scale markets and moves every parameter by its gap on the logit scale, with steps that
shrink as iterations go (stochastic approximation: every simulated rate is noisy).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["BREADTH_TYPES", "Calibration", "calibration_step", "logit"]


def logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


BREADTH_TYPES = ("us_md_senior", "us_do_senior")
"""Types calibrated by the share ranking a backup specialty; the others by the considered share."""


@dataclass(frozen=True)
class Calibration:
    considered: Mapping[str, float]
    """For the other types: the share of programs that consider them."""
    backup_shares: Mapping[str, float]
    """For :data:`BREADTH_TYPES`: ``specialties_per_applicant - 1``."""
    rank_length_scale: float


def calibration_step(
    current: Calibration,
    rates: Mapping[str, float],
    fill: float,
    targets: Mapping[str, float],
    target_fill: float,
    iteration: int,
    *,
    fit_scale: bool = True,
) -> Calibration:
    """One step toward the targets (rates and fill as fractions); with ``fit_scale=False`` the
    rank-list length scale stays as it is (the fill rate is then a check, not a target)."""
    gain = 1.0 / (1.0 + iteration / 5.0)
    considered = dict(current.considered)
    shares = dict(current.backup_shares)
    for kind, target in targets.items():
        if kind not in rates:
            continue
        gap = logit(target) - logit(rates[kind])
        if kind in shares:
            shares[kind] = min(max(shares[kind] * math.exp(1.2 * gain * gap), 0.02), 1.99)
        else:
            considered[kind] = 1 / (1 + math.exp(-(logit(considered[kind]) + 1.5 * gain * gap)))
            considered[kind] = min(max(considered[kind], 0.05), 0.99)
    if not fit_scale:
        return Calibration(considered, shares, current.rank_length_scale)
    unfilled_sim = max(1 - fill, 1e-3)
    unfilled_target = max(1 - target_fill, 1e-3)
    scale = current.rank_length_scale * (unfilled_sim / unfilled_target) ** (0.6 * gain)
    return Calibration(considered, shares, min(max(scale, 0.2), 8.0))
