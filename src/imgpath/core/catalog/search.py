"""Which programs a search keeps, and in what order: masks and sorts on arrays."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from imgpath.core.catalog.fit import FitTable
from imgpath.core.catalog.programs import TRACK_TYPES, Program
from imgpath.core.geography import REGIONS, is_us_state

__all__ = ["SORTS", "SearchQuery", "filter_programs", "order_programs", "resolve_specialties"]

SORTS = ("fit", "name", "state", "specialty", "code")


@dataclass(frozen=True)
class SearchQuery:
    """A program search: every filter is optional; values are validated by :meth:`problems`."""

    text: str = ""
    specialties: tuple[str, ...] = ()
    """Specialty codes (140) or names, or parts of names ("internal medicine")."""
    states: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    visa: str | None = None
    """j1 or h1b: leave out programs reported not to sponsor it."""
    visa_known: bool = False
    """With ``visa``: keep only programs reported to sponsor it."""
    include_excluded: bool = False
    sort: str = "name"
    limit: int = 20
    """0 for all."""
    offset: int = 0
    codes: frozenset[str] | None = field(default=None, compare=False)
    """Set by the service from a full-text search of ``text``."""

    def problems(self) -> list[tuple[str, str]]:
        """Each bad filter as (field, message), so callers can name the flag or form field."""
        out = [
            ("state", f"{s!r} is not a US state code; use two letters such as NY")
            for s in self.states
            if not is_us_state(s)
        ]
        out += [
            ("region", f"{r!r} is not a region; use one of {', '.join(REGIONS)}")
            for r in self.regions
            if r not in REGIONS
        ]
        out += [
            ("type", f"{t!r} is not a track type; use C, P, A, R or M")
            for t in self.types
            if t not in TRACK_TYPES
        ]
        if self.visa not in (None, "j1", "h1b"):
            out.append(("visa", f"{self.visa!r}: use j1 or h1b"))
        if self.sort not in SORTS:
            out.append(("sort", f"{self.sort!r}: use one of {', '.join(SORTS)}"))
        if self.limit < 0 or self.offset < 0:
            out.append(("limit", "limit and offset cannot be negative (limit 0 means all)"))
        return out


def resolve_specialties(
    wanted: Sequence[str], programs: Sequence[Program]
) -> tuple[set[str], list[str]]:
    """Specialty codes matching each wanted code or name part; and the ones that matched nothing."""
    names = {p.specialty_code: p.specialty for p in programs}
    codes: set[str] = set()
    unknown = []
    for item in wanted:
        key = item.strip().lower()
        found = {c for c, n in names.items() if key == c or key in n.lower()}
        if not found:
            unknown.append(item)
        codes |= found
    return codes, unknown


def filter_programs(
    programs: Sequence[Program],
    query: SearchQuery,
    specialty_codes: Collection[str],
    table: FitTable,
) -> npt.NDArray[np.bool_]:
    """The mask of programs the query keeps (before fit exclusions)."""
    n = len(programs)
    keep = np.ones(n, np.bool_)
    if query.codes is not None:
        keep &= np.fromiter((p.code in query.codes for p in programs), np.bool_, n)
    if specialty_codes:
        keep &= np.fromiter((p.specialty_code in specialty_codes for p in programs), np.bool_, n)
    states = set(query.states)
    for region in query.regions:
        states |= REGIONS[region]
    if states:
        keep &= np.fromiter((p.state in states for p in programs), np.bool_, n)
    if query.types:
        keep &= np.fromiter((p.track_type in query.types for p in programs), np.bool_, n)
    if query.visa:
        yes, no = table.yes[f"{query.visa}_sponsor"], table.no[f"{query.visa}_sponsor"]
        keep &= (yes > 0) & (no == 0) if query.visa_known else ~((no > 0) & (yes == 0))
    return keep


def order_programs(
    programs: Sequence[Program],
    keep: npt.NDArray[np.bool_],
    sort: str,
    scores: npt.NDArray[np.int64] | None,
    excluded: npt.NDArray[np.bool_] | None,
) -> npt.NDArray[np.int64]:
    """Indices of the kept programs in the requested order (best fit first; excluded last)."""
    picked = np.flatnonzero(keep)
    if sort == "fit" and scores is not None and excluded is not None:
        codes = [programs[int(i)].code for i in picked]
        order = np.lexsort((np.array(codes), -scores[picked], excluded[picked]))
        out: npt.NDArray[np.int64] = picked[order]
        return out
    key = {
        "name": lambda i: (
            programs[i].institution.lower(),
            programs[i].track.lower(),
            programs[i].code,
        ),
        "state": lambda i: (programs[i].state, programs[i].institution.lower(), programs[i].code),
        "specialty": lambda i: (
            programs[i].specialty.lower(),
            programs[i].institution.lower(),
            programs[i].code,
        ),
        "code": lambda i: (programs[i].code,),
    }.get(sort, lambda i: (programs[i].code,))
    return np.array(sorted(picked.tolist(), key=key), dtype=np.int64)
