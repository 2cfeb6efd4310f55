"""Seeded tiny markets with couples, supplemental lists, joint preliminary programs and
reversions: small enough for brute force (tests/reference/brute.py) to list every matching."""

from __future__ import annotations

import random
from typing import Any

from tests.reference.brute import size


def tiny_market(seed: int, *, max_matchings: int = 3000) -> dict[str, Any]:
    """A market of 4-8 applicants (1-2 couples) and 2-3 programs whose matchings number at
    most ``max_matchings`` (redrawn from the same seed until they do)."""
    rnd = random.Random(seed)
    while True:
        doc = _draw(rnd)
        if size(doc) <= max_matchings:
            return doc


def _draw(rnd: random.Random) -> dict[str, Any]:
    n_p = rnd.randint(2, 3)
    n_a = rnd.randint(4, 8)
    progs = [f"P{i}" for i in range(n_p)]
    apps = [f"a{i}" for i in range(n_a)]
    kinds = {p: rnd.choice(["C", "C", "A", "P"]) for p in progs}
    advanced = [p for p in progs if kinds[p] == "A"]
    prelims = [p for p in progs if kinds[p] == "P"]
    joint = {p: rnd.choice(advanced) for p in prelims if advanced and rnd.random() < 0.3}
    primary = [p for p in progs if p not in joint]
    pool = apps[:]
    rnd.shuffle(pool)
    couples = [(pool[0], pool[1])]
    if n_a >= 5 and rnd.random() < 0.8:
        couples.append((pool[2], pool[3]))
    members = {m for c in couples for m in c}

    def pick(items: list[Any], most: int) -> list[Any]:
        k = rnd.randint(0, min(most, len(items)))
        return rnd.sample(items, k)

    applicants: dict[str, Any] = {}
    for a in apps:
        entry: dict[str, Any] = {}
        if prelims and rnd.random() < 0.5:
            entry["supplemental_lists"] = {"s": pick(prelims, 2) or [prelims[0]]}
        if a not in members:
            rol: list[Any] = []
            for p in pick(primary, 4):
                if p in advanced and "supplemental_lists" in entry and rnd.random() < 0.7:
                    rol.append({"program": p, "supplemental": "s"})
                else:
                    rol.append(p)
            entry["rol"] = rol
        applicants[a] = entry
    couple_docs = []
    for m1, m2 in couples:
        options = [
            (x, y) for x in [*primary, None] for y in [*primary, None] if (x, y) != (None, None)
        ]
        pairs = pick(options, 6) or [options[0]]

        def side(member: str, p: str | None) -> Any:
            if p in advanced and "supplemental_lists" in applicants[member] and rnd.random() < 0.7:
                return {"program": p, "supplemental": "s"}
            return p

        couple_docs.append(
            {"members": [m1, m2], "rol": [[side(m1, x), side(m2, y)] for x, y in pairs]}
        )
    programs: dict[str, Any] = {}
    for i, p in enumerate(progs):
        quota = rnd.choice([0, 1, 1, 1, 1, 2, 2])
        ranked = [a for a in apps if rnd.random() < 0.85]
        rnd.shuffle(ranked)
        prog: dict[str, Any] = {"quota": quota, "rol": ranked, "type": kinds[p]}
        if p in joint:
            prog["joint_with"] = joint[p]
        if quota > 0 and i + 1 < n_p and rnd.random() < 0.25:
            prog["reversions"] = [
                {"to": progs[rnd.randint(i + 1, n_p - 1)], "positions": rnd.randint(1, quota)}
            ]
        programs[p] = prog
    return {"programs": programs, "applicants": applicants, "couples": couple_docs}
