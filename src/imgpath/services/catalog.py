"""Program catalog use cases: open the catalog, search and fit, show one program, curate claims."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Self

import numpy as np
from sqlalchemy.exc import IntegrityError

from imgpath.core import csv_safety
from imgpath.core.catalog.canada import CanadaQuery
from imgpath.core.catalog.claims import (
    CLAIM_COLUMNS,
    Claim,
    ClaimRowError,
    claim_from_row,
    claim_to_row,
)
from imgpath.core.catalog.evidence import (
    MIN_SAMPLE,
    Evidence,
    parse_charting_outcomes,
    parse_crosswalk,
    parse_pgy1,
)
from imgpath.core.catalog.fit import (
    Applicant,
    Fit,
    FitTable,
    build_table,
    claims_by_program,
    explain,
    score_all,
    thin_samples,
)
from imgpath.core.catalog.outcomes import K
from imgpath.core.catalog.program_evidence import EVIDENCE_KINDS, NO_EVIDENCE, ProgramEvidence
from imgpath.core.catalog.programs import Program, parse_programs
from imgpath.core.catalog.search import (
    SearchQuery,
    alphabetical_ranks,
    filter_programs,
    order_programs,
    resolve_specialties,
    specialty_names,
    visa_states,
)
from imgpath.core.catalog.sources import IMPORT_KINDS
from imgpath.core.csv_reading import table
from imgpath.core.pathway.profile import Profile
from imgpath.core.pathway.report import Report
from imgpath.core.text_checks import text_problem
from imgpath.errors import (
    FormError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    Problem,
)
from imgpath.services.canada import CanadaResult, search_canada
from imgpath.services.documents import read_text
from imgpath.services.evidence_assembly import assemble_evidence
from imgpath.services.evidence_import import (
    ImportResult,
    import_evidence,
    install_bundled_evidence,
    source_from_options,
)
from imgpath.services.outcomes import OutcomeSharing
from imgpath.settings import library_settings
from imgpath.storage.catalog_store import CatalogStore
from imgpath.storage.database import connect
from imgpath.storage.evidence_store import EvidenceStore
from imgpath.storage.outcomes_store import OutcomeStore

__all__ = [
    "CLAIM_ROLES",
    "DATABASE_ENV",
    "PROGRAM_LIST",
    "Actor",
    "Catalog",
    "ImportReport",
    "ProgramView",
    "SearchResult",
    "applicant_from_file",
    "applicant_from_report",
    "database_url",
    "load_evidence",
    "open_catalog",
]

DATABASE_ENV = "IMGPATH_DATABASE_URL"
PROGRAM_LIST = "nrmp_program_codes_nationwide_2023.csv"
PROGRAM_LIST_SOURCE = (
    "NRMP program list of the 2023 Main Residency Match (6,263 tracks), via "
    "github.com/wavegate/residency-match @ 866aff0; file nrmp_program_codes_nationwide_2023.csv"
)


def database_url(url: str | None = None) -> str:
    """The database to use: ``url``, else $IMGPATH_DATABASE_URL, else ``imgpath.sqlite3`` in
    $IMGPATH_DATA_DIR or the user's data folder."""
    return url or library_settings().resolved_database_url()


def _rows(*parts: str) -> list[dict[str, str]]:
    text = resources.files("imgpath").joinpath("data", *parts).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@cache
def load_evidence() -> Evidence:
    """NRMP's specialty tables and the crosswalk to program tracks (bundled data)."""
    return Evidence(
        pgy1=parse_pgy1(_rows("nrmp", "nrmp_2025_pgy1_by_specialty_and_applicant_type.csv")),
        outcomes=parse_charting_outcomes(
            _rows("catalog", "nrmp_charting_outcomes_2026_non_us_img_summary.csv"),
            _rows("catalog", "nrmp_charting_outcomes_2026_non_us_img_distributions.csv"),
        ),
        crosswalk=parse_crosswalk(_rows("catalog", "specialty_crosswalk.csv")),
    )


def applicant_from_report(report: Report, profile: Profile | None = None) -> Applicant:
    """What the fit needs, read from a pathway report (so the fit and the plan agree); the
    profile, when given, adds its targets (the specialty a search keeps by default, states)."""
    facts = report.facts
    options = {v.id: v.status for v in report.visa_options}

    def open_(visa: str) -> bool | None:
        status = options.get(visa)
        return None if status in (None, "not_applicable") else status != "blocked"

    attempts = [facts[f"{s}.attempts"] for s in ("step1", "step2ck", "step3")]
    known_attempts = [a for a in attempts if a is not None]
    return Applicant(
        kind=report.img.get("kind") if report.img.get("is_img") else None,
        needs_visa=facts["person.needs_visa"],
        j1_open=open_("j1"),
        h1b_open=open_("h1b"),
        step2ck=facts["step2ck.score"] if facts["step2ck.passed"] else None,
        attempts=max(known_attempts) if known_attempts else None,
        years_since_graduation=facts["school.years_since_graduation"],
        usce_months=float(facts["usce.months"] or 0.0),
        usce_hands_on_months=float(facts["usce.hands_on_months"] or 0.0),
        ecfmg_certified=facts["ecfmg.certified"],
        target_specialty=profile.targets.specialty if profile is not None else None,
        target_states=tuple(profile.targets.states) if profile is not None else (),
        destination=report.destination,
    )


@dataclass(frozen=True)
class ProgramView:
    """One program as a search or ``show`` returns it: its facts, claims and (for a person) fit."""

    program: Program
    claims: tuple[Claim, ...]
    fit: Fit | None = None
    evidence: Mapping[str, Any] | None = None
    program_evidence: ProgramEvidence | None = None
    """Everything program-level (``show`` and ``evidence``); searches give only the kinds."""
    evidence_kinds: tuple[str, ...] = ()
    tied_with: int = 0
    """Other programs in this result with the same index and no program-level evidence."""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.program.code,
            "name": self.program.name,
            "specialty": self.program.specialty,
            "type": self.program.track_type,
            "institution": self.program.institution,
            "state": self.program.state,
            "state_inferred": self.program.state_inferred,
            "claims": [c.to_dict() for c in self.claims],
            "program_evidence_kinds": list(self.evidence_kinds),
            "tied_with": self.tied_with,
        }
        if self.fit is not None:
            out["fit"] = self.fit.to_dict()
        if self.evidence is not None:
            out["specialty_evidence"] = dict(self.evidence)
        if self.program_evidence is not None:
            out["program_evidence"] = self.program_evidence.to_dict()
        return out


@dataclass(frozen=True)
class SearchResult:
    total: int
    """Programs matching the filters (excluded ones count only with include_excluded)."""
    excluded: int
    """Programs left out because the applicant cannot be considered there."""
    programs: tuple[ProgramView, ...]
    query: SearchQuery
    notes: tuple[str, ...] = ()
    """What the search did that the query did not say (a default filter, a fallback order)."""
    specialty_filter: tuple[str, ...] = ()
    """The specialties searched (codes), whether asked for or taken from the profile."""
    visa: Mapping[str, Any] | None = None
    """With a visa filter (or an applicant needing a visa): counts by sponsorship evidence."""
    ties: tuple[Mapping[str, Any], ...] = ()
    """Groups of programs with the same index and no program-level evidence, by score."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "excluded": self.excluded,
            "offset": self.query.offset,
            "limit": self.query.limit,
            "notes": list(self.notes),
            "specialties": list(self.specialty_filter),
            "visa": dict(self.visa) if self.visa is not None else None,
            "ties": [dict(t) for t in self.ties],
            "programs": [p.to_dict() for p in self.programs],
        }


@dataclass(frozen=True)
class ImportReport:
    accepted: int
    duplicates: list[int] = field(default_factory=list)
    """Row numbers of exact duplicates of stored claims (not stored again)."""
    rejected: list[tuple[int, str, str]] = field(default_factory=list)
    """(row number, column, reason) for every row that was not accepted."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "accepted": self.accepted,
            "duplicates": self.duplicates,
            "rejected": [{"row": r, "column": c, "reason": m} for r, c, m in self.rejected],
        }


@dataclass
class _Snapshot:
    revision: int
    claims: Mapping[str, list[Claim]]
    table: FitTable
    evidence: Mapping[str, ProgramEvidence]
    fits: dict[Applicant, tuple[Any, Any, Any, Any]] = field(default_factory=dict)
    """Each applicant's fit arrays (scores, excluded, confidence, thin) over this snapshot,
    read-only: a search page asked again (or by 50 people alike) is not scored again."""

    def fit(self, applicant: Applicant) -> tuple[Any, Any, Any, Any]:
        found = self.fits.get(applicant)
        if found is None:
            scores, excluded, confidence = score_all(applicant, self.table)
            found = (scores, excluded, confidence, thin_samples(applicant, self.table))
            for array in found:
                array.flags.writeable = False
            if len(self.fits) >= 1024:
                self.fits.clear()
            self.fits[applicant] = found
        return found


CLAIM_ROLES = {
    "propose": frozenset({"advisor", "organisation", "reviewer", "operator"}),
    "vote": frozenset({"applicant"}),
    "review": frozenset({"reviewer", "operator"}),
}
"""Who may do what with claims: advisors and organisations propose (pending until reviewed),
applicants confirm or dispute, reviewers accept or flag (never their own claims)."""


@dataclass(frozen=True)
class Actor:
    """Who is acting on claims: a stable id (an account id or e-mail), a name, a role."""

    id: str
    name: str
    role: str

    @property
    def label(self) -> str:
        return self.id if not self.name or self.name == self.id else f"{self.name} <{self.id}>"

    def wrote(self, claim: Claim) -> bool:
        return claim.entered_by in (self.id, self.label) or claim.entered_by.endswith(
            f"<{self.id}>"
        )


class Catalog:
    """The catalog of one database, with an in-memory view of programs and claims for searching."""

    def __init__(self, store: CatalogStore, evidence: Evidence, programs: list[Program]) -> None:
        """No I/O: ``open_catalog`` reads the programs and the evidence and passes them in."""
        self.store = store
        self.evidence = evidence
        self.programs = programs
        self.by_code = {p.code: i for i, p in enumerate(self.programs)}
        self.specialty_names = specialty_names(self.programs)
        self.ranks = alphabetical_ranks(self.programs)
        self.evidence_store = EvidenceStore(store.engine)
        self.outcomes = OutcomeSharing(OutcomeStore(store.engine), self.by_code)
        self._snapshot: _Snapshot | None = None

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # ------------------------------------------------------------ reading
    def snapshot(self) -> _Snapshot:
        """Claims as arrays, rebuilt only when the store's revision moved."""
        revision = self.store.revision()
        if self._snapshot is None or self._snapshot.revision != revision:
            claims = self.store.claims()
            found = assemble_evidence(self.programs, self.evidence_store, self.outcomes)
            table = build_table(self.programs, claims, self.evidence, found)
            self._snapshot = _Snapshot(revision, claims_by_program(claims), table, found)
        return self._snapshot

    def search(self, query: SearchQuery, applicant: Applicant | None = None) -> SearchResult:
        """Filter, fit (for an applicant) and order every program; return one page.

        With an applicant whose profile names a target specialty, and no specialty in the query,
        the search keeps that specialty (``all_specialties`` turns this off); the result's notes
        say so.  A visa filter keeps the programs with evidence of sponsoring that visa and
        counts the unknown ones (``visa_unknown`` lists them too).  Sorting by fit without an
        applicant sorts by name and says why."""
        problems = query.problems()
        notes: list[str] = []
        specialties = query.specialties
        if (
            not specialties
            and applicant is not None
            and applicant.target_specialty
            and not query.all_specialties
        ):
            target = applicant.target_specialty
            if resolve_specialties((target,), self.specialty_names)[0]:
                specialties = (target,)
                notes.append(f"Showing your target specialty from your profile ({target}); "
                             "search all specialties to see the others")  # fmt: skip
            else:
                notes.append(f"Your profile's target specialty {target!r} matches no NRMP specialty; "
                             "showing every specialty")  # fmt: skip
        wanted, unknown, others = resolve_specialties(specialties, self.specialty_names)
        problems += [
            ("specialty", f"no specialty matches {u!r}; try a code such as 140 or part of a name")
            for u in unknown
        ]
        if others:
            listed = ", ".join(f"{name} ({code})" for code, name in sorted(others.items()))
            notes.append(f"Combined and related specialties are not included: {listed}; "
                         "ask for them by code or name")  # fmt: skip
        if problems:
            raise FormError([Problem(where, message) for where, message in problems])
        if query.sort == "fit" and applicant is None:
            query = replace(query, sort="name")
            notes.append("Listed by name: fill in your profile to rank programs for you")
        snap = self.snapshot()
        if query.text:
            query = replace(query, codes=frozenset(self.store.search_codes(query.text)))
        keep = filter_programs(self.programs, query, wanted)
        visa = self._visa_summary(query, applicant, keep, snap.table)
        if query.visa:
            states = visa_states(snap.table, query.visa)
            wanted_visa = states["evidence"]
            if query.visa_unknown:
                wanted_visa = wanted_visa | states["unknown"] | states["disputed"]
            keep &= wanted_visa
        scores = excluded = confidence = thin = None
        if applicant is not None:
            scores, excluded, confidence, thin = snap.fit(applicant)
            n_excluded = int(np.count_nonzero(keep & excluded))
            if not query.include_excluded:
                keep &= ~excluded
        else:
            n_excluded = 0
        order = order_programs(self.programs, keep, query.sort, scores, excluded,
                               snap.table.evidence_any, confidence, thin, self.ranks)  # fmt: skip
        if (
            thin is not None
            and query.sort == "fit"
            and np.any(keep & thin)
            and np.any(keep & ~thin)
        ):
            notes.append(f"{int(np.count_nonzero(keep & thin))} program(s) of specialties with fewer than "
                         f"{MIN_SAMPLE} applicants like you in NRMP's figures are listed after the others: "
                         "too little data to rank them against them")  # fmt: skip
        ties, tied = self._ties(keep, scores, excluded, snap.table.evidence_any)
        if ties and query.sort == "fit":
            biggest = max(ties, key=lambda t: int(t["count"]))
            notes.append(f"{biggest['count']} programs share the index {biggest['score']} with no "
                         "program-level evidence: they are tied, listed by state and name, not ranked")  # fmt: skip
        page = (
            order[query.offset : query.offset + query.limit]
            if query.limit
            else order[query.offset :]
        )
        views = tuple(
            replace(
                self._view(self.programs[int(i)], snap, applicant), tied_with=tied.get(int(i), 0)
            )
            for i in page
        )
        return SearchResult(int(order.size), n_excluded, views, query, tuple(notes), tuple(sorted(wanted)),
                            visa, tuple(ties))  # fmt: skip

    def _visa_summary(
        self, query: SearchQuery, applicant: Applicant | None, keep: Any, table: FitTable
    ) -> dict[str, Any] | None:
        visas = [query.visa] if query.visa else []
        if not visas and applicant is not None and applicant.needs_visa:
            visas = [
                v
                for v, open_ in (("j1", applicant.j1_open), ("h1b", applicant.h1b_open))
                if open_ is not False
            ]
        if not visas:
            return None
        out: dict[str, Any] = {
            "filter": query.visa,
            "listing_unknown": bool(query.visa and query.visa_unknown),
        }
        for visa in visas:
            states = visa_states(table, visa)
            out[visa] = {name: int(np.count_nonzero(keep & mask)) for name, mask in states.items()}
        if query.visa:
            counts = out[query.visa]
            name = {"j1": "J-1", "h1b": "H-1B"}[query.visa]
            text = (f"{counts['evidence']} program(s) with evidence of sponsoring {name}; "
                    f"{counts['unknown']} unknown, {counts['disputed']} disputed, "
                    f"{counts['reported_not']} reported not to sponsor it")  # fmt: skip
            if not query.visa_unknown and counts["unknown"] + counts["disputed"]:
                text += "; the unknown and disputed are not listed"
            out["text"] = text
        return out

    @staticmethod
    def _ties(
        keep: Any, scores: Any, excluded: Any, evidence_any: Any
    ) -> tuple[list[dict[str, Any]], dict[int, int]]:
        if scores is None:
            return [], {}
        plain = np.flatnonzero(keep & ~excluded & ~evidence_any)
        values, inverse, counts = np.unique(scores[plain], return_inverse=True, return_counts=True)
        ties = [{"score": int(v), "count": int(c), "note": "no program-level evidence: tied, listed by state and name"}
                for v, c in sorted(zip(values, counts, strict=True), reverse=True) if c > 1]  # fmt: skip
        others = counts[inverse] - 1
        tied = dict(zip(plain[others > 0].tolist(), others[others > 0].tolist(), strict=True))
        return ties, tied

    def show(self, code: str, applicant: Applicant | None = None) -> ProgramView:
        """One program with every claim, its program-level evidence, the specialty evidence,
        and its fit for an applicant."""
        index = self.by_code.get(code.strip().upper())
        if index is None:
            msg = f"no program with code {code!r}; find codes with imgpath programs search"
            raise NotFoundError(msg)
        program = self.programs[index]
        return self._view(program, self.snapshot(), applicant, with_evidence=True)

    def program_evidence(self, code: str) -> ProgramEvidence:
        """Program-level evidence of one program (empty when none), each fact with its source."""
        view = self.show(code)
        return view.program_evidence or NO_EVIDENCE

    def evidence_summary(self) -> dict[str, Any]:
        """How many programs carry program-level evidence, of which kind, and the sources."""
        snap = self.snapshot()
        by_kind = dict.fromkeys(EVIDENCE_KINDS, 0)
        for claims in snap.claims.values():
            if any(c.status == "accepted" for c in claims):
                by_kind["claims"] += 1
        for pe in snap.evidence.values():
            for kind in pe.kinds:
                by_kind[kind] += 1
        return {
            "programs": len(self.programs),
            "with_program_evidence": int(np.count_nonzero(snap.table.evidence_any)),
            "by_kind": by_kind,
            "kinds": dict(EVIDENCE_KINDS),
            "sources": self.evidence_store.sources(),
            "name_matches": {status: len(rows) for status in ("matched", "confirmed", "review", "none", "rejected")
                             if (rows := self.evidence_store.matches(status=[status]))},
            "k": K,
        }  # fmt: skip

    # ------------------------------------------------------------ public evidence
    def import_evidence(
        self,
        path: str | Path,
        kind: str,
        *,
        options: Mapping[str, str | None] | None = None,
        now: datetime,
        progress: Any = None,
    ) -> ImportResult:
        """Import a public file of ``kind`` (see IMPORT_KINDS); ``options`` may give the
        source's title, publisher, url, licence, as_of and note (defaults per kind)."""
        if kind not in IMPORT_KINDS:
            msg = f"kind {kind!r}: use one of {', '.join(IMPORT_KINDS)}"
            raise InvalidInputError(msg)
        options = options or {}
        source = source_from_options(kind, Path(path), options, now.date())
        return import_evidence(self.evidence_store, self.programs, path, source, now=now,
                               progress=progress, as_of_from_data=not options.get("as_of"))  # fmt: skip

    def matches_to_review(self, kind: str | None = None) -> list[dict[str, Any]]:
        """Name matches a person should decide: each with its best candidates and scores."""
        rows = self.evidence_store.matches(status=("review",), kind=kind)
        return [
            {**r, "decided_at": r["decided_at"].isoformat() if r["decided_at"] else None}
            for r in rows
        ]

    def decide_match(
        self,
        match_id: int,
        *,
        decision: str,
        institution_code: str | None = None,
        by: str,
        now: datetime,
    ) -> None:
        """Confirm a match (to its best candidate, or to ``institution_code``) or reject it."""
        if decision not in ("confirm", "reject"):
            raise InvalidInputError(
                str(Problem("decision", f"{decision!r}", "use confirm or reject"))
            )
        found = {m["id"]: m for m in self.evidence_store.matches()}.get(match_id)
        if found is None:
            msg = (
                f"no name match with id {match_id}; list them with imgpath programs evidence review"
            )
            raise NotFoundError(msg)
        code = None
        if decision == "confirm":
            candidates = [c["institution_code"] for c in found["candidates"]]
            code = institution_code or (candidates[0] if candidates else None)
            known = {p.institution_code for p in self.programs}
            if code not in known:
                raise InvalidInputError(
                    str(Problem("institution_code", f"{code!r} is not an NRMP institution code"))
                )
        self.evidence_store.decide(match_id, status="confirmed" if decision == "confirm" else "rejected",
                                   institution_code=code, by=by, at=now)  # fmt: skip

    def unfilled(
        self,
        *,
        year: int | None = None,
        specialties: tuple[str, ...] = (),
        states: tuple[str, ...] = (),
    ) -> dict[str, Any]:
        """The SOAP-preparation list: programs that left positions unfilled in a Main Match
        (``year``, default the newest year with fill history), most unfilled first, each with its
        source row and date.  Only programs with imported fill history can appear: the result
        says how many programs have any."""
        snap = self.snapshot()
        with_fill = [pe for pe in snap.evidence.values() if pe.fill]
        years = sorted({f.year for pe in with_fill for f in pe.fill})
        if year is not None and year not in years:
            known = ", ".join(map(str, years)) or "none"
            raise InvalidInputError(
                str(Problem("year", f"no fill history for {year}", f"years imported: {known}"))
            )
        wanted_year = year if year is not None else (years[-1] if years else None)
        codes, unknown, _ = resolve_specialties(specialties, self.programs)
        if unknown:
            raise InvalidInputError(
                str(Problem("specialty", f"no specialty matches {unknown[0]!r}"))
            )
        rows: list[dict[str, Any]] = []
        for pe in with_fill:
            program = self.programs[self.by_code[pe.code]]
            if (codes and program.specialty_code not in codes) or (
                states and program.state not in states
            ):
                continue
            rows.extend({"code": program.code, "name": program.name, "specialty": program.specialty,
                         "state": program.state, **f.to_dict()}
                        for f in pe.fill if f.year == wanted_year and f.unfilled > 0)  # fmt: skip
        rows.sort(key=lambda r: (-r["unfilled"], r["state"], r["name"]))
        return {"year": wanted_year, "programs_with_fill_history": len(with_fill), "unfilled": rows,
                "note": "positions unfilled in the Main Match are offered in SOAP during Match Week; only "
                        "programs with imported NRMP Program Results can be listed"}  # fmt: skip

    def canada(self, query: CanadaQuery) -> CanadaResult:
        """CaRMS R-1 streams an IMG may apply to (IMG streams first)."""
        return search_canada(query)

    def _view(
        self,
        program: Program,
        snap: _Snapshot,
        applicant: Applicant | None,
        *,
        with_evidence: bool = False,
    ) -> ProgramView:
        claims = tuple(snap.claims.get(program.code, ()))
        pe = snap.evidence.get(program.code, NO_EVIDENCE)
        fit = (
            explain(applicant, program, claims, self.evidence, pe)
            if applicant is not None
            else None
        )
        evidence = self._evidence(program) if with_evidence else None
        kinds = (("claims",) if any(c.status == "accepted" for c in claims) else ()) + tuple(
            pe.kinds
        )
        return ProgramView(program, claims, fit, evidence, pe if with_evidence else None, kinds)

    def _evidence(self, program: Program) -> dict[str, Any]:
        pgy1_name, co_name, note = self.evidence.crosswalk.lookup(
            program.specialty_code, program.track_type
        )
        out: dict[str, Any] = {"crosswalk_note": note} if note else {}
        row = self.evidence.pgy1.get(pgy1_name) if pgy1_name else None
        if row is not None:
            out["nrmp_2025_pgy1"] = {
                "specialty": row.name,
                "applicants": dict(row.applicants),
                "matches": dict(row.matches),
                "unfilled": row.unfilled,
                "source": "NRMP Advance Data Tables 2025 (via github.com/nickmmark/residency-match-data)",
            }
        cohort = self.evidence.outcomes.get(co_name) if co_name else None
        if cohort is not None:
            out["charting_outcomes_2026_non_us_img"] = {
                "specialty": cohort.name,
                "preferred": cohort.total,
                "matched": cohort.matched,
                "match_rate_pct": cohort.match_rate,
                "step2ck_median_matched": cohort.step2_median[0],
                "step2ck_median_unmatched": cohort.step2_median[1],
                "source": "NRMP Charting Outcomes: Non-U.S. IMGs 2026 (via github.com/saieeshb/img-match-2026)",
            }
        return out

    # ------------------------------------------------------------ claims
    def import_claims(
        self, path: str | Path, *, entered_by: str, today: date, now: datetime
    ) -> ImportReport:
        """Read a claims CSV; store the good rows, report every bad one with its row number."""
        if (problem := text_problem(entered_by)) is not None:
            raise FormError([Problem("entered_by", problem)])
        text, source = read_text(path)
        sheet = table(text, source=source, known=CLAIM_COLUMNS, required=CLAIM_COLUMNS[:6])
        if not sheet.rows:
            msg = f"{source}: the file has a header but no claims; add one row per claim"
            raise InvalidInputError(msg)
        accepted: list[Claim] = []
        rows: list[int] = []
        rejected: list[tuple[int, str, str]] = []
        codes = self.by_code
        for row in sheet.rows:
            problem = sheet.width_problem(row)
            if problem is not None:
                rejected.append((row.row, "(row)", problem))
                continue
            try:
                accepted.append(
                    claim_from_row(
                        sheet.record(row),
                        today=today,
                        programs=codes,
                        default_entered_by=entered_by,
                    )
                )
                rows.append(row.row)
            except ClaimRowError as exc:
                rejected.append((row.row, exc.column, str(exc).split(": ", 1)[1]))
        added = self.store.add_claims(accepted, entered_at=now) if accepted else []
        duplicates = [row for row, new in zip(rows, added, strict=True) if not new]
        return ImportReport(sum(added), duplicates, rejected)

    def add_claim(self, claim: Claim, *, now: datetime) -> bool:
        if claim.program_code not in self.by_code:
            msg = f"no program with code {claim.program_code!r}"
            raise NotFoundError(msg)
        return self.store.add_claims([claim], entered_at=now)[0]

    # ------------------------------------------------------------ claims from people, reviewed
    def _allow(self, actor: Actor, action: str) -> None:
        if actor.role not in CLAIM_ROLES[action]:
            allowed = " or ".join(sorted(CLAIM_ROLES[action]))
            msg = f"only a{'n' if allowed[0] in 'aeiou' else ''} {allowed} may {action} claims"
            raise PermissionDeniedError(msg)

    def propose_claim(
        self,
        actor: Actor,
        *,
        program_code: str,
        field: str,
        value: str,
        kind: str,
        source: str,
        as_of: str,
        note: str = "",
        today: date,
        now: datetime,
    ) -> Claim:
        """An advisor or organisation adds a claim with its source and date; it waits for a
        reviewer (status pending).  Bad input raises InvalidInputError naming the field
        (program_code, field, value, kind, source, as_of); a claim already stored raises it too.
        ``source`` is an address, ``document: TITLE``, ``phone: YYYY-MM-DD`` or ``user``."""
        self._allow(actor, "propose")
        row = {"program_code": program_code.strip().upper(), "field": field, "value": value, "kind": kind,
               "source": source.strip(), "as_of": as_of, "entered_by": actor.label, "note": note}  # fmt: skip
        try:
            claim = claim_from_row(row, today=today, programs=self.by_code)
        except ClaimRowError as exc:
            raise InvalidInputError(str(Problem(exc.column, str(exc).split(": ", 1)[1]))) from None
        if len(note) > 2000:
            raise InvalidInputError(str(Problem("note", "is longer than 2,000 characters")))
        claim = replace(claim, status="pending")
        if not self.store.add_claims([claim], entered_at=now)[0]:
            msg = "this claim (same program, field, value, kind, source and date) is already stored"
            raise InvalidInputError(str(Problem("value", msg)))
        stored_id = self.store.claim_ids([claim])[0]
        assert stored_id is not None
        return self.claim(stored_id)

    def claim(self, claim_id: int) -> Claim:
        found = self.store.claim(claim_id)
        if found is None:
            msg = f"no claim with id {claim_id}"
            raise NotFoundError(msg)
        return found

    def claims(self, *, program_code: str | None = None, status: str | None = None) -> list[Claim]:
        """Claims with their status and votes (``status``: pending, accepted or flagged)."""
        return self.store.claims(
            program_code.strip().upper() if program_code else None, status=status
        )

    def vote_claim(
        self, actor: Actor, claim_id: int, vote: str | None, *, note: str = "", now: datetime
    ) -> Claim:
        """An applicant confirms (``confirm``) or disputes (``dispute``) a claim from what they saw;
        ``None`` withdraws their vote.  One vote per person per claim; the claim is kept either way."""
        self._allow(actor, "vote")
        if vote not in ("confirm", "dispute", None):
            raise InvalidInputError(str(Problem("vote", f"{vote!r}", "use confirm or dispute")))
        claim = self.claim(claim_id)
        if len(note) > 2000:
            raise InvalidInputError(str(Problem("note", "is longer than 2,000 characters")))
        self.store.vote(claim_id, voter=actor.id, vote=vote, note=note, at=now)
        return self.claim(claim.id or claim_id)

    def forget_voter(self, voter_id: str) -> int:
        """Delete every confirm/dispute vote of one person (account deletion); how many went."""
        return self.store.forget_voter(voter_id)

    def review_claim(
        self, actor: Actor, claim_id: int, decision: str, *, note: str = "", now: datetime
    ) -> Claim:
        """A reviewer accepts a claim (it enters the fit) or flags it (shown as doubtful, not used).
        Reviewers do not review their own claims; conflicting claims are each kept."""
        self._allow(actor, "review")
        if decision not in ("accepted", "flagged"):
            raise InvalidInputError(
                str(Problem("decision", f"{decision!r}", "use accepted or flagged"))
            )
        claim = self.claim(claim_id)
        if actor.role != "operator" and actor.wrote(claim):
            msg = "a reviewer cannot review a claim they entered; another reviewer must"
            raise PermissionDeniedError(msg)
        if decision == "flagged" and not note.strip():
            raise InvalidInputError(str(Problem("note", "say why the claim is flagged")))
        self.store.review_claim(
            claim_id, status=decision, reviewer=actor.label, note=note[:2000], at=now
        )
        return self.claim(claim_id)

    def export_claims(
        self, *, program_code: str | None = None, field_name: str | None = None
    ) -> str:
        """Claims as CSV in the import format (so an export can be edited and re-imported)."""
        out = io.StringIO()
        writer = csv_safety.dict_writer(out, CLAIM_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for claim in self.store.claims(program_code, field_name):
            writer.writerow(claim_to_row(claim))
        return out.getvalue()


def open_catalog(url: str | None = None) -> Catalog:
    """The catalog at ``url`` (see :func:`database_url`), built from the bundled list on first use."""
    store = CatalogStore(connect(database_url(url)))
    if not store.is_built():
        programs = parse_programs(_rows("catalog", PROGRAM_LIST), source=PROGRAM_LIST)
        try:
            store.build(programs, list_source=PROGRAM_LIST_SOURCE)
        except IntegrityError:  # another process built it at the same moment
            if not store.is_built():
                raise
    catalog = Catalog(store, load_evidence(), store.programs())
    install_bundled_evidence(catalog.evidence_store, catalog.programs)
    return catalog


def applicant_from_file(path: str | Path, *, on: date) -> Applicant:
    """The applicant a profile file describes, as of ``on`` (through the pathway engine)."""
    from imgpath.services.pathway import load_profile, plan

    profile = load_profile(path, on=on)
    return applicant_from_report(plan(profile, on), profile)
