"""A validated Match instance: labels at the edge, a :class:`Market` of integers inside.

``Instance.from_dict`` checks the document's shape (pydantic), then every rule that needs the
whole document, collecting *all* problems (up to a limit) so that a user fixes a file in one pass
rather than one error per run.  Each problem names the record and field and says how to fix it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, cast

import numpy as np

from imgpath.core.matching.document import validate_shape
from imgpath.core.matching.market import NO_PROGRAM, PROGRAM_TYPES, Market
from imgpath.core.matching.prepare import reversion_cycle
from imgpath.core.text_checks import identifier_problem
from imgpath.errors import InvalidInstanceError, Problem

__all__ = ["MAX_POSITIONS", "MAX_QUOTA", "NRMP_MAX_RANKS", "Instance", "Limits"]

NRMP_MAX_RANKS = 300
"""NRMP: "No more than 300 ranks can be placed on any ROL" (applicant primary, each supplemental
list, and a couple's list).  Source: NRMP, "Ranking Programs in the Main Residency Match",
https://www.nrmp.org/ranking-residency-programs/ (read 2026-11 via a public copy)."""

MAX_QUOTA = 100_000
"""Most positions one program may offer, and most ``MAX_POSITIONS`` in all: technical limits
(the engine keeps a slot per position) far above any real Match, so a typo such as
``quota: 99999999999999999999`` is a message, not an overflow or gigabytes of memory."""
MAX_POSITIONS = 10_000_000

_TYPE_CODE = {name: i for i, name in enumerate(PROGRAM_TYPES) if name}


@dataclass(frozen=True)
class Limits:
    """Rank-list length limits; NRMP's by default, configurable for other matches."""

    max_ranks: int = NRMP_MAX_RANKS


class _Problems:
    """Collects problems: keeps the first ``limit`` for display and counts them all."""

    def __init__(self, source: str, limit: int = 50) -> None:
        self.source = source
        self.limit = limit
        self.items: list[Problem] = []
        self.total = 0

    def add(self, location: str, message: str, hint: str = "") -> None:
        self.total += 1  # every problem counts; only the first ``limit`` are kept for display
        if len(self.items) < self.limit:
            self.items.append(Problem(location, message, hint))

    def raise_if_any(self) -> None:
        if self.items:
            raise InvalidInstanceError(self.items, source=self.source, total=self.total)


def _dupes(items: Sequence[Any]) -> list[Any]:
    seen: set[Any] = set()
    out: list[Any] = []
    for item in items:
        if item in seen and item not in out:
            out.append(item)
        seen.add(item)
    return out


@dataclass(frozen=True, eq=False)
class Instance:
    """A Match instance ready to solve: labels plus the integer :class:`Market`.

    ``supplemental_names[i]`` is the applicant's own name for supplemental list ``i``; the owner
    is ``market.supplemental_owner[i]``.
    """

    market: Market
    program_codes: tuple[str, ...]
    applicant_ids: tuple[str, ...]
    supplemental_names: tuple[str, ...] = ()

    @cached_property
    def program_index(self) -> dict[str, int]:
        return {code: i for i, code in enumerate(self.program_codes)}

    @cached_property
    def applicant_index(self) -> dict[str, int]:
        return {a: i for i, a in enumerate(self.applicant_ids)}

    def program(self, index: int) -> str | None:
        return None if index == NO_PROGRAM else self.program_codes[index]

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, source: str = "", limits: Limits | None = None
    ) -> Instance:
        """Validate a document in the interchange format and encode it.

        Raises :class:`~imgpath.errors.InvalidInstanceError` listing every problem found.
        """
        doc = validate_shape(data, source=source)
        instance = _encode(doc, source=source, limits=limits or Limits())
        _ = instance.market.prepared  # part of loading: the rank join, done once
        return instance

    def to_dict(self) -> dict[str, Any]:
        """The instance in the interchange format (round-trips through :meth:`from_dict`)."""
        return _decode(self)


# ---------------------------------------------------------------------------------- encoding


def _encode(doc: Mapping[str, Any], *, source: str, limits: Limits) -> Instance:
    problems = _Problems(source)
    programs: Mapping[str, Any] = doc["programs"]
    applicants: Mapping[str, Any] = doc.get("applicants", {})
    couples: Sequence[Any] = doc.get("couples", [])
    codes = list(programs)
    ids = list(applicants)
    pidx = {code: i for i, code in enumerate(codes)}
    aidx = {a: i for i, a in enumerate(ids)}
    max_ranks = limits.max_ranks

    _check_ids(problems, codes, ids, applicants)

    ptype = np.zeros(len(codes), dtype=np.int8)
    for i, prog in enumerate(programs.values()):
        if "type" in prog:
            ptype[i] = _TYPE_CODE[prog["type"]]

    # ---- couples first: members must not have their own lists
    couple_of: dict[str, int] = {}
    for ci, couple in enumerate(couples):
        members = couple["members"]
        where = f"couples[{ci}].members"
        if members[0] == members[1]:
            problems.add(where, f"lists {members[0]!r} twice", "a couple has two different members")
        for m in members:
            if m not in aidx:
                problems.add(
                    where,
                    f"member {m!r} is not listed under 'applicants'",
                    f'add "{m}": {{}} under "applicants"',
                )
            elif m in couple_of and couple_of[m] != ci:
                problems.add(
                    where,
                    f"member {m!r} is already in couples[{couple_of[m]}]",
                    "an applicant can be in only one couple",
                )
            else:
                couple_of[m] = ci

    # ---- programs
    quota = np.zeros(len(codes), dtype=np.int32)
    p_off = np.zeros(len(codes) + 1, dtype=np.int64)
    p_rol: list[int] = []
    rev: list[tuple[int, int, int]] = []
    joint = np.full(len(codes), NO_PROGRAM, dtype=np.int32)
    for i, (code, prog) in enumerate(programs.items()):
        where = f"programs[{code!r}]"
        q = prog["quota"]
        if q < 0:
            problems.add(f"{where}.quota", f"quota is {q}", "a quota must be 0 or more")
        elif q > MAX_QUOTA:
            shown = f"{q:,}" if q < 10**15 else "over 10^15"
            problems.add(f"{where}.quota", f"quota is {shown}", f"a quota is at most {MAX_QUOTA:,}")
        quota[i] = min(max(q, 0), MAX_QUOTA)
        rol = prog.get("rol", [])
        encoded = list(map(aidx.get, rol))
        if None in encoded:
            for j, (a, e) in enumerate(zip(rol, encoded, strict=True)):
                if e is None:
                    problems.add(
                        f"{where}.rol[{j}]",
                        f"unknown applicant {a!r}",
                        "every applicant ranked must be listed under 'applicants'; add it or "
                        "remove it from this list",
                    )
            encoded = [e for e in encoded if e is not None]
        if len(encoded) != len(set(encoded)):
            for a in _dupes(rol):
                problems.add(
                    f"{where}.rol",
                    f"ranks applicant {a!r} more than once",
                    "rank each applicant once, at the place you prefer",
                )
        p_rol.extend(cast("list[int]", encoded))
        p_off[i + 1] = len(p_rol)
        total = 0
        for j, reversion in enumerate(prog.get("reversions", [])):
            loc = f"{where}.reversions[{j}]"
            to = reversion["to"]
            n = reversion["positions"]
            total += max(n, 0)
            if to not in pidx:
                problems.add(
                    f"{loc}.to", f"unknown program {to!r}", "name a program listed under 'programs'"
                )
            elif to == code:
                problems.add(
                    f"{loc}.to",
                    "a program cannot revert positions to itself",
                    "name another program",
                )
            elif n < 1:
                problems.add(f"{loc}.positions", f"positions is {n}", "revert 1 or more positions")
            else:
                rev.append((i, pidx[to], n))
        if total > max(q, 0):
            problems.add(
                f"{where}.reversions",
                f"reverts {total} positions but has a quota of {q}",
                "a program can revert at most its own quota",
            )
        if "joint_with" in prog:
            adv = prog["joint_with"]
            if adv not in pidx:
                problems.add(
                    f"{where}.joint_with",
                    f"unknown program {adv!r}",
                    "name an advanced program listed under 'programs'",
                )
            elif ptype[pidx[adv]] and PROGRAM_TYPES[ptype[pidx[adv]]] != "A":
                problems.add(
                    f"{where}.joint_with",
                    f"{adv!r} is not an advanced (type A) program",
                    "a joint preliminary program is joined to an advanced program",
                )
            elif ptype[i] and PROGRAM_TYPES[ptype[i]] != "P":
                problems.add(
                    f"{where}.joint_with",
                    "only a preliminary (type P) program can be joint",
                    "remove joint_with or set type to P",
                )
            else:
                joint[i] = pidx[adv]
    if int(quota.sum(dtype=np.int64)) > MAX_POSITIONS:
        problems.add(
            "programs",
            f"the quotas add up to {int(quota.sum(dtype=np.int64)):,} positions",
            f"an instance has at most {MAX_POSITIONS:,} positions in all",
        )
    if rev:
        cycle = reversion_cycle(np.array([d for d, _, _ in rev]), np.array([r for _, r, _ in rev]))
        if cycle is not None:
            problems.add(
                "programs.reversions",
                "circular reversion " + " -> ".join(codes[p] for p in cycle),
                "NRMP does not allow circular reversions; remove one of them",
            )

    type_names = [PROGRAM_TYPES[t] for t in ptype.tolist()]

    def type_of(p: int) -> str:
        return type_names[p]

    joint_programs = {int(p) for p in np.flatnonzero(joint != NO_PROGRAM)}

    # ---- applicants and their supplemental lists
    a_off = np.zeros(len(ids) + 1, dtype=np.int64)
    a_rol: list[int] = []
    a_supp: list[int] = []
    s_names: list[str] = []
    s_owner: list[int] = []
    s_off: list[int] = [0]
    s_prog: list[int] = []
    list_ids: dict[tuple[int, str], int] = {}
    for ai, (aid, app) in enumerate(applicants.items()):
        where = f"applicants[{aid!r}]"
        for name, progs in app.get("supplemental_lists", {}).items():
            loc = f"{where}.supplemental_lists[{name!r}]"
            encoded = list(map(pidx.get, progs))
            for j, (code, e) in enumerate(zip(progs, encoded, strict=True)):
                if e is None:
                    problems.add(
                        f"{loc}[{j}]",
                        f"unknown program {code!r}",
                        "every program ranked must be listed under 'programs'",
                    )
                elif type_of(e) not in {"", "P"}:
                    problems.add(
                        f"{loc}[{j}]",
                        f"{code!r} is a type {type_of(e)} program",
                        "supplemental lists hold preliminary (PGY-1, type P) programs only",
                    )
            for code in _dupes(progs):
                problems.add(
                    loc, f"ranks program {code!r} more than once", "rank each program once"
                )
            if len(progs) > max_ranks:
                problems.add(
                    loc,
                    f"has {len(progs)} ranks, over the limit of {max_ranks}",
                    "shorten the list",
                )
            list_ids[(ai, name)] = len(s_names)
            s_names.append(name)
            s_owner.append(ai)
            s_prog.extend(e for e in encoded if e is not None)
            s_off.append(len(s_prog))
        rol = app.get("rol", [])
        if rol and aid in couple_of:
            problems.add(
                f"{where}.rol",
                f"{aid!r} is in couples[{couple_of[aid]}] but also has a rank list of their own",
                "couple members rank through the couple's list; move these entries there",
            )
        if len(rol) > max_ranks:
            problems.add(
                f"{where}.rol",
                f"has {len(rol)} ranks, over the limit of {max_ranks}",
                "shorten the list",
            )
        try:
            plain: list[int | None] | None = list(map(pidx.get, rol))
        except TypeError:  # a {"program", "supplemental"} entry: take the careful path below
            plain = None
        if (
            plain is not None
            and None not in plain
            and len(set(plain)) == len(plain)
            and (not joint_programs or joint_programs.isdisjoint(plain))
        ):  # the common case, checked in bulk: known programs, each once, no joint prelims
            a_rol.extend(cast("list[int]", plain))
            a_supp.extend([-1] * len(plain))
            a_off[ai + 1] = len(a_rol)
            continue
        seen: set[int] = set()
        for j, entry in enumerate(rol):
            code, lst = _split_entry(entry)
            p = pidx.get(code)
            if p is None:
                problems.add(
                    f"{where}.rol[{j}]",
                    f"unknown program {code!r}",
                    "every program ranked must be listed under 'programs'; add it or remove it from this list",
                )
                continue
            if p in seen:
                problems.add(
                    f"{where}.rol[{j}]",
                    f"program {code!r} is ranked twice",
                    "rank each program once, at the place you prefer",
                )
                continue
            seen.add(p)
            if p in joint_programs:
                problems.add(
                    f"{where}.rol[{j}]",
                    f"{code!r} is the joint preliminary program of {codes[joint[p]]!r}",
                    "rank it on a supplemental list attached to that advanced program",
                )
            s = -1
            if lst is not None:
                s = _attach(
                    problems,
                    f"{where}.rol[{j}]",
                    list_ids,
                    ai,
                    lst,
                    p,
                    code,
                    type_of(p),
                    s_prog,
                    s_off,
                )
            a_rol.append(p)
            a_supp.append(s)
        a_off[ai + 1] = len(a_rol)

    # ---- couples' lists
    c_off = [0]
    c_rol: list[tuple[int, int]] = []
    c_supp: list[tuple[int, int]] = []
    c_mem: list[tuple[int, int]] = []
    for ci, couple in enumerate(couples):
        where = f"couples[{ci}]"
        members = couple["members"]
        c_mem.append((aidx.get(members[0], 0), aidx.get(members[1], 0)))
        rol = couple.get("rol", [])
        if len(rol) > max_ranks:
            problems.add(
                f"{where}.rol",
                f"has {len(rol)} ranks, over the limit of {max_ranks}",
                "shorten the list",
            )
        seen_pairs: set[tuple[int, int]] = set()
        for j, pair in enumerate(rol):
            x, y = pair
            if type(x) is not dict and type(y) is not dict:  # plain codes or null: the fast path
                p1 = NO_PROGRAM if x is None else pidx.get(x)
                p2 = NO_PROGRAM if y is None else pidx.get(y)
                key = (p1, p2)
                if (
                    p1 is not None
                    and p2 is not None
                    and key != (NO_PROGRAM, NO_PROGRAM)
                    and key not in seen_pairs
                    and p1 not in joint_programs
                    and p2 not in joint_programs
                ):
                    seen_pairs.add(key)  # type: ignore[arg-type]
                    c_rol.append(key)  # type: ignore[arg-type]
                    c_supp.append((-1, -1))
                    continue
            sides: list[int] = []
            supps: list[int] = []
            for side, entry in enumerate(pair):
                loc = f"{where}.rol[{j}][{side}]"
                if entry is None:
                    sides.append(NO_PROGRAM)
                    supps.append(-1)
                    continue
                code, lst = _split_entry(entry)
                p = pidx.get(code)
                if p is None:
                    problems.add(
                        loc,
                        f"unknown program {code!r}",
                        "every program ranked must be listed under 'programs'",
                    )
                    p = NO_PROGRAM
                elif p in joint_programs:
                    problems.add(
                        loc,
                        f"{code!r} is the joint preliminary program of {codes[joint[p]]!r}",
                        "rank it on a supplemental list attached to that advanced program",
                    )
                s = -1
                if lst is not None and p != NO_PROGRAM and members[side] in aidx:
                    s = _attach(
                        problems,
                        loc,
                        list_ids,
                        aidx[members[side]],
                        lst,
                        p,
                        code,
                        type_of(p),
                        s_prog,
                        s_off,
                    )
                sides.append(p)
                supps.append(s)
            key = (sides[0], sides[1])
            if pair[0] is None and pair[1] is None:
                problems.add(
                    f"{where}.rol[{j}]",
                    "both sides are null",
                    "a pair must name a program for at least one partner",
                )
            elif key in seen_pairs:
                problems.add(
                    f"{where}.rol[{j}]", f"the pair {pair!r} is ranked twice", "rank each pair once"
                )
            seen_pairs.add(key)
            c_rol.append(key)
            c_supp.append((supps[0], supps[1]))
        c_off.append(len(c_rol))

    problems.raise_if_any()
    market = Market(
        quota=quota,
        program_rol_offsets=p_off,
        program_rol=np.asarray(p_rol, dtype=np.int32),
        applicant_rol_offsets=a_off,
        applicant_rol=np.asarray(a_rol, dtype=np.int32),
        applicant_rol_supplemental=np.asarray(a_supp, dtype=np.int32),
        supplemental_offsets=np.asarray(s_off, dtype=np.int64),
        supplemental_programs=np.asarray(s_prog, dtype=np.int32),
        supplemental_owner=np.asarray(s_owner, dtype=np.int32),
        couple_members=np.asarray(c_mem, dtype=np.int32).reshape(-1, 2),
        couple_rol_offsets=np.asarray(c_off, dtype=np.int64),
        couple_rol=np.asarray(c_rol, dtype=np.int32).reshape(-1, 2),
        couple_rol_supplemental=np.asarray(c_supp, dtype=np.int32).reshape(-1, 2),
        reversion_donor=np.asarray([d for d, _, _ in rev], dtype=np.int32),
        reversion_receiver=np.asarray([r for _, r, _ in rev], dtype=np.int32),
        reversion_positions=np.asarray([n for _, _, n in rev], dtype=np.int32),
        program_type=ptype if ptype.any() else None,
        joint_advanced=joint if (joint != NO_PROGRAM).any() else None,
    )
    return Instance(market, tuple(codes), tuple(ids), tuple(s_names))


def _check_ids(
    problems: _Problems, codes: list[str], ids: list[str], applicants: Mapping[str, Any]
) -> None:
    """Program codes, applicant ids and list names must be visible, non-empty names."""
    for code in codes:
        why = identifier_problem(code)
        if why is not None:
            problems.add(f"programs[{code[:40]!r}]", f"the program code {why}")
    for aid in ids:
        why = identifier_problem(aid)
        if why is not None:
            problems.add(f"applicants[{aid[:40]!r}]", f"the applicant id {why}")
        for name in applicants[aid].get("supplemental_lists", {}):
            why = identifier_problem(name)
            if why is not None:
                where = f"applicants[{aid[:40]!r}].supplemental_lists[{name[:40]!r}]"
                problems.add(where, f"the list name {why}")


def _split_entry(entry: str | Mapping[str, str]) -> tuple[str, str | None]:
    """A rank-list entry as (program code, supplemental list name or None)."""
    if isinstance(entry, str):
        return entry, None
    return entry["program"], entry["supplemental"]


def _attach(
    problems: _Problems,
    loc: str,
    list_ids: dict[tuple[int, str], int],
    owner: int,
    name: str,
    program: int,
    code: str,
    ptype: str,
    s_prog: list[int],
    s_off: list[int],
) -> int:
    """The id of ``owner``'s supplemental list ``name`` attached at ``loc``, checking the link."""
    s = list_ids.get((owner, name))
    if s is None:
        problems.add(
            f"{loc}.supplemental",
            f"no supplemental list named {name!r}",
            "define it under this applicant's 'supplemental_lists'",
        )
        return -1
    if ptype not in {"", "A"}:
        problems.add(
            loc,
            f"a supplemental list is attached to {code!r}, a type {ptype} program",
            "attach supplemental lists to advanced (type A) programs only",
        )
    if program in s_prog[s_off[s] : s_off[s + 1]]:
        problems.add(
            loc,
            f"supplemental list {name!r} contains {code!r}, the program it is attached to",
            "a supplemental list holds PGY-1 programs for the advanced program it hangs on",
        )
    return s


# ---------------------------------------------------------------------------------- decoding


def _decode(instance: Instance) -> dict[str, Any]:
    m = instance.market
    codes = instance.program_codes
    ids = instance.applicant_ids
    types = m.types
    joint = m.joint
    programs: dict[str, Any] = {}
    p_rol = m.program_rol.tolist()
    p_off = m.program_rol_offsets.tolist()
    for i, code in enumerate(codes):
        prog: dict[str, Any] = {
            "quota": int(m.quota[i]),
            "rol": [ids[a] for a in p_rol[p_off[i] : p_off[i + 1]]],
        }
        if types[i]:
            prog["type"] = PROGRAM_TYPES[types[i]]
        if joint[i] != NO_PROGRAM:
            prog["joint_with"] = codes[joint[i]]
        programs[code] = prog
    for d, r, n in zip(
        m.reversion_donor.tolist(),
        m.reversion_receiver.tolist(),
        m.reversion_positions.tolist(),
        strict=True,
    ):
        programs[codes[d]].setdefault("reversions", []).append({"to": codes[r], "positions": n})

    names = instance.supplemental_names
    s_off = m.supplemental_offsets.tolist()
    s_prog = m.supplemental_programs.tolist()
    lists: dict[int, dict[str, list[str]]] = {}
    for s, owner in enumerate(m.supplemental_owner.tolist()):
        lists.setdefault(owner, {})[names[s]] = [codes[p] for p in s_prog[s_off[s] : s_off[s + 1]]]

    def side(p: int, s: int) -> Any:
        if p == NO_PROGRAM:
            return None
        return codes[p] if s < 0 else {"program": codes[p], "supplemental": names[s]}

    applicants: dict[str, Any] = {}
    a_off = m.applicant_rol_offsets.tolist()
    a_rol = m.applicant_rol.tolist()
    a_supp = m.applicant_rol_supplemental.tolist()
    for i, aid in enumerate(ids):
        entry: dict[str, Any] = {}
        rol = [side(a_rol[k], a_supp[k]) for k in range(a_off[i], a_off[i + 1])]
        if rol:
            entry["rol"] = rol
        if i in lists:
            entry["supplemental_lists"] = lists[i]
        applicants[aid] = entry

    couples: list[dict[str, Any]] = []
    c_off = m.couple_rol_offsets.tolist()
    c_rol = m.couple_rol.tolist()
    c_supp = m.couple_rol_supplemental.tolist()
    for c, (m1, m2) in enumerate(m.couple_members.tolist()):
        pairs = [
            [side(c_rol[k][0], c_supp[k][0]), side(c_rol[k][1], c_supp[k][1])]
            for k in range(c_off[c], c_off[c + 1])
        ]
        couples.append({"members": [ids[m1], ids[m2]], "rol": pairs})
    out: dict[str, Any] = {"programs": programs, "applicants": applicants}
    if couples:
        out["couples"] = couples
    return out
