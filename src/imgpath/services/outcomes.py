"""Outcomes applicants share with imgpath, opt-in, and shown only as cells of k or more people.

An applicant opts in once (with their applicant type and whether they need a visa), then shares,
per program and Match year, how far they got.  Opting out deletes every record they shared, in
one transaction, so they leave every aggregate at once; deleting the account does the same.
Aggregates come from :meth:`OutcomeStore.cells`, which keeps only cells of at least
``core.catalog.outcomes.K`` people inside the database.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping
from datetime import datetime
from typing import Any

from imgpath.core.catalog.outcomes import STAGES, K, OutcomeCell, season_problems
from imgpath.errors import InvalidInputError, NotFoundError, Problem
from imgpath.storage.outcomes_store import OutcomeStore

__all__ = ["APPLICANT_KINDS", "OutcomeSharing"]

APPLICANT_KINDS = ("non_us_img", "us_img", "us_md", "us_do")


class OutcomeSharing:
    """Opt-in sharing of season outcomes, for one database."""

    def __init__(self, store: OutcomeStore, programs: Container[str]) -> None:
        self.store = store
        self.programs = programs

    # ------------------------------------------------------------ one applicant
    def opt_in(
        self, user_id: int, *, applicant_kind: str, needs_visa: bool | None, now: datetime
    ) -> None:
        """Consent to share; ``applicant_kind`` is one of :data:`APPLICANT_KINDS`."""
        if applicant_kind not in APPLICANT_KINDS:
            raise InvalidInputError(str(Problem("applicant_kind", f"{applicant_kind!r}",
                                                f"use one of {', '.join(APPLICANT_KINDS)}")))  # fmt: skip
        self.store.opt_in(user_id, kind=applicant_kind, needs_visa=needs_visa, at=now)

    def opted_in(self, user_id: int) -> dict[str, Any] | None:
        return self.store.consent(user_id)

    def opt_out(self, user_id: int) -> int:
        """Withdraw consent and delete every shared record; returns how many were deleted."""
        return self.store.opt_out(user_id)

    def share(
        self, user_id: int, *, program_code: str, match_year: int, stage: str, now: datetime
    ) -> None:
        """Share how far one application got (``stage`` from STAGES: applied ... matched)."""
        problems = []
        if self.store.consent(user_id) is None:
            msg = "opt in to sharing outcomes first (you can opt out at any time)"
            raise InvalidInputError(msg)
        code = program_code.strip().upper()
        if code not in self.programs:
            problems.append(Problem("program_code", f"no program {program_code!r} in the catalog"))
        if stage not in STAGES:
            problems.append(Problem("stage", f"{stage!r}", f"use one of {', '.join(STAGES)}"))
        if not 2000 <= match_year <= 2100:
            problems.append(Problem("match_year", f"{match_year} is not a Match year"))
        else:
            problems += [Problem(f, m) for f, m in season_problems(match_year, stage, now.date())]
        if stage == "matched" and not problems:
            other = [r["program_code"] for r in self.store.own(user_id)
                     if r["match_year"] == match_year and r["stage"] == len(STAGES) and r["program_code"] != code]  # fmt: skip
            if other:
                problems.append(Problem("stage", f"you shared a match at {other[0]} in {match_year}: one Main Match result a year",
                                        "withdraw that one first if it was wrong"))  # fmt: skip
        if problems:
            raise InvalidInputError("; ".join(str(p) for p in problems))
        self.store.put(user_id, code, match_year, STAGES.index(stage) + 1, now)

    def share_season(
        self, user_id: int, records: Iterable[Mapping[str, Any]], *, now: datetime
    ) -> int:
        """Share several applications at once (program_code, match_year, stage each)."""
        count = 0
        for record in records:
            self.share(user_id, program_code=str(record["program_code"]), match_year=int(record["match_year"]),
                       stage=str(record["stage"]), now=now)  # fmt: skip
            count += 1
        return count

    def withdraw(self, user_id: int, *, program_code: str, match_year: int) -> None:
        if not self.store.remove(user_id, program_code.strip().upper(), match_year):
            msg = f"nothing shared for {program_code} in {match_year}"
            raise NotFoundError(msg)

    def mine(self, user_id: int) -> list[dict[str, Any]]:
        """What this user shared (only they see it)."""
        return [{"program_code": r["program_code"], "match_year": r["match_year"],
                 "stage": STAGES[r["stage"] - 1], "updated_at": r["updated_at"].isoformat()}
                for r in self.store.own(user_id)]  # fmt: skip

    # ------------------------------------------------------------ aggregates (k or more)
    def cells(self) -> list[OutcomeCell]:
        """Every cell with at least K people; nothing else exists outside the database."""
        out = []
        for row in self.store.cells(K):
            stages = {name: int(row[name] or 0) for name in STAGES}
            out.append(OutcomeCell(row["program_code"], row["applicant_kind"], row["needs_visa"],
                                   int(row["people"]), stages, int(row["first_year"]), int(row["last_year"])))  # fmt: skip
        return out

    def baselines(self) -> dict[tuple[str, bool | None], float]:
        """Invite rate per (applicant type, visa need) across all programs (groups of K or more)."""
        return {(r["applicant_kind"], r["needs_visa"]): int(r["invited"] or 0) / int(r["applications"])
                for r in self.store.baselines(K) if r["applications"]}  # fmt: skip
