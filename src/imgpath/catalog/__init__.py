"""The program catalog: every Match program, IMG-relevant claims with sources, fit for one applicant.

>>> from imgpath.catalog import SearchQuery, open_catalog
>>> catalog = open_catalog("sqlite://")          # in memory; the default is a file per user
>>> result = catalog.search(SearchQuery(text="mayo internal medicine", limit=3))
>>> result.total > 0, result.programs[0].program.state in {"AZ", "FL", "MN"}
(True, True)
"""

from __future__ import annotations

from imgpath.core.catalog.claims import CLAIM_COLUMNS, CLAIM_FIELDS, KINDS, Claim
from imgpath.core.catalog.fit import Applicant, Fit, Term
from imgpath.core.catalog.programs import TRACK_TYPES, Program
from imgpath.core.catalog.search import SORTS, SearchQuery
from imgpath.core.geography import REGIONS
from imgpath.services.catalog import (
    DATABASE_ENV,
    Catalog,
    ImportReport,
    ProgramView,
    SearchResult,
    applicant_from_file,
    applicant_from_report,
    database_url,
    open_catalog,
)

__all__ = [
    "CLAIM_COLUMNS",
    "CLAIM_FIELDS",
    "DATABASE_ENV",
    "KINDS",
    "REGIONS",
    "SORTS",
    "TRACK_TYPES",
    "Applicant",
    "Catalog",
    "Claim",
    "Fit",
    "ImportReport",
    "Program",
    "ProgramView",
    "SearchQuery",
    "SearchResult",
    "Term",
    "applicant_from_file",
    "applicant_from_report",
    "database_url",
    "open_catalog",
]
