"""Compiled draws for market generation: who interviews where, in what order.

Each applicant draws candidate programs near their own standing: a target seat quantile drawn
around their standing (``Phi(standing + spread * N)``), mapped to the program holding that seat
when the specialty's positions are lined up by appeal, so a program is drawn in proportion to its
size (programs invite interviewees in proportion to their positions).  The applicant keeps the
first ``k`` distinct programs and ranks them by appeal, region and taste.  Written as a compiled loop with its own
splitmix64 generator (seeded by the caller: no global randomness), because doing it with arrays
costs a full applicants x programs matrix per specialty.
"""

from __future__ import annotations

import math

import numpy as np

from imgpath.core.matching.jit import jit

__all__ = ["interview"]


@jit
def _next(state: np.ndarray) -> float:
    """A uniform float in (0, 1) from a splitmix64 generator held in ``state[0]``."""
    state[0] += np.uint64(0x9E3779B97F4A7C15)
    z = state[0]
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    return float((float(z >> np.uint64(11)) + 0.5) / 9007199254740992.0)


@jit
def _normal(state: np.ndarray) -> float:
    u1 = _next(state)
    u2 = _next(state)
    return float(np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2))


@jit
def interview(
    seat_quantile: np.ndarray,
    sorted_program: np.ndarray,
    program_appeal: np.ndarray,
    program_region: np.ndarray,
    strength: np.ndarray,
    region: np.ndarray,
    want: np.ndarray,
    starts: np.ndarray,
    spread: float,
    region_taste: float,
    state: np.ndarray,
    out: np.ndarray,
    got: np.ndarray,
    taste: np.ndarray,
) -> None:
    """Fill ``out[starts[i]:starts[i] + got[i]]`` with applicant ``i``'s ranked programs.

    ``sorted_program``: the candidate programs by ascending appeal; ``seat_quantile[j]``: the share of
    their positions held by programs ``0..j`` (ending at 1).  Row ``i``
    wants ``want[i]`` programs; it gets fewer only if there are not enough candidates.
    ``taste`` is scratch space of the same length as ``out``; ``state`` (one uint64, seeded by the
    caller) is the generator's state (compiled code here never allocates).
    """
    n = seat_quantile.shape[0]
    for i in range(strength.shape[0]):
        k = min(want[i], n)
        base = starts[i]
        count = 0
        tries = 0
        while count < k and tries < 8 * k + 16:
            tries += 1
            z = strength[i] + spread * _normal(state)
            target = 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))
            lo, hi = 0, n - 1
            while lo < hi:  # the program holding the target seat
                mid = (lo + hi) // 2
                if seat_quantile[mid] < target:
                    lo = mid + 1
                else:
                    hi = mid
            p = sorted_program[lo]
            seen = False
            for c in range(count):
                if out[base + c] == p:
                    seen = True
                    break
            if not seen:
                out[base + count] = p
                pref = program_appeal[p] + _normal(state)
                if program_region[p] == region[i]:
                    pref += region_taste
                taste[base + count] = pref
                count += 1
        got[i] = count
        for a in range(1, count):  # insertion sort, best taste first
            p = out[base + a]
            t = taste[base + a]
            b = a - 1
            while b >= 0 and taste[base + b] < t:
                out[base + b + 1] = out[base + b]
                taste[base + b + 1] = taste[base + b]
                b -= 1
            out[base + b + 1] = p
            taste[base + b + 1] = t
