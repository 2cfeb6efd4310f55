"""An applicant's own outcome sharing in the web app: opt in, share how far each application got,
withdraw one, opt out (which deletes everything they shared).  Aggregates appear only as groups
of at least K people (``services.outcomes``); nothing here shows one person's records to anyone
but that person."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Protocol

from imgpath.core.catalog.outcomes import STAGES, K
from imgpath.errors import FormError, InvalidInputError, PermissionDeniedError, Problem
from imgpath.services.catalog import Catalog
from imgpath.services.outcomes import APPLICANT_KINDS

__all__ = ["OutcomeDesk"]


class _Account(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def role(self) -> str: ...


class OutcomeDesk:
    def __init__(self, catalog: Catalog) -> None:
        self.sharing = catalog.outcomes
        self.catalog = catalog

    @staticmethod
    def _applicant(account: _Account) -> int:
        if account.role != "applicant":
            msg = "only applicants share their own season's outcomes"
            raise PermissionDeniedError(msg)
        return account.id

    def mine(self, account: _Account) -> dict[str, Any]:
        """Consent (or None) and every record the account shared, with program names."""
        user = self._applicant(account)
        consent = self.sharing.opted_in(user)
        shared = []
        for record in self.sharing.mine(user):
            program = self.catalog.show(record["program_code"]).program
            shared.append(record | {"program_name": program.name})
        return {"k": K, "stages": list(STAGES), "applicant_kinds": list(APPLICANT_KINDS),
                "consent": None if consent is None else {"applicant_kind": consent["applicant_kind"],
                                                         "needs_visa": consent["needs_visa"],
                                                         "opted_in_at": consent["opted_in_at"].isoformat()},
                "shared": shared}  # fmt: skip

    def opt_in(
        self, account: _Account, *, applicant_kind: str, needs_visa: str, now: datetime
    ) -> None:
        """``needs_visa``: yes, no or unknown."""
        user = self._applicant(account)
        visa = {"yes": True, "no": False, "unknown": None}
        if needs_visa not in visa:
            raise FormError(
                [Problem("needs_visa", f"{needs_visa[:20]!r}", "use yes, no or unknown")]
            )
        try:
            self.sharing.opt_in(
                user, applicant_kind=applicant_kind, needs_visa=visa[needs_visa], now=now
            )
        except InvalidInputError as exc:
            raise FormError(
                [Problem("applicant_kind", str(exc).partition(": ")[2] or str(exc))]
            ) from None

    def opt_out(self, account: _Account) -> int:
        """Withdraw consent and delete every shared record (they leave every aggregate at once)."""
        return self.sharing.opt_out(self._applicant(account))

    def share(
        self, account: _Account, *, program_code: str, match_year: str, stage: str, now: datetime
    ) -> None:
        user = self._applicant(account)
        try:
            year = int(match_year)
        except ValueError:
            raise FormError(
                [Problem("match_year", f"{match_year[:10]!r} is not a year", "e.g. 2027")]
            ) from None
        try:
            self.sharing.share(
                user, program_code=program_code, match_year=year, stage=stage, now=now
            )
        except InvalidInputError as exc:
            problems = []
            for part in re.split(r"; (?=(?:program_code|stage|match_year): )", str(exc)):
                where, _, message = part.partition(": ")
                if where in ("program_code", "stage", "match_year") and message:
                    problems.append(Problem(where, message))
            raise FormError(problems or [Problem("consent", str(exc))]) from None

    def withdraw(self, account: _Account, *, program_code: str, match_year: int) -> None:
        self.sharing.withdraw(
            self._applicant(account), program_code=program_code, match_year=match_year
        )
