"""Who a program holds, and whether a rank-list entry would block: shared by kernel and audit.

A program's holders sit in a contiguous run of two parallel arrays (resident, rank the program gave
them), starting at ``offsets[p]`` and ``fill[p]`` long.  Quotas are small (a median of about six
positions), so a linear scan beats any heap here.

The ``*_blocks`` predicates are the definitions of instability (invariants I2 and I3):

* a single applicant blocks with an entry they prefer to their match if that program would take
  them: it has a free position, or it ranks them above its worst holder;
* a supplemental-list entry above the current PGY-1 match blocks the same way, while the linked
  advanced position is held (a joint preliminary program only for its own advanced program);
* a couple blocks with a pair they prefer to their current pair if every partner who *changes*
  program is wanted there (a "No Match" side always is).  A partner who stays keeps their seat and
  cannot be displaced; a partner's seat is never free for the other partner: a mover must find a
  vacancy or be ranked above one of the program's current holders, a leaving partner included
  (McDermid & Manlove 2010; Biró, Manlove & McBride 2014; Bacchus's Roth–Peranson code checks
  ``willAccept`` before un-matching the couple).  A pair naming one program twice that neither
  partner holds needs room for both at once, dropping only holders ranked below both partners
  (the choice-function rule of Kojima, Pathak & Roth 2013 and Bacchus, which is also how a
  couple is placed); if one partner already holds that program, only the other moves.

A mover's *own* supplemental seat at the program it moves to counts as free for it (as for a
single applicant), never for its partner.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from imgpath.core.matching.jit import jit

__all__ = [
    "Holders",
    "accepts_mover",
    "accepts_one",
    "accepts_two",
    "pair_blocks",
    "reversion_extra",
    "single_blocks",
    "supp_blocks",
    "worst_two",
]


class Holders(NamedTuple):
    """Capacities and holders of every program."""

    cap: np.ndarray
    offsets: np.ndarray
    fill: np.ndarray
    residents: np.ndarray
    ranks: np.ndarray


@jit
def worst_two(H: Holders, p: int, skip1: int, skip2: int) -> tuple[int, int, int]:
    """Holders of ``p`` other than ``skip1``/``skip2``: (how many, worst rank, second-worst rank).

    Ranks are 0 for the program's first choice, so "worst" is the largest; -1 stands for "none".
    """
    n = 0
    worst = -1
    second = -1
    base = H.offsets[p]
    for i in range(base, base + H.fill[p]):
        r = H.residents[i]
        if r == skip1 or r == skip2:
            continue
        n += 1
        k = H.ranks[i]
        if k > worst:
            second = worst
            worst = k
        elif k > second:
            second = k
    return n, worst, second


@jit
def accepts_one(H: Holders, p: int, rank: int, skip1: int, skip2: int) -> bool:
    """Would ``p`` take one more applicant it ranked ``rank``, if ``skip1``/``skip2`` left it?"""
    if rank < 0:
        return False
    n, worst, _ = worst_two(H, p, skip1, skip2)
    if n < H.cap[p]:
        return True
    return rank < worst


@jit
def accepts_mover(H: Holders, p: int, rank: int, mover: int, keep: int) -> bool:
    """Would ``p`` take ``mover`` (ranked ``rank``) without displacing ``keep``?

    ``mover``'s own seat at ``p`` (a supplemental PGY-1 seat) counts as free; ``keep`` (a partner
    who stays at ``p``, or -1) is a holder who cannot be the one displaced.
    """
    if rank < 0:
        return False
    n = 0
    worst = -1
    base = H.offsets[p]
    for i in range(base, base + H.fill[p]):
        r = H.residents[i]
        if r == mover:
            continue
        n += 1
        if r != keep and H.ranks[i] > worst:
            worst = H.ranks[i]
    if n < H.cap[p]:
        return True
    return rank < worst


@jit
def accepts_two(H: Holders, p: int, rank1: int, rank2: int, skip1: int, skip2: int) -> bool:
    """Would ``p`` take both partners of a couple at once (dropping only holders below both)?"""
    if rank1 < 0 or rank2 < 0 or H.cap[p] < 2:
        return False
    n, worst, second = worst_two(H, p, skip1, skip2)
    free = H.cap[p] - n
    hi = max(rank1, rank2)
    if free >= 2:
        return True
    if free == 1:
        return hi < worst
    return hi < second


@jit
def single_blocks(a_prog: np.ndarray, a_rank: np.ndarray, H: Holders, r: int, k: int) -> bool:
    """Would the program of primary-list entry ``k`` (of applicant ``r``) take ``r``?"""
    return accepts_one(H, a_prog[k], a_rank[k], r, -1)


@jit
def supp_blocks(
    s_prog: np.ndarray, s_rank: np.ndarray, joint: np.ndarray, H: Holders, r: int, adv: int, k: int
) -> bool:
    """Would the program of supplemental entry ``k`` take ``r``, who holds advanced ``adv``?"""
    p = s_prog[k]
    if joint[p] >= 0 and joint[p] != adv:
        return False
    return accepts_one(H, p, s_rank[k], r, -1)


@jit
def pair_blocks(
    c_prog: np.ndarray,
    c_rank: np.ndarray,
    H: Holders,
    m1: int,
    m2: int,
    k: int,
    cur1: int,
    cur2: int,
) -> bool:
    """Would couple pair ``k`` block, the partners now holding ``cur1``/``cur2`` (-1: none)?

    A partner whose side of the pair is the program they hold stays (and keeps the seat); the
    other moves and must be wanted without anyone's seat being counted free but their own.
    """
    p1 = c_prog[k, 0]
    p2 = c_prog[k, 1]
    stay1 = p1 >= 0 and p1 == cur1
    stay2 = p2 >= 0 and p2 == cur2
    if stay1 and stay2:
        return False
    if p1 >= 0 and p1 == p2:
        if stay1:
            return accepts_mover(H, p2, c_rank[k, 1], m2, m1)
        if stay2:
            return accepts_mover(H, p1, c_rank[k, 0], m1, m2)
        return accepts_two(H, p1, c_rank[k, 0], c_rank[k, 1], m1, m2)
    if p1 >= 0 and not stay1 and not accepts_mover(H, p1, c_rank[k, 0], m1, m2 if stay2 else -1):
        return False
    return p2 < 0 or stay2 or accepts_mover(H, p2, c_rank[k, 1], m2, m1 if stay1 else -1)


@jit
def reversion_extra(
    quota: np.ndarray,
    count: np.ndarray,
    rev_order: np.ndarray,
    rev_donor: np.ndarray,
    rev_recv: np.ndarray,
    rev_pos: np.ndarray,
    extra: np.ndarray,
    remaining: np.ndarray,
    given: np.ndarray,
) -> None:
    """Fill ``extra[p]`` (``given[p]``) with the positions reverted to (from) ``p``, given fill.

    A donor's unfilled positions (its quota plus what was reverted to it, minus its holders) go to
    its receivers in the order listed, each up to the number of positions named.  ``rev_order``
    lists reversions into a donor before the donor's own, so chains resolve in one pass.
    """
    n_rev = rev_order.shape[0]
    for t in range(n_rev):
        k = rev_order[t]
        extra[rev_recv[k]] = 0
        extra[rev_donor[k]] = 0
        given[rev_donor[k]] = 0
        remaining[rev_donor[k]] = -1
    for t in range(n_rev):
        k = rev_order[t]
        d = rev_donor[k]
        if remaining[d] < 0:
            remaining[d] = max(quota[d] + extra[d] - count[d], 0)
        give = min(rev_pos[k], remaining[d])
        remaining[d] -= give
        given[d] += give
        extra[rev_recv[k]] += give
