"""The program catalog: every Match program, program-level evidence and reviewed claims with their
sources, outcomes imgpath users share (k >= 5), and fit for one applicant.

>>> from imgpath.catalog import SearchQuery, open_catalog
>>> catalog = open_catalog("sqlite://")          # in memory; the default is a file per user
>>> result = catalog.search(SearchQuery(text="mayo internal medicine", limit=3))
>>> result.total > 0, result.programs[0].program.state in {"AZ", "FL", "MN"}
(True, True)

The service API for the web app and scripts:

* search and fit: ``catalog.search(SearchQuery(...), applicant)`` (``parse_search(...)`` reads
  a search as people type it, the same for every front end), ``catalog.show(code, applicant)``;
  Canada: ``catalog.canada(CanadaQuery(...))``;
* evidence: ``catalog.program_evidence(code)``, ``catalog.evidence_summary()``,
  ``catalog.import_evidence(path, kind, ...)``, ``catalog.matches_to_review()``,
  ``catalog.decide_match(...)``;
* claims from people: ``catalog.propose_claim(actor, ...)``, ``catalog.vote_claim(actor, ...)``,
  ``catalog.review_claim(actor, ...)``, ``catalog.claims(status=...)``;
* outcomes: ``catalog.outcomes.opt_in / share / opt_out / mine / cells``;
* open data: ``export_bundle(catalog, path, licence=..., publisher=...)``, ``import_bundle(...)``.
"""

from __future__ import annotations

from imgpath.core.catalog.canada import OPEN_TO, CanadaQuery, CanadaStream
from imgpath.core.catalog.claims import CLAIM_COLUMNS, CLAIM_FIELDS, CLAIM_STATUSES, KINDS, Claim
from imgpath.core.catalog.evidence import MIN_SAMPLE
from imgpath.core.catalog.fit import Applicant, Fit, Term
from imgpath.core.catalog.outcomes import STAGES, K, OutcomeCell
from imgpath.core.catalog.program_evidence import EVIDENCE_KINDS, ProgramEvidence
from imgpath.core.catalog.programs import TRACK_TYPES, Program
from imgpath.core.catalog.search import SORTS, SearchQuery, parse_search
from imgpath.core.catalog.sources import IMPORT_KINDS, RowProblem, Source
from imgpath.core.geography import REGIONS
from imgpath.services.canada import CanadaResult
from imgpath.services.catalog import (
    CLAIM_ROLES,
    DATABASE_ENV,
    Actor,
    Catalog,
    ImportReport,
    ProgramView,
    SearchResult,
    applicant_from_file,
    applicant_from_report,
    database_url,
    open_catalog,
)
from imgpath.services.claim_desk import ClaimDesk
from imgpath.services.evidence_import import ImportResult
from imgpath.services.open_bundle import LICENCES, export_bundle, import_bundle
from imgpath.services.outcomes import APPLICANT_KINDS, OutcomeSharing

__all__ = [
    "APPLICANT_KINDS",
    "CLAIM_COLUMNS",
    "CLAIM_FIELDS",
    "CLAIM_ROLES",
    "CLAIM_STATUSES",
    "DATABASE_ENV",
    "EVIDENCE_KINDS",
    "IMPORT_KINDS",
    "KINDS",
    "LICENCES",
    "MIN_SAMPLE",
    "OPEN_TO",
    "REGIONS",
    "SORTS",
    "STAGES",
    "TRACK_TYPES",
    "Actor",
    "Applicant",
    "CanadaQuery",
    "CanadaResult",
    "CanadaStream",
    "Catalog",
    "Claim",
    "ClaimDesk",
    "Fit",
    "ImportReport",
    "ImportResult",
    "K",
    "OutcomeCell",
    "OutcomeSharing",
    "Program",
    "ProgramEvidence",
    "ProgramView",
    "RowProblem",
    "SearchQuery",
    "SearchResult",
    "Source",
    "Term",
    "applicant_from_file",
    "applicant_from_report",
    "database_url",
    "export_bundle",
    "import_bundle",
    "open_catalog",
    "parse_search",
]
