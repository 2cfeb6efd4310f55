"""Compiled draws for market generation: who interviews where, in what order.

Each applicant draws candidate programs near their own standing: a target seat quantile drawn
around their standing (``Phi(standing + spread * N)``), mapped to the program holding that seat
when the specialty's positions are lined up by appeal, so a program is drawn in proportion to its
size (programs invite interviewees in proportion to their positions).  The applicant keeps the
first ``k`` distinct programs and ranks them by appeal, region and taste.  Written as a compiled loop with its own
splitmix64 generator (seeded by the caller: no global randomness), because doing it with arrays
costs a full applicants x programs matrix per specialty.

Also here (this module is one of the engine's compiled modules, whose cache is stamped): the
rejection chain that inserts one person into a stored national matching.
"""

from __future__ import annotations

import math

import numpy as np

from imgpath.core.matching.jit import jit

__all__ = ["insert_each", "insert_person", "interview"]


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


@jit
def insert_person(
    a_off: np.ndarray,
    a_prog: np.ndarray,
    a_score: np.ndarray,
    h_off: np.ndarray,
    h_app: np.ndarray,
    h_score: np.ndarray,
    h_idx: np.ndarray,
    movable: np.ndarray,
    p_prog: np.ndarray,
    p_score: np.ndarray,
    log_slot: np.ndarray,
    log_app: np.ndarray,
    log_score: np.ndarray,
    log_idx: np.ndarray,
    undo: bool,
) -> int:
    """Insert one person into a stable matching by a rejection chain; the index of the program
    on the person's list they hold at the end (-1: unmatched).

    The matching is held per program in slots ``h_off[p]:h_off[p + 1]`` (one per final
    position): the applicant (``h_app``; -1 empty), the score the program gave them (``h_score``)
    and the index of the program on the applicant's list (``h_idx``).  Applicant ``r`` ranks
    ``a_prog[a_off[r]:a_off[r + 1]]``; ``a_score`` is the score each of those programs gives
    ``r`` (-inf where it does not rank ``r``); ``a_off`` ends with an empty row for the person
    (applicant id ``a_off.shape[0] - 2``, one past the last), who ranks ``p_prog`` and is scored ``p_score`` there.

    The person proposes down their list; a program holding a worse applicant (or with an empty
    slot) takes them and rejects its worst, who proposes on from the next program of their own
    list, and so on until someone takes an empty slot or runs out of list.  For singles this is
    the applicant-proposing deferred acceptance of the market with the person added (proposals
    may be made in any order: McVitie and Wilson 1970).  A rejected applicant who is not
    ``movable`` (a couple member, or someone held through a supplemental list) goes unmatched and
    ends the chain: an approximation, measured in docs/explanation/simulation-and-odds.md.

    Every change is written to the ``log_*`` arrays and, with ``undo``, undone before returning,
    so the stored matching is unchanged (without it the slots hold the new matching); the logs must hold at least as many entries as the chain has steps
    (``log_slot.shape[0]``; past that the chain stops, a bound never reached in practice).
    """
    person = a_off.shape[0] - 2
    proposer = person
    i = 0
    n_log = 0
    limit = log_slot.shape[0]
    where = -1  # the slot the person holds
    while n_log < limit:
        if proposer == person:
            if i >= p_prog.shape[0]:
                break
            p = p_prog[i]
            s = p_score[i]
        else:
            if i >= a_off[proposer + 1] - a_off[proposer]:
                break
            p = a_prog[a_off[proposer] + i]
            s = a_score[a_off[proposer] + i]
        if not s > -np.inf:
            i += 1
            continue
        worst = -1
        for slot in range(h_off[p], h_off[p + 1]):
            if h_app[slot] < 0:
                worst = slot
                break
            if worst < 0 or h_score[slot] < h_score[worst]:
                worst = slot
        if worst < 0 or (h_app[worst] >= 0 and not s > h_score[worst]):
            i += 1
            continue
        log_slot[n_log] = worst
        log_app[n_log] = h_app[worst]
        log_score[n_log] = h_score[worst]
        log_idx[n_log] = h_idx[worst]
        n_log += 1
        out = h_app[worst]
        out_idx = h_idx[worst]
        h_app[worst] = proposer
        h_score[worst] = s
        h_idx[worst] = i
        if proposer == person:
            where = worst
        if out < 0:
            break
        if out == person:
            where = -1
            proposer = person
            i = out_idx + 1
        elif movable[out]:
            proposer = out
            i = out_idx + 1
        else:
            break
    result = -1
    if where >= 0 and h_app[where] == person:
        result = h_idx[where]
    for k in range(n_log - 1 if undo else -1, -1, -1):
        slot = log_slot[k]
        h_app[slot] = log_app[k]
        h_score[slot] = log_score[k]
        h_idx[slot] = log_idx[k]
    return int(result)


@jit
def insert_each(
    a_off: np.ndarray,
    a_prog: np.ndarray,
    a_score: np.ndarray,
    h_off: np.ndarray,
    h_app: np.ndarray,
    h_score: np.ndarray,
    h_idx: np.ndarray,
    movable: np.ndarray,
    lists: np.ndarray,
    got: np.ndarray,
    scores: np.ndarray,
    log_slot: np.ndarray,
    log_app: np.ndarray,
    log_score: np.ndarray,
    log_idx: np.ndarray,
    result: np.ndarray,
) -> None:
    """:func:`insert_person` for each row ``d`` of ``lists`` (its first ``got[d]`` programs,
    scored ``scores[d]``), one at a time into the same stored matching; ``result[d]``: the index
    on the row's list held at the end (-1: unmatched)."""
    for d in range(lists.shape[0]):
        n = got[d]
        result[d] = insert_person(
            a_off, a_prog, a_score, h_off, h_app, h_score, h_idx, movable,
            lists[d, :n], scores[d, :n], log_slot, log_app, log_score, log_idx, True,
        )  # fmt: skip
