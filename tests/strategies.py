"""Hypothesis strategies: random Match instances in the interchange format."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st


@st.composite
def markets(
    draw: st.DrawFn,
    *,
    max_programs: int = 4,
    max_applicants: int = 6,
    max_quota: int = 3,
    couples: bool = True,
    supplemental: bool = True,
    reversions: bool = True,
    joint: bool = True,
    max_rol: int = 4,
) -> dict[str, Any]:
    n_p = draw(st.integers(1, max_programs))
    n_a = draw(st.integers(1, max_applicants))
    progs = [f"P{i}" for i in range(n_p)]
    apps = [f"a{i}" for i in range(n_a)]
    types: dict[str, str | None] = {}
    for p in progs:
        types[p] = draw(st.sampled_from([None, "C", "A", "P"])) if supplemental else None
    advanced = [p for p in progs if types[p] == "A"]
    prelims = [p for p in progs if types[p] == "P"]
    joint_of: dict[str, str] = {}
    if joint and advanced:
        for p in prelims:
            if draw(st.booleans()) and draw(st.booleans()):
                joint_of[p] = draw(st.sampled_from(advanced))
    primary_ok = [p for p in progs if p not in joint_of]

    members: list[tuple[str, str]] = []
    if couples:
        pool = list(apps)
        n_c = draw(st.integers(0, n_a // 2))
        for _ in range(n_c):
            m1 = pool.pop(draw(st.integers(0, len(pool) - 1)))
            m2 = pool.pop(draw(st.integers(0, len(pool) - 1)))
            members.append((m1, m2))
    in_couple = {m for pair in members for m in pair}

    def subset_perm(items: list[Any], max_len: int) -> list[Any]:
        if not items:
            return []
        return draw(
            st.lists(st.sampled_from(items), unique=True, max_size=min(max_len, len(items)))
        )

    applicants: dict[str, Any] = {}
    for a in apps:
        entry: dict[str, Any] = {}
        lists: dict[str, list[str]] = {}
        if supplemental and prelims and draw(st.booleans()):
            lists["s"] = subset_perm(prelims, 3)
            if draw(st.booleans()):
                lists["t"] = subset_perm(prelims, 3)
        if lists:
            entry["supplemental_lists"] = lists
        if a not in in_couple:
            rol: list[Any] = []
            for p in subset_perm(primary_ok, max_rol):
                if p in advanced and lists and draw(st.booleans()):
                    rol.append({"program": p, "supplemental": draw(st.sampled_from(sorted(lists)))})
                else:
                    rol.append(p)
            entry["rol"] = rol
        applicants[a] = entry

    couple_docs: list[dict[str, Any]] = []
    for m1, m2 in members:
        options = [
            (x, y)
            for x in [*primary_ok, None]
            for y in [*primary_ok, None]
            if (x, y) != (None, None)
        ]
        pairs = subset_perm(options, max_rol + 1)

        def side(member: str, p: str | None) -> Any:
            lists = applicants[member].get("supplemental_lists", {})
            if p in advanced and lists and draw(st.booleans()):
                return {"program": p, "supplemental": draw(st.sampled_from(sorted(lists)))}
            return p

        couple_docs.append(
            {"members": [m1, m2], "rol": [[side(m1, x), side(m2, y)] for x, y in pairs]}
        )

    programs: dict[str, Any] = {}
    for i, p in enumerate(progs):
        q = draw(st.integers(0, max_quota))
        prog: dict[str, Any] = {"quota": q, "rol": subset_perm(apps, n_a)}
        if types[p] is not None:
            prog["type"] = types[p]
        if p in joint_of:
            prog["joint_with"] = joint_of[p]
        if reversions and q > 0 and i + 1 < n_p and draw(st.booleans()) and draw(st.booleans()):
            to = progs[draw(st.integers(i + 1, n_p - 1))]
            prog["reversions"] = [{"to": to, "positions": draw(st.integers(1, q))}]
        programs[p] = prog
    doc: dict[str, Any] = {"programs": programs, "applicants": applicants}
    if couple_docs:
        doc["couples"] = couple_docs
    return doc


def singles_only(**kwargs: Any) -> st.SearchStrategy[dict[str, Any]]:
    return markets(couples=False, supplemental=False, reversions=False, joint=False, **kwargs)
