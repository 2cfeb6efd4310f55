"""A rank order list as the Match reads it: NRMP's limits, supplemental lists, edits, warnings,
and what each entry means.

Edits are pure: each takes the entries and returns the new ones (or raises, naming the field),
so the store can apply them with no other edit in between.  Limits: at most
:data:`~imgpath.core.matching.instance.NRMP_MAX_RANKS` (300) programs on a list and on each
supplemental list (NRMP, rule ``US.NRMP.ROL.LIMIT``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from imgpath.core.matching.instance import NRMP_MAX_RANKS
from imgpath.core.season.records import RankEntry
from imgpath.errors import FormError, NotFoundError, Problem

__all__ = [
    "DIRECTIONS",
    "SUMMARY",
    "add",
    "check_direction",
    "entry_warnings",
    "explain",
    "limit_problems",
    "move",
    "position",
    "remove",
    "set_supplemental",
    "step",
    "supplemental_choice",
]

Entries = tuple[RankEntry, ...]
DIRECTIONS = ("up", "down", "top", "bottom")
SUMMARY = (
    "The Match tries your programs in the order you rank them and places you in the first one "
    "that ranked you and has a place for you; ranking in your true order of preference never "
    "costs you a program. Every entry below counts only if all those above it did not work out."
)


def limit_problems(entries: Sequence[RankEntry], most: int = NRMP_MAX_RANKS) -> list[Problem]:
    """NRMP's limits: ``most`` programs on the list and on each supplemental list."""
    problems = []
    if len(entries) > most:
        problems.append(Problem("program_code", f"the list would have {len(entries)} programs; "
                                f"NRMP allows at most {most}", "remove one first"))  # fmt: skip
    if any(len(e.supplemental) > most for e in entries):
        problems.append(Problem("supplemental", f"a supplemental list may hold at most {most}"))
    return problems


def position(entries: Sequence[RankEntry], code: str) -> int:
    """Where ``code`` is on the list (0 is the top); NotFoundError when it is not on it."""
    wanted = code.strip().upper()
    at = next((i for i, e in enumerate(entries) if e.program == wanted), None)
    if at is None:
        msg = f"{code} is not on your rank list"
        raise NotFoundError(msg)
    return at


def add(entries: Entries, code: str) -> Entries:
    """``code`` at the bottom; a program already on the list is refused."""
    if any(e.program == code for e in entries):
        raise FormError([Problem("program_code", f"{code} is on your list already",
                                 "move it instead of adding it twice")])  # fmt: skip
    return (*entries, RankEntry(code))


def remove(entries: Entries, code: str) -> Entries:
    at = position(entries, code)
    return entries[:at] + entries[at + 1 :]


def move(entries: Entries, code: str, to: int) -> Entries:
    """``code`` to position ``to`` (1 is the top); positions past either end are clamped."""
    at = position(entries, code)
    rest = [*entries[:at], *entries[at + 1 :]]
    rest.insert(min(max(to, 1), len(rest) + 1) - 1, entries[at])
    return tuple(rest)


def check_direction(direction: str) -> None:
    """A move button's direction: up, down, top or bottom."""
    if direction not in DIRECTIONS:
        raise FormError([Problem("direction", f"{direction!r} is not up, down, top or bottom",
                                 "use the rank-list page's move buttons")])  # fmt: skip


def step(entries: Entries, code: str, direction: str) -> Entries:
    """One place up or down, or to the top or the bottom (the page's buttons)."""
    check_direction(direction)
    at = position(entries, code)
    to = {"up": at - 1, "down": at + 1, "top": 0, "bottom": len(entries) - 1}[direction]
    rest = [*entries[:at], *entries[at + 1 :]]
    rest.insert(min(max(to, 0), len(rest)), entries[at])
    return tuple(rest)


def supplemental_choice(
    codes: Sequence[str], track_of: Mapping[str, str]
) -> tuple[tuple[str, ...], list[Problem]]:
    """The codes of a supplemental list (trimmed, upper-case, no repeats) and what is wrong with
    them: each must be a known preliminary (PGY-1, track type P) program."""
    problems: list[Problem] = []
    chosen: list[str] = []
    for raw in codes:
        code = raw.strip().upper()
        if not code or code in chosen:
            continue
        if code not in track_of:
            problems.append(Problem("supplemental", f"no program with code {code!r}"))
        elif track_of[code] != "P":
            problems.append(Problem("supplemental", f"{code} is not a preliminary (PGY-1) program",
                                    "supplemental lists hold preliminary programs (type P)"))  # fmt: skip
        chosen.append(code)
    return tuple(chosen), problems


def set_supplemental(entries: Entries, code: str, chosen: Sequence[str], problems: Sequence[Problem],
                     track_of: Mapping[str, str]) -> Entries:  # fmt: skip
    """The advanced program ``code`` with the supplemental list ``chosen`` (checked beforehand by
    :func:`supplemental_choice`, whose ``problems`` are raised here, after the entry's own)."""
    at = position(entries, code)
    found = list(problems)
    if track_of.get(entries[at].program) != "A":
        found.insert(0, Problem("supplemental",
                                "only an advanced (PGY-2) program takes a supplemental list"))  # fmt: skip
    if found:
        raise FormError(found)
    return (*entries[:at], RankEntry(entries[at].program, tuple(chosen)), *entries[at + 1 :])


def entry_warnings(status: str | None, track_type: str, has_supplemental: bool) -> list[str]:
    """What may stop an entry from counting: a withdrawn or not-interviewed application, an
    advanced program with no first year."""
    warnings = []
    if status == "withdrawn":
        warnings.append("you withdrew from this program: it cannot match you")
    elif status not in ("interviewed", "ranked"):
        warnings.append("not marked interviewed: programs rank only applicants they interviewed")
    if track_type == "A" and not has_supplemental:
        warnings.append("advanced (PGY-2) program with no supplemental list: add PGY-1 programs "
                        "so a match here comes with a first year")  # fmt: skip
    return warnings


def explain(rank: int, name: str, track_type: str, supplemental: int) -> str:
    """What the Match does with the entry at ``rank`` (1 is the top)."""
    above = "program 1 does" if rank == 2 else f"programs 1 to {rank - 1} do"
    first = (
        "The Match tries this program first."
        if rank == 1
        else f"Tried only if {above} not take you."
    )
    text = f"{first} If {name} ranked you and has a place, you match here and the rest of the list is not used."
    if track_type == "A":
        text += (" It is an advanced (PGY-2) program: once you hold a place here, the Match tries your "
                 "supplemental list in order for your first year"
                 + (f" ({supplemental} programs)." if supplemental else ", which is empty."))  # fmt: skip
    return text
