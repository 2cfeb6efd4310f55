"""The Match as integer arrays: what the engine actually runs on.

Labels (program codes, applicant ids, list names) live in :class:`~imgpath.core.matching.instance.Instance`;
everything here is dense integer indices so that the hot loop touches only arrays.  Rank lists are
stored in CSR form (an offsets array plus one flat array of entries), the layout sparse matrices use,
because a national Match has about a million rank-list entries and almost every applicant–program
pair is absent.

A :class:`Market` is what a user states (quotas and rank lists); :class:`Prepared` adds what the
engine derives from it once (each entry's rank on the other side, who is in which couple, slot
space for reversions).  Both are immutable by convention: arrays are never written after creation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import numpy.typing as npt

__all__ = ["NO_PROGRAM", "PROGRAM_TYPES", "Market", "Prepared"]

IntArray = npt.NDArray[np.int32]
OffArray = npt.NDArray[np.int64]

NO_PROGRAM = -1
"""Index meaning "no program": an unmatched applicant, or the "No Match" side of a couple's pair."""

PROGRAM_TYPES = ("", "C", "P", "A", "R", "M")
"""NRMP track types by code; index 0 means "not stated".

C categorical, P preliminary (PGY-1 only), A advanced (PGY-2 start), R physician/reserved
(PGY-2 start), M primary-care categorical.
"""


def _i32(values: object) -> IntArray:
    return np.ascontiguousarray(np.asarray(values, dtype=np.int32))


def _i64(values: object) -> OffArray:
    return np.ascontiguousarray(np.asarray(values, dtype=np.int64))


@dataclass(frozen=True, eq=False)
class Market:
    """A Match instance in integer form.

    Programs are ``0..n_programs-1`` and applicants ``0..n_applicants-1``.  Every applicant has a
    primary rank list (empty for couple members, who rank through their couple); entries may carry
    a supplemental list (an index into the supplemental lists, or -1).  Couples rank pairs of
    programs, with -1 for "No Match" on one side.  Reversions move a donor's unfilled positions
    to a receiver, in the order given.
    """

    quota: IntArray
    program_rol_offsets: OffArray
    program_rol: IntArray
    applicant_rol_offsets: OffArray
    applicant_rol: IntArray
    applicant_rol_supplemental: IntArray
    supplemental_offsets: OffArray = field(default_factory=lambda: _i64([0]))
    supplemental_programs: IntArray = field(default_factory=lambda: _i32([]))
    supplemental_owner: IntArray = field(default_factory=lambda: _i32([]))
    couple_members: IntArray = field(default_factory=lambda: _i32([]).reshape(0, 2))
    couple_rol_offsets: OffArray = field(default_factory=lambda: _i64([0]))
    couple_rol: IntArray = field(default_factory=lambda: _i32([]).reshape(0, 2))
    couple_rol_supplemental: IntArray = field(default_factory=lambda: _i32([]).reshape(0, 2))
    reversion_donor: IntArray = field(default_factory=lambda: _i32([]))
    reversion_receiver: IntArray = field(default_factory=lambda: _i32([]))
    reversion_positions: IntArray = field(default_factory=lambda: _i32([]))
    program_type: npt.NDArray[np.int8] | None = None
    joint_advanced: IntArray | None = None

    @property
    def n_programs(self) -> int:
        return int(self.quota.shape[0])

    @property
    def n_applicants(self) -> int:
        return int(self.applicant_rol_offsets.shape[0] - 1)

    @property
    def n_couples(self) -> int:
        return int(self.couple_members.shape[0])

    @property
    def n_supplemental_lists(self) -> int:
        return int(self.supplemental_offsets.shape[0] - 1)

    @property
    def positions(self) -> int:
        return int(self.quota.sum())

    @property
    def types(self) -> npt.NDArray[np.int8]:
        if self.program_type is None:
            return np.zeros(self.n_programs, dtype=np.int8)
        return self.program_type

    @property
    def joint(self) -> IntArray:
        if self.joint_advanced is None:
            return np.full(self.n_programs, NO_PROGRAM, dtype=np.int32)
        return self.joint_advanced

    @cached_property
    def prepared(self) -> Prepared:
        """Derived arrays, computed once per market (about 0.1 s at national scale)."""
        from imgpath.core.matching.prepare import prepare

        return prepare(self)

    @classmethod
    def from_lists(
        cls,
        *,
        quota: list[int],
        program_rols: list[list[int]],
        applicant_rols: list[list[int]],
        applicant_rol_supplemental: list[list[int]] | None = None,
        supplemental_lists: list[tuple[int, list[int]]] | None = None,
        couples: list[tuple[tuple[int, int], list[tuple[int, int]]]] | None = None,
        couple_rol_supplemental: list[list[tuple[int, int]]] | None = None,
        reversions: list[tuple[int, int, int]] | None = None,
        program_type: list[int] | None = None,
        joint_advanced: list[int] | None = None,
    ) -> Market:
        """Build a market from plain Python lists (for tests and small programmatic use)."""
        supplemental_lists = supplemental_lists or []
        couples = couples or []
        reversions = reversions or []
        if applicant_rol_supplemental is None:
            applicant_rol_supplemental = [[-1] * len(rol) for rol in applicant_rols]
        if couple_rol_supplemental is None:
            couple_rol_supplemental = [[(-1, -1)] * len(rol) for _, rol in couples]
        return cls(
            quota=_i32(quota),
            program_rol_offsets=_offsets(program_rols),
            program_rol=_i32([a for rol in program_rols for a in rol]),
            applicant_rol_offsets=_offsets(applicant_rols),
            applicant_rol=_i32([p for rol in applicant_rols for p in rol]),
            applicant_rol_supplemental=_i32([s for sup in applicant_rol_supplemental for s in sup]),
            supplemental_offsets=_offsets([progs for _, progs in supplemental_lists]),
            supplemental_programs=_i32([p for _, progs in supplemental_lists for p in progs]),
            supplemental_owner=_i32([owner for owner, _ in supplemental_lists]),
            couple_members=_i32([list(members) for members, _ in couples]).reshape(-1, 2),
            couple_rol_offsets=_offsets([rol for _, rol in couples]),
            couple_rol=_i32([list(pair) for _, rol in couples for pair in rol]).reshape(-1, 2),
            couple_rol_supplemental=_i32(
                [list(pair) for sup in couple_rol_supplemental for pair in sup]
            ).reshape(-1, 2),
            reversion_donor=_i32([d for d, _, _ in reversions]),
            reversion_receiver=_i32([r for _, r, _ in reversions]),
            reversion_positions=_i32([n for _, _, n in reversions]),
            program_type=None if program_type is None else np.asarray(program_type, dtype=np.int8),
            joint_advanced=None if joint_advanced is None else _i32(joint_advanced),
        )


def _offsets(lists: list[list[int]] | list[list[tuple[int, int]]]) -> OffArray:
    offsets = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum([len(items) for items in lists], out=offsets[1:])
    return offsets


@dataclass(frozen=True, eq=False)
class Prepared:
    """What the engine derives from a :class:`Market` before matching.

    ``*_rank`` arrays hold, for each rank-list entry, the rank (0 = first) the *other side* gave
    that pairing, or -1 when the other side did not rank it (such a proposal is always refused).
    ``program_rol_applicant_index`` is, for each entry of a program's list, where that program sits
    on the applicant's primary list (-1 if absent): instability chaining needs it to find
    applicants who now prefer a program that has just opened up.
    """

    applicant_rol_rank: IntArray
    supplemental_rank: IntArray
    couple_rol_rank: IntArray
    program_rol_applicant_index: IntArray
    couple_of: IntArray
    slot_offsets: OffArray
    reversion_order: IntArray
    supplemental_lengths: IntArray
