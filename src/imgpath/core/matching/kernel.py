"""The Roth–Peranson hot loop: integer arrays in, integer arrays out.

What it does (Roth & Peranson 1999; NRMP's published description):

1. **Singles.**  Every single applicant goes on a stack and proposes down their primary rank list
   (McVitie–Wilson deferred acceptance).  A program tentatively holds the applicants it ranks best
   up to its quota; a bumped applicant resumes at the next entry of their own list.
2. **Supplemental lists.**  An applicant who holds an advanced (PGY-2) program whose rank-list
   entry carries a supplemental list then proposes down that list for a PGY-1 position.  Losing
   the advanced position releases the PGY-1 position; failing to get one never costs the advanced
   match.  A joint preliminary program takes only applicants holding its advanced program.
3. **Couples, one at a time.**  A couple proposes pairs of programs; a pair holds only if both
   sides accept (a "No Match" side always does; a pair naming one program twice needs room for
   both).  A bumped partner's twin withdraws and the couple resumes at its next pair.
4. **Instability chaining.**  A withdrawal leaves a vacancy, and someone the program refused
   earlier may now prefer it: such programs go on a *program stack*, and when no applicant is left
   to propose, each is checked for its best-ranked blocking applicant, who is moved in (Roth &
   Vande Vate's random paths to stability).
5. **Reversions.**  Once everything is quiet, each donor's unfilled positions (donor filled first)
   are added to its receivers' quotas, and the chaining resumes; quotas that shrink again evict.
   This repeats until quotas reach a fixed point.
6. **Audit sweep.**  A final sweep looks for any blocking pair the chaining could have missed and
   satisfies it; with couples the process can cycle, so every attempt has a step budget.

Ranks are 0 for a first choice; -1 means "not ranked" and makes a proposal fail.  The kernel never
raises; it reports a status and leaves a valid (if perhaps unstable) matching in the state.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from imgpath.core.matching.holders import (
    Holders,
    accepts_two,
    pair_blocks,
    reversion_extra,
    single_blocks,
    supp_blocks,
    worst_two,
)
from imgpath.core.matching.jit import jit, jit_inline
from imgpath.core.matching.market import Market

__all__ = [
    "FAILED",
    "STABLE",
    "KernelInput",
    "State",
    "copy_state",
    "insert_couples",
    "kernel_input",
    "new_state",
    "run_singles",
    "steps_taken",
    "sweep_couples",
    "sweep_repairs",
]

STABLE = 0
"""Status: the sweep found no blocking pair."""
FAILED = 1
"""Status: the step budget ran out (couples can make the process cycle) or the sweep kept finding pairs."""

_TOP, _PTOP, _STEPS, _REPAIRS, _RANDOM, _MOVED = 0, 1, 2, 3, 4, 5
_SINGLE, _SUPP, _COUPLE = 0, 1, 2


class KernelInput(NamedTuple):
    """The market and its derived arrays, flattened into one tuple numba can take."""

    quota: np.ndarray
    p_off: np.ndarray
    p_app: np.ndarray
    a_off: np.ndarray
    a_prog: np.ndarray
    a_supp: np.ndarray
    s_off: np.ndarray
    s_prog: np.ndarray
    c_mem: np.ndarray
    c_off: np.ndarray
    c_prog: np.ndarray
    c_supp: np.ndarray
    rev_donor: np.ndarray
    rev_recv: np.ndarray
    rev_pos: np.ndarray
    joint: np.ndarray
    a_rank: np.ndarray
    s_rank: np.ndarray
    c_rank: np.ndarray
    p_aidx: np.ndarray
    couple_of: np.ndarray
    slot_off: np.ndarray
    rev_order: np.ndarray
    s_len: np.ndarray


class State(NamedTuple):
    """Everything the kernel mutates.  After a run it *is* the matching.

    ``prim``/``prim_idx``: program held on the primary list and its index there (-1 if none;
    couple members keep -1 as index, their couple's ``cpair`` says which pair).  ``supp``/``sidx``:
    PGY-1 program held from the active supplemental list ``sact`` and its index there.
    """

    prim: np.ndarray
    prim_idx: np.ndarray
    ptr: np.ndarray
    supp: np.ndarray
    sact: np.ndarray
    sptr: np.ndarray
    sidx: np.ndarray
    cpair: np.ndarray
    cptr: np.ndarray
    slot_res: np.ndarray
    slot_rank: np.ndarray
    fill: np.ndarray
    cap: np.ndarray
    wcache: np.ndarray
    stack: np.ndarray
    pstack: np.ndarray
    pon: np.ndarray
    a_on: np.ndarray
    s_on: np.ndarray
    c_on: np.ndarray
    c_live: np.ndarray
    ctl: np.ndarray
    extra: np.ndarray
    remaining: np.ndarray
    given: np.ndarray
    rng: np.ndarray


def kernel_input(market: Market) -> KernelInput:
    """Flatten ``market`` and its prepared arrays for the kernel."""
    prep = market.prepared
    return KernelInput(
        quota=market.quota,
        p_off=market.program_rol_offsets,
        p_app=market.program_rol,
        a_off=market.applicant_rol_offsets,
        a_prog=market.applicant_rol,
        a_supp=market.applicant_rol_supplemental,
        s_off=market.supplemental_offsets,
        s_prog=market.supplemental_programs,
        c_mem=market.couple_members,
        c_off=market.couple_rol_offsets,
        c_prog=market.couple_rol,
        c_supp=market.couple_rol_supplemental,
        rev_donor=market.reversion_donor,
        rev_recv=market.reversion_receiver,
        rev_pos=market.reversion_positions,
        joint=market.joint,
        a_rank=prep.applicant_rol_rank,
        s_rank=prep.supplemental_rank,
        c_rank=prep.couple_rol_rank,
        p_aidx=prep.program_rol_applicant_index,
        couple_of=prep.couple_of,
        slot_off=prep.slot_offsets,
        rev_order=prep.reversion_order,
        s_len=prep.supplemental_lengths,
    )


def new_state(market: Market) -> State:
    """A fresh, empty matching for ``market``."""
    n_app, n_prog, n_cpl = market.n_applicants, market.n_programs, market.n_couples
    n_slots = int(market.prepared.slot_offsets[-1])

    def full(n: int, value: int) -> np.ndarray:
        return np.full(n, value, dtype=np.int32)

    return State(
        prim=full(n_app, -1),
        prim_idx=full(n_app, -1),
        ptr=full(n_app, 0),
        supp=full(n_app, -1),
        sact=full(n_app, -1),
        sptr=full(n_app, 0),
        sidx=full(n_app, -1),
        cpair=full(n_cpl, -1),
        cptr=full(n_cpl, 0),
        slot_res=full(n_slots, -1),
        slot_rank=full(n_slots, -1),
        fill=full(n_prog, 0),
        cap=market.quota.copy(),
        wcache=full(n_prog, -2),
        stack=np.zeros(2 * n_app + n_cpl + 1, dtype=np.int64),
        pstack=full(n_prog + 1, -1),
        pon=np.zeros(n_prog, dtype=np.bool_),
        a_on=np.zeros(n_app, dtype=np.bool_),
        s_on=np.zeros(n_app, dtype=np.bool_),
        c_on=np.zeros(n_cpl, dtype=np.bool_),
        c_live=np.zeros(n_cpl, dtype=np.bool_),
        ctl=np.zeros(6, dtype=np.int64),
        extra=full(n_prog, 0),
        remaining=full(n_prog, -1),
        given=full(n_prog, 0),
        rng=np.ones(1, dtype=np.uint64),
    )


def copy_state(state: State) -> State:
    """An independent copy (the solver restarts couple insertion from a saved state)."""
    return State(*(a.copy() for a in state))


# ----------------------------------------------------------------------------- stacks


@jit_inline
def _random_below(S: State, n: int) -> int:
    """A pseudo-random integer in [0, n) from the state's own xorshift64* generator."""
    x = S.rng[0]
    x ^= x >> np.uint64(12)
    x ^= x << np.uint64(25)
    x ^= x >> np.uint64(27)
    S.rng[0] = x
    return int(np.int64((x * np.uint64(2685821657736338717)) % np.uint64(n)))


@jit_inline
def _pop_index(S: State, top: int) -> int:
    """Which stack entry to take next: the top, or in random mode any of them."""
    if S.ctl[_RANDOM] == 0 or top <= 1:
        return top - 1
    return _random_below(S, top)


@jit_inline
def _push(S: State, on: np.ndarray, x: int, kind: int) -> None:
    """Put agent ``x`` of ``kind`` on the applicant stack unless it is already there."""
    if not on[x]:
        on[x] = True
        S.stack[S.ctl[_TOP]] = x * 3 + kind
        S.ctl[_TOP] += 1


@jit_inline
def _push_prog(S: State, p: int) -> None:
    if not S.pon[p]:
        S.pon[p] = True
        S.pstack[S.ctl[_PTOP]] = p
        S.ctl[_PTOP] += 1


# ----------------------------------------------------------------------------- holdings


@jit_inline
def _holders(M: KernelInput, S: State) -> Holders:
    return Holders(S.cap, M.slot_off, S.fill, S.slot_res, S.slot_rank)


@jit_inline
def _worst(M: KernelInput, S: State, p: int) -> int:
    w = S.wcache[p]
    if w == -2:
        _, w, _ = worst_two(_holders(M, S), p, -1, -1)
        S.wcache[p] = w
    return int(w)


@jit_inline
def _accepts(M: KernelInput, S: State, p: int, rank: int) -> bool:
    if rank < 0:
        return False
    if S.fill[p] < S.cap[p]:
        return True
    return rank < _worst(M, S, p)


@jit_inline
def _insert(M: KernelInput, S: State, p: int, r: int, rank: int) -> int:
    """Hold ``r`` at ``p``; if ``p`` is full, drop and return its worst holder (else -1)."""
    base = M.slot_off[p]
    n = S.fill[p]
    S.wcache[p] = -2
    if n < S.cap[p]:
        S.slot_res[base + n] = r
        S.slot_rank[base + n] = rank
        S.fill[p] = n + 1
        return -1
    ws = base
    w = S.slot_rank[base]
    for i in range(base + 1, base + n):
        if S.slot_rank[i] > w:
            w = S.slot_rank[i]
            ws = i
    evicted = S.slot_res[ws]
    S.slot_res[ws] = r
    S.slot_rank[ws] = rank
    return int(evicted)


@jit_inline
def _insert_keep(M: KernelInput, S: State, p: int, r: int, rank: int, keep: int) -> int:
    """Like :func:`_insert`, but ``keep`` (a partner who stays at ``p``) is never the one dropped."""
    if keep < 0 or S.fill[p] < S.cap[p]:
        return _insert(M, S, p, r, rank)
    base = M.slot_off[p]
    ws = -1
    w = -1
    for i in range(base, base + S.fill[p]):
        if S.slot_res[i] != keep and S.slot_rank[i] > w:
            w = S.slot_rank[i]
            ws = i
    S.wcache[p] = -2
    evicted = S.slot_res[ws]
    S.slot_res[ws] = r
    S.slot_rank[ws] = rank
    return int(evicted)


@jit_inline
def _remove(M: KernelInput, S: State, p: int, r: int) -> None:
    base = M.slot_off[p]
    n = S.fill[p]
    for i in range(base, base + n):
        if S.slot_res[i] == r:
            last = base + n - 1
            S.slot_res[i] = S.slot_res[last]
            S.slot_rank[i] = S.slot_rank[last]
            S.slot_res[last] = -1
            S.fill[p] = n - 1
            S.wcache[p] = -2
            return


@jit_inline
def _release_supp(M: KernelInput, S: State, r: int) -> None:
    q = S.supp[r]
    if q >= 0:
        _remove(M, S, q, r)
        _push_prog(S, q)
        S.supp[r] = -1
    S.sact[r] = -1
    S.sidx[r] = -1
    S.sptr[r] = 0


@jit_inline
def _activate_supp(S: State, r: int, lst: int) -> None:
    if lst >= 0:
        S.sact[r] = lst
        S.sptr[r] = 0
        S.sidx[r] = -1
        _push(S, S.s_on, r, _SUPP)


@jit_inline
def _bump(M: KernelInput, S: State, e: int, p: int) -> None:
    """``e`` has just lost its place at ``p``: release what hangs on it and requeue it."""
    if S.prim[e] == p:
        _release_supp(M, S, e)
        S.prim[e] = -1
        c = M.couple_of[e]
        if c < 0:
            S.ptr[e] = S.prim_idx[e] + 1
            S.prim_idx[e] = -1
            _push(S, S.a_on, e, _SINGLE)
        else:
            o = M.c_mem[c, 0] if M.c_mem[c, 1] == e else M.c_mem[c, 1]
            q = S.prim[o]
            if q >= 0:
                _remove(M, S, q, o)
                _push_prog(S, q)
            _release_supp(M, S, o)
            S.prim[o] = -1
            S.cptr[c] = S.cpair[c] + 1
            S.cpair[c] = -1
            _push(S, S.c_on, c, _COUPLE)
    elif S.supp[e] == p:
        S.supp[e] = -1
        S.sptr[e] = S.sidx[e] + 1
        S.sidx[e] = -1
        _push(S, S.s_on, e, _SUPP)


# ----------------------------------------------------------------------------- proposals


@jit
def _propose_single(M: KernelInput, S: State, r: int) -> None:
    if S.prim[r] >= 0:
        return
    a0 = M.a_off[r]
    n = M.a_off[r + 1] - a0
    i = S.ptr[r]
    while i < n:
        k = a0 + i
        S.ctl[_STEPS] += 1
        p = M.a_prog[k]
        rank = M.a_rank[k]
        if _accepts(M, S, p, rank):
            e = _insert(M, S, p, r, rank)
            S.prim[r] = p
            S.prim_idx[r] = i
            S.ptr[r] = i
            _activate_supp(S, r, M.a_supp[k])
            if e >= 0:
                _bump(M, S, e, p)
            return
        i += 1
    S.ptr[r] = n


@jit
def _propose_supp(M: KernelInput, S: State, r: int) -> None:
    lst = S.sact[r]
    adv = S.prim[r]
    if lst < 0 or adv < 0 or S.supp[r] >= 0:
        return
    s0 = M.s_off[lst]
    n = M.s_len[lst]
    i = S.sptr[r]
    while i < n:
        k = s0 + i
        S.ctl[_STEPS] += 1
        p = M.s_prog[k]
        if (M.joint[p] < 0 or M.joint[p] == adv) and _accepts(M, S, p, M.s_rank[k]):
            e = _insert(M, S, p, r, M.s_rank[k])
            S.supp[r] = p
            S.sidx[r] = i
            S.sptr[r] = i
            if e >= 0:
                _bump(M, S, e, p)
            return
        i += 1
    S.sptr[r] = n


@jit
def _place_couple(M: KernelInput, S: State, c: int, j: int) -> None:
    """Seat couple ``c`` (holding nothing) at its pair ``j``, which both sides accept."""
    k = M.c_off[c] + j
    m1 = M.c_mem[c, 0]
    m2 = M.c_mem[c, 1]
    p1 = M.c_prog[k, 0]
    p2 = M.c_prog[k, 1]
    e1 = -1
    e2 = -1
    if p1 >= 0:
        e1 = _insert(M, S, p1, m1, M.c_rank[k, 0])
    if p2 >= 0:
        e2 = _insert(M, S, p2, m2, M.c_rank[k, 1])
    S.prim[m1] = p1
    S.prim[m2] = p2
    S.cpair[c] = j
    S.cptr[c] = j
    if p1 >= 0:
        _activate_supp(S, m1, M.c_supp[k, 0])
    if p2 >= 0:
        _activate_supp(S, m2, M.c_supp[k, 1])
    if e1 >= 0:
        _bump(M, S, e1, p1)
    if e2 >= 0:
        _bump(M, S, e2, p2)


@jit
def _propose_couple(M: KernelInput, S: State, c: int) -> None:
    if S.cpair[c] >= 0:
        return
    c0 = M.c_off[c]
    n = M.c_off[c + 1] - c0
    j = S.cptr[c]
    while j < n:
        k = c0 + j
        S.ctl[_STEPS] += 1
        p1 = M.c_prog[k, 0]
        p2 = M.c_prog[k, 1]
        if p1 >= 0 and p1 == p2:
            ok = accepts_two(_holders(M, S), p1, M.c_rank[k, 0], M.c_rank[k, 1], -1, -1)
        else:
            ok = (p1 < 0 or _accepts(M, S, p1, M.c_rank[k, 0])) and (
                p2 < 0 or _accepts(M, S, p2, M.c_rank[k, 1])
            )
        if ok:
            _place_couple(M, S, c, j)
            return
        j += 1
    S.cptr[c] = n


# ----------------------------------------------------------------------------- blocking pairs


@jit
def _single_blocking(M: KernelInput, S: State, r: int) -> int:
    """Index of the best primary-list entry that ``r`` prefers and that would take ``r``, or -1."""
    a0 = M.a_off[r]
    cur = S.prim_idx[r] if S.prim[r] >= 0 else M.a_off[r + 1] - a0
    for i in range(cur):
        k = a0 + i
        p = M.a_prog[k]
        if S.supp[r] == p:  # r already holds a place there: count it as free
            if single_blocks(M.a_prog, M.a_rank, _holders(M, S), r, k):
                return i
        elif _accepts(M, S, p, M.a_rank[k]):
            return i
    return -1


@jit
def _supp_blocking(M: KernelInput, S: State, r: int, only: int) -> int:
    """Best supplemental entry above the current one that would take ``r`` (only ``only`` if >= 0)."""
    lst = S.sact[r]
    adv = S.prim[r]
    if lst < 0 or adv < 0:
        return -1
    cur = S.sidx[r] if S.supp[r] >= 0 else M.s_len[lst]
    s0 = M.s_off[lst]
    H = _holders(M, S)
    for j in range(cur):
        if only >= 0 and M.s_prog[s0 + j] != only:
            continue
        if supp_blocks(M.s_prog, M.s_rank, M.joint, H, r, adv, s0 + j):
            return j
    return -1


@jit
def _couple_blocking(M: KernelInput, S: State, c: int, only: int) -> int:
    """Best pair above the couple's current one that both sides grant (only via ``only`` if >= 0)."""
    m1 = M.c_mem[c, 0]
    m2 = M.c_mem[c, 1]
    c0 = M.c_off[c]
    cur = S.cpair[c] if S.cpair[c] >= 0 else M.c_off[c + 1] - c0
    H = _holders(M, S)
    for j in range(cur):
        k = c0 + j
        if only >= 0 and M.c_prog[k, 0] != only and M.c_prog[k, 1] != only:
            continue
        if pair_blocks(M.c_prog, M.c_rank, H, m1, m2, k, S.prim[m1], S.prim[m2]):
            return j
    return -1


@jit
def _move_single(M: KernelInput, S: State, r: int, i: int) -> None:
    """Satisfy the blocking pair (``r``, its primary entry ``i``)."""
    k = M.a_off[r] + i
    p = M.a_prog[k]
    old = S.prim[r]
    _release_supp(M, S, r)
    if old >= 0:
        _remove(M, S, old, r)
        _push_prog(S, old)
    e = _insert(M, S, p, r, M.a_rank[k])
    S.prim[r] = p
    S.prim_idx[r] = i
    S.ptr[r] = i
    _activate_supp(S, r, M.a_supp[k])
    if e >= 0:
        _bump(M, S, e, p)


@jit
def _move_supp(M: KernelInput, S: State, r: int, j: int) -> None:
    """Satisfy the blocking pair (``r``, entry ``j`` of its active supplemental list)."""
    k = M.s_off[S.sact[r]] + j
    p = M.s_prog[k]
    old = S.supp[r]
    if old >= 0:
        _remove(M, S, old, r)
        _push_prog(S, old)
    e = _insert(M, S, p, r, M.s_rank[k])
    S.supp[r] = p
    S.sidx[r] = j
    S.sptr[r] = j
    if e >= 0:
        _bump(M, S, e, p)


@jit
def _move_couple(M: KernelInput, S: State, c: int, j: int) -> None:
    """Satisfy the blocking pair (couple ``c``, its pair ``j``).

    A partner whose side of the pair is the program they hold stays put (keeping their seat, and
    their PGY-1 seat when the pair attaches the same supplemental list); the other moves.
    """
    k = M.c_off[c] + j
    old = M.c_off[c] + S.cpair[c] if S.cpair[c] >= 0 else -1
    m1 = M.c_mem[c, 0]
    m2 = M.c_mem[c, 1]
    p1 = M.c_prog[k, 0]
    p2 = M.c_prog[k, 1]
    stay1 = p1 >= 0 and S.prim[m1] == p1
    stay2 = p2 >= 0 and S.prim[m2] == p2
    same1 = stay1 and old >= 0 and M.c_supp[old, 0] == M.c_supp[k, 0]
    same2 = stay2 and old >= 0 and M.c_supp[old, 1] == M.c_supp[k, 1]
    for side in range(2):
        m = M.c_mem[c, side]
        stays = stay1 if side == 0 else stay2
        same = same1 if side == 0 else same2
        if not same:
            _release_supp(M, S, m)
        if not stays:
            q = S.prim[m]
            if q >= 0:
                _remove(M, S, q, m)
                _push_prog(S, q)
            S.prim[m] = -1
    e1 = -1
    e2 = -1
    if p1 >= 0 and not stay1:
        e1 = _insert_keep(M, S, p1, m1, M.c_rank[k, 0], m2 if stay2 else -1)
    if p2 >= 0 and not stay2:
        e2 = _insert_keep(M, S, p2, m2, M.c_rank[k, 1], m1 if stay1 else -1)
    S.prim[m1] = p1
    S.prim[m2] = p2
    S.cpair[c] = j
    S.cptr[c] = j
    if p1 >= 0 and not same1:
        _activate_supp(S, m1, M.c_supp[k, 0])
    if p2 >= 0 and not same2:
        _activate_supp(S, m2, M.c_supp[k, 1])
    if e1 >= 0:
        _bump(M, S, e1, p1)
    if e2 >= 0 and S.cpair[c] == j:
        _bump(M, S, e2, p2)


@jit
def _fix_program(M: KernelInput, S: State, p: int) -> None:
    """Satisfy a blocking pair involving ``p`` (instability chaining), if there is one.

    Scans ``p``'s list best first for an applicant who would now rather be at ``p``; that
    applicant (or couple) moves to its *best* blocking entry, which is ``p`` or better.  Couples
    not yet inserted are left alone: they will propose in their turn.
    """
    S.pon[p] = False
    full = S.fill[p] >= S.cap[p]
    w = _worst(M, S, p) if full else -1
    base = M.p_off[p]
    for k in range(base, M.p_off[p + 1]):
        rank = k - base
        if full and rank >= w:
            break
        r = M.p_app[k]
        if S.prim[r] == p:
            continue
        c = M.couple_of[r]
        if c < 0:
            i = M.p_aidx[k]
            if i >= 0 and (S.prim[r] < 0 or i < S.prim_idx[r]):
                _move_single(M, S, r, _single_blocking(M, S, r))
                _push_prog(S, p)
                return
        elif S.c_live[c] and _couple_blocking(M, S, c, p) >= 0:
            _move_couple(M, S, c, _couple_blocking(M, S, c, -1))
            _push_prog(S, p)
            return
        if _supp_blocking(M, S, r, p) >= 0:
            _move_supp(M, S, r, _supp_blocking(M, S, r, -1))
            _push_prog(S, p)
            return


# ----------------------------------------------------------------------------- reversions


@jit
def _update_reversions(M: KernelInput, S: State) -> bool:
    """Recompute receivers' quotas from donors' current vacancies; True if any quota changed."""
    n_rev = M.rev_order.shape[0]
    if n_rev == 0:
        return False
    reversion_extra(
        M.quota, S.fill, M.rev_order, M.rev_donor, M.rev_recv, M.rev_pos, S.extra, S.remaining,
        S.given,
    )  # fmt: skip
    changed = False
    for t in range(n_rev):
        p = M.rev_recv[M.rev_order[t]]
        new = M.quota[p] + S.extra[p]
        if new == S.cap[p]:
            continue
        changed = True
        grew = new > S.cap[p]
        S.cap[p] = new
        S.wcache[p] = -2
        if grew:
            _push_prog(S, p)
        while S.fill[p] > S.cap[p]:
            base = M.slot_off[p]
            ws = base
            for i in range(base + 1, base + S.fill[p]):
                if S.slot_rank[i] > S.slot_rank[ws]:
                    ws = i
            e = S.slot_res[ws]
            _remove(M, S, p, e)
            _bump(M, S, e, p)
    return changed


# ----------------------------------------------------------------------------- driver


@jit
def _settle(M: KernelInput, S: State, budget: int, calm: int) -> bool:
    """Run until no applicant proposes, no program can be fixed and quotas are fixed.

    Returns False when the step count passes ``budget``.  Past ``calm`` steps the process is
    probably cycling, so stacks are popped in random order (Roth & Vande Vate's random paths to
    stability) rather than last-in first-out, which can repeat the same loop forever.
    """
    while True:
        while S.ctl[_TOP] > 0:
            if S.ctl[_STEPS] > budget:
                return False
            if S.ctl[_STEPS] > calm:
                S.ctl[_RANDOM] = 1
            top = S.ctl[_TOP]
            i = _pop_index(S, top)
            item = S.stack[i]
            S.stack[i] = S.stack[top - 1]
            S.ctl[_TOP] = top - 1
            kind = item % 3
            x = item // 3
            if kind == _SINGLE:
                S.a_on[x] = False
                _propose_single(M, S, x)
            elif kind == _SUPP:
                S.s_on[x] = False
                _propose_supp(M, S, x)
            else:
                S.c_on[x] = False
                _propose_couple(M, S, x)
        if S.ctl[_PTOP] > 0:
            if S.ctl[_STEPS] > budget:
                return False
            S.ctl[_STEPS] += 1
            top = S.ctl[_PTOP]
            i = _pop_index(S, top)
            p = S.pstack[i]
            S.pstack[i] = S.pstack[top - 1]
            S.ctl[_PTOP] = top - 1
            _fix_program(M, S, p)
            continue
        if _update_reversions(M, S):
            continue
        S.ctl[_RANDOM] = 0
        return True


@jit
def _sweep(M: KernelInput, S: State) -> bool:
    """Satisfy the first blocking pair found anywhere; False if there is none.

    Couples are checked first: they are few, and they are what chaining can miss.  Couples not
    inserted (left out after cycling) are not moved: the audit reports their blocking pairs.
    """
    for c in range(M.c_mem.shape[0]):
        if not S.c_live[c]:
            continue
        j = _couple_blocking(M, S, c, -1)
        if j >= 0:
            S.ctl[_MOVED] = c
            _move_couple(M, S, c, j)
            return True
    S.ctl[_MOVED] = -1
    n_app = M.a_off.shape[0] - 1
    for r in range(n_app):
        if M.couple_of[r] < 0:
            i = _single_blocking(M, S, r)
            if i >= 0:
                _move_single(M, S, r, i)
                return True
        j = _supp_blocking(M, S, r, -1)
        if j >= 0:
            _move_supp(M, S, r, j)
            return True
    return False


@jit
def _give_up(M: KernelInput, S: State) -> int:
    """Leave a valid matching behind when an attempt stops early.

    Quotas from reversions may be stale: a receiver may hold positions its donor has since filled.
    Shrinking them evicts (which only empties places), after which quotas can only grow again, so
    this settles in a few passes.  Evicted applicants simply stay unmatched.
    """
    while _update_reversions(M, S):
        pass
    return FAILED


@jit
def run_singles(M: KernelInput, S: State, budget: int, seed: int) -> int:
    """Match every single applicant (with supplemental lists and reversions); STABLE or FAILED.

    ``seed`` seeds the random order used if the process starts cycling (see :func:`_settle`).
    """
    S.rng[0] = np.uint64(seed) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(1)
    n_app = M.a_off.shape[0] - 1
    for r in range(n_app - 1, -1, -1):
        if M.couple_of[r] < 0:
            _push(S, S.a_on, r, _SINGLE)
    if not _settle(M, S, budget, budget):
        return _give_up(M, S)
    return STABLE


@jit
def insert_couples(
    M: KernelInput, S: State, couple_order: np.ndarray, first: int, stop: int, local_budget: int
) -> int:
    """Insert the couples ``couple_order[first:stop]`` one at a time.

    Returns -1 when each settled, or the index (0..n-1) of a couple whose insertion kept cycling
    (the state is then a valid matching; the caller restarts without it).  Each insertion gets
    ``local_budget`` steps and turns to random order after a tenth of them.
    """
    calm = local_budget // 10
    for t in range(first, stop):
        c = couple_order[t]
        S.c_live[c] = True
        _push(S, S.c_on, c, _COUPLE)
        start = S.ctl[_STEPS]
        if not _settle(M, S, start + local_budget, start + calm):
            _give_up(M, S)
            return int(c)
    return -1


@jit
def sweep_couples(M: KernelInput, S: State, local_budget: int, sweeps: int) -> int:
    """After every couple is in, sweep out any blocking pair the chaining missed.

    Returns -1 when nothing blocks; the index of a couple whose repair kept cycling; or -2 when
    repairing a single applicant kept cycling (or ``sweeps`` repairs did not suffice).
    """
    calm = local_budget // 10
    for _ in range(sweeps):
        if not _sweep(M, S):
            return -1
        S.ctl[_REPAIRS] += 1
        start = S.ctl[_STEPS]
        if not _settle(M, S, start + local_budget, start + calm):
            _give_up(M, S)
            return S.ctl[_MOVED] if S.ctl[_MOVED] >= 0 else -2
    _give_up(M, S)
    return -2


def steps_taken(state: State) -> int:
    """Proposals plus chaining steps made so far."""
    return int(state.ctl[_STEPS])


def sweep_repairs(state: State) -> int:
    """Blocking pairs the final audit sweep had to satisfy (0 when chaining caught everything)."""
    return int(state.ctl[_REPAIRS])
