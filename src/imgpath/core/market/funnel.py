"""The odds funnel: applications -> interviews -> programs that rank you -> the Match.

Link 1 (applications -> interviews) is a yield per application from public figures (the average
applications and programs ranked of the person's applicant type, ``data/market/funnel.yaml``),
with a range that widens with the figures' grade.  People of one type get very different numbers
of interviews from the same number of applications (Charting Outcomes 2026: non-US IMGs' ranks
have a mean of 4.26 and an SD of 4.16), so the yield varies from person to person as
Beta(shape, shape (1 - p) / p), ``shape`` being the type's rank-list dispersion (the negative
binomial shape the model's lists use): interviews are beta-binomial, not binomial.  Links 2 and 3 come from the simulated national
Matches: with ``k`` interviews the person ranks those ``k`` programs, each ranks them with the
type's calibrated share, and the Match decides (``chance_by_k``, from
:func:`imgpath.core.market.insertion.person_chances`).  For ``N`` applications the number of
interviews is ``K ~ BetaBin(N_usable, yield, shape)``, and

    P(match | N) = sum_k P(K = k) * P(match | k interviews).

A person who needs a visa can only be interviewed by programs that sponsor one open to them on
that day, so ``N_usable = min(N, sponsoring programs of the specialty)``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "FunnelPoint",
    "Yield",
    "active_mean_yield",
    "betabinomial_pmf",
    "binomial_pmf",
    "funnel_point",
    "interviews_pmf",
    "interviews_quantile",
]


@dataclass(frozen=True)
class Yield:
    """Interviews per application: a central value and the range carried to the answer."""

    central: float
    low: float
    high: float


def binomial_pmf(n: int, p: float) -> npt.NDArray[np.float64]:
    """P(K = k) for k = 0..n, K ~ Bin(n, p) (log-space, exact enough for n up to thousands)."""
    k = np.arange(n + 1, dtype=np.float64)
    if p <= 0:
        out = np.zeros(n + 1)
        out[0] = 1.0
        return out
    if p >= 1:
        out = np.zeros(n + 1)
        out[n] = 1.0
        return out
    log = (
        np.array([math.lgamma(n + 1) - math.lgamma(x + 1) - math.lgamma(n - x + 1) for x in k])
        + k * math.log(p)
        + (n - k) * math.log1p(-p)
    )
    return np.exp(log)


def betabinomial_pmf(n: int, p: float, shape: float) -> npt.NDArray[np.float64]:
    """P(K = k) for k = 0..n when K ~ Bin(n, Y) and Y ~ Beta(shape, shape (1 - p) / p): mean n p,
    more spread than the binomial (the smaller ``shape``, the more)."""
    if p <= 0 or p >= 1:
        return binomial_pmf(n, p)
    a, b = shape, shape * (1 - p) / p
    lbeta_ab = math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)
    log = np.array(
        [
            math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
            + math.lgamma(k + a) + math.lgamma(n - k + b) - math.lgamma(n + a + b) - lbeta_ab
            for k in range(n + 1)
        ]
    )  # fmt: skip
    out: npt.NDArray[np.float64] = np.exp(log)
    normalised: npt.NDArray[np.float64] = out / out.sum()
    return normalised


def interviews_pmf(n: int, p: float, shape: float | None) -> npt.NDArray[np.float64]:
    """The distribution of interviews from ``n`` applications: beta-binomial with ``shape``,
    binomial when ``shape`` is None."""
    return binomial_pmf(n, p) if shape is None else betabinomial_pmf(n, p, shape)


def interviews_quantile(n: int, p: float, q: float, shape: float | None = None) -> int:
    """The ``q`` quantile of the interviews from ``n`` applications (see :func:`interviews_pmf`)."""
    cdf = np.cumsum(interviews_pmf(n, p, shape))
    return int(np.searchsorted(cdf, q - 1e-12))


def active_mean_yield(applications: int, mean_active: float, shape: float | None) -> float:
    """The yield p for which ``applications`` give ``mean_active`` interviews on average among
    those with at least one (E[K | K >= 1] = mean_active): published list lengths count only
    applicants who ranked a program.  Bisection; E[K | K >= 1] rises with p."""
    k = np.arange(applications + 1)

    def active_mean(p: float) -> float:
        pmf = interviews_pmf(applications, p, shape)
        rest = 1.0 - float(pmf[0])
        return float(np.dot(k, pmf)) / rest if rest > 0 else 1.0

    lo, hi = 1e-6, 1.0 - 1e-6
    if mean_active <= active_mean(lo):
        return lo
    for _ in range(60):
        mid = (lo + hi) / 2
        if active_mean(mid) < mean_active:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


@dataclass(frozen=True)
class FunnelPoint:
    """The funnel at ``applications`` sent."""

    applications: int
    usable: int
    """Applications that can lead to an interview (programs that could take the person)."""
    interviews: float
    interviews_range: tuple[float, float]
    p_match: float
    p_match_range: tuple[float, float]


def _expect(pmf: npt.NDArray[np.float64], by_k: npt.NDArray[np.float64]) -> float:
    """sum_k pmf[k] * by_k[k], with by_k[0] = 0 and by_k held at its last value past its end."""
    k_max = by_k.shape[0] - 1
    head = pmf[: k_max + 1]
    total = float(np.dot(head, by_k[: head.shape[0]]))
    if pmf.shape[0] > k_max + 1:
        total += float(pmf[k_max + 1 :].sum()) * float(by_k[-1])
    return total


def funnel_point(
    applications: int,
    usable_programs: int | None,
    rate: Yield,
    chance_by_k: Sequence[float],
    chance_low_by_k: Sequence[float],
    chance_high_by_k: Sequence[float],
    shape: float | None = None,
) -> FunnelPoint:
    """The funnel at ``applications``.  ``chance_by_k[k]`` is P(match | k interviews) for
    k = 0..k_max (index 0 must be 0); the low and high sequences bound it (e.g. the 5th and 95th
    percentiles over simulated markets).  The range of P(match) combines the yield's range with
    those bounds (low yield with low chances, high with high).  ``shape``: how much the yield
    varies between people (:func:`interviews_pmf`)."""
    usable = applications if usable_programs is None else min(applications, usable_programs)
    central = np.asarray(chance_by_k, np.float64)
    low = np.asarray(chance_low_by_k, np.float64)
    high = np.asarray(chance_high_by_k, np.float64)
    p = _expect(interviews_pmf(usable, rate.central, shape), central)
    p_lo = _expect(interviews_pmf(usable, rate.low, shape), low)
    p_hi = _expect(interviews_pmf(usable, rate.high, shape), high)
    return FunnelPoint(
        applications=applications,
        usable=usable,
        interviews=usable * rate.central,
        interviews_range=(usable * rate.low, usable * rate.high),
        p_match=p,
        p_match_range=(min(p_lo, p), max(p_hi, p)),
    )
