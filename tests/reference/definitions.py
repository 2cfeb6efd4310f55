"""An obviously-correct statement of what a valid and stable NRMP matching is.

Written from the definitions (docs/explanation/match-engine.md, invariants I1-I3, I7, I8) in plain
Python over the interchange-format dictionary: no integer encoding, no shared code with the engine.
It is slow on purpose; clarity is the point.

A *matching* here is a dict: ``primary[applicant] -> program | None`` and
``supplemental[applicant] -> program | None``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Doc = dict[str, Any]


def _code(entry: Any) -> str | None:
    if entry is None or isinstance(entry, str):
        return entry
    return entry["program"]


def _supp_name(entry: Any) -> str | None:
    if entry is None or isinstance(entry, str):
        return None
    return entry["supplemental"]


def couples_of(doc: Doc) -> dict[str, int]:
    return {m: i for i, c in enumerate(doc.get("couples", [])) for m in c["members"]}


def program_rank(doc: Doc, program: str, applicant: str) -> int | None:
    rol = doc["programs"][program].get("rol", [])
    return rol.index(applicant) if applicant in rol else None


@dataclass
class Matching:
    primary: dict[str, str | None]
    supplemental: dict[str, str | None]


def current_pair_index(doc: Doc, couple: dict[str, Any], m: Matching) -> int | None:
    """Index of the couple's pair that the matching gives them, None if both unmatched."""
    m1, m2 = couple["members"]
    got = (m.primary[m1], m.primary[m2])
    for j, pair in enumerate(couple.get("rol", [])):
        if (_code(pair[0]), _code(pair[1])) == got:
            return j
    return None


def active_list(doc: Doc, m: Matching, a: str) -> str | None:
    """Name of the supplemental list hanging on ``a``'s current primary match."""
    p = m.primary[a]
    if p is None:
        return None
    cmap = couples_of(doc)
    if a in cmap:
        couple = doc["couples"][cmap[a]]
        j = current_pair_index(doc, couple, m)
        if j is None:
            return None
        side = couple["members"].index(a)
        return _supp_name(couple["rol"][j][side])
    for entry in doc["applicants"][a].get("rol", []):
        if _code(entry) == p:
            return _supp_name(entry)
    return None


def final_quotas(doc: Doc, m: Matching) -> dict[str, int]:
    """Quotas after reversions: a donor's unfilled positions (its quota plus what it received,
    minus its holders) go to its receivers in the order listed, each up to the number named."""
    fill = dict.fromkeys(doc["programs"], 0)
    for a in doc["applicants"]:
        for p in (m.primary[a], m.supplemental[a]):
            if p is not None:
                fill[p] += 1
    memo: dict[str, int] = {}

    def quota(p: str) -> int:
        if p not in memo:
            received = 0
            for d, prog in doc["programs"].items():
                revs = prog.get("reversions", [])
                if all(rev["to"] != p for rev in revs):
                    continue
                remaining = max(quota(d) - fill[d], 0)
                for rev in revs:
                    give = min(rev["positions"], remaining)
                    remaining -= give
                    if rev["to"] == p:
                        received += give
            memo[p] = doc["programs"][p]["quota"] + received
        return memo[p]

    return {p: quota(p) for p in doc["programs"]}


def holders(doc: Doc, m: Matching, p: str) -> list[str]:
    return [a for a in doc["applicants"] if m.primary[a] == p or m.supplemental[a] == p]


def is_valid(doc: Doc, m: Matching) -> bool:
    """I1: mutual acceptability, quotas, couples hold a listed pair, supplemental rules."""
    cmap = couples_of(doc)
    for a, app in doc["applicants"].items():
        p = m.primary[a]
        if p is not None:
            if program_rank(doc, p, a) is None:
                return False
            if a not in cmap and p not in [_code(e) for e in app.get("rol", [])]:
                return False
        s = m.supplemental[a]
        if s is not None:
            lst = active_list(doc, m, a)
            if lst is None or s not in app["supplemental_lists"][lst]:
                return False
            if program_rank(doc, s, a) is None:
                return False
            joint = doc["programs"][s].get("joint_with")
            if joint is not None and joint != p:
                return False
    for couple in doc.get("couples", []):
        m1, m2 = couple["members"]
        if (m.primary[m1], m.primary[m2]) != (None, None) and current_pair_index(
            doc, couple, m
        ) is None:
            return False
    quotas = final_quotas(doc, m)
    return all(len(holders(doc, m, p)) <= quotas[p] for p in doc["programs"])


def _would_take(
    doc: Doc,
    m: Matching,
    quotas: dict[str, int],
    p: str,
    newcomers: list[str],
    keep: frozenset[str] | set[str] = frozenset(),
) -> bool:
    """Would ``p`` take all ``newcomers``, dropping only holders it ranks below every newcomer
    and never one in ``keep``?  A newcomer's own seat at ``p`` (a PGY-1 seat) is theirs to reuse."""
    ranks = [program_rank(doc, p, a) for a in newcomers]
    if any(r is None for r in ranks):
        return False
    worst_new = max(r for r in ranks if r is not None)
    stay = [a for a in holders(doc, m, p) if a not in newcomers]
    need = len(stay) + len(newcomers) - quotas[p]
    if len(newcomers) > quotas[p]:
        return False
    if need <= 0:
        return True
    droppable = [a for a in stay if a not in keep and (program_rank(doc, p, a) or 0) > worst_new]
    return len(droppable) >= need


def couple_blocks(doc: Doc, m: Matching, quotas: dict[str, int], m1: str, m2: str,
                  p1: str | None, p2: str | None) -> bool:  # fmt: skip
    """I3 as McDermid & Manlove (2010) state it: a partner whose side names the program they hold
    stays and keeps their seat; every partner who moves must be taken without that seat, or the
    other partner's, being counted free.  Both partners moving into one program need room for both
    at once (holders ranked below both may go)."""
    stays1 = p1 is not None and m.primary[m1] == p1
    stays2 = p2 is not None and m.primary[m2] == p2
    if stays1 and stays2:
        return False
    movers = [(a, p) for a, p, stays in ((m1, p1, stays1), (m2, p2, stays2)) if not stays]
    keep = {a for a, stays in ((m1, stays1), (m2, stays2)) if stays}
    targets = [p for _, p in movers if p is not None]
    if len(targets) == 2 and targets[0] == targets[1]:
        return _would_take(doc, m, quotas, targets[0], [m1, m2], keep)
    return all(p is None or _would_take(doc, m, quotas, p, [a], keep) for a, p in movers)


def blocking_pairs(
    doc: Doc, m: Matching
) -> set[tuple[str, tuple[str, ...], tuple[str | None, ...]]]:
    """I2/I3 and the supplemental rule: every (kind, who, where) that would rather be together."""
    out: set[tuple[str, tuple[str, ...], tuple[str | None, ...]]] = set()
    quotas = final_quotas(doc, m)
    cmap = couples_of(doc)
    for a, app in doc["applicants"].items():
        if a not in cmap:
            rol = [_code(e) for e in app.get("rol", [])]
            cur = rol.index(m.primary[a]) if m.primary[a] is not None else len(rol)
            for p in rol[:cur]:
                assert p is not None
                if _would_take(doc, m, quotas, p, [a]):
                    out.add(("single", (a,), (p,)))
        lst = active_list(doc, m, a)
        if lst is not None:
            slist = app["supplemental_lists"][lst]
            cur = slist.index(m.supplemental[a]) if m.supplemental[a] is not None else len(slist)
            for p in slist[:cur]:
                joint = doc["programs"][p].get("joint_with")
                if joint is not None and joint != m.primary[a]:
                    continue
                if _would_take(doc, m, quotas, p, [a]):
                    out.add(("supplemental", (a,), (p,)))
    for couple in doc.get("couples", []):
        m1, m2 = couple["members"]
        pairs = [(_code(x), _code(y)) for x, y in couple.get("rol", [])]
        j = current_pair_index(doc, couple, m)
        cur = j if j is not None else len(pairs)
        for p1, p2 in pairs[:cur]:
            if couple_blocks(doc, m, quotas, m1, m2, p1, p2):
                out.add(("couple", (m1, m2), (p1, p2)))
    return out


def is_stable(doc: Doc, m: Matching) -> bool:
    return is_valid(doc, m) and not blocking_pairs(doc, m)


def as_matching(doc: Doc, result: Any) -> Matching:
    """The engine's result in this module's terms."""
    return Matching(
        primary=dict(result.matches),
        supplemental={a: result.supplemental_matches.get(a) for a in doc["applicants"]},
    )


def assert_engine_audit_agrees(doc: Doc, result: Any) -> None:
    """The engine's result is valid, its final quotas and blocking pairs are the definition's."""
    m = as_matching(doc, result)
    assert is_valid(doc, m)
    assert result.final_quotas == final_quotas(doc, m)  # I8: reversions, donor filled first
    reported = {(bp.kind, bp.applicants, bp.programs) for bp in result.blocking_pairs}
    assert reported == blocking_pairs(doc, m)
    assert result.stable == (not reported)
