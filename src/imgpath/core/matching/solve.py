"""Solve a Match: run the kernel, audit the outcome, and cope with couples that cycle.

With couples a stable matching may not exist, and the Roth–Peranson process may cycle even when
one does.  Three measures, from cheapest to dearest:

1. a couple whose insertion keeps cycling is moved to the end of the order and insertion restarts
   from the saved post-singles state; if it cycles again it is *left out* (unmatched, and its
   blocking pairs are reported) so that everybody else still gets a stable place;
2. if the result is still unstable, the whole couples phase is retried with the couples in other
   (seeded, so reproducible) orders, up to ``attempts`` times, keeping the matching with the
   fewest blocking pairs (Roth–Peranson's own remedy, as in Bacchus's implementation);
3. if blocking pairs remain (or couples were left out), an exact model of stability
   (:mod:`imgpath.core.matching.exact`, CP-SAT) repairs a neighbourhood of them, grown along
   rejection chains with everyone else fixed, until a stable matching is found, the whole market
   is proven to have none, or a deterministic time bound runs out.  The result says which:
   ``stable``, ``stable_exists is False`` (proved) or ``stable_exists is None`` (undecided).

Every result, the exact repair's included, is checked by the audit.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal, TypeVar

import numpy as np

from imgpath.core.matching.audit import (
    BLOCK_COUPLE,
    BLOCK_SINGLE,
    VIOLATIONS,
    Assignment,
    AuditReport,
    audit,
)
from imgpath.core.matching.instance import Instance
from imgpath.core.matching.kernel import (
    STABLE,
    KernelInput,
    State,
    copy_state,
    insert_couples,
    kernel_input,
    new_state,
    run_singles,
    steps_taken,
    sweep_couples,
    sweep_repairs,
)
from imgpath.core.matching.market import NO_PROGRAM, Market
from imgpath.errors import EngineError

__all__ = ["BlockingPair", "MarketOutcome", "Result", "solve", "solve_market"]

DEFAULT_ATTEMPTS = 8
"""Couple orders tried before giving up on finding a stable matching."""

DEFAULT_WORKERS = 2
"""Couple orders ``solve`` tries at once (threads).  Only markets where the first order fails
gain; the outcome never depends on it.  Simulations solve with one attempt, so one thread."""

SWEEPS = 50
"""Blocking pairs the final audit sweep may satisfy before the attempt counts as cycling."""

LOCAL_BUDGET = 5_000
"""Steps one couple's insertion (or one repair) may take before it counts as cycling.

Measured on national example markets (seeds 1-3, 3,450 insertions): median 33 steps, at most 118.
"""

RESTARTS = 20
"""Restarts of couple insertion per attempt (one per couple deferred or left out)."""

EXACT_TIME = 30.0
"""Deterministic seconds (CP-SAT's measure, about a second of one core each) the exact repair
may spend before the result is reported undecided."""

CHECKPOINT = 128
"""Couples inserted between saved states (a restart resumes from the last save before its couple)."""

_GOLDEN = 0x9E3779B97F4A7C15
T = TypeVar("T")


@dataclass(frozen=True, eq=False)
class MarketOutcome:
    """The outcome of a solve in integer form: what simulations use, no labels involved."""

    assignment: Assignment
    report: AuditReport
    attempts: int
    restarts: int
    left_out: tuple[int, ...]
    """Couples whose insertion kept cycling and who were left unmatched (indices)."""
    steps: int
    repairs: int
    """Blocking pairs the final audit sweep had to satisfy, over all attempts."""
    seconds: float
    stable_exists: bool | None
    """True when a stable matching was found; False when the exact model proved there is none;
    None when the exact repair's time bound ran out first (undecided)."""
    singles_settled: bool = True
    """False when the singles phase itself kept cycling (supplemental lists can do that), in which
    case no couple was placed."""
    repair_seconds: float = 0.0
    """Wall time of the exact repair (0 when the Roth–Peranson process was stable)."""
    repair_free: int = 0
    """Applicants the exact repair could move (0 when it did not run)."""

    @property
    def stable(self) -> bool:
        return self.report.stable


def _assignment(state: State) -> Assignment:
    return Assignment(state.prim, state.prim_idx, state.supp, state.sidx, state.cpair)


def _insert_couples(
    M: KernelInput, base: State, order: list[int], *, local_budget: int, rng_seed: int
) -> tuple[State, list[int], int, int]:
    """Insert couples after the singles phase in ``base``; defer, then leave out, cycling ones.

    Returns the final state, the couples left out, the steps taken and the restarts made.

    A restart without the cycling couple would replay every insertion before it, which is
    deterministic; so the state is saved every ``CHECKPOINT`` couples and a restart resumes from
    the last save before the couple's place.  The result is the one a replay from ``base`` gives
    (the tests compare both); only the work differs.
    """
    deferred: set[int] = set()
    left_out: list[int] = []
    steps = 0
    order = list(order)
    start = copy_state(base)
    start.rng[0] = np.uint64(rng_seed % 2**64)
    saves: dict[int, State] = {0: start}
    resume = 0
    for restart in range(RESTARTS + 1):
        state = copy_state(saves[resume])
        begun = steps_taken(state)
        cycling = _run_from(M, state, order, resume, saves, local_budget)
        steps += steps_taken(state) - begun
        if cycling < 0 or restart == RESTARTS:
            return state, left_out, steps, restart
        at = order.index(cycling)
        order.remove(cycling)
        if cycling in deferred:
            left_out.append(cycling)
        else:
            deferred.add(cycling)
            order.append(cycling)
        for point in [p for p in saves if p > at]:  # saves past the couple's place are stale
            del saves[point]
        resume = max(saves)
    return state, left_out, steps, RESTARTS  # pragma: no cover - the loop always returns


def _run_from(
    M: KernelInput, state: State, order: list[int], first: int, saves: dict[int, State],
    local_budget: int,
) -> int:  # fmt: skip
    """Insert ``order[first:]`` into ``state`` (saving it at checkpoints), then sweep."""
    couples = np.asarray(order, dtype=np.int32)
    for at in range(first, len(order), CHECKPOINT):
        if at not in saves:
            saves[at] = copy_state(state)
        cycling = insert_couples(
            M, state, couples, at, min(at + CHECKPOINT, len(order)), local_budget
        )
        if cycling >= 0:
            return cycling
    return sweep_couples(M, state, local_budget, SWEEPS)


def _attempts(run: Callable[[int], T], attempts: int, workers: int) -> Generator[T, None, None]:
    """``run(0)``, ``run(1)``, ... in order, computed ``workers`` at a time.

    The caller stops early (a stable matching); attempts already computed beyond that point are
    simply discarded, so the outcome never depends on ``workers``.
    """
    if workers == 1 or attempts == 1:
        yield from (run(a) for a in range(attempts))
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="imgpath-match") as pool:
        for first in range(0, attempts, workers):
            yield from pool.map(run, range(first, min(first + workers, attempts)))


def solve_market(
    market: Market,
    *,
    seed: int = 0,
    attempts: int = DEFAULT_ATTEMPTS,
    budget: int | None = None,
    local_budget: int = LOCAL_BUDGET,
    exact_time: float = EXACT_TIME,
    workers: int = 1,
) -> MarketOutcome:
    """Match ``market``; deterministic for the same market, seed and settings.

    ``budget`` bounds the steps of the singles phase (default: 20 per rank-list entry, plenty),
    ``local_budget`` those of each couple's insertion and each repair after it.  ``workers``
    couple orders are tried at once, in threads (the compiled kernel runs without the GIL); the
    outcome is the same for any number, only the wall time differs.  ``exact_time`` bounds the
    exact repair in CP-SAT's deterministic seconds (0: no repair, the result may be undecided).
    """
    if attempts < 1 or workers < 1:
        msg = f"attempts and workers must be 1 or more, got {attempts} and {workers}"
        raise ValueError(msg)
    start = time.perf_counter()
    M = kernel_input(market)
    entries = (
        market.applicant_rol.shape[0]
        + market.supplemental_programs.shape[0]
        + market.couple_rol.shape[0]
    )
    budget = budget if budget is not None else 20 * entries + 100_000
    base = new_state(market)
    singles_settled = run_singles(M, base, budget, seed) == STABLE
    total_steps = steps_taken(base)
    if market.n_couples == 0 or not singles_settled:
        attempts = 1  # another couple order cannot change anything
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    orders = [list(range(market.n_couples))]
    orders += [rng.permutation(market.n_couples).tolist() for _ in range(attempts - 1)]

    def attempt_at(attempt: int) -> tuple[State, list[int], int, int, AuditReport]:
        if singles_settled:
            state, left_out, steps, restarted = _insert_couples(
                M, base, orders[attempt], local_budget=local_budget,
                rng_seed=(seed * 1_000_003 + attempt) * _GOLDEN + 1,
            )  # fmt: skip
        else:  # the singles phase itself cycled (supplemental lists or reversions): stop here
            state, left_out, steps, restarted = base, orders[attempt], 0, 0
        return state, left_out, steps, restarted, audit(market, _assignment(state))

    best: tuple[int, Assignment, AuditReport, tuple[int, ...]] | None = None
    repairs = restarts = tried = 0
    with closing(_attempts(attempt_at, attempts, workers)) as results:
        for state, left_out, steps, restarted, report in results:
            tried += 1
            total_steps += steps
            restarts += restarted
            repairs += sweep_repairs(state)
            assignment = _assignment(state)
            if not report.valid:
                code, agent = (int(x) for x in report.violations[0])
                msg = (
                    f"the engine produced an invalid matching ({VIOLATIONS[code]}, index {agent}); "
                    "please report this with the input file"
                )
                raise EngineError(msg)
            if best is None or report.n_blocking < best[0]:
                best = (report.n_blocking, assignment, report, tuple(left_out))
            if report.stable or market.n_couples == 0 or not singles_settled:
                break
    assert best is not None
    _, assignment, report, left = best
    stable_exists: bool | None = True if report.stable else None
    repair_seconds = 0.0
    repair_free = 0
    if not report.stable and exact_time > 0:
        from imgpath.core.matching.exact import repair  # OR-Tools loads only when needed

        began = time.perf_counter()
        singles, couples = _agents_to_free(market, report, left)
        fixed = repair(market, assignment, singles, couples, seed=seed, time_bound=exact_time)
        repair_seconds = time.perf_counter() - began
        repair_free = fixed.free_applicants
        if fixed.status == "stable" and fixed.assignment is not None:
            checked = audit(market, fixed.assignment)
            if not checked.stable:
                msg = (
                    "the exact repair returned a matching the audit finds unstable; please "
                    "report this with the input file"
                )
                raise EngineError(msg)
            assignment, report, left, stable_exists = fixed.assignment, checked, (), True
        elif fixed.status == "none":
            stable_exists = False
    return MarketOutcome(
        assignment=assignment,
        report=report,
        attempts=tried,
        restarts=restarts,
        left_out=left,
        steps=total_steps,
        repairs=repairs,
        seconds=time.perf_counter() - start,
        stable_exists=stable_exists,
        singles_settled=singles_settled,
        repair_seconds=repair_seconds,
        repair_free=repair_free,
    )


def _agents_to_free(
    market: Market, report: AuditReport, left_out: tuple[int, ...]
) -> tuple[set[int], set[int]]:
    """The singles and couples the exact repair starts from: everyone in a blocking pair and
    every couple left out."""
    couple_of = market.prepared.couple_of
    singles: set[int] = set()
    couples: set[int] = set(left_out)
    for kind, agent, _ in report.blocking.tolist():
        if kind == BLOCK_COUPLE:
            couples.add(int(agent))
        elif couple_of[agent] >= 0:
            couples.add(int(couple_of[agent]))
        else:
            singles.add(int(agent))
    return singles, couples


@dataclass(frozen=True)
class BlockingPair:
    """An applicant (or couple) and a program (or pair) who would both rather be together.

    ``kind`` is ``single`` (a primary-list entry), ``supplemental`` (a PGY-1 program on the
    supplemental list of a held advanced position) or ``couple`` (a pair on a couple's list).
    """

    kind: Literal["single", "supplemental", "couple"]
    applicants: tuple[str, ...]
    programs: tuple[str | None, ...]

    def to_dict(self) -> dict[str, Any]:
        if self.kind == "couple":
            return {
                "kind": self.kind,
                "couple": list(self.applicants),
                "programs": list(self.programs),
            }
        return {"kind": self.kind, "applicant": self.applicants[0], "program": self.programs[0]}


@dataclass(frozen=True, eq=False)
class Result:
    """The outcome of :func:`solve`, with labels.  Mappings are built on first use."""

    instance: Instance
    outcome: MarketOutcome

    @property
    def stable(self) -> bool:
        """True when no applicant, couple or supplemental list has a blocking pair."""
        return self.outcome.stable

    @property
    def stable_exists(self) -> bool | None:
        """Whether any stable matching exists: True, False (proved), or None (not known)."""
        return self.outcome.stable_exists

    @cached_property
    def matches(self) -> dict[str, str | None]:
        """Every applicant's primary match (None: unmatched)."""
        codes = self.instance.program_codes
        return {
            a: (codes[p] if p != NO_PROGRAM else None)
            for a, p in zip(
                self.instance.applicant_ids, self.outcome.assignment.prim.tolist(), strict=True
            )
        }

    @cached_property
    def supplemental_matches(self) -> dict[str, str]:
        """PGY-1 positions matched from supplemental lists, by applicant."""
        supp = self.outcome.assignment.supp
        codes = self.instance.program_codes
        ids = self.instance.applicant_ids
        return {ids[a]: codes[supp[a]] for a in np.flatnonzero(supp >= 0).tolist()}

    @cached_property
    def final_quotas(self) -> dict[str, int]:
        """Each program's quota after reversions."""
        return dict(
            zip(self.instance.program_codes, self.outcome.report.capacity.tolist(), strict=True)
        )

    @cached_property
    def reverted(self) -> dict[str, int]:
        """Positions each receiver gained from reversions (receivers that gained any)."""
        gained = self.outcome.report.capacity - self.instance.market.quota
        codes = self.instance.program_codes
        return {codes[p]: int(gained[p]) for p in np.flatnonzero(gained > 0).tolist()}

    @cached_property
    def unfilled(self) -> dict[str, int]:
        """Positions left empty, by program (programs with none left empty are omitted).

        A donor's unfilled positions that reverted to a receiver count at the receiver.
        """
        report = self.outcome.report
        empty = report.capacity - report.count - report.given
        codes = self.instance.program_codes
        return {codes[p]: int(empty[p]) for p in np.flatnonzero(empty > 0).tolist()}

    @cached_property
    def blocking_pairs(self) -> tuple[BlockingPair, ...]:
        """The blocking pairs of the returned matching (empty when it is stable)."""
        inst = self.instance
        m = inst.market
        ids = inst.applicant_ids
        out: list[BlockingPair] = []
        for kind, agent, j in self.outcome.report.blocking.tolist():
            if kind == BLOCK_SINGLE:
                p = int(m.applicant_rol[m.applicant_rol_offsets[agent] + j])
                out.append(BlockingPair("single", (ids[agent],), (inst.program(p),)))
            elif kind == BLOCK_COUPLE:
                k = m.couple_rol_offsets[agent] + j
                m1, m2 = m.couple_members[agent].tolist()
                p1, p2 = m.couple_rol[k].tolist()
                out.append(
                    BlockingPair("couple", (ids[m1], ids[m2]), (inst.program(p1), inst.program(p2)))
                )
            else:
                lst = _active_list_of(inst, self.outcome.assignment, agent)
                p = int(m.supplemental_programs[m.supplemental_offsets[lst] + j])
                out.append(BlockingPair("supplemental", (ids[agent],), (inst.program(p),)))
        return tuple(out)

    @cached_property
    def stats(self) -> dict[str, Any]:
        """Counts and timings: what a summary table shows."""
        m = self.instance.market
        a = self.outcome.assignment
        report = self.outcome.report
        matched = int((a.prim >= 0).sum())
        first = 0
        singles = np.flatnonzero(m.prepared.couple_of < 0)
        if singles.shape[0]:
            first = int((a.prim_idx[singles] == 0).sum())
        positions = int(report.capacity.sum())
        filled = int(report.count.sum())
        return {
            "applicants": m.n_applicants,
            "couples": m.n_couples,
            "programs": m.n_programs,
            "positions": int(m.quota.sum()),
            "positions_after_reversions": positions,
            "matched": matched,
            "unmatched": m.n_applicants - matched,
            "matched_first_choice": first,
            "supplemental_matched": int((a.supp >= 0).sum()),
            "filled": filled,
            "unfilled": sum(self.unfilled.values()),
            "reverted": int(sum(self.reverted.values())),
            "couples_matched": int((a.cpair >= 0).sum()),
            "blocking_pairs": report.n_blocking,
            "stable": self.stable,
            "stable_exists": self.stable_exists,
            "attempts": self.outcome.attempts,
            "restarts": self.outcome.restarts,
            "couples_left_out": len(self.outcome.left_out),
            "steps": self.outcome.steps,
            "sweep_repairs": self.outcome.repairs,
            "exact_repair_free": self.outcome.repair_free,
            "exact_repair_seconds": round(self.outcome.repair_seconds, 4),
            "seconds": round(self.outcome.seconds, 4),
        }

    def to_dict(self) -> dict[str, Any]:
        """The JSON output: ``matches``, ``supplemental_matches``, ``unfilled``, ``stable``,
        ``blocking_pairs`` and ``stats``."""
        return {
            "matches": self.matches,
            "supplemental_matches": self.supplemental_matches,
            "unfilled": self.unfilled,
            "stable": self.stable,
            "stable_exists": self.stable_exists,
            "blocking_pairs": [bp.to_dict() for bp in self.blocking_pairs],
            "reverted": self.reverted,
            "stats": self.stats,
        }


def _active_list_of(instance: Instance, a: Assignment, r: int) -> int:
    m = instance.market
    c = int(m.prepared.couple_of[r])
    if c < 0:
        return int(m.applicant_rol_supplemental[m.applicant_rol_offsets[r] + a.prim_idx[r]])
    side = 0 if m.couple_members[c, 0] == r else 1
    return int(m.couple_rol_supplemental[m.couple_rol_offsets[c] + a.cpair[c], side])


def solve(
    instance: Instance,
    *,
    seed: int = 0,
    attempts: int = DEFAULT_ATTEMPTS,
    workers: int = DEFAULT_WORKERS,
) -> Result:
    """Run the Match on ``instance`` and audit the result.

    The result is stable whenever the engine (Roth–Peranson, then the exact repair) finds a
    stable matching; otherwise ``stable`` is False, ``blocking_pairs`` lists what would break it,
    and ``stable_exists`` says whether none exists (False, proved) or the question is undecided
    (None).  The same instance and seed always give the same result, whatever ``workers`` is.
    """
    outcome = solve_market(instance.market, seed=seed, attempts=attempts, workers=workers)
    return Result(instance, outcome)
