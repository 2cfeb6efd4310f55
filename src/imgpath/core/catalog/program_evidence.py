"""Program-level evidence: what public data and imgpath users say about one program.

Kept apart from *claims* (what a person states about a program, reviewed) because each kind has
its own strength and reading, and every fact carries its source and date:

* **fill history** (NRMP Program Results): positions offered and filled per Match year;
* **H-1B filings** (DOL OFLC LCA data): certified LCAs for resident physicians by the employer
  matched to the program's NRMP institution: evidence about the *institution*, not the program;
* **ACGME record**: the program's ACGME ID, city, sponsor and accreditation status;
* **interview invitations** reported on a community sheet (self-reported, unverified);
* **outcomes of imgpath users** who opted in, only as cells of at least k people.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from imgpath.core.catalog.acgme import AcgmeProgram
from imgpath.core.catalog.fill_history import FillYear
from imgpath.core.catalog.invites import InviteSummary
from imgpath.core.catalog.outcomes import K, OutcomeCell

__all__ = ["EVIDENCE_KINDS", "NO_EVIDENCE", "AcgmeEvidence", "H1bEvidence", "ProgramEvidence"]

EVIDENCE_KINDS = {
    "claims": "reviewed claims by advisors and organisations",
    "fill_history": "NRMP Program Results (positions offered and filled)",
    "h1b_filings": "DOL OFLC H-1B LCA disclosure data (institution level)",
    "acgme": "ACGME public program list",
    "invites": "community interview-invite sheet (self-reported)",
    "outcomes": f"outcomes shared by imgpath users (cells of {K} or more)",
}


@dataclass(frozen=True)
class H1bEvidence:
    """Certified H-1B LCAs for residents (and fellows) filed by employers matched to one NRMP
    institution."""

    institution_code: str
    institution: str
    employers: tuple[str, ...]
    residents: int
    """Certified LCAs for resident jobs (cases, not people)."""
    fellows: int
    fiscal_years: tuple[int, ...]
    latest_decision: date
    wage_low: float | None
    wage_high: float | None
    match_score: float
    match_status: str
    """matched (automatic) or confirmed (by a reviewer)."""
    source: str
    as_of: str

    def text(self) -> str:
        years = (f"FY{self.fiscal_years[0]}" if len(self.fiscal_years) == 1
                 else f"FY{self.fiscal_years[0]}-FY{self.fiscal_years[-1]}")  # fmt: skip
        wage = ""
        if self.wage_low is not None:
            high = self.wage_high if self.wage_high is not None else self.wage_low
            wage = f"; wages ${self.wage_low:,.0f}" + (
                f"-${high:,.0f}" if high != self.wage_low else ""
            )
        how = (
            "confirmed by a reviewer"
            if self.match_status == "confirmed"
            else f"name match {self.match_score:.0f}/100"
        )
        return (f"{self.residents} certified H-1B LCA(s) for resident physicians ({years}, latest decided "
                f"{self.latest_decision.isoformat()}{wage}) by {'; '.join(self.employers[:3])}: the institution "
                f"({self.institution}) files H-1B petitions for residents; not proof for this program ({how})")  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {"institution_code": self.institution_code, "employers": list(self.employers),
                "resident_lcas": self.residents, "fellow_lcas": self.fellows,
                "fiscal_years": list(self.fiscal_years), "latest_decision": self.latest_decision.isoformat(),
                "wage_low": self.wage_low, "wage_high": self.wage_high, "match_score": self.match_score,
                "match_status": self.match_status, "level": "institution", "source": self.source,
                "as_of": self.as_of, "text": self.text()}  # fmt: skip


@dataclass(frozen=True)
class AcgmeEvidence:
    program: AcgmeProgram
    match_score: float
    match_status: str
    source: str
    as_of: str

    def text(self) -> str:
        p = self.program
        since = f", accredited since {p.accredited_since.isoformat()}" if p.accredited_since else ""
        closed = (
            "; ACGME lists it as closing or closed: check it still takes residents"
            if p.closed
            else ""
        )
        return (f"ACGME {p.acgme_id} {p.name} ({p.city}, {p.state}), sponsor {p.sponsor}: "
                f"{p.status}{since}{closed}")  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        p = self.program
        return {"acgme_id": p.acgme_id, "name": p.name, "city": p.city, "state": p.state,
                "sponsor": p.sponsor, "status": p.status, "closed": p.closed,
                "accredited_since": p.accredited_since.isoformat() if p.accredited_since else None,
                "website": p.website, "match_score": self.match_score, "match_status": self.match_status,
                "source": self.source, "as_of": self.as_of, "text": self.text()}  # fmt: skip


@dataclass(frozen=True)
class ProgramEvidence:
    """Everything program-level that is known about one program (besides claims)."""

    code: str
    fill: tuple[FillYear, ...] = ()
    """Newest year first; only years the program offered positions."""
    h1b: H1bEvidence | None = None
    acgme: tuple[AcgmeEvidence, ...] = ()
    invites: InviteSummary | None = None
    outcomes: tuple[OutcomeCell, ...] = ()
    outcome_baseline: Mapping[tuple[str, bool | None], float] = field(default_factory=dict)
    """Invite rate per (applicant type, visa need) across all programs (for the fit's factor)."""

    @property
    def kinds(self) -> list[str]:
        """Which kinds of evidence exist (keys of :data:`EVIDENCE_KINDS`, claims excepted)."""
        out = []
        if self.fill:
            out.append("fill_history")
        if self.h1b is not None:
            out.append("h1b_filings")
        if self.acgme:
            out.append("acgme")
        if self.invites is not None:
            out.append("invites")
        if self.outcomes:
            out.append("outcomes")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "fill_history": [f.to_dict() for f in self.fill],
            "h1b_filings": self.h1b.to_dict() if self.h1b else None,
            "acgme": [a.to_dict() for a in self.acgme],
            "invites": self.invites.to_dict(K) if self.invites else None,
            "outcomes": [c.to_dict() for c in self.outcomes],
        }


NO_EVIDENCE = ProgramEvidence("")
