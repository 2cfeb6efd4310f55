"""Brute force: list every matching of a tiny market and keep the stable ones."""

from __future__ import annotations

import itertools
from typing import Any

from tests.reference.definitions import (
    Doc,
    Matching,
    _code,
    _supp_name,
    couples_of,
    is_stable,
    is_valid,
)


def _supp_choices(app: dict[str, Any], entry: Any) -> list[str | None]:
    name = _supp_name(entry)
    if name is None:
        return [None]
    return [None, *app["supplemental_lists"][name]]


def all_matchings(doc: Doc) -> list[Matching]:
    """Every valid matching (I1) of ``doc``."""
    cmap = couples_of(doc)
    agents: list[list[list[tuple[str, str | None, str | None]]]] = []
    for a, app in doc["applicants"].items():
        if a in cmap:
            continue
        options: list[list[tuple[str, str | None, str | None]]] = [[(a, None, None)]]
        for entry in app.get("rol", []):
            options += [[(a, _code(entry), s)] for s in _supp_choices(app, entry)]
        agents.append(options)
    for couple in doc.get("couples", []):
        m1, m2 = couple["members"]
        options = [[(m1, None, None), (m2, None, None)]]
        for x, y in couple.get("rol", []):
            for s1 in _supp_choices(doc["applicants"][m1], x):
                for s2 in _supp_choices(doc["applicants"][m2], y):
                    options.append([(m1, _code(x), s1), (m2, _code(y), s2)])
        agents.append(options)
    out: list[Matching] = []
    for combo in itertools.product(*agents):
        m = Matching(dict.fromkeys(doc["applicants"]), dict.fromkeys(doc["applicants"]))
        for part in combo:
            for a, p, s in part:
                m.primary[a] = p
                m.supplemental[a] = s
        if is_valid(doc, m):
            out.append(m)
    return out


def stable_matchings(doc: Doc) -> list[Matching]:
    return [m for m in all_matchings(doc) if is_stable(doc, m)]


def size(doc: Doc) -> int:
    """How many candidate matchings brute force would look at."""
    cmap = couples_of(doc)
    total = 1
    for a, app in doc["applicants"].items():
        if a not in cmap:
            total *= 1 + sum(len(_supp_choices(app, e)) for e in app.get("rol", []))
    for couple in doc.get("couples", []):
        m1, m2 = couple["members"]
        total *= 1 + sum(
            len(_supp_choices(doc["applicants"][m1], x))
            * len(_supp_choices(doc["applicants"][m2], y))
            for x, y in couple.get("rol", [])
        )
    return total
