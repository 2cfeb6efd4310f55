"""Support for IMGs beyond the steps: scholarships, state programs, organisations, observerships,
visa help, each with its source, as-of date, grade and review day, filtered to a person.

>>> from datetime import date
>>> from imgpath.support import support_for
>>> report = support_for(
...     {"school": {"country": "NG"}, "citizenships": ["NG"], "targets": {"states": ["NY"]}},
...     on=date(2026, 11, 30),
... )
>>> report.situation.stage, all(m.entry.serves.destination == "US" for m in report.matches)
('exams', True)
"""

from __future__ import annotations

from imgpath.core.support.matching import Fit, SupportMatch, match_entry, select
from imgpath.core.support.model import (
    COST_KINDS,
    DESTINATIONS,
    GRADES,
    KINDS,
    STAGES,
    STATUSES,
    Cost,
    InvalidSupportDataError,
    Serves,
    Source,
    SupportDirectory,
    SupportEntry,
)
from imgpath.core.support.reference import (
    REVIEW_REASONS,
    ReviewItem,
    directory_markdown,
    review_markdown,
)
from imgpath.core.support.situation import Situation
from imgpath.services.support import (
    CSV_COLUMNS,
    SupportReport,
    check_filters,
    load_directory,
    read_directory,
    review,
    situation_for,
    support_file,
    support_for,
    support_listing,
)

__all__ = [
    "COST_KINDS",
    "CSV_COLUMNS",
    "DESTINATIONS",
    "GRADES",
    "KINDS",
    "REVIEW_REASONS",
    "STAGES",
    "STATUSES",
    "Cost",
    "Fit",
    "InvalidSupportDataError",
    "ReviewItem",
    "Serves",
    "Situation",
    "Source",
    "SupportDirectory",
    "SupportEntry",
    "SupportMatch",
    "SupportReport",
    "check_filters",
    "directory_markdown",
    "load_directory",
    "match_entry",
    "read_directory",
    "review",
    "review_markdown",
    "select",
    "situation_for",
    "support_file",
    "support_for",
    "support_listing",
]
