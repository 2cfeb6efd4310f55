"""Settle small markets for certain: is there a stable matching, and which has fewest blocking pairs?

Deciding whether a market with couples has a stable matching is NP-complete (Ronn 1990), and the
Roth–Peranson process can miss a stable matching that exists (Drummond, Perrault & Bacchus 2015).
When every attempt of the process fails on a market whose matchings are few enough to list, we
list them: each applicant's (or couple's) possible places, with capacity pruning, each complete
matching checked by the audit.  Then "no stable matching exists" is a proof, not a guess, and the
matching returned has the fewest blocking pairs possible.  Larger markets report "unknown".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from imgpath.core.matching.audit import Assignment, Workspace, _audit, workspace
from imgpath.core.matching.jit import jit
from imgpath.core.matching.kernel import KernelInput, kernel_input
from imgpath.core.matching.market import Market

__all__ = ["Exhaustive", "count_matchings", "search_exhaustively"]


@dataclass(frozen=True, eq=False)
class Exhaustive:
    """The verdict of a complete search."""

    exists: bool
    assignment: Assignment | None
    """A stable matching if one exists, else one with the fewest blocking pairs."""


def _options(market: Market) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every agent's possible places as rows (entry, supplemental index, second supplemental index).

    Agents are single applicants (kind 0) and couples (kind 1); -1 means "none".  Only places the
    other side ranked can ever be held, so the others are left out.
    """
    prep = market.prepared
    kinds: list[int] = []
    ids: list[int] = []
    offsets: list[int] = [0]
    rows: list[tuple[int, int, int]] = []

    def supp_options(lst: int) -> list[int]:
        if lst < 0:
            return [-1]
        s0 = int(market.supplemental_offsets[lst])
        n = int(prep.supplemental_lengths[lst])
        return [-1] + [j for j in range(n) if prep.supplemental_rank[s0 + j] >= 0]

    for r in range(market.n_applicants):
        if prep.couple_of[r] >= 0:
            continue
        kinds.append(0)
        ids.append(r)
        rows.append((-1, -1, -1))
        a0 = int(market.applicant_rol_offsets[r])
        for i in range(int(market.applicant_rol_offsets[r + 1]) - a0):
            if prep.applicant_rol_rank[a0 + i] < 0:
                continue
            rows.extend(
                (i, j, -1) for j in supp_options(int(market.applicant_rol_supplemental[a0 + i]))
            )
        offsets.append(len(rows))
    for c in range(market.n_couples):
        kinds.append(1)
        ids.append(c)
        rows.append((-1, -1, -1))
        c0 = int(market.couple_rol_offsets[c])
        for j in range(int(market.couple_rol_offsets[c + 1]) - c0):
            k = c0 + j
            p1, p2 = (int(x) for x in market.couple_rol[k])
            r1, r2 = (int(x) for x in prep.couple_rol_rank[k])
            if (p1 >= 0 and r1 < 0) or (p2 >= 0 and r2 < 0):
                continue
            s1 = supp_options(int(market.couple_rol_supplemental[k, 0])) if p1 >= 0 else [-1]
            s2 = supp_options(int(market.couple_rol_supplemental[k, 1])) if p2 >= 0 else [-1]
            rows.extend((j, x, y) for x in s1 for y in s2)
        offsets.append(len(rows))
    return (
        np.asarray(kinds, dtype=np.int32),
        np.asarray(ids, dtype=np.int32),
        np.asarray(offsets, dtype=np.int64),
        np.asarray(rows, dtype=np.int32).reshape(-1, 3),
    )


def count_matchings(market: Market, cap: int) -> int:
    """How many assignments a complete search would visit at most (stops counting past ``cap``).

    Counts each agent's options without building them, so a national market is ruled out after
    a handful of agents.
    """
    prep = market.prepared
    total = 1
    for r in range(market.n_applicants):
        if prep.couple_of[r] >= 0:
            continue
        a0, a1 = int(market.applicant_rol_offsets[r]), int(market.applicant_rol_offsets[r + 1])
        options = 1
        for k in range(a0, a1):
            if prep.applicant_rol_rank[k] >= 0:
                lst = int(market.applicant_rol_supplemental[k])
                options += 1 if lst < 0 else 1 + int(prep.supplemental_lengths[lst])
        total *= options
        if total > cap:
            return cap + 1
    for c in range(market.n_couples):
        c0, c1 = int(market.couple_rol_offsets[c]), int(market.couple_rol_offsets[c + 1])
        supp = market.couple_rol_supplemental
        options = 1
        for k in range(c0, c1):
            extra = [1 + int(prep.supplemental_lengths[s]) if s >= 0 else 1 for s in supp[k]]
            options += extra[0] * extra[1]
        total *= options
        if total > cap:
            return cap + 1
    return total


@jit
def _place(
    M: KernelInput,
    A: Assignment,
    count: np.ndarray,
    kind: int,
    agent: int,
    row: np.ndarray,
    sign: int,
) -> None:
    """Apply (sign=1) or undo (sign=-1) one option row for one agent."""
    if kind == 0:
        r = agent
        i = row[0]
        if i < 0:
            return
        k = M.a_off[r] + i
        p = M.a_prog[k]
        count[p] += sign
        if sign > 0:
            A.prim[r] = p
            A.prim_idx[r] = i
        else:
            A.prim[r] = -1
            A.prim_idx[r] = -1
        lst = M.a_supp[k]
        if lst >= 0 and row[1] >= 0:
            q = M.s_prog[M.s_off[lst] + row[1]]
            count[q] += sign
            A.supp[r] = q if sign > 0 else -1
            A.sidx[r] = row[1] if sign > 0 else -1
        return
    c = agent
    j = row[0]
    if j < 0:
        return
    k = M.c_off[c] + j
    A.cpair[c] = j if sign > 0 else -1
    for side in range(2):
        m = M.c_mem[c, side]
        p = M.c_prog[k, side]
        if p < 0:
            continue
        count[p] += sign
        A.prim[m] = p if sign > 0 else -1
        lst = M.c_supp[k, side]
        x = row[1 + side]
        if lst >= 0 and x >= 0:
            q = M.s_prog[M.s_off[lst] + x]
            count[q] += sign
            A.supp[m] = q if sign > 0 else -1
            A.sidx[m] = x if sign > 0 else -1


@jit
def _search(
    M: KernelInput,
    cap_max: np.ndarray,
    kinds: np.ndarray,
    ids: np.ndarray,
    offsets: np.ndarray,
    rows: np.ndarray,
    A: Assignment,
    best: Assignment,
    W: Workspace,
    count: np.ndarray,
    choice: np.ndarray,
) -> int:
    """Depth-first search over all assignments; returns the fewest blocking pairs seen (-1: none)."""
    n_agents = kinds.shape[0]
    n_prog = cap_max.shape[0]
    best_blocking = -1
    depth = 0
    while depth >= 0:
        if depth == n_agents:
            n_viol, n_block = _audit(M, A, W)
            if n_viol == 0 and (best_blocking < 0 or n_block < best_blocking):
                best_blocking = n_block
                for r in range(A.prim.shape[0]):
                    best.prim[r] = A.prim[r]
                    best.prim_idx[r] = A.prim_idx[r]
                    best.supp[r] = A.supp[r]
                    best.sidx[r] = A.sidx[r]
                for c in range(A.cpair.shape[0]):
                    best.cpair[c] = A.cpair[c]
                if n_block == 0:
                    return 0
            depth -= 1
            continue
        kind = kinds[depth]
        agent = ids[depth]
        if choice[depth] >= 0:
            _place(M, A, count, kind, agent, rows[offsets[depth] + choice[depth]], -1)
        choice[depth] += 1
        if choice[depth] >= offsets[depth + 1] - offsets[depth]:
            choice[depth] = -1
            depth -= 1
            continue
        _place(M, A, count, kind, agent, rows[offsets[depth] + choice[depth]], 1)
        feasible = True
        for p in range(n_prog):
            if count[p] > cap_max[p]:
                feasible = False
                break
        if feasible:
            depth += 1
    return best_blocking


def _empty(market: Market) -> Assignment:
    n = market.n_applicants
    return Assignment(
        prim=np.full(n, -1, dtype=np.int32),
        prim_idx=np.full(n, -1, dtype=np.int32),
        supp=np.full(n, -1, dtype=np.int32),
        sidx=np.full(n, -1, dtype=np.int32),
        cpair=np.full(market.n_couples, -1, dtype=np.int32),
    )


def search_exhaustively(market: Market, *, limit: int) -> Exhaustive | None:
    """Search every matching of ``market``, or return None if there could be more than ``limit``."""
    if count_matchings(market, limit) > limit:
        return None
    kinds, ids, offsets, rows = _options(market)
    cap_max = np.diff(market.prepared.slot_offsets)
    work = _empty(market)
    best = _empty(market)
    n_block = _search(
        kernel_input(market), cap_max, kinds, ids, offsets, rows, work, best,
        workspace(market, max_violations=1, max_pairs=1),
        np.zeros(market.n_programs, dtype=np.int64), np.full(kinds.shape[0], -1, dtype=np.int64),
    )  # fmt: skip
    return Exhaustive(exists=n_block == 0, assignment=best if n_block >= 0 else None)
