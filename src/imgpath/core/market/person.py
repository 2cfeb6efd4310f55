"""Personal odds: one applicant placed into a simulated national Match.

One applicant barely moves a market of 47,000, so instead of re-running the Match for every
person, list length and specialty, imgpath solves the market once and asks, for the person's
list in order, whether each program would take them: a program takes an applicant it ranks above
the last one it matched (or any applicant it ranks, if it has a vacancy).  The person matches at
the first such program.  A test compares this with re-solving the market with the person inside.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from imgpath.core.market.draws import interview
from imgpath.core.market.generate import SimMarket
from imgpath.core.matching.solve import MarketOutcome

__all__ = ["Person", "person_odds", "program_thresholds"]


@dataclass(frozen=True)
class Person:
    """The applicant, in the model's terms."""

    kind: str
    """An applicant type of the model (us_img, non_us_img, us_md_senior ...)."""
    z: float | None = None
    """Step 2 CK as a standard score within the type; None: unknown.  It sets part of the
    person's standing (``model.step2ck_weight``); the rest is drawn."""
    needs_visa: bool = False
    j1_open: bool = True
    h1b_open: bool = True


def program_thresholds(sim: SimMarket, outcome: MarketOutcome) -> npt.NDArray[np.float64]:
    """The score an applicant needs to beat at each program (-inf where a place is left)."""
    market = sim.market
    n_app = market.n_applicants
    n_prog = market.n_programs
    owners = np.repeat(np.arange(n_prog, dtype=np.int64), np.diff(market.program_rol_offsets))
    keys = owners * n_app + market.program_rol.astype(np.int64)
    order = np.argsort(keys)
    keys, scores = keys[order], sim.program_rol_score[order]
    a = outcome.assignment
    holders_p = np.concatenate([a.prim[a.prim >= 0], a.supp[a.supp >= 0]]).astype(np.int64)
    holders_a = np.concatenate([np.flatnonzero(a.prim >= 0), np.flatnonzero(a.supp >= 0)]).astype(
        np.int64
    )
    found = np.searchsorted(keys, holders_p * n_app + holders_a)
    held = scores[np.minimum(found, keys.shape[0] - 1)]
    lowest = np.full(n_prog, np.inf)
    np.minimum.at(lowest, holders_p, held)
    full = outcome.report.count >= outcome.report.capacity
    return np.where(full, lowest, -np.inf)


def person_odds(
    sim: SimMarket,
    thresholds: npt.NDArray[np.float64],
    person: Person,
    specialty: int,
    ranks: Sequence[int],
    *,
    draws: int,
    seed: int,
) -> list[float]:
    """P(match) in ``specialty`` for each list length of ``ranks``, over ``draws`` versions of the person."""
    model = sim.model
    rng = np.random.default_rng(np.random.SeedSequence([seed, specialty]))
    programs = np.flatnonzero(sim.program_specialty == specialty)
    if person.needs_visa:
        usable = (sim.program_j1[programs] & person.j1_open) | (
            sim.program_h1b[programs] & person.h1b_open
        )
        programs = programs[usable]
    if programs.shape[0] == 0 or not ranks:
        return [0.0 for _ in ranks]
    offset = model.types[person.kind].strength_offset
    # Step 2 CK is part of how programs judge an applicant, not all of it: the rest is unknown.
    weight = model.step2ck_weight
    rest = rng.normal(size=draws)
    z = rest if person.z is None else weight * person.z + math.sqrt(1 - weight * weight) * rest
    strength = (offset + z).astype(np.float32)
    centre, spread = sim.specialty_standing[specialty]
    standing = ((strength - centre) / spread).astype(np.float32)
    region = rng.integers(0, model.regions, size=draws).astype(np.int8)
    k = int(max(ranks))
    want = np.full(draws, k, np.int64)
    starts = np.arange(draws + 1, dtype=np.int64) * k
    out = np.full(draws * k, -1, np.int32)
    got = np.zeros(draws, np.int64)
    order = np.argsort(sim.program_appeal[programs], kind="stable")
    seats = np.cumsum(sim.market.quota[programs][order], dtype=np.float64)
    interview(
        seats / seats[-1],
        np.ascontiguousarray(programs[order], dtype=np.int32),
        sim.program_appeal, sim.program_region, standing, region, want, starts,
        model.programs.interview_spread, model.programs.region_taste,
        rng.integers(2**63, size=1, dtype=np.uint64), out, got, np.zeros(out.shape[0], np.float32),
    )  # fmt: skip
    lists = out.reshape(draws, k)
    valid = np.arange(k)[None, :] < got[:, None]
    ranked = rng.random((draws, k)) < model.types[person.kind].considered_share
    score = strength[:, None] + model.programs.noise_sd * rng.normal(size=(draws, k))
    accept = valid & ranked & (score > thresholds[np.where(valid, lists, 0)])
    first = np.where(accept.any(axis=1), accept.argmax(axis=1), k)
    return [float(np.mean(first < r)) for r in ranks]
