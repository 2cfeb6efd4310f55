"""Seeded random markets of any size, for properties that need more than a handful of agents."""

from __future__ import annotations

from typing import Any

import numpy as np


def random_market(
    seed: int,
    *,
    n_applicants: int = 200,
    n_programs: int = 30,
    couples: int = 0,
    rol_length: int = 6,
    advanced_share: float = 0.0,
    reversions: int = 0,
    correlated: bool = True,
    mutual: bool = False,
) -> dict[str, Any]:
    """A market in the interchange format.

    Preferences are correlated (a common "desirability" plus noise) when ``correlated``, which is
    what makes real markets hard; ``mutual`` makes programs rank exactly those who ranked them.
    """
    rng = np.random.default_rng(seed)
    progs = [f"P{i:03d}" for i in range(n_programs)]
    apps = [f"A{i:04d}" for i in range(n_applicants)]
    n_adv = int(n_programs * advanced_share)
    n_pre = n_adv
    types = ["A"] * n_adv + ["P"] * n_pre + ["C"] * (n_programs - n_adv - n_pre)
    quota = rng.integers(1, 8, size=n_programs)
    appeal = rng.normal(size=n_programs) if correlated else np.zeros(n_programs)
    strength = rng.normal(size=n_applicants) if correlated else np.zeros(n_applicants)
    members = rng.permutation(n_applicants)[: 2 * couples].reshape(-1, 2)
    in_couple = set(members.ravel().tolist())
    primary = [i for i in range(n_programs) if types[i] != "P"] or list(range(n_programs))
    prelims = [i for i in range(n_programs) if types[i] == "P"]
    ranked_by: dict[int, set[int]] = {p: set() for p in range(n_programs)}
    applicants: dict[str, Any] = {}
    for a in range(n_applicants):
        entry: dict[str, Any] = {}
        if prelims:
            score = appeal[prelims] + rng.normal(size=len(prelims))
            order = [prelims[i] for i in np.argsort(-score)[: min(3, len(prelims))]]
            entry["supplemental_lists"] = {"s": [progs[p] for p in order]}
        if a not in in_couple:
            k = min(rol_length, len(primary))
            score = appeal[primary] + rng.normal(size=len(primary))
            chosen = [primary[i] for i in np.argsort(-score)[: rng.integers(1, k + 1)]]
            rol: list[Any] = []
            for p in chosen:
                ranked_by[p].add(a)
                if types[p] == "A" and prelims:
                    rol.append({"program": progs[p], "supplemental": "s"})
                else:
                    rol.append(progs[p])
            entry["rol"] = rol
        applicants[apps[a]] = entry
    couple_docs = []
    for m1, m2 in members.tolist():
        pairs: list[list[str | None]] = []
        score = appeal[primary] + rng.normal(size=len(primary))
        top = [primary[i] for i in np.argsort(-score)[: min(4, len(primary))]]
        for x in top:
            for y in top:
                if rng.random() < 0.6:
                    pairs.append([progs[x], progs[y]])
                    ranked_by[x].add(m1)
                    ranked_by[y].add(m2)
        if rng.random() < 0.5:
            pairs.append([progs[top[0]], None])
            ranked_by[top[0]].add(m1)
        couple_docs.append({"members": [apps[m1], apps[m2]], "rol": pairs})
    programs: dict[str, Any] = {}
    for p in range(n_programs):
        if mutual:
            pool = np.array(sorted(ranked_by[p]), dtype=np.int64)
        else:
            pool = rng.choice(
                n_applicants, size=min(n_applicants, 4 * rol_length * 3), replace=False
            )
            pool = np.union1d(pool, np.array(sorted(ranked_by[p]), dtype=np.int64))
            pool = pool[rng.random(pool.shape[0]) < 0.85]
        score = strength[pool] + rng.normal(size=pool.shape[0])
        order = pool[np.argsort(-score)]
        prog: dict[str, Any] = {
            "quota": int(quota[p]),
            "rol": [apps[a] for a in order.tolist()],
            "type": types[p],
        }
        programs[progs[p]] = prog
    for _ in range(reversions):
        d, r = sorted(rng.choice(n_programs, size=2, replace=False).tolist())
        donor = programs[progs[d]]
        if "reversions" not in donor:
            donor["reversions"] = [
                {"to": progs[r], "positions": int(rng.integers(1, donor["quota"] + 1))}
            ]
    doc: dict[str, Any] = {"programs": programs, "applicants": applicants}
    if couple_docs:
        doc["couples"] = couple_docs
    return doc
