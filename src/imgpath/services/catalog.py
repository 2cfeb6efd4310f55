"""Program catalog use cases: open the catalog, search and fit, show one program, curate claims."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Self

import numpy as np
import platformdirs
from sqlalchemy.exc import IntegrityError

from imgpath.core.catalog.claims import (
    CLAIM_COLUMNS,
    Claim,
    ClaimRowError,
    claim_from_row,
    claim_to_row,
)
from imgpath.core.catalog.evidence import (
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
)
from imgpath.core.catalog.programs import Program, parse_programs
from imgpath.core.catalog.search import (
    SearchQuery,
    filter_programs,
    order_programs,
    resolve_specialties,
)
from imgpath.core.pathway.report import Report
from imgpath.errors import InvalidInputError, NotFoundError, Problem
from imgpath.services.documents import read_text
from imgpath.storage.catalog_store import CatalogStore
from imgpath.storage.database import connect

__all__ = [
    "DATABASE_ENV",
    "PROGRAM_LIST",
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
    if url:
        return url
    if os.environ.get(DATABASE_ENV):
        return os.environ[DATABASE_ENV]
    folder = Path(
        os.environ.get("IMGPATH_DATA_DIR") or platformdirs.user_data_dir("imgpath", appauthor=False)
    )  # the same default as the web app's settings (imgpath.settings)
    return f"sqlite:///{folder / 'imgpath.sqlite3'}"


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


def applicant_from_report(report: Report) -> Applicant:
    """What the fit needs, read from a pathway report (so the fit and the plan agree)."""
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
    )


@dataclass(frozen=True)
class ProgramView:
    """One program as a search or ``show`` returns it: its facts, claims and (for a person) fit."""

    program: Program
    claims: tuple[Claim, ...]
    fit: Fit | None = None
    evidence: Mapping[str, Any] | None = None

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
        }
        if self.fit is not None:
            out["fit"] = self.fit.to_dict()
        if self.evidence is not None:
            out["specialty_evidence"] = dict(self.evidence)
        return out


@dataclass(frozen=True)
class SearchResult:
    total: int
    """Programs matching the filters (excluded ones count only with include_excluded)."""
    excluded: int
    """Programs left out because the applicant cannot be considered there."""
    programs: tuple[ProgramView, ...]
    query: SearchQuery

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "excluded": self.excluded,
            "offset": self.query.offset,
            "limit": self.query.limit,
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


class Catalog:
    """The catalog of one database, with an in-memory view of programs and claims for searching."""

    def __init__(self, store: CatalogStore, evidence: Evidence) -> None:
        self.store = store
        self.evidence = evidence
        self.programs: list[Program] = store.programs()
        self.by_code = {p.code: i for i, p in enumerate(self.programs)}
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
            table = build_table(self.programs, claims, self.evidence)
            self._snapshot = _Snapshot(revision, claims_by_program(claims), table)
        return self._snapshot

    def search(self, query: SearchQuery, applicant: Applicant | None = None) -> SearchResult:
        """Filter, fit (for an applicant) and order every program; return one page."""
        problems = query.problems()
        wanted, unknown = resolve_specialties(query.specialties, self.programs)
        problems += [
            ("specialty", f"no specialty matches {u!r}; try a code such as 140 or part of a name")
            for u in unknown
        ]
        if query.sort == "fit" and applicant is None:
            problems.append(("sort", "sorting by fit needs a profile (--for PROFILE)"))
        if problems:
            raise InvalidInputError(
                "; ".join(str(Problem(where, message)) for where, message in problems)
            )
        snap = self.snapshot()
        if query.text:
            query = replace(query, codes=frozenset(self.store.search_codes(query.text)))
        keep = filter_programs(self.programs, query, wanted, snap.table)
        scores = excluded = None
        if applicant is not None:
            scores, excluded, _ = score_all(applicant, snap.table)
            n_excluded = int(np.count_nonzero(keep & excluded))
            if not query.include_excluded:
                keep &= ~excluded
        else:
            n_excluded = 0
        order = order_programs(self.programs, keep, query.sort, scores, excluded)
        page = (
            order[query.offset : query.offset + query.limit]
            if query.limit
            else order[query.offset :]
        )
        views = tuple(self._view(self.programs[int(i)], snap, applicant) for i in page)
        return SearchResult(int(order.size), n_excluded, views, query)

    def show(self, code: str, applicant: Applicant | None = None) -> ProgramView:
        """One program with every claim, the specialty evidence, and its fit for an applicant."""
        index = self.by_code.get(code.strip().upper())
        if index is None:
            msg = f"no program with code {code!r}; find codes with imgpath programs search"
            raise NotFoundError(msg)
        program = self.programs[index]
        return self._view(program, self.snapshot(), applicant, with_evidence=True)

    def _view(
        self,
        program: Program,
        snap: _Snapshot,
        applicant: Applicant | None,
        *,
        with_evidence: bool = False,
    ) -> ProgramView:
        claims = tuple(snap.claims.get(program.code, ()))
        fit = explain(applicant, program, claims, self.evidence) if applicant is not None else None
        evidence = self._evidence(program) if with_evidence else None
        return ProgramView(program, claims, fit, evidence)

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
        text, source = read_text(path)
        reader = csv.DictReader(io.StringIO(text))
        columns = [c.strip() for c in reader.fieldnames or [] if c]
        unknown = [c for c in columns if c not in CLAIM_COLUMNS]
        missing = [c for c in CLAIM_COLUMNS[:6] if c not in columns]
        if unknown or missing:
            parts = []
            if missing:
                parts.append(f"missing column(s) {', '.join(missing)}")
            if unknown:
                parts.append(f"unknown column(s) {', '.join(unknown)}")
            msg = f"{source}: {'; '.join(parts)}; the columns are {', '.join(CLAIM_COLUMNS)} (docs/reference/claims.md)"
            raise InvalidInputError(msg)
        accepted: list[Claim] = []
        rows: list[int] = []
        rejected: list[tuple[int, str, str]] = []
        codes = self.by_code
        for number, row in enumerate(reader, start=2):
            try:
                accepted.append(
                    claim_from_row(row, today=today, programs=codes, default_entered_by=entered_by)
                )
                rows.append(number)
            except ClaimRowError as exc:
                rejected.append((number, exc.column, str(exc).split(": ", 1)[1]))
        added = self.store.add_claims(accepted, entered_at=now) if accepted else []
        duplicates = [row for row, new in zip(rows, added, strict=True) if not new]
        return ImportReport(sum(added), duplicates, rejected)

    def add_claim(self, claim: Claim, *, now: datetime) -> bool:
        if claim.program_code not in self.by_code:
            msg = f"no program with code {claim.program_code!r}"
            raise NotFoundError(msg)
        return self.store.add_claims([claim], entered_at=now)[0]

    def export_claims(
        self, *, program_code: str | None = None, field_name: str | None = None
    ) -> str:
        """Claims as CSV in the import format (so an export can be edited and re-imported)."""
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=CLAIM_COLUMNS, lineterminator="\n")
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
    return Catalog(store, load_evidence())


def applicant_from_file(path: str | Path, *, on: date) -> Applicant:
    """The applicant a profile file describes, as of ``on`` (through the pathway engine)."""
    from imgpath.services.pathway import plan_file

    return applicant_from_report(plan_file(path, on=on))
