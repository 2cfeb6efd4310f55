"""The JSON API's accounts shapes: the account, its profile, shares, cohort and export (what it
stores), and the answers of sign-in, sessions, passwords and deletion."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from imgpath.web.schemas_base import Shape

__all__ = [
    "AccountOut",
    "CohortOut",
    "Deleted",
    "EmailConfirmed",
    "ExportOut",
    "Message",
    "PasswordChanged",
    "ProfileOut",
    "ResetDone",
    "SessionsOut",
    "ShareOut",
    "ShareWith",
    "SharesOut",
    "SignedIn",
    "SignedOut",
    "SignedOutEverywhere",
    "Verified",
]


class AccountOut(Shape):
    id: Any
    email: str
    name: str
    role: str
    time_zone: str
    verified: Any


class ProfileOut(Shape):
    profile: dict[str, Any]
    """The profile as saved (docs/reference/profile.md); empty when there is none."""


class ShareOut(Shape):
    id: int
    advisor_email: str
    created_at: str
    status: str
    """``active`` (a verified advisor account of that address) or ``pending``."""
    expires_at: str | None


class SharesOut(Shape):
    shares: list[ShareOut]


class CohortOut(Shape):
    applicants: list[dict[str, Any]]


class ExportOut(Shape):
    """Everything stored about the signed-in user; an organisation's export adds
    ``organisation`` (its profile, rotations and their requests), an applicant's
    ``rotation_requests``."""

    exported_at: str
    account: dict[str, Any]
    profile: Any
    saved_programs: list[dict[str, Any]]
    shares: list[dict[str, Any]]
    odds_runs: list[dict[str, Any]]
    applications: list[dict[str, Any]]
    letters: list[dict[str, Any]]
    documents: list[dict[str, Any]]
    rotations: list[dict[str, Any]]
    rank_list: list[dict[str, Any]]
    couple: dict[str, Any] | None
    """The couple, its invitations and pair list (None outside a couple)."""


class ShareWith(BaseModel):
    advisor_email: str = Field(max_length=320)
    password: str = Field(max_length=1024, description="your password: sharing needs it again")


class Message(Shape):
    message: str


class Verified(Shape):
    verified: str


class SignedIn(Shape):
    account: AccountOut
    csrf_token: str
    """Send it as the X-CSRF-Token header with every change."""
    session: dict[str, Any]


class SignedOut(Shape):
    signed_out: str


class SignedOutEverywhere(Shape):
    signed_out: str
    sessions_ended: int


class SessionsOut(Shape):
    sessions: list[dict[str, Any]]


class PasswordChanged(Shape):
    changed: bool
    other_sessions_ended: int


class ResetDone(Shape):
    reset: str


class EmailConfirmed(Shape):
    email: str


class Deleted(Shape):
    deleted: str
