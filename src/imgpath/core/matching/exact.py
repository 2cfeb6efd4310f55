"""An exact model of stability (OR-Tools CP-SAT): find a stable matching, or prove there is none.

Deciding whether a market with couples has a stable matching is NP-complete (Ronn 1990), and the
Roth–Peranson process can miss one that exists (Drummond, Perrault & Bacchus 2015; the project's
own audit, 2.1% of medium markets).  Complete methods are constraint models (Biró, Manlove &
McBride 2014; Manlove, McBride & Trimble 2017).  This is one, over the same definitions as the
audit (:mod:`imgpath.core.matching.holders`):

* one 0/1 variable per option of a *free* agent: a single's primary entry, a couple's pair, a
  PGY-1 entry of the supplemental list hanging on an advanced entry; at most one of each;
* capacities, with quotas after reversions (a donor's unfilled positions, in the order listed);
* for every entry an agent prefers to what it holds, the program must be full of applicants it
  ranks higher (the "no blocking pair" clauses; for couples, per the couple rule: a partner who
  stays keeps the seat, a mover finds no partner's seat free, both moving into one program need
  room for both).

Agents not free keep the seats they hold in a given matching; their stability is still required,
so a model that is infeasible says only that no stable matching agrees with the fixed part.
:func:`repair` grows the free part along rejection chains (who would block if seats moved, who
could be displaced) until the model is feasible, covers the market (infeasible then is a proof
that no stable matching exists), or the deterministic time bound runs out.

CP-SAT runs on one worker with a fixed seed and a *deterministic* time limit, so the same market,
matching, seed and bound always give the same answer, whatever the machine's load.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from ortools.sat.python import cp_model

from imgpath.core.matching.audit import Assignment
from imgpath.core.matching.market import Market

__all__ = ["ExactResult", "repair", "solve_exactly"]

Status = Literal["stable", "none", "unknown"]

_Expr = cp_model.LinearExpr | int
Lit = cp_model.LiteralT


@dataclass(frozen=True, eq=False)
class ExactResult:
    """``status``: ``stable`` (``assignment`` is a stable matching), ``none`` (proved: no stable
    matching agrees with the fixed agents; with none fixed, the market has none) or ``unknown``
    (the time bound ran out)."""

    status: Status
    assignment: Assignment | None
    free_applicants: int
    """Applicants whose seats the model could change (couple members included)."""
    rounds: int
    deterministic_time: float


class _Model:
    """One CP-SAT model: free agents' options, everyone's stability."""

    def __init__(
        self,
        market: Market,
        fixed: Assignment | None,
        free_singles: set[int],
        free_couples: set[int],
    ) -> None:
        self.m = market
        self.prep = market.prepared
        self.fixed = fixed
        self.free_singles = free_singles
        self.free_couples = free_couples
        self.model = cp_model.CpModel()
        self.violated: set[tuple[int, int]] = set()
        """Fixed agents (kind 0 single/supplemental owner, 1 couple) whose clause is false."""
        self.at_risk: set[tuple[int, int]] = set()
        """Fixed agents whose stability depends on the free agents' choices."""
        self.core: set[tuple[int, int]] = set()
        """After an infeasible solve: fixed agents whose stability, together, rules out every
        choice of the free agents (the next agents to free)."""
        self._f_cache: dict[tuple[int, int, int, int, int], Lit] = {}
        self._rank_cache: dict[int, dict[int, int]] = {}
        self._better_cache: dict[int, tuple[list[int], list[cp_model.IntVar]]] = {}
        self.assumed: dict[tuple[int, int], cp_model.IntVar] = {}
        """One literal per fixed agent whose stability the model must keep: solved as an
        assumption, so that an infeasible model names (a core of) the agents in the way."""
        # seats: program -> list of (rank, literal, applicant)
        self.seats: dict[int, list[tuple[int, cp_model.IntVar, int]]] = {}
        self.single_vars: dict[int, list[tuple[int, cp_model.IntVar]]] = {}
        self.supp_vars: dict[tuple[int, int], list[tuple[int, cp_model.IntVar]]] = {}
        """(applicant, primary option key) -> [(supplemental index, var)]; key is the entry index
        for singles and ``-(pair + 1)`` for couple members."""
        self.pair_vars: dict[int, list[tuple[int, cp_model.IntVar]]] = {}
        self.fixed_ranks: dict[int, list[int]] = {}
        self.fixed_seats_of: dict[tuple[int, int], int] = {}
        self._build_fixed()
        self._build_options()
        self.touched = set(self.seats)
        self.caps = self._capacities()

    # ------------------------------------------------------------------ helpers

    def _rank_at(self, p: int, r: int) -> int:
        """Where ``p`` ranked ``r`` (0 = first), -1 if it did not."""
        ranks = self._rank_cache.get(p)
        if ranks is None:
            m = self.m
            lo, hi = int(m.program_rol_offsets[p]), int(m.program_rol_offsets[p + 1])
            ranks = {a: i for i, a in enumerate(m.program_rol[lo:hi].tolist())}
            self._rank_cache[p] = ranks
        return ranks.get(r, -1)

    def _is_free(self, r: int) -> bool:
        c = int(self.prep.couple_of[r])
        return c in self.free_couples if c >= 0 else r in self.free_singles

    def _build_fixed(self) -> None:
        """Seats of the fixed agents, as sorted ranks per program."""
        if self.fixed is None:
            return
        A = self.fixed
        m = self.m
        for r in range(m.n_applicants):
            if self._is_free(r):
                continue
            for p in (int(A.prim[r]), int(A.supp[r])):
                if p >= 0:
                    k = self._rank_at(p, r)
                    self.fixed_ranks.setdefault(p, []).append(k)
                    self.fixed_seats_of[(r, p)] = self.fixed_seats_of.get((r, p), 0) + 1
        for ranks in self.fixed_ranks.values():
            ranks.sort()

    def _seat(self, p: int, rank: int, var: cp_model.IntVar, r: int) -> None:
        self.seats.setdefault(p, []).append((rank, var, r))

    def _supp_options(self, r: int, key: int, lst: int, adv: int) -> None:
        m, prep = self.m, self.prep
        s0 = int(m.supplemental_offsets[lst])
        joint = m.joint
        out: list[tuple[int, cp_model.IntVar]] = []
        for t in range(int(prep.supplemental_lengths[lst])):
            q = int(m.supplemental_programs[s0 + t])
            k = int(prep.supplemental_rank[s0 + t])
            if k < 0 or (joint[q] >= 0 and joint[q] != adv):
                continue
            v = self.model.new_bool_var(f"s{r}_{key}_{t}")
            self._seat(q, k, v, r)
            out.append((t, v))
        self.supp_vars[(r, key)] = out

    def _build_options(self) -> None:
        m, prep, model = self.m, self.prep, self.model
        for r in sorted(self.free_singles):
            a0 = int(m.applicant_rol_offsets[r])
            opts: list[tuple[int, cp_model.IntVar]] = []
            for i in range(int(m.applicant_rol_offsets[r + 1]) - a0):
                k = int(prep.applicant_rol_rank[a0 + i])
                if k < 0:
                    continue
                p = int(m.applicant_rol[a0 + i])
                v = model.new_bool_var(f"x{r}_{i}")
                self._seat(p, k, v, r)
                opts.append((i, v))
                lst = int(m.applicant_rol_supplemental[a0 + i])
                if lst >= 0:
                    self._supp_options(r, i, lst, p)
                    model.add(sum(s for _, s in self.supp_vars[(r, i)]) <= v)
            model.add(sum(v for _, v in opts) <= 1)
            self.single_vars[r] = opts
        for c in sorted(self.free_couples):
            c0 = int(m.couple_rol_offsets[c])
            m1, m2 = (int(x) for x in m.couple_members[c])
            opts = []
            for j in range(int(m.couple_rol_offsets[c + 1]) - c0):
                k = c0 + j
                p1, p2 = (int(x) for x in m.couple_rol[k])
                r1, r2 = (int(x) for x in prep.couple_rol_rank[k])
                if (p1 >= 0 and r1 < 0) or (p2 >= 0 and r2 < 0):
                    continue
                v = model.new_bool_var(f"y{c}_{j}")
                opts.append((j, v))
                for side, (mem, p, rk) in enumerate(((m1, p1, r1), (m2, p2, r2))):
                    if p < 0:
                        continue
                    self._seat(p, rk, v, mem)
                    lst = int(m.couple_rol_supplemental[k, side])
                    if lst >= 0:
                        self._supp_options(mem, -(j + 1), lst, p)
                        model.add(sum(s for _, s in self.supp_vars[(mem, -(j + 1))]) <= v)
            model.add(sum(v for _, v in opts) <= 1)
            self.pair_vars[c] = opts

    def fill(self, p: int) -> _Expr:
        fixed = len(self.fixed_ranks.get(p, ()))
        free = [v for _, v, _ in self.seats.get(p, ())]
        return fixed + sum(free) if free else fixed

    def _capacities(self) -> dict[int, _Expr]:
        """Final quotas of programs whose quota can change (receivers of touched donors)."""
        m = self.m
        caps: dict[int, _Expr] = {}
        order = self.prep.reversion_order.tolist()
        if not order:
            return caps
        extra: dict[int, _Expr] = {}
        remaining: dict[int, _Expr] = {}
        for kk in order:
            d = int(m.reversion_donor[kk])
            rcv = int(m.reversion_receiver[kk])
            pos = int(m.reversion_positions[kk])
            if d not in remaining:
                remaining[d] = int(m.quota[d]) + extra.get(d, 0) - self.fill(d)
            rem = remaining[d]
            if isinstance(rem, int):
                give: _Expr = min(pos, max(rem, 0))
            else:
                g = self.model.new_int_var(0, pos, f"give{kk}")
                self.model.add_min_equality(g, [pos, rem])
                give = g
            remaining[d] = rem - give
            extra[rcv] = extra.get(rcv, 0) + give
        for p, e in extra.items():
            caps[p] = int(m.quota[p]) + e
            if not isinstance(e, int):
                self.touched.add(p)
        return caps

    def cap(self, p: int) -> _Expr:
        return self.caps.get(p, int(self.m.quota[p]))

    def _better(self, p: int, k: int) -> _Expr:
        """How many seats of ``p`` hold applicants it ranks above ``k``."""
        fixed = bisect.bisect_left(self.fixed_ranks.get(p, []), k)
        if p not in self._better_cache:
            seats = sorted(self.seats.get(p, ()), key=lambda seat: seat[0])
            self._better_cache[p] = ([x[0] for x in seats], [x[1] for x in seats])
        ranks, lits = self._better_cache[p]
        free = lits[: bisect.bisect_left(ranks, k)]
        return fixed + sum(free) if free else fixed

    def _seats_of(self, r: int, p: int) -> _Expr:
        if self._is_free(r):
            own = [v for _, v, who in self.seats.get(p, ()) if who == r]
            return sum(own) if own else 0
        return self.fixed_seats_of.get((r, p), 0)

    def full_above(
        self, p: int, k: int, *, keep: int = -1, own: int = -1, two: bool = False
    ) -> Lit:
        """A literal (or constant) that, when true, forces ``p`` to refuse a newcomer at rank
        ``k``: its seats are full of applicants it ranks above ``k`` or held by ``keep`` (a
        partner who stays).  ``two``: refusing a couple moving in together, whose better partner
        ``own`` does not count as a holder (needs fewer than two positions to spare)."""
        keep_rank = self._rank_at(p, keep) if keep >= 0 else -1
        key = (p, k, keep if keep_rank > k else -1, own, int(two))
        if key in self._f_cache:
            return self._f_cache[key]
        lhs = self._better(p, k)
        if keep >= 0 and keep_rank > k:
            lhs = lhs + self._seats_of(keep, p)
        if own >= 0:
            lhs = lhs - self._seats_of(own, p)
        rhs = self.cap(p) - (1 if two else 0)
        if isinstance(lhs, int) and isinstance(rhs, int):
            out: Lit = lhs >= rhs
        else:
            f = self.model.new_bool_var(f"full{p}_{k}")
            self.model.add(lhs >= rhs).only_enforce_if(f)
            out = f
        self._f_cache[key] = out
        return out

    # ------------------------------------------------------------------ stability

    def clause(self, agent: tuple[int, int], literals: Iterable[Lit]) -> None:
        """At least one of ``literals`` holds; constants are folded, and a fixed agent's false
        clause is recorded (the neighbourhood must grow to include it)."""
        lits: list[Lit] = []
        for lit in literals:
            if lit is True:
                return
            if lit is not False:
                lits.append(lit)
        fixed = (agent[0] == 0 and agent[1] not in self.free_singles) or (
            agent[0] == 1 and agent[1] not in self.free_couples
        )
        if not lits:
            if fixed:
                self.violated.add(agent)
            else:
                self.model.add_bool_or([])  # a free agent with no way out: infeasible
            return
        if fixed:
            self.at_risk.add(agent)
            if agent not in self.assumed:
                self.assumed[agent] = self.model.new_bool_var(f"keep{agent[0]}_{agent[1]}")
            lits.append(self.assumed[agent].negated())
        self.model.add_bool_or(lits)

    def single_stability(self, r: int) -> None:
        m, prep = self.m, self.prep
        a0 = int(m.applicant_rol_offsets[r])
        n = int(m.applicant_rol_offsets[r + 1]) - a0
        free = r in self.free_singles
        if free:
            held = dict(self.single_vars[r])
            cur = n
        else:
            assert self.fixed is not None
            cur = int(self.fixed.prim_idx[r]) if self.fixed.prim[r] >= 0 else n
        prefix: list[cp_model.IntVar] = []
        for i in range(cur):
            k = int(prep.applicant_rol_rank[a0 + i])
            p = int(m.applicant_rol[a0 + i])
            if free and i in held:
                prefix.append(held[i])
            if k < 0 or (not free and p not in self.touched):
                continue
            self.clause((0, r), [*prefix, self.full_above(p, k)])
        # supplemental lists hanging on primary entries
        for i in range(n):
            lst = int(m.applicant_rol_supplemental[a0 + i])
            if lst < 0:
                continue
            p = int(m.applicant_rol[a0 + i])
            if free:
                if i in held:
                    self._supp_stability(r, i, lst, p, held[i])
            elif i == cur:
                self._supp_stability(r, i, lst, p, True)

    def _supp_stability(self, r: int, key: int, lst: int, adv: int, holds: Lit) -> None:
        m, prep = self.m, self.prep
        s0 = int(m.supplemental_offsets[lst])
        joint = m.joint
        free = self._is_free(r)
        if free:
            mine = dict(self.supp_vars[(r, key)])
            cur = int(prep.supplemental_lengths[lst])
        else:
            assert self.fixed is not None
            cur = (
                int(self.fixed.sidx[r])
                if self.fixed.supp[r] >= 0
                else int(prep.supplemental_lengths[lst])
            )
        prefix: list[cp_model.IntVar] = []
        agent = (0, r) if prep.couple_of[r] < 0 else (1, int(prep.couple_of[r]))
        for t in range(cur):
            q = int(m.supplemental_programs[s0 + t])
            k = int(prep.supplemental_rank[s0 + t])
            if free and t in mine:
                prefix.append(mine[t])
            if k < 0 or (joint[q] >= 0 and joint[q] != adv):
                continue
            if not free and q not in self.touched:
                continue
            head: list[Lit] = [] if holds is True else [holds.negated()]  # type: ignore[union-attr]
            self.clause(agent, [*head, *prefix, self.full_above(q, k)])

    def _refusals(self, c: int, j: int, cur: tuple[int, int]) -> list[Lit] | None:
        """Literals one of which makes pair ``j`` not block, the couple holding programs ``cur``
        (None: the pair cannot block, e.g. both partners already hold its programs)."""
        m, prep = self.m, self.prep
        k = int(m.couple_rol_offsets[c]) + j
        m1, m2 = (int(x) for x in m.couple_members[c])
        p1, p2 = (int(x) for x in m.couple_rol[k])
        r1, r2 = (int(x) for x in prep.couple_rol_rank[k])
        if (p1 >= 0 and r1 < 0) or (p2 >= 0 and r2 < 0):
            return None
        stay1 = p1 >= 0 and p1 == cur[0]
        stay2 = p2 >= 0 and p2 == cur[1]
        if stay1 and stay2:
            return None
        if p1 >= 0 and p1 == p2 and not stay1 and not stay2:
            lo, hi = (m1, r2) if r1 < r2 else (m2, r1)
            return [self.full_above(p1, hi, own=lo, two=True)]
        out: list[Lit] = []
        if p1 >= 0 and not stay1:
            out.append(self.full_above(p1, r1, keep=m2 if stay2 else -1))
        if p2 >= 0 and not stay2:
            out.append(self.full_above(p2, r2, keep=m1 if stay1 else -1))
        return out

    def couple_stability(self, c: int) -> None:
        m = self.m
        c0 = int(m.couple_rol_offsets[c])
        n = int(m.couple_rol_offsets[c + 1]) - c0
        pairs = [(int(m.couple_rol[c0 + j, 0]), int(m.couple_rol[c0 + j, 1])) for j in range(n)]
        if c in self.free_couples:
            held = dict(self.pair_vars[c])
            # supplemental lists of each held pair
            for j, v in held.items():
                for side in range(2):
                    lst = int(m.couple_rol_supplemental[c0 + j, side])
                    p = pairs[j][side]
                    if lst >= 0 and p >= 0:
                        mem = int(m.couple_members[c, side])
                        self._supp_stability(mem, -(j + 1), lst, p, v)
            for j in range(n):
                if j not in held and self._refusals(c, j, (-1, -1)) is None:
                    continue
                better = [held[i] for i in range(j + 1) if i in held]
                related = [
                    i
                    for i in range(j + 1, n)
                    if i in held and (
                        (pairs[j][0] >= 0 and pairs[j][0] == pairs[i][0])
                        or (pairs[j][1] >= 0 and pairs[j][1] == pairs[i][1])
                    )
                ]  # fmt: skip
                plain = self._refusals(c, j, (-1, -1))
                if plain is not None:
                    self.clause((1, c), [*better, *(held[i] for i in related), *plain])
                for i in related:
                    refuse = self._refusals(c, j, pairs[i])
                    if refuse is not None:
                        self.clause((1, c), [held[i].negated(), *refuse])
            return
        assert self.fixed is not None
        A = self.fixed
        cur_j = int(A.cpair[c])
        cur = pairs[cur_j] if cur_j >= 0 else (-1, -1)
        for j in range(cur_j if cur_j >= 0 else n):
            if not (pairs[j][0] in self.touched or pairs[j][1] in self.touched):
                continue
            refuse = self._refusals(c, j, cur)
            if refuse is not None:
                self.clause((1, c), refuse)
        if cur_j >= 0:
            for side in range(2):
                lst = int(m.couple_rol_supplemental[c0 + cur_j, side])
                if lst >= 0:
                    mem = int(m.couple_members[c, side])
                    self._supp_stability(mem, -(cur_j + 1), lst, cur[side], True)

    def capacity(self) -> None:
        for p in sorted(self.touched):
            fill = self.fill(p)
            cap = self.cap(p)
            if isinstance(fill, int) and isinstance(cap, int):
                continue
            self.model.add(fill <= cap)

    def affected(self) -> tuple[set[int], set[int]]:
        """Fixed singles (and supplemental owners) and couples that rank a touched program."""
        m, prep = self.m, self.prep
        singles: set[int] = set()
        couples: set[int] = set()
        for p in self.touched:
            lo, hi = int(m.program_rol_offsets[p]), int(m.program_rol_offsets[p + 1])
            for r in m.program_rol[lo:hi].tolist():
                c = int(prep.couple_of[r])
                if c >= 0:
                    if c not in self.free_couples:
                        couples.add(c)
                elif r not in self.free_singles:
                    singles.add(r)
        return singles, couples


def _assignment_of(
    market: Market, model: _Model, solver: cp_model.CpSolver, base: Assignment | None
) -> Assignment:
    n = market.n_applicants
    if base is None:
        prim = np.full(n, -1, np.int32)
        prim_idx = np.full(n, -1, np.int32)
        supp = np.full(n, -1, np.int32)
        sidx = np.full(n, -1, np.int32)
        cpair = np.full(market.n_couples, -1, np.int32)
    else:
        prim, prim_idx, supp, sidx, cpair = (x.copy() for x in base)
    m = market

    def take_supp(r: int, key: int, lst: int) -> None:
        for t, v in model.supp_vars.get((r, key), []):
            if solver.boolean_value(v):
                supp[r] = int(m.supplemental_programs[int(m.supplemental_offsets[lst]) + t])
                sidx[r] = t

    for r, opts in model.single_vars.items():
        prim[r] = prim_idx[r] = supp[r] = sidx[r] = -1
        a0 = int(m.applicant_rol_offsets[r])
        for i, v in opts:
            if solver.boolean_value(v):
                prim[r] = int(m.applicant_rol[a0 + i])
                prim_idx[r] = i
                lst = int(m.applicant_rol_supplemental[a0 + i])
                if lst >= 0:
                    take_supp(r, i, lst)
    for c, opts in model.pair_vars.items():
        members = [int(x) for x in m.couple_members[c]]
        cpair[c] = -1
        for mem in members:
            prim[mem] = prim_idx[mem] = supp[mem] = sidx[mem] = -1
        c0 = int(m.couple_rol_offsets[c])
        for j, v in opts:
            if solver.boolean_value(v):
                cpair[c] = j
                for side, mem in enumerate(members):
                    prim[mem] = int(m.couple_rol[c0 + j, side])
                    lst = int(m.couple_rol_supplemental[c0 + j, side])
                    if lst >= 0 and prim[mem] >= 0:
                        take_supp(mem, -(j + 1), lst)
    return Assignment(prim, prim_idx, supp, sidx, cpair)


def _build(
    market: Market, fixed: Assignment | None, singles: set[int], couples: set[int]
) -> _Model:
    model = _Model(market, fixed, singles, couples)
    model.capacity()
    for r in sorted(singles):
        model.single_stability(r)
    for c in sorted(couples):
        model.couple_stability(c)
    if fixed is not None:
        aff_s, aff_c = model.affected()
        for r in sorted(aff_s):
            model.single_stability(r)
        # supplemental owners who are couple members are checked with their couple
        for c in sorted(aff_c):
            model.couple_stability(c)
    return model


def solve_exactly(
    market: Market,
    *,
    fixed: Assignment | None = None,
    free_singles: Iterable[int] | None = None,
    free_couples: Iterable[int] | None = None,
    seed: int = 0,
    time_bound: float = 60.0,
) -> tuple[ExactResult, _Model]:
    """One exact model; everyone free unless ``fixed`` and the free sets are given.

    ``time_bound`` is in CP-SAT's deterministic seconds (about a second of one core each).
    """
    prep = market.prepared
    if fixed is None:
        singles = {int(r) for r in np.flatnonzero(prep.couple_of < 0).tolist()}
        couples = set(range(market.n_couples))
    else:
        singles = set(free_singles or ())
        couples = set(free_couples or ())
    model = _build(market, fixed, singles, couples)
    free_apps = len(singles) + 2 * len(couples)
    if model.violated:
        return ExactResult("none", None, free_apps, 1, 0.0), model
    keys = sorted(model.assumed)
    model.model.add_assumptions([model.assumed[k] for k in keys])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed % 2**31
    solver.parameters.max_deterministic_time = max(time_bound, 0.01)
    if keys:  # presolve would report infeasibility with every assumption as its reason
        solver.parameters.cp_model_presolve = False
    status = solver.solve(model.model)
    spent = float(solver.deterministic_time)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        assignment = _assignment_of(market, model, solver, fixed)
        return ExactResult("stable", assignment, free_apps, 1, spent), model
    if status == cp_model.INFEASIBLE:
        index = {model.assumed[k].index: k for k in keys}
        model.core = {
            index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in index
        }
        return ExactResult("none", None, free_apps, 1, spent), model
    return ExactResult("unknown", None, free_apps, 1, spent), model


def _displaceable(market: Market, model: _Model, fixed: Assignment) -> set[int]:
    """Fixed holders of touched programs whom a free applicant could push out: per program, the
    lowest-ranked holders, as many as free applicants it ranks above them."""
    out: set[int] = set()
    held: dict[int, list[int]] = {}
    for seats in (fixed.prim, fixed.supp):
        for r in np.flatnonzero(seats >= 0).tolist():
            held.setdefault(int(seats[r]), []).append(r)
    for p in sorted(model.touched):
        free_ranks = sorted(rank for rank, _, _ in model.seats.get(p, ()))
        if not free_ranks:
            continue
        holders = [(model._rank_at(p, r), r) for r in held.get(p, ()) if not model._is_free(r)]
        holders.sort(reverse=True)  # worst first
        for n, (rank, r) in enumerate(holders):
            if n >= len(free_ranks) or rank < free_ranks[0]:
                break
            out.add(r)
    del market
    return out


def repair(
    market: Market,
    start: Assignment,
    seeds_singles: Iterable[int],
    seeds_couples: Iterable[int],
    *,
    seed: int = 0,
    time_bound: float = 60.0,
    whole_market_below: int = 3_000,
    max_free: int = 4_000,
) -> ExactResult:
    """Make ``start`` stable by freeing a neighbourhood of the given agents, growing it along
    rejection chains until the model is feasible, covers the market, or ``time_bound`` runs out.

    Markets with fewer than ``whole_market_below`` applicants are solved whole once the
    neighbourhood has grown past half of them (cheaper than growing further); in larger ones a
    neighbourhood past ``max_free`` applicants is not tried (the answer is then ``unknown``).
    Each round frees the fixed agents of an infeasibility core (their stability, with the fixed
    seats, rules out every choice of the free agents) and the holders free applicants could
    displace: the rejection chain, one link at a time.
    """
    prep = market.prepared
    singles = set(seeds_singles)
    couples = set(seeds_couples)
    n_singles = int((prep.couple_of < 0).sum())
    spent = 0.0
    rounds = 0
    while True:
        rounds += 1
        whole = len(singles) >= n_singles and len(couples) >= market.n_couples
        small = market.n_applicants < whole_market_below
        if whole or (small and len(singles) + 2 * len(couples) > market.n_applicants // 2):
            result, _ = solve_exactly(market, seed=seed, time_bound=max(time_bound - spent, 0.01))
            return ExactResult(
                result.status, result.assignment, market.n_applicants, rounds,
                spent + result.deterministic_time,
            )  # fmt: skip
        result, model = solve_exactly(
            market, fixed=start, free_singles=singles, free_couples=couples, seed=seed,
            time_bound=max(time_bound - spent, 0.01),
        )  # fmt: skip
        spent += result.deterministic_time
        if result.status == "stable":
            return ExactResult("stable", result.assignment, result.free_applicants, rounds, spent)
        if result.status == "unknown" or spent >= time_bound:
            return ExactResult("unknown", None, result.free_applicants, rounds, spent)
        grow_s = {x for kind, x in model.violated if kind == 0}
        grow_c = {x for kind, x in model.violated if kind == 1}
        if not grow_s and not grow_c:  # infeasible with the fixed part: follow the chains
            grow_s = {x for kind, x in model.core if kind == 0}
            grow_c = {x for kind, x in model.core if kind == 1}
            for r in _displaceable(market, model, start):
                c = int(prep.couple_of[r])
                (grow_c if c >= 0 else grow_s).add(c if c >= 0 else r)
        grow_s -= singles
        grow_c -= couples
        if not grow_s and not grow_c:  # nothing more can move: free everyone
            if not small:
                return ExactResult("unknown", None, result.free_applicants, rounds, spent)
            singles = {int(r) for r in np.flatnonzero(prep.couple_of < 0).tolist()}
            couples = set(range(market.n_couples))
        if len(singles | grow_s) + 2 * len(couples | grow_c) > max_free and not small:
            return ExactResult("unknown", None, result.free_applicants, rounds, spent)
        singles |= grow_s
        couples |= grow_c
