"""Run the two Python peers, ``matching`` and ``algmatch``, on a singles-only instance document.

Both handle single applicants only (no couples, supplemental lists or reversions), which is why
the comparison is restricted to such markets.  ``algmatch`` wants integer ids, so labels are
mapped to 1..n and back.  ``matching`` deep-copies a graph of player objects and needs a high
recursion limit and a big thread stack beyond a few hundred applicants.
"""

from __future__ import annotations

import sys
import threading
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def with_big_stack(fn: Callable[[], T], *, stack_mb: int = 1024) -> T:
    """Run ``fn`` in a thread with a large stack and recursion limit (``matching`` needs both)."""
    out: list[T] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            out.append(fn())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            errors.append(exc)

    old_limit = sys.getrecursionlimit()
    old_size = threading.stack_size()
    sys.setrecursionlimit(1_000_000)
    threading.stack_size(stack_mb * 1024 * 1024)
    try:
        thread = threading.Thread(target=target)
        thread.start()
        thread.join()
    finally:
        threading.stack_size(old_size)
        sys.setrecursionlimit(old_limit)
    if errors:
        raise errors[0]
    return out[0]


def mutually_acceptable(
    doc: dict[str, Any],
) -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, int]]:
    """Rank lists cut to pairs both sides ranked, without empty lists or quota-0 programs.

    A pair that is not mutually acceptable can never be matched, so this changes no stable
    matching; ``matching`` needs it (it fails on empty lists and warns about one-sided pairs).
    """
    ranked_by = {p: set(prog.get("rol", [])) for p, prog in doc["programs"].items()}
    open_programs = {p for p, prog in doc["programs"].items() if prog["quota"] > 0}
    residents = {
        a: [p for p in app.get("rol", []) if p in open_programs and a in ranked_by[p]]
        for a, app in doc["applicants"].items()
    }
    residents = {a: rol for a, rol in residents.items() if rol}
    wanted = {p: {a for a, rol in residents.items() if p in rol} for p in doc["programs"]}
    hospitals = {
        p: [a for a in doc["programs"][p].get("rol", []) if a in wanted[p]] for p in open_programs
    }
    hospitals = {p: rol for p, rol in hospitals.items() if rol}
    residents = {a: [p for p in rol if p in hospitals] for a, rol in residents.items()}
    residents = {a: rol for a, rol in residents.items() if rol}
    capacities = {p: doc["programs"][p]["quota"] for p in hospitals}
    return residents, hospitals, capacities


def matching_solve(doc: dict[str, Any]) -> dict[str, str | None]:
    """The resident-optimal matching from ``matching`` (daffidwilde/matching)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from matching.games import HospitalResident

        residents, hospitals, capacities = mutually_acceptable(doc)

        def run() -> dict[str, str | None]:
            out: dict[str, str | None] = dict.fromkeys(doc["applicants"])
            if not residents:
                return out
            game = HospitalResident.create_from_dictionaries(
                residents, hospitals, capacities, clean=False
            )
            solution = game.solve(optimal="resident")
            for hospital, matched in solution.items():
                for resident in matched:
                    out[resident.name] = hospital.name
            return out

        return with_big_stack(run)


def algmatch_solve(doc: dict[str, Any]) -> dict[str, str | None]:
    """The resident-optimal matching from ``algmatch`` (BenOnTheBoard/algmatch)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from algmatch import HospitalResidentsProblem

        residents, hospitals, capacities = mutually_acceptable(doc)
        out: dict[str, str | None] = dict.fromkeys(doc["applicants"])
        if not residents:
            return out
        apps = list(residents)
        progs = list(hospitals)
        aid = {a: i + 1 for i, a in enumerate(apps)}
        pid = {p: i + 1 for i, p in enumerate(progs)}
        data = {
            "residents": {aid[a]: [pid[p] for p in residents[a]] for a in apps},
            "hospitals": {
                pid[p]: {"capacity": capacities[p], "preferences": [aid[a] for a in hospitals[p]]}
                for p in progs
            },
        }
        problem = HospitalResidentsProblem(dictionary=data, optimised_side="residents")
        solution = problem.get_stable_matching()
    assert solution is not None
    for a, matched in solution["resident_sided"].items():
        if matched:
            out[apps[int(a[1:]) - 1]] = progs[int(matched[1:]) - 1]
    return out
