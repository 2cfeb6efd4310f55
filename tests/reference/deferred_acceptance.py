"""Textbook deferred acceptance (Gale & Shapley 1962) for single applicants, both directions."""

from __future__ import annotations

from typing import Any

Doc = dict[str, Any]


def applicant_proposing(doc: Doc) -> dict[str, str | None]:
    """The applicant-optimal stable matching of a singles-only market."""
    rol = {a: list(app.get("rol", [])) for a, app in doc["applicants"].items()}
    rank = {
        p: {a: i for i, a in enumerate(prog.get("rol", []))} for p, prog in doc["programs"].items()
    }
    held: dict[str, list[str]] = {p: [] for p in doc["programs"]}
    nxt = dict.fromkeys(rol, 0)
    free = list(rol)
    while free:
        a = free.pop()
        while nxt[a] < len(rol[a]):
            p = rol[a][nxt[a]]
            nxt[a] += 1
            if a not in rank[p]:
                continue
            held[p].append(a)
            held[p].sort(key=rank[p].__getitem__)
            if len(held[p]) > doc["programs"][p]["quota"]:
                loser = held[p].pop()
                if loser != a:
                    free.append(loser)
                    break
                continue
            break
    out: dict[str, str | None] = dict.fromkeys(rol)
    for p, hs in held.items():
        for a in hs:
            out[a] = p
    return out


def program_proposing(doc: Doc) -> dict[str, str | None]:
    """The program-optimal stable matching of a singles-only market."""
    arank = {
        a: {p: i for i, p in enumerate(app.get("rol", []))} for a, app in doc["applicants"].items()
    }
    prol = {p: list(prog.get("rol", [])) for p, prog in doc["programs"].items()}
    nxt = dict.fromkeys(prol, 0)
    held: dict[str, str | None] = dict.fromkeys(arank)
    count = dict.fromkeys(prol, 0)
    active = list(prol)
    while active:
        p = active.pop()
        while count[p] < doc["programs"][p]["quota"] and nxt[p] < len(prol[p]):
            a = prol[p][nxt[p]]
            nxt[p] += 1
            if p not in arank[a]:
                continue
            cur = held[a]
            if cur is None or arank[a][p] < arank[a][cur]:
                held[a] = p
                count[p] += 1
                if cur is not None:
                    count[cur] -= 1
                    active.append(cur)
    return held
