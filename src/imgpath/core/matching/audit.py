"""Audit a matching: is it valid, and who could break it?  Run on every result.

The audit starts from the assignment alone (who holds what), rebuilds each program's holders and
its final quota after reversions, and checks the invariants of ``docs/explanation/match-engine.md``:

* **I1 validity** — every match is on both lists, no program is over its final quota, a couple
  holds a pair from its own list, a supplemental PGY-1 position hangs on a held advanced position
  whose entry names that list (and, for a joint preliminary program, on its own advanced program);
* **I2/I3 stability** — no single applicant, supplemental list or couple has a blocking pair.

It shares only the blocking-pair predicates with the kernel, not the kernel's state, so a kernel
that corrupts its own bookkeeping is caught here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from imgpath.core.matching.holders import (
    Holders,
    pair_blocks,
    reversion_extra,
    single_blocks,
    supp_blocks,
)
from imgpath.core.matching.jit import jit
from imgpath.core.matching.kernel import KernelInput, kernel_input
from imgpath.core.matching.market import Market

__all__ = [
    "BLOCK_COUPLE",
    "BLOCK_SINGLE",
    "BLOCK_SUPPLEMENTAL",
    "VIOLATIONS",
    "Assignment",
    "AuditReport",
    "Workspace",
    "audit",
    "workspace",
]

BLOCK_SINGLE, BLOCK_SUPPLEMENTAL, BLOCK_COUPLE = 0, 1, 2

VIOLATIONS = {
    1: "applicant matched to a program that is not on their list at the recorded place",
    2: "applicant matched to a program that did not rank them",
    3: "couple's members do not hold the pair recorded for the couple",
    4: "couple matched to a pair whose program did not rank the partner",
    5: "supplemental PGY-1 match without a held advanced position that names this list",
    6: "supplemental PGY-1 match to a program that did not rank the applicant or is joint elsewhere",
    7: "program holds more applicants than its final quota",
}


class Assignment(NamedTuple):
    """A matching in integer form (see :class:`imgpath.core.matching.kernel.State`)."""

    prim: np.ndarray
    prim_idx: np.ndarray
    supp: np.ndarray
    sidx: np.ndarray
    cpair: np.ndarray


@dataclass(frozen=True, eq=False)
class AuditReport:
    """What the audit found.

    ``capacity`` is each program's final quota (after reversions in), ``count`` its holders.
    ``blocking`` rows are (kind, applicant or couple, index of the entry on their list).
    """

    capacity: np.ndarray
    count: np.ndarray
    given: np.ndarray
    """Positions each donor reverted to its receivers."""
    violations: np.ndarray
    n_violations: int
    blocking: np.ndarray
    n_blocking: int

    @property
    def valid(self) -> bool:
        return self.n_violations == 0

    @property
    def stable(self) -> bool:
        return self.valid and self.n_blocking == 0


@jit
def _active_list(M: KernelInput, A: Assignment, r: int) -> int:
    """The supplemental list hanging on ``r``'s current primary match, or -1."""
    if A.prim[r] < 0:
        return -1
    c = M.couple_of[r]
    if c < 0:
        i = A.prim_idx[r]
        if i < 0 or i >= M.a_off[r + 1] - M.a_off[r]:
            return -1
        return int(M.a_supp[M.a_off[r] + i])
    j = A.cpair[c]
    if j < 0:
        return -1
    side = 0 if M.c_mem[c, 0] == r else 1
    return int(M.c_supp[M.c_off[c] + j, side])


@jit
def _holder_rank(M: KernelInput, A: Assignment, r: int, supplemental: bool) -> int:
    if supplemental:
        return int(M.s_rank[M.s_off[_active_list(M, A, r)] + A.sidx[r]])
    c = M.couple_of[r]
    if c < 0:
        return int(M.a_rank[M.a_off[r] + A.prim_idx[r]])
    side = 0 if M.c_mem[c, 0] == r else 1
    return int(M.c_rank[M.c_off[c] + A.cpair[c], side])


class Workspace(NamedTuple):
    """Arrays the audit fills; allocated in Python because compiled code never allocates."""

    ok: np.ndarray
    held: np.ndarray
    offsets: np.ndarray
    residents: np.ndarray
    ranks: np.ndarray
    fill: np.ndarray
    cap: np.ndarray
    extra: np.ndarray
    remaining: np.ndarray
    given: np.ndarray
    violations: np.ndarray
    blocking: np.ndarray


def workspace(market: Market, *, max_violations: int = 100, max_pairs: int = 10_000) -> Workspace:
    """Fresh audit buffers for ``market``."""
    n_app, n_prog = market.n_applicants, market.n_programs
    return Workspace(
        ok=np.ones(n_app, dtype=np.bool_),
        held=np.zeros(n_prog, dtype=np.int32),
        offsets=np.zeros(n_prog + 1, dtype=np.int64),
        residents=np.full(2 * n_app, -1, dtype=np.int32),
        ranks=np.full(2 * n_app, -1, dtype=np.int32),
        fill=np.zeros(n_prog, dtype=np.int32),
        cap=np.zeros(n_prog, dtype=np.int32),
        extra=np.zeros(n_prog, dtype=np.int32),
        remaining=np.full(n_prog, -1, dtype=np.int32),
        given=np.zeros(n_prog, dtype=np.int32),
        violations=np.zeros((max_violations, 2), dtype=np.int32),
        blocking=np.zeros((max_pairs, 3), dtype=np.int32),
    )


@jit
def _audit(M: KernelInput, A: Assignment, W: Workspace) -> tuple[int, int]:
    """Fill the workspace; return (violations, blocking pairs), counting past the buffers' ends."""
    n_app = M.a_off.shape[0] - 1
    n_prog = M.quota.shape[0]
    n_viol = 0
    violations = W.violations
    blocking = W.blocking
    max_viol = violations.shape[0]

    # ---- I1: each agent's own record
    ok = W.ok
    for r in range(n_app):
        ok[r] = True
    for r in range(n_app):
        code = 0
        c = M.couple_of[r]
        if A.prim[r] >= 0 and c < 0:
            i = A.prim_idx[r]
            n = M.a_off[r + 1] - M.a_off[r]
            if i < 0 or i >= n or M.a_prog[M.a_off[r] + i] != A.prim[r]:
                code = 1
            elif M.a_rank[M.a_off[r] + i] < 0:
                code = 2
        if code == 0 and A.supp[r] >= 0:
            lst = _active_list(M, A, r)
            j = A.sidx[r]
            if lst < 0 or j < 0 or j >= M.s_len[lst] or M.s_prog[M.s_off[lst] + j] != A.supp[r]:
                code = 5
            else:
                p = A.supp[r]
                if M.s_rank[M.s_off[lst] + j] < 0 or (M.joint[p] >= 0 and M.joint[p] != A.prim[r]):
                    code = 6
        if code != 0:
            ok[r] = False
            if n_viol < max_viol:
                violations[n_viol, 0] = code
                violations[n_viol, 1] = r
            n_viol += 1
    for c in range(M.c_mem.shape[0]):
        m1 = M.c_mem[c, 0]
        m2 = M.c_mem[c, 1]
        j = A.cpair[c]
        code = 0
        if j < 0:
            if A.prim[m1] >= 0 or A.prim[m2] >= 0:
                code = 3
        elif j >= M.c_off[c + 1] - M.c_off[c]:
            code = 3
        else:
            k = M.c_off[c] + j
            if M.c_prog[k, 0] != A.prim[m1] or M.c_prog[k, 1] != A.prim[m2]:
                code = 3
            elif (M.c_prog[k, 0] >= 0 and M.c_rank[k, 0] < 0) or (
                M.c_prog[k, 1] >= 0 and M.c_rank[k, 1] < 0
            ):
                code = 4
        if code != 0:
            ok[m1] = False
            ok[m2] = False
            if n_viol < max_viol:
                violations[n_viol, 0] = code
                violations[n_viol, 1] = c
            n_viol += 1

    # ---- holders of every program, from the assignment alone
    count = W.held
    for p in range(n_prog):
        count[p] = 0
    for r in range(n_app):
        if ok[r]:
            if A.prim[r] >= 0:
                count[A.prim[r]] += 1
            if A.supp[r] >= 0:
                count[A.supp[r]] += 1
    offsets = W.offsets
    offsets[0] = 0
    for p in range(n_prog):
        offsets[p + 1] = offsets[p] + count[p]
    residents = W.residents
    ranks = W.ranks
    fill = W.fill
    for p in range(n_prog):
        fill[p] = 0
    for r in range(n_app):
        if not ok[r]:
            continue
        for supplemental in (False, True):
            p = A.supp[r] if supplemental else A.prim[r]
            if p >= 0:
                slot = offsets[p] + fill[p]
                residents[slot] = r
                ranks[slot] = _holder_rank(M, A, r, supplemental)
                fill[p] += 1

    # ---- final quotas after reversions, and I1 capacity
    cap = W.cap
    extra = W.extra
    given = W.given
    for p in range(n_prog):
        extra[p] = 0
        given[p] = 0
    reversion_extra(
        M.quota, count, M.rev_order, M.rev_donor, M.rev_recv, M.rev_pos, extra, W.remaining, given
    )
    for p in range(n_prog):
        cap[p] = M.quota[p] + extra[p]
        if count[p] > cap[p]:
            if n_viol < max_viol:
                violations[n_viol, 0] = 7
                violations[n_viol, 1] = p
            n_viol += 1

    # ---- I2/I3: blocking pairs
    H = Holders(cap, offsets, count, residents, ranks)
    n_block = 0
    max_block = blocking.shape[0]
    for r in range(n_app):
        if M.couple_of[r] < 0:
            a0 = M.a_off[r]
            cur = A.prim_idx[r] if A.prim[r] >= 0 else M.a_off[r + 1] - a0
            for i in range(cur):
                if single_blocks(M.a_prog, M.a_rank, H, r, a0 + i):
                    if n_block < max_block:
                        blocking[n_block, 0] = 0
                        blocking[n_block, 1] = r
                        blocking[n_block, 2] = i
                    n_block += 1
        lst = _active_list(M, A, r)
        if lst >= 0:
            s0 = M.s_off[lst]
            cur = A.sidx[r] if A.supp[r] >= 0 else M.s_len[lst]
            for j in range(cur):
                if supp_blocks(M.s_prog, M.s_rank, M.joint, H, r, A.prim[r], s0 + j):
                    if n_block < max_block:
                        blocking[n_block, 0] = 1
                        blocking[n_block, 1] = r
                        blocking[n_block, 2] = j
                    n_block += 1
    for c in range(M.c_mem.shape[0]):
        c0 = M.c_off[c]
        cur = A.cpair[c] if A.cpair[c] >= 0 else M.c_off[c + 1] - c0
        for j in range(cur):
            m1 = M.c_mem[c, 0]
            m2 = M.c_mem[c, 1]
            if pair_blocks(M.c_prog, M.c_rank, H, m1, m2, c0 + j, A.prim[m1], A.prim[m2]):
                if n_block < max_block:
                    blocking[n_block, 0] = 2
                    blocking[n_block, 1] = c
                    blocking[n_block, 2] = j
                n_block += 1
    return n_viol, n_block


def audit(market: Market, assignment: Assignment, *, max_pairs: int = 10_000) -> AuditReport:
    """Check validity (I1) and stability (I2, I3) of ``assignment`` for ``market``."""
    W = workspace(market, max_pairs=max_pairs)
    n_viol, n_block = _audit(kernel_input(market), assignment, W)
    return AuditReport(
        capacity=W.cap,
        count=W.held,
        given=W.given,
        violations=W.violations[: min(n_viol, W.violations.shape[0])],
        n_violations=int(n_viol),
        blocking=W.blocking[: min(n_block, max_pairs)],
        n_blocking=int(n_block),
    )
