"""A solved national Match kept for personal odds: its matching and rank-list state as arrays.

A :class:`StoredMatch` is what a simulated national Match leaves behind for one person's odds:
who holds each position, the score the program gave them, where the program sits on their list,
and the parts of the market a person's list is drawn from.  It is plain arrays (saved as ``.npy``
files and memory-mapped back), built once per model and seed and shared by every user.

:func:`person_chances` inserts one person into it by a rejection chain (see
:func:`imgpath.core.market.draws.insert_person`) instead of re-solving the Match: for singles the
result equals a full re-run (a property test holds it); couples are the approximation.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt

from imgpath.core.market.draws import insert_each, interview
from imgpath.core.market.generate import SimMarket
from imgpath.core.market.model import MarketModel
from imgpath.core.market.person import Person
from imgpath.core.matching.solve import MarketOutcome

__all__ = ["ARRAYS", "StoredMatch", "person_chances", "stored_match"]

LOG = 1 << 20
"""Steps a rejection chain may take (far above the longest measured: see the benchmark)."""


@dataclass(frozen=True, eq=False)
class StoredMatch:
    """One solved national Match, as arrays (shapes: A applicants, E rank-list entries, S slots,
    P programs, K specialties)."""

    a_off: npt.NDArray[np.int64]
    """(A+2,) offsets of each applicant's primary list in ``a_prog``; one extra, empty row for
    the person inserted."""
    a_prog: npt.NDArray[np.int32]
    """(E,) programs on applicants' primary lists, in order."""
    a_score: npt.NDArray[np.float32]
    """(E,) the score the program gave the applicant (-inf: the program does not rank them)."""
    h_off: npt.NDArray[np.int64]
    """(P+1,) each program's slots (its final positions, after reversions)."""
    h_app: npt.NDArray[np.int32]
    """(S,) the applicant holding the slot, -1 if empty."""
    h_score: npt.NDArray[np.float32]
    """(S,) the score the program gave its holder."""
    h_idx: npt.NDArray[np.int32]
    """(S,) the index of the program on the holder's list (-1 for couple members)."""
    movable: npt.NDArray[np.bool_]
    """(A,) a single held from the primary list (who may be rejected and propose on)."""
    quota: npt.NDArray[np.int32]
    """(P,) positions offered (what a person's interviews are drawn in proportion to)."""
    program_specialty: npt.NDArray[np.int32]
    program_appeal: npt.NDArray[np.float32]
    program_region: npt.NDArray[np.int8]
    program_j1: npt.NDArray[np.bool_]
    program_h1b: npt.NDArray[np.bool_]
    specialty_standing: npt.NDArray[np.float64]
    """(K, 2) the mean and SD of each specialty's applicants' strength."""

    def as_arrays(self) -> dict[str, np.ndarray]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> StoredMatch:
        return cls(**{name: arrays[name] for name in ARRAYS})


ARRAYS = tuple(f.name for f in fields(StoredMatch))


def _scores_at(
    sim: SimMarket, programs: npt.NDArray[np.int64], applicants: npt.NDArray[np.int64]
) -> npt.NDArray[np.float32]:
    """The score each program gave each applicant (-inf where it does not rank them)."""
    market = sim.market
    n_app = market.n_applicants
    owners = np.repeat(
        np.arange(market.n_programs, dtype=np.int64), np.diff(market.program_rol_offsets)
    )
    keys = owners * n_app + market.program_rol.astype(np.int64)
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    scores = sim.program_rol_score[order]
    wanted = programs * n_app + applicants
    found = np.minimum(np.searchsorted(keys, wanted), max(keys.shape[0] - 1, 0))
    out = np.full(wanted.shape[0], -np.inf, np.float32)
    if keys.shape[0]:
        hit = keys[found] == wanted
        out[hit] = scores[found[hit]]
    return out


def stored_match(sim: SimMarket, outcome: MarketOutcome) -> StoredMatch:
    """What :func:`person_chances` needs from a generated market and its solved outcome."""
    market = sim.market
    n_app = market.n_applicants
    a_off = np.append(market.applicant_rol_offsets, market.applicant_rol_offsets[-1]).astype(
        np.int64
    )
    owner = np.repeat(np.arange(n_app, dtype=np.int64), np.diff(market.applicant_rol_offsets))
    a_score = _scores_at(sim, market.applicant_rol.astype(np.int64), owner)
    a = outcome.assignment
    prim_r = np.flatnonzero(a.prim >= 0)
    supp_r = np.flatnonzero(a.supp >= 0)
    hold_r = np.concatenate([prim_r, supp_r]).astype(np.int64)
    hold_p = np.concatenate([a.prim[prim_r], a.supp[supp_r]]).astype(np.int64)
    hold_i = np.concatenate([a.prim_idx[prim_r], np.full(supp_r.shape[0], -1)]).astype(np.int32)
    single = np.ones(n_app, np.bool_)
    if market.n_couples:
        single[market.couple_members.ravel()] = False
    movable = np.zeros(n_app, np.bool_)
    movable[prim_r] = single[prim_r] & (a.prim_idx[prim_r] >= 0)
    movable[supp_r] = False  # rejected from a supplemental place: the chain ends there
    count = np.bincount(hold_p, minlength=market.n_programs)
    slots = np.maximum(outcome.report.capacity.astype(np.int64), count)
    h_off = np.zeros(market.n_programs + 1, np.int64)
    np.cumsum(slots, out=h_off[1:])
    order = np.argsort(hold_p, kind="stable")
    hold_r, hold_p, hold_i = hold_r[order], hold_p[order], hold_i[order]
    first = np.searchsorted(hold_p, hold_p, side="left")
    at = h_off[hold_p] + (np.arange(hold_p.shape[0]) - first)
    h_app = np.full(int(h_off[-1]), -1, np.int32)
    h_score = np.full(int(h_off[-1]), -np.inf, np.float32)
    h_idx = np.full(int(h_off[-1]), -1, np.int32)
    h_app[at] = hold_r
    h_score[at] = _scores_at(sim, hold_p, hold_r)
    h_idx[at] = hold_i
    return StoredMatch(
        a_off=a_off, a_prog=market.applicant_rol.astype(np.int32), a_score=a_score, h_off=h_off,
        h_app=h_app, h_score=h_score, h_idx=h_idx, movable=movable, quota=market.quota.astype(np.int32),
        program_specialty=sim.program_specialty.astype(np.int32),
        program_appeal=sim.program_appeal.astype(np.float32),
        program_region=sim.program_region.astype(np.int8), program_j1=sim.program_j1.astype(np.bool_),
        program_h1b=sim.program_h1b.astype(np.bool_),
        specialty_standing=np.asarray(sim.specialty_standing, np.float64),
    )  # fmt: skip


def person_chances(
    stored: StoredMatch,
    model: MarketModel,
    person: Person,
    specialty: int,
    ranks: Sequence[int],
    *,
    draws: int,
    seed: int,
    considered: float | None = None,
) -> list[float]:
    """P(match) in ``specialty`` when ranking ``k`` programs, for each ``k`` of ``ranks``, over
    ``draws`` versions of the person (their unknown standing and region drawn, then for each
    ``k`` a list of ``k`` programs of their standing, each program ranking them with the type's
    considered share).  The estimate for one ``k`` depends only on ``(seed, specialty, k)``,
    never on the other numbers asked (the lists are not prefixes of one list).  ``considered``:
    the share of the person's programs that rank them (default: the type's, as in the market).
    """
    programs = np.flatnonzero(stored.program_specialty == specialty)
    if person.needs_visa:
        usable = (stored.program_j1[programs] & person.j1_open) | (
            stored.program_h1b[programs] & person.h1b_open
        )
        programs = programs[usable]
    if programs.shape[0] == 0:
        return [0.0 for _ in ranks]
    spec = model.types[person.kind]
    rng = np.random.default_rng(np.random.SeedSequence([seed, specialty]))
    weight = model.step2ck_weight
    rest = rng.normal(size=draws)
    z = rest if person.z is None else weight * person.z + math.sqrt(1 - weight * weight) * rest
    strength = (spec.strength_offset + z).astype(np.float32)
    centre, spread = stored.specialty_standing[specialty]
    standing = ((strength - centre) / spread).astype(np.float32)
    region = rng.integers(0, model.regions, size=draws).astype(np.int8)
    order = np.argsort(stored.program_appeal[programs], kind="stable")
    seats = np.cumsum(stored.quota[programs][order], dtype=np.float64)
    candidates = np.ascontiguousarray(programs[order], dtype=np.int32)
    logs = (
        np.zeros(LOG, np.int64),
        np.zeros(LOG, np.int32),
        np.zeros(LOG, np.float32),
        np.zeros(LOG, np.int32),
    )
    h_app, h_score, h_idx = stored.h_app.copy(), stored.h_score.copy(), stored.h_idx.copy()
    out = []
    for k in ranks:
        if k < 1:
            out.append(0.0)
            continue
        rng_k = np.random.default_rng(np.random.SeedSequence([seed, specialty, k]))
        lists = np.full(draws * k, -1, np.int32)
        got = np.zeros(draws, np.int64)
        interview(
            seats / seats[-1], candidates, stored.program_appeal, stored.program_region, standing,
            region, np.full(draws, k, np.int64), np.arange(draws + 1, dtype=np.int64) * k,
            model.programs.interview_spread, model.programs.region_taste,
            rng_k.integers(2**63, size=1, dtype=np.uint64), lists, got, np.zeros(draws * k, np.float32),
        )  # fmt: skip
        share = spec.considered_share if considered is None else considered
        ranked = rng_k.random((draws, k)) < share
        score = strength[:, None] + model.programs.noise_sd * rng_k.normal(size=(draws, k))
        scores = np.where(ranked, score, -np.inf).astype(np.float32)
        result = np.full(draws, -1, np.int64)
        insert_each(
            stored.a_off, stored.a_prog, stored.a_score, stored.h_off, h_app, h_score, h_idx,
            stored.movable, lists.reshape(draws, k), got, scores, *logs, result,
        )  # fmt: skip
        out.append(float(np.mean(result >= 0)))
    return out
