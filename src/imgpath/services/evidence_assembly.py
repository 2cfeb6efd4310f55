"""Put together each program's evidence from the stored rows (once per catalog revision)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from imgpath.core.catalog.invites import summarise_invites
from imgpath.core.catalog.lca import fiscal_year
from imgpath.core.catalog.program_evidence import AcgmeEvidence, H1bEvidence, ProgramEvidence
from imgpath.core.catalog.programs import Program
from imgpath.services.outcomes import OutcomeSharing
from imgpath.storage.evidence_store import EvidenceStore

__all__ = ["assemble_evidence"]


def _h1b(programs: Sequence[Program], store: EvidenceStore) -> dict[str, H1bEvidence]:
    names = {p.institution_code: p.institution for p in programs}
    rows = store.lca_by_institution()
    if not rows:
        return {}
    sources = store.source_map()
    by_institution: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_institution[str(row["institution_code"])].append(row)
    out = {}
    for code, items in by_institution.items():
        certified = [r for r in items if r["case_status"] == "Certified"]
        residents = [r for r in certified if r["role"] == "resident"]
        if not certified:
            continue
        decided = [r["decision_date"] for r in certified]
        yearly = [
            r["wage_from"] for r in residents if r["wage_from"] and r["wage_unit"].lower() == "year"
        ]
        yearly_to = [r["wage_to"] or r["wage_from"] for r in residents
                     if r["wage_from"] and r["wage_unit"].lower() == "year"]  # fmt: skip
        used = sorted({r["source_id"] for r in certified})
        cite = "; ".join(sources[i].cite() for i in used if i in sources)
        out[code] = H1bEvidence(
            institution_code=code,
            institution=names.get(code, code),
            employers=tuple(sorted({r["employer_name"] for r in certified})),
            residents=len(residents),
            fellows=len(certified) - len(residents),
            fiscal_years=tuple(
                sorted({fiscal_year(r["decision_date"]) for r in (residents or certified)})
            ),
            latest_decision=max(decided),
            wage_low=min(yearly) if yearly else None,
            wage_high=max(yearly_to) if yearly_to else None,
            match_score=max(float(r["score"]) for r in items),
            match_status="confirmed"
            if any(r["status"] == "confirmed" for r in items)
            else "matched",
            source=f"DOL OFLC LCA disclosure data: {cite}",
            as_of=max(decided).isoformat(),
        )
    return out


def _acgme(store: EvidenceStore) -> dict[tuple[str, str], list[AcgmeEvidence]]:
    """(institution code, specialty code) -> ACGME records matched to it."""
    rows = store.acgme_rows()
    if not rows:
        return {}
    sources = store.source_map()
    decided = {m["name"]: m for m in store.matches(kind="acgme", status=("matched", "confirmed"))}
    out: dict[tuple[str, str], list[AcgmeEvidence]] = defaultdict(list)
    for program, source_id in rows:
        match = decided.get(program.acgme_id)
        if match is None or not match["institution_code"]:
            continue
        source = sources[source_id]
        out[(str(match["institution_code"]), program.specialty_code)].append(
            AcgmeEvidence(
                program,
                float(match["score"]),
                str(match["status"]),
                source.cite(program.row),
                source.as_of.isoformat(),
            )
        )
    return out


def assemble_evidence(
    programs: Sequence[Program], store: EvidenceStore, outcomes: OutcomeSharing
) -> dict[str, ProgramEvidence]:
    """Every program's :class:`ProgramEvidence` (programs without any are left out)."""
    fill: dict[str, list[Any]] = defaultdict(list)
    for row in store.fill_rows():
        if row.table == "Main":
            fill[row.program_code].append(row)
    h1b = _h1b(programs, store)
    acgme = _acgme(store)
    sources = store.source_map()
    invites: dict[str, list[Any]] = defaultdict(list)
    invite_source: dict[str, int] = {}
    for report, source_id in store.invite_rows():
        invites[report.program_code].append(report)
        invite_source[report.program_code] = source_id
    cells: dict[str, list[Any]] = defaultdict(list)
    for cell in outcomes.cells():
        cells[cell.program_code].append(cell)
    baseline = outcomes.baselines() if cells else {}
    out = {}
    for p in programs:
        found_fill = tuple(sorted(fill.get(p.code, ()), key=lambda f: -f.year))
        found_h1b = h1b.get(p.institution_code)
        found_acgme = tuple(acgme.get((p.institution_code, p.specialty_code), ()))
        reports = invites.get(p.code)
        summary = None
        if reports:
            source = sources[invite_source[p.code]]
            summary = summarise_invites(p.code, reports, source.cite(), source.as_of.isoformat())
        found_cells = tuple(cells.get(p.code, ()))
        if found_fill or found_h1b or found_acgme or summary or found_cells:
            out[p.code] = ProgramEvidence(p.code, found_fill, found_h1b, found_acgme, summary, found_cells,
                                          baseline)  # fmt: skip
    return out
