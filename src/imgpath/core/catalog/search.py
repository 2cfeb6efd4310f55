"""Which programs a search keeps, and in what order: masks and sorts on arrays."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from imgpath.core.catalog.fit import FitTable
from imgpath.core.catalog.programs import TRACK_TYPES, Program
from imgpath.core.geography import REGIONS, is_us_state
from imgpath.errors import FormError, Problem

__all__ = [
    "SORTS",
    "VISA_STATES",
    "SearchQuery",
    "alphabetical_ranks",
    "filter_programs",
    "order_programs",
    "parse_search",
    "resolve_specialties",
    "specialty_names",
    "visa_states",
]

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
    """j1 or h1b: keep the programs with evidence of sponsoring it (accepted claims; for H-1B
    also certified LCAs for residents by the institution); the result counts the rest."""
    visa_unknown: bool = False
    """With ``visa``: also list, after them, the programs whose sponsorship is unknown or disputed."""
    all_specialties: bool = False
    """Do not filter to the applicant's target specialty when no specialty is given."""
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


def parse_search(*, text: str = "", specialties: Iterable[str] = (), states: Iterable[str] = (),
                 regions: Iterable[str] = (), types: Iterable[str] = (), visa: str | None = None,
                 visa_unknown: bool = False, all_specialties: bool = False,
                 include_excluded: bool = False, sort: str | None = None, limit: int = 20,
                 offset: int = 0, has_profile: bool | None = None) -> SearchQuery:  # fmt: skip
    """The one reading of a program search, shared by the CLI, the API and the page.

    Values are trimmed and put in the catalog's case (``ny`` is NY, ``Northeast`` is northeast,
    ``c`` is C, ``H1B`` is h1b); empty values are dropped; the text is cut at 200 characters.
    ``sort`` None means fit with a profile and name without one; ``has_profile`` None means the
    caller does not know yet (the web workspace: the catalog then sorts by name and says why).
    Raises :class:`FormError` naming each bad field (``state``, ``region``, ``type``, ``visa``,
    ``sort``, ``limit``); each edge words the field as its flag or form control.
    """

    def clean(values: Iterable[str]) -> tuple[str, ...]:
        return tuple(v.strip()[:200] for v in values if v and v.strip())

    query = SearchQuery(
        text=(text or "").strip()[:200],
        specialties=clean(specialties),
        states=tuple(s.upper() for s in clean(states)),
        regions=tuple(r.lower() for r in clean(regions)),
        types=tuple(t.upper() for t in clean(types)),
        visa=(visa or "").strip().lower() or None,
        visa_unknown=visa_unknown,
        all_specialties=all_specialties,
        include_excluded=include_excluded,
        sort=(sort or "").strip().lower() or ("name" if has_profile is False else "fit"),
        limit=limit,
        offset=offset,
    )
    problems = [Problem(name, message) for name, message in query.problems()]
    if sort and query.sort == "fit" and has_profile is False:
        problems.append(Problem("sort", "sorting by fit needs a profile",
                                "sort by name, state, specialty or code, or give a profile"))  # fmt: skip
    if problems:
        raise FormError(problems)
    return query


def specialty_names(programs: Sequence[Program]) -> dict[str, str]:
    """Specialty code -> name, for :func:`resolve_specialties` (build it once per catalog)."""
    return {p.specialty_code: p.specialty for p in programs}


def resolve_specialties(
    wanted: Sequence[str], programs: Sequence[Program] | Mapping[str, str]
) -> tuple[set[str], list[str], dict[str, str]]:
    """Specialty codes for each wanted code or name; the ones that matched nothing; and the
    specialties left out because a name matched one specialty exactly (name by code).

    A code (140) or a full name ("internal medicine") means that one specialty; only a part of a
    name ("medicine") reaches every specialty whose name contains it, combined ones included."""
    if not wanted:
        return set(), [], {}
    names = programs if isinstance(programs, Mapping) else specialty_names(programs)
    codes: set[str] = set()
    unknown = []
    others: dict[str, str] = {}
    for item in wanted:
        key = item.strip().lower()
        exact = {c for c, n in names.items() if key in (c, n.lower())}
        partial = {c for c, n in names.items() if key in n.lower()}
        if exact:
            codes |= exact
            others.update({c: names[c] for c in partial - exact})
        elif partial:
            codes |= partial
        else:
            unknown.append(item)
    return codes, unknown, {c: n for c, n in others.items() if c not in codes}


def filter_programs(
    programs: Sequence[Program],
    query: SearchQuery,
    specialty_codes: Collection[str],
) -> npt.NDArray[np.bool_]:
    """The mask of programs the query keeps (before the visa filter and fit exclusions)."""
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
    return keep


VISA_STATES = ("evidence", "reported_not", "disputed", "unknown")


def visa_states(table: FitTable, visa: str) -> dict[str, npt.NDArray[np.bool_]]:
    """For each program, which of :data:`VISA_STATES` its sponsorship of ``visa`` is in.

    Evidence is accepted claims that it sponsors, or (H-1B) certified LCAs for residents by its
    institution; "reported_not" is accepted claims that it does not; claims that disagree (or a
    "no" against LCA filings) are "disputed"; nothing at all is "unknown"."""
    yes, no = table.yes[f"{visa}_sponsor"], table.no[f"{visa}_sponsor"]
    lca = table.lca if visa == "h1b" else np.zeros(table.n, np.bool_)
    disputed = ((yes > 0) & (no > 0)) | ((no > 0) & lca)
    evidence = ~disputed & ((yes > 0) | lca)
    reported_not = ~disputed & (no > 0) & ~lca
    unknown = ~(disputed | evidence | reported_not)
    return {
        "evidence": evidence,
        "reported_not": reported_not,
        "disputed": disputed,
        "unknown": unknown,
    }


def alphabetical_ranks(programs: Sequence[Program]) -> npt.NDArray[np.int64]:
    """Each program's place in (state, institution, code) order: how ties are listed."""
    order = sorted(range(len(programs)),
                   key=lambda i: (programs[i].state, programs[i].institution.lower(), programs[i].code))  # fmt: skip
    ranks = np.empty(len(programs), np.int64)
    ranks[order] = np.arange(len(programs))
    return ranks


def order_programs(
    programs: Sequence[Program],
    keep: npt.NDArray[np.bool_],
    sort: str,
    scores: npt.NDArray[np.int64] | None,
    excluded: npt.NDArray[np.bool_] | None,
    table_evidence: npt.NDArray[np.bool_] | None = None,
    confidence: npt.NDArray[np.int8] | None = None,
    thin: npt.NDArray[np.bool_] | None = None,
    ranks: npt.NDArray[np.int64] | None = None,
) -> npt.NDArray[np.int64]:
    """Indices of the kept programs in the requested order.

    By fit: excluded last; before them, programs whose specialty figure rests on too few
    applicants (``thin``); otherwise best index first; at one index, programs with program-level
    evidence first, then more confidence, then (a tie that nothing breaks) by state and name, so
    that tied programs read as a list, not a ranking."""
    picked = np.flatnonzero(keep)
    if sort == "fit" and scores is not None and excluded is not None:
        rank = (ranks if ranks is not None else alphabetical_ranks(programs))[picked]
        none = np.zeros(len(programs), np.bool_)
        evidence = table_evidence if table_evidence is not None else none
        few = thin if thin is not None else none
        sure = confidence if confidence is not None else np.zeros(len(programs), np.int8)
        order = np.lexsort(
            (rank, -sure[picked], ~evidence[picked], -scores[picked], few[picked], excluded[picked])
        )
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
