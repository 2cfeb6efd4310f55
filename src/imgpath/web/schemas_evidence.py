"""The JSON API's evidence shapes: claims (the facts a claim may state, the claims of a program,
one claim as ``core.catalog.claims.Claim.to_dict`` with its program, the claims waiting for
review) and the outcomes an applicant shares (``services.outcome_desk``)."""

from __future__ import annotations

from typing import Any

from imgpath.web.schemas_base import Shape

__all__ = [
    "ClaimFieldsOut",
    "ClaimOut",
    "OutcomesOut",
    "OutcomesRemoved",
    "PendingClaimsOut",
    "ProgramClaimsOut",
]


class ClaimFieldsOut(Shape):
    fields: list[dict[str, Any]]
    """Each fact a claim may state: ``field``, ``description``, ``kinds``, ``example``."""
    kinds: dict[str, Any]
    """Each kind of claim (cutoff, preference, reported) and what it means."""


class ClaimOut(Shape):
    """One claim; ``note``, ``id``, ``reviewed_by`` and ``review_note`` when there are some."""

    field: str
    value: Any
    kind: str
    source: str
    as_of: str
    source_kind: Any
    status: str
    confirmations: Any
    disputes: Any
    program_code: str


class ProgramClaimsOut(Shape):
    program_code: str
    can: Any
    """What the signed-in account may do with claims (propose, vote, review)."""
    claims: list[dict[str, Any]]
    """Each claim (as :class:`ClaimOut`) with ``my_vote``."""


class PendingClaimsOut(Shape):
    pending: list[dict[str, Any]]


class OutcomesOut(Shape):
    """The signed-in applicant's consent and shared outcomes (``OutcomeDesk.mine``)."""

    k: int
    """The smallest group an aggregate is shown for."""
    stages: list[Any]
    applicant_kinds: list[Any]
    consent: dict[str, Any] | None
    """``applicant_kind``, ``needs_visa``, ``opted_in_at`` (ISO time); None before opting in."""
    shared: list[dict[str, Any]]
    """Every record shared, with its ``program_name``."""


class OutcomesRemoved(Shape):
    deleted: int
    """How many shared records were deleted with the consent."""
