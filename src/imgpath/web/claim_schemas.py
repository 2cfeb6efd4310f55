"""Response shapes of the claims API (``/api/claims``, ``/api/programs/{code}/claims``), of the
applicant's own outcomes (``/api/outcomes``) and of asking for a new confirmation link: the keys listed are always there; anything else the
service adds is kept (:class:`~imgpath.web.schemas.Shape`)."""

from __future__ import annotations

from typing import Any

from imgpath.web.schemas import Shape

__all__ = [
    "ClaimFieldsOut",
    "ClaimOut",
    "DeletedOut",
    "MessageOut",
    "MyOutcomesOut",
    "PendingClaimsOut",
    "ProgramClaimsOut",
]


class ClaimOut(Shape):
    """One claim: a fact about a program with its source, date, status and votes."""

    program_code: str
    field: str
    value: Any
    kind: str
    source: str
    as_of: str
    entered_by: str
    status: str
    confirmations: int
    disputes: int


class ClaimFieldsOut(Shape):
    """What a claim may state: each field (meaning, kinds, example) and what each kind means."""

    fields: list[dict[str, Any]]
    kinds: dict[str, str]


class PendingClaimsOut(Shape):
    """Claims waiting for a reviewer (reviewers only)."""

    pending: list[dict[str, Any]]


class ProgramClaimsOut(Shape):
    """A program's claims, each with this account's vote, and what this account may do."""

    program_code: str
    can: dict[str, Any]
    claims: list[dict[str, Any]]


class MessageOut(Shape):
    """A plain answer (the same whatever the account's state: nothing to enumerate)."""

    message: str


class MyOutcomesOut(Shape):
    """What an applicant shared of their own outcomes: consent (or None) and each record; only
    groups of ``k`` or more people are ever shown to others."""

    k: int
    stages: list[str]
    applicant_kinds: list[str]
    consent: dict[str, Any] | None
    shared: list[dict[str, Any]]


class DeletedOut(Shape):
    """How many records an opt-out deleted."""

    deleted: int
