"""Tell one applicant the story of their result, entry by entry.

Every unmatched applicant asks "why?".  In a stable matching the answer for each program they
preferred is always one of: it did not rank them, it offered no positions, or it filled every
position with applicants it ranked higher (and we can say how much higher).  For couples the
answer is per pair: which partner's side failed and why.  Entries below the match were never
reached, which is why ranking in true order of preference is safe.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np

from imgpath.core.matching.instance import Instance
from imgpath.core.matching.market import NO_PROGRAM
from imgpath.core.matching.solve import Result
from imgpath.errors import NotFoundError

__all__ = ["Explanation", "SideStory", "Step", "explain"]

Outcome = Literal[
    "matched",
    "not_reached",
    "not_ranked",
    "no_positions",
    "filled_higher",
    "would_accept",
    "joint",
    "holds",
    "too_few_positions",
    "no_room_for_both",
]


@dataclass(frozen=True)
class SideStory:
    """What one program did with one applicant."""

    program: str | None
    outcome: Outcome
    your_rank: int | None
    """Where the program ranked the applicant (1 = its first choice), None if not ranked."""
    positions: int
    """The program's final quota: its quota plus positions reverted to it, minus those it
    reverted to others (0 for a donor whose positions all reverted)."""
    filled: int
    lowest_matched_rank: int | None
    """Where the program ranked the lowest applicant it matched (None if it matched nobody)."""

    def sentence(self, who: str) -> str:
        p = self.program or "No Match"
        you = who == "you"
        if self.program is None:
            return f"{who} {'stay' if you else 'stays'} unmatched on this side"
        if self.outcome == "matched":
            return f"{p} ranked {who} #{self.your_rank}: matched"
        if self.outcome == "holds":
            return f"{who} already {'hold' if you else 'holds'} a position at {p} (kept)"
        if self.outcome == "not_ranked":
            return f"{p} did not rank {who}"
        if self.outcome == "no_positions":
            return f"{p} had no positions to fill"
        if self.outcome == "joint":
            return f"{p} is a joint preliminary program that takes only its own advanced program's applicants"
        if self.outcome == "too_few_positions":
            return f"the pair needs 2 positions at {p}, which has {_positions(self.positions)}"
        if self.outcome == "no_room_for_both":
            return (
                f"{p} ranked {who} #{self.your_rank} but had no room for both partners "
                f"({self.filled} of {_positions(self.positions)} filled; it would have had to drop "
                "an applicant it ranked above one of you)"
            )
        if self.outcome == "filled_higher":
            return (
                f"{p} ranked {who} #{self.your_rank} but filled all {_positions(self.positions)} "
                f"with applicants it ranked higher (its lowest match was #{self.lowest_matched_rank})"
            )
        if self.outcome == "would_accept":
            if self.filled < self.positions:
                return (
                    f"{p} ranked {who} #{self.your_rank} and had room "
                    f"({self.filled} of {_positions(self.positions)} filled)"
                )
            return (
                f"{p} ranked {who} #{self.your_rank}, above its lowest match "
                f"#{self.lowest_matched_rank}"
            )
        return f"{p}: not reached"


def _positions(n: int) -> str:
    return f"{n} position" if n == 1 else f"{n} positions"


@dataclass(frozen=True)
class Step:
    """One entry of a rank list (a program, or a couple's pair) and what became of it."""

    rank: int
    outcome: Literal["matched", "not_reached", "failed", "blocking"]
    sides: tuple[SideStory, ...]

    def sentence(self, names: tuple[str, ...]) -> str:
        head = f"#{self.rank}"
        if self.outcome == "not_reached":
            label = " + ".join(s.program or "No Match" for s in self.sides)
            return f"{head} {label}: not considered, because a higher choice matched"
        if all(s.outcome == "too_few_positions" for s in self.sides):
            parts = self.sides[0].sentence(names[0])  # one fact about the pair, said once
        else:
            parts = "; ".join(s.sentence(n) for s, n in zip(self.sides, names, strict=True))
        if self.outcome == "blocking":
            parts += " (a blocking pair: this result is not stable)"
        return f"{head} {parts}"


@dataclass(frozen=True)
class Explanation:
    """The story of one applicant's result."""

    applicant: str
    partner: str | None
    matched: str | None
    partner_matched: str | None
    supplemental: str | None
    steps: tuple[Step, ...]
    supplemental_list: str | None
    supplemental_steps: tuple[Step, ...]
    stable: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def text(self) -> str:
        """The story in plain sentences, one line per rank-list entry."""
        lines: list[str] = []
        who = self.applicant
        if self.partner is None:
            names: tuple[str, ...] = ("you",)
            if self.matched:
                lines.append(f"{who} matched to {self.matched}.")
            else:
                lines.append(f"{who} did not match.")
        else:
            names = ("you", self.partner)
            if self.matched or self.partner_matched:
                lines.append(
                    f"{who} and partner {self.partner} matched as a couple to "
                    f"{self.matched or 'No Match'} / {self.partner_matched or 'No Match'}."
                )
            else:
                lines.append(f"{who} and partner {self.partner} did not match.")
        lines.append("Your rank order list:")
        lines += ["  " + step.sentence(names) for step in self.steps]
        if self.supplemental_list is not None:
            got = self.supplemental or "no PGY-1 position"
            lines.append(
                f"Supplemental list {self.supplemental_list!r} (tried because you hold the advanced position): {got}."
            )
            lines += ["  " + step.sentence(("you",)) for step in self.supplemental_steps]
        if not self.stable:
            lines.append(
                "Note: this market has no stable result the engine could find; see blocking pairs."
            )
        return "\n".join(lines)


class _Programs:
    """Final holders of programs, looked up on demand."""

    def __init__(self, result: Result) -> None:
        self.result = result
        self.market = result.instance.market
        report = result.outcome.report
        self.cap = report.capacity - report.given  # final quota after reversions in and out
        self.count = report.count
        self._ranks: dict[int, list[tuple[int, int]]] = {}

    def rank_of(self, p: int, r: int) -> int | None:
        m = self.market
        rol = m.program_rol[m.program_rol_offsets[p] : m.program_rol_offsets[p + 1]]
        hit = np.flatnonzero(rol == r)
        return int(hit[0]) + 1 if hit.shape[0] else None

    def held(self, p: int) -> list[tuple[int, int]]:
        """(applicant, rank 1-based) of every seat ``p`` holds, primary and supplemental."""
        if p not in self._ranks:
            a = self.result.outcome.assignment
            seats = np.flatnonzero(a.prim == p).tolist() + np.flatnonzero(a.supp == p).tolist()
            self._ranks[p] = [(r, self.rank_of(p, r) or 0) for r in seats]
        return self._ranks[p]

    def lowest(self, p: int, *, besides: tuple[int, ...] = ()) -> int | None:
        known = [k for r, k in self.held(p) if r not in besides]
        return max(known) if known else None

    def story(
        self, p: int, r: int, *, matched: bool, joint_ok: bool = True, keep: int = -1
    ) -> SideStory:
        """What ``p`` did with ``r`` moving there; ``keep`` is a partner who stays at ``p``.

        ``r``'s own seat at ``p`` (a PGY-1 seat) is free for ``r``; nobody else's is, the
        partner's included (docs/explanation/match-engine.md, "Couples").
        """
        inst = self.result.instance
        if p == NO_PROGRAM:
            return SideStory(None, "matched" if matched else "would_accept", None, 0, 0, None)
        your = self.rank_of(p, r)
        cap = int(self.cap[p])
        others = [(x, k) for x, k in self.held(p) if x != r]
        filled = len(others)
        droppable = [k for x, k in others if x != keep]
        lowest = max(droppable) if droppable else None
        outcome: Outcome
        if matched:
            outcome = "matched"
            filled, lowest = int(self.count[p]), self.lowest(p)
        elif your is None:
            outcome = "not_ranked"
        elif not joint_ok:
            outcome = "joint"
        elif cap == 0:
            outcome = "no_positions"
        elif filled >= cap and (lowest is None or lowest < your):
            outcome = "filled_higher"
        else:
            outcome = "would_accept"
        return SideStory(inst.program_codes[p], outcome, your, cap, filled, lowest)

    def both(self, p: int, r: int, o: int, *, stays: int = -1) -> tuple[SideStory, SideStory]:
        """What ``p`` did with a pair naming it for both ``r`` and partner ``o``.

        A pair naming one program twice needs two positions there.  If neither partner holds
        one, ``p`` takes both only by dropping holders ranked below both partners; if one holds
        a seat there (``stays``), it keeps it and the other needs a position without that seat.
        """
        if int(self.cap[p]) < 2 and self.rank_of(p, r) and self.rank_of(p, o):
            mine, theirs = self.story(p, r, matched=False), self.story(p, o, matched=False)
            return _as(mine, "too_few_positions"), _as(theirs, "too_few_positions")
        if stays >= 0:
            mover = o if stays == r else r
            kept = self.story(p, stays, matched=True)
            kept = SideStory(kept.program, "holds", kept.your_rank, kept.positions, kept.filled,
                             kept.lowest_matched_rank)  # fmt: skip
            moving = self.story(p, mover, matched=False, keep=stays)
            if moving.outcome == "filled_higher":
                moving = _as(moving, "no_room_for_both")
            return (kept, moving) if stays == r else (moving, kept)
        mine, theirs = self.story(p, r, matched=False), self.story(p, o, matched=False)
        if mine.your_rank is None or theirs.your_rank is None:
            return mine, theirs
        if mine.outcome in {"joint", "no_positions"}:
            return mine, theirs
        if mine.positions < 2:
            return _as(mine, "too_few_positions"), _as(theirs, "too_few_positions")
        worse = max(mine.your_rank, theirs.your_rank)
        held = [k for x, k in self.held(p) if x not in (r, o)]
        room = mine.positions - len(held) + sum(1 for k in held if k > worse)
        outcome: Outcome = "would_accept" if room >= 2 else "no_room_for_both"
        lowest = max(held, default=None)
        return (
            SideStory(mine.program, outcome, mine.your_rank, mine.positions, len(held), lowest),
            SideStory(
                theirs.program, outcome, theirs.your_rank, theirs.positions, len(held), lowest
            ),
        )


def _as(story: SideStory, outcome: Outcome) -> SideStory:
    return SideStory(story.program, outcome, story.your_rank, story.positions, story.filled,
                     story.lowest_matched_rank)  # fmt: skip


def _pair_sides(
    progs: _Programs, a: Any, mine: int, theirs: int, r: int, o: int, *, here: bool
) -> tuple[SideStory, SideStory]:
    """Both sides of a couple's pair, judged by the couple rule (a partner who stays keeps the
    seat; a mover is judged against every holder, the partner who leaves included)."""
    if here:
        return progs.story(mine, r, matched=True), progs.story(theirs, o, matched=True)
    stay_me = mine != NO_PROGRAM and int(a.prim[r]) == mine
    stay_them = theirs != NO_PROGRAM and int(a.prim[o]) == theirs
    if mine != NO_PROGRAM and mine == theirs:
        return progs.both(mine, r, o, stays=r if stay_me else (o if stay_them else -1))

    def side(p: int, who: int, stays: bool, partner: int, partner_stays: bool) -> SideStory:
        if stays:
            s = progs.story(p, who, matched=True)
            return SideStory(
                s.program, "holds", s.your_rank, s.positions, s.filled, s.lowest_matched_rank
            )
        return progs.story(p, who, matched=False, keep=partner if partner_stays else -1)

    return side(mine, r, stay_me, o, stay_them), side(theirs, o, stay_them, r, stay_me)


def _step_outcome(sides: tuple[SideStory, ...]) -> Literal["failed", "blocking"]:
    if all(s.outcome in {"would_accept", "matched", "holds"} for s in sides):
        return "blocking"
    return "failed"


def explain(instance: Instance, result: Result, applicant: str) -> Explanation:
    """Explain ``applicant``'s result: each entry on their list and what the program did."""
    r = instance.applicant_index.get(applicant)
    if r is None:
        msg = f"no applicant {applicant!r} in this instance; check the id"
        raise NotFoundError(msg)
    m = instance.market
    a = result.outcome.assignment
    progs = _Programs(result)
    c = int(m.prepared.couple_of[r])
    steps: list[Step] = []
    partner: str | None = None
    partner_matched: str | None = None
    active = -1
    if c < 0:
        a0 = int(m.applicant_rol_offsets[r])
        n = int(m.applicant_rol_offsets[r + 1]) - a0
        cur = int(a.prim_idx[r]) if a.prim[r] >= 0 else n
        for i in range(n):
            p = int(m.applicant_rol[a0 + i])
            if i > cur:
                steps.append(Step(i + 1, "not_reached", (progs.story(p, r, matched=False),)))
                continue
            side = progs.story(p, r, matched=i == cur)
            steps.append(Step(i + 1, "matched" if i == cur else _step_outcome((side,)), (side,)))
        if a.prim[r] >= 0:
            active = int(m.applicant_rol_supplemental[a0 + cur])
    else:
        me = 0 if m.couple_members[c, 0] == r else 1
        o = int(m.couple_members[c, 1 - me])
        partner = instance.applicant_ids[o]
        partner_matched = instance.program(int(a.prim[o]))
        c0 = int(m.couple_rol_offsets[c])
        n = int(m.couple_rol_offsets[c + 1]) - c0
        cur = int(a.cpair[c]) if a.cpair[c] >= 0 else n
        for j in range(n):
            pair = m.couple_rol[c0 + j]
            mine, theirs = int(pair[me]), int(pair[1 - me])
            here = j == cur
            sides = _pair_sides(progs, a, mine, theirs, r, o, here=here)
            if j > cur:
                steps.append(Step(j + 1, "not_reached", sides))
            else:
                steps.append(Step(j + 1, "matched" if here else _step_outcome(sides), sides))
        if a.cpair[c] >= 0:
            active = int(m.couple_rol_supplemental[c0 + cur, me])
    supp_steps: list[Step] = []
    list_name: str | None = None
    if active >= 0:
        list_name = instance.supplemental_names[active]
        s0 = int(m.supplemental_offsets[active])
        n = int(m.prepared.supplemental_lengths[active])
        cur = int(a.sidx[r]) if a.supp[r] >= 0 else n
        joint = m.joint
        for j in range(n):
            p = int(m.supplemental_programs[s0 + j])
            if j > cur:
                steps_outcome: Any = "not_reached"
                supp_steps.append(Step(j + 1, steps_outcome, (progs.story(p, r, matched=False),)))
                continue
            ok = joint[p] == NO_PROGRAM or joint[p] == a.prim[r]
            side = progs.story(p, r, matched=j == cur, joint_ok=bool(ok))
            supp_steps.append(
                Step(j + 1, "matched" if j == cur else _step_outcome((side,)), (side,))
            )
    return Explanation(
        applicant=applicant,
        partner=partner,
        matched=instance.program(int(a.prim[r])),
        partner_matched=partner_matched,
        supplemental=instance.program(int(a.supp[r])),
        steps=tuple(steps),
        supplemental_list=list_name,
        supplemental_steps=tuple(supp_steps),
        stable=result.stable,
    )
