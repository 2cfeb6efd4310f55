"""Claims from people in the web app: who acts in which role, and the reviewers' appointments.

An account acts on claims as an :class:`~imgpath.services.catalog.Actor`:

* an **advisor** or **organisation** proposes claims (each with a source and date; pending until
  reviewed);
* an **applicant** confirms or disputes a claim from what they saw;
* a **reviewer** accepts a claim (it enters every applicant's fit) or flags it (shown as
  doubtful, not used).  A reviewer is an advisor or organisation account appointed by the
  catalog's operator (``imgpath programs claims reviewers add EMAIL``); reviewers may also
  propose, but never review their own claims.

The account acts under ``user:ID`` (never its email), so deleting the account
(:func:`imgpath.storage.reviewers_store.forget_contributions`) removes its votes everywhere.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Protocol

from imgpath.core.catalog.claims import CLAIM_FIELDS, KINDS, Claim
from imgpath.errors import (
    FormError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    Problem,
    require,
)
from imgpath.services.catalog import Actor, Catalog
from imgpath.storage.accounts_store import AccountsStore
from imgpath.storage.reviewers_store import ReviewersStore, voter_id

__all__ = ["PROPOSER_ROLES", "ClaimDesk", "claim_form_fields"]

_FORM = ("field", "value", "kind", "source", "as_of", "note")

PROPOSER_ROLES = frozenset({"advisor", "organisation"})
"""Account roles that may propose claims and may be appointed reviewers."""


def _by_field(exc: InvalidInputError, names: tuple[str, ...]) -> InvalidInputError:
    """The catalog's "field: message" as a FormError keyed by that field (forms show it there)."""
    if isinstance(exc, FormError):
        return exc
    where, _, message = str(exc).partition(": ")
    return FormError([Problem(where, message)]) if where in names and message else exc


class _Account(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def role(self) -> str: ...


def claim_form_fields() -> dict[str, Any]:
    """What a claim form offers: each field with its meaning, allowed kinds and an example,
    and what each kind means."""
    fields = [{"field": name, "description": f.description, "kinds": list(f.kinds), "example": f.example}
              for name, f in CLAIM_FIELDS.items()]  # fmt: skip
    return {"fields": fields, "kinds": dict(KINDS)}


class ClaimDesk:
    """Claims for signed-in accounts (the web app); the catalog enforces the roles."""

    def __init__(self, catalog: Catalog, users: AccountsStore) -> None:
        self.catalog = catalog
        self.reviewers = ReviewersStore(catalog.store.engine)
        self.users = users

    @classmethod
    def for_catalog(cls, catalog: Catalog) -> ClaimDesk:
        """The desk on the catalog's own database (the CLI: accounts live in the same one)."""
        return cls(catalog, AccountsStore(catalog.store.engine))

    # ------------------------------------------------------------ who acts
    def actor(self, account: _Account) -> Actor:
        """The account as the catalog sees it: reviewer if appointed, else its own role."""
        role = account.role
        if role in PROPOSER_ROLES and self.reviewers.is_reviewer(account.id):
            role = "reviewer"
        name = account.name.strip() or f"{account.role} #{account.id}"
        return Actor(voter_id(account.id), name, role)

    def abilities(self, account: _Account) -> dict[str, bool]:
        """What the account may do with claims (the pages show only those forms)."""
        role = self.actor(account).role
        return {"propose": role in ("advisor", "organisation", "reviewer"),
                "vote": role == "applicant", "review": role == "reviewer"}  # fmt: skip

    # ------------------------------------------------------------ acting
    def propose(self, account: _Account, code: str, values: dict[str, str], *, today: date,
                now: datetime) -> Claim:  # fmt: skip
        """Add a pending claim from a form or JSON body (program_code from the address;
        field, value, kind, source, as_of, note); errors name the field."""
        require([Problem(name, "is required") for name in _FORM if name != "note"
                 and not str(values.get(name, "")).strip()])  # fmt: skip
        try:
            return self.catalog.propose_claim(
                self.actor(account), program_code=code, field=values["field"].strip(),
                value=values["value"].strip(), kind=values["kind"].strip(), source=values["source"],
                as_of=values["as_of"].strip(), note=values.get("note", "") or "", today=today, now=now,
            )  # fmt: skip
        except InvalidInputError as exc:
            raise _by_field(exc, _FORM) from None

    def vote(self, account: _Account, claim_id: int, vote: str, *, note: str = "",
             now: datetime) -> Claim:  # fmt: skip
        """``confirm``, ``dispute`` or ``withdraw`` (the applicant's vote goes)."""
        return self.catalog.vote_claim(self.actor(account), claim_id,
                                       None if vote == "withdraw" else vote, note=note, now=now)  # fmt: skip

    def review(self, account: _Account, claim_id: int, decision: str, *, note: str = "",
               now: datetime) -> Claim:  # fmt: skip
        """``accept`` or ``flag`` (a note is required to flag)."""
        decisions = {"accept": "accepted", "flag": "flagged"}
        if decision not in decisions:
            raise InvalidInputError(
                str(Problem("decision", f"{decision[:20]!r}", "use accept or flag"))
            )
        try:
            return self.catalog.review_claim(self.actor(account), claim_id, decisions[decision],
                                             note=note, now=now)  # fmt: skip
        except InvalidInputError as exc:
            raise _by_field(exc, ("decision", "note")) from None

    def pending(self, account: _Account) -> list[dict[str, Any]]:
        """Claims waiting for review, for a reviewer (with program name and code)."""
        if self.actor(account).role != "reviewer":
            msg = "only an appointed reviewer sees the claims waiting for review"
            raise PermissionDeniedError(msg)
        out = []
        for claim in self.catalog.claims(status="pending"):
            program = self.catalog.show(claim.program_code).program
            out.append(claim.to_dict() | {"program_code": program.code, "program_name": program.name,
                                          "mine": self.actor(account).wrote(claim)})  # fmt: skip
        return out

    def my_votes(self, account: _Account, claims: list[Claim]) -> dict[int, str]:
        """The account's vote on each of ``claims`` (claim id → confirm/dispute)."""
        me = voter_id(account.id)
        return {c.id: str(v["vote"]) for c in claims if c.id is not None
                for v in self.catalog.store.votes(c.id) if v["voter"] == me}  # fmt: skip

    # ------------------------------------------------------------ appointing (the operator)
    def appoint(self, email: str, *, by: str, now: datetime) -> dict[str, Any]:
        """Make the account with ``email`` a reviewer; it must be an advisor or organisation."""
        user = self._user(email)
        if user["role"] not in PROPOSER_ROLES:
            raise InvalidInputError(str(Problem("email", f"{email} is an {user['role']} account",
                                                "appoint an advisor or organisation account")))  # fmt: skip
        added = self.reviewers.appoint(int(user["id"]), by=by, at=now)
        return {"email": user["email"], "appointed": added}

    def dismiss(self, email: str) -> bool:
        return self.reviewers.dismiss(int(self._user(email)["id"]))

    def list_reviewers(self) -> list[dict[str, Any]]:
        return [
            r | {"appointed_at": r["appointed_at"].isoformat()} for r in self.reviewers.reviewers()
        ]

    def _user(self, email: str) -> dict[str, Any]:
        user = self.users.user_by_email(email.strip().lower())
        if user is None:
            msg = f"no account with email {email!r}; the person signs up first"
            raise NotFoundError(msg)
        return user
