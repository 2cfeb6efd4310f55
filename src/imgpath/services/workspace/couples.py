"""Couples in the Match: two applicants' rank lists linked as pairs, the way NRMP's R3 does it.

NRMP's rules, applied here (NRMP, "Couples in the Match", https://www.nrmp.org/couples-in-the-match/,
and its R3 guide "Couples: Viewing & Certifying Rank Order Lists"; read 2026-11-30, grade H for
the rules, the guide through a public copy):

* one partner sends a couple request, the other accepts it (here: an invitation by email,
  accepted by the partner's verified applicant account; the inviter confirms with a password,
  as for sharing);
* the partners' primary lists have the **same number of ranks** and are read rank by rank as
  **pairs**; either side of a pair may be **"No Match"** (NRMP code 999999999: that partner is
  willing to go unmatched if the other matches there), but not both;
* **each partner may rank at most 300**: a couple's list holds at most
  :data:`MAX_PAIRS` = 300 pairs, so at most 600 ranks between the two lists;
* a program may appear many times on a partner's list, but a **pair may not be repeated**;
* **each partner certifies their own list**; supplemental (PGY-1) lists are not paired (each
  partner keeps theirs on the individual rank-list page).

imgpath keeps one pair list for the couple that **either partner may edit** (in R3 each enters
their own list; here both see and edit the pairs, so they stay of equal length by
construction).  **Any change withdraws both certifications**, as R3 requires a list changed
after certification to be certified again.  Either partner may end the link.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from imgpath.core.matching.instance import NRMP_MAX_RANKS
from imgpath.errors import NotFoundError, PermissionDeniedError, Problem
from imgpath.services.accounts import Account
from imgpath.services.catalog import Catalog
from imgpath.services.inputs import FormError, check_email, require
from imgpath.storage.organisations_store import CouplesStore

__all__ = ["MAX_PAIRS", "NO_MATCH", "NO_MATCH_CODE", "Couples"]

MAX_PAIRS = NRMP_MAX_RANKS
"""NRMP: "Each partner can submit no more than 300 ranks" and the partners' lists have the same
number of ranks, so a couple ranks at most 300 pairs (600 ranks in all).  Source: NRMP, "Couples
in the Match" (read 2026-11-30)."""
NO_MATCH_CODE = "999999999"
"""NRMP's program code for "No Match" on a couple's list."""
NO_MATCH = "No Match"
_NO_MATCH_WORDS = {"", "-", "none", "no match", "nomatch", "no_match", NO_MATCH_CODE}


class Couples:
    def __init__(self, store: CouplesStore, catalog: Catalog, *,
                 reauthenticate: Callable[[Account, str], None]) -> None:  # fmt: skip
        """``reauthenticate(account, password)`` raises a FormError naming ``password`` if wrong."""
        self.store = store
        self.catalog = catalog
        self.reauthenticate = reauthenticate

    @staticmethod
    def _applicant(viewer: Account) -> Account:
        if viewer.role != "applicant" or not viewer.verified:
            msg = "only applicants with a confirmed email apply as a couple"
            raise PermissionDeniedError(msg)
        return viewer

    def _linked(self, viewer: Account) -> tuple[dict[str, Any], str]:
        """The viewer's linked couple and their side of it ("inviter" or "partner")."""
        couple = self.store.of(self._applicant(viewer).id)
        if couple is None or couple["status"] != "linked":
            raise FormError([Problem("partner", "you are not linked with a partner yet",
                                     "invite your partner, or accept their invitation, first")])  # fmt: skip
        return couple, "inviter" if couple["inviter_id"] == viewer.id else "partner"

    # ---------------------------------------------------------------- linking
    def status(self, viewer: Account) -> dict[str, Any]:
        """The viewer's couple (invitation out, or linked) and invitations addressed to them."""
        me = self._applicant(viewer)
        couple = self.store.of(me.id)
        out: dict[str, Any] = {"couple": None, "invitations": [], "limit": MAX_PAIRS}
        if couple is not None:
            side = "inviter" if couple["inviter_id"] == me.id else "partner"
            other_id = couple["partner_id"] if side == "inviter" else couple["inviter_id"]
            out["couple"] = {"id": couple["id"], "status": couple["status"], "side": side,
                             "partner_email": couple["partner_email"] if side == "inviter" else None,
                             "partner_id": other_id, "linked_at": couple["linked_at"]}  # fmt: skip
        out["invitations"] = [{"id": i["id"], "from": i["inviter_name"] or i["inviter_email"],
                               "email": i["inviter_email"], "created_at": i["created_at"]}
                              for i in self.store.invitations_to(me.email)
                              if couple is None or couple["id"] != i["id"]]  # fmt: skip
        return out

    def invite(self, viewer: Account, email: str, *, password: str) -> None:
        """Invite a partner by email.  The answer is the same whether or not the address has an
        account: the invitation waits until an applicant verified at that address accepts."""
        me = self._applicant(viewer)
        address, problems = check_email(email, "partner_email")
        if not problems and address == me.email:
            problems.append(
                Problem("partner_email", "is your own email", "give your partner's email")
            )
        require(problems)
        self.reauthenticate(me, password)
        if not self.store.invite(me.id, address, now=datetime.now(UTC)):
            raise FormError([Problem("partner_email", "you are in a couple or have invited someone already",
                                     "end that link or cancel that invitation first")])  # fmt: skip

    def accept(self, viewer: Account, couple_id: int) -> None:
        me = self._applicant(viewer)
        outcome = self.store.accept(couple_id, me.id, me.email, now=datetime.now(UTC))
        if outcome == "gone":
            msg = f"no invitation {couple_id} to you"
            raise NotFoundError(msg)
        if outcome == "busy":
            raise FormError([Problem("invitation", "you or your partner are in a couple already",
                                     "end that link first")])  # fmt: skip

    def decline(self, viewer: Account, couple_id: int) -> None:
        me = self._applicant(viewer)
        if not self.store.decline(couple_id, me.email):
            msg = f"no invitation {couple_id} to you"
            raise NotFoundError(msg)

    def end(self, viewer: Account) -> None:
        """End the link (or cancel the invitation sent); the pair list goes with it."""
        me = self._applicant(viewer)
        if not self.store.end(me.id):
            msg = "you are not in a couple and invited nobody"
            raise NotFoundError(msg)

    def export(self, account: Account) -> dict[str, Any] | None:
        """The couple and its pair list, for "export all my data" (None outside a couple)."""
        if account.role != "applicant" or not account.verified:
            return None
        state = self.status(account)
        if state["couple"] is None and not state["invitations"]:
            return None
        if state["couple"] is not None and state["couple"]["status"] == "linked":
            state["pairs"] = self.pairs(account)
        return state

    # -------------------------------------------------------------- pair list
    def _program(self, value: str, field: str, problems: list[Problem]) -> str | None:
        text = value.strip()
        if text.lower() in _NO_MATCH_WORDS:
            return None
        code = text.upper()
        if code not in self.catalog.by_code:
            problems.append(Problem(field, f"no program with code {text[:20]!r}",
                                    f"search by name and choose one, or choose {NO_MATCH}"))  # fmt: skip
        return code

    def pairs(self, viewer: Account) -> dict[str, Any]:
        """The couple's list, each pair oriented as (mine, partner's), with NRMP's limits and
        each partner's certification."""
        couple, side = self._linked(viewer)
        other = "partner" if side == "inviter" else "inviter"
        entries = []
        for rank, entry in enumerate(couple["entries"], start=1):
            entries.append(
                {"rank": rank, "mine": self._show(entry[side]), "partner": self._show(entry[other])}
            )
        when = couple.get(f"{side}_certified_at"), couple.get(f"{other}_certified_at")
        return {"entries": entries, "length": len(entries), "limit": MAX_PAIRS,
                "ranks_in_all": 2 * len(entries), "limit_in_all": 2 * MAX_PAIRS,
                "unique": {"mine": len({e[side] for e in couple["entries"] if e[side]}),
                           "partner": len({e[other] for e in couple["entries"] if e[other]})},
                "certified": {"mine": _iso(when[0]), "partner": _iso(when[1])},
                "no_match_code": NO_MATCH_CODE}  # fmt: skip

    def _show(self, code: str | None) -> dict[str, Any]:
        if code is None:
            return {"code": NO_MATCH_CODE, "name": NO_MATCH, "no_match": True}
        program = self.catalog.programs[self.catalog.by_code[code]]  # the facts only: no evidence
        return {**program.to_dict(), "no_match": False}

    def _edit(self, viewer: Account,
              change: Callable[[list[dict[str, Any]], str], list[dict[str, Any]]]) -> None:  # fmt: skip
        couple, side = self._linked(viewer)

        def edit(row: dict[str, Any]) -> Mapping[str, Any]:
            if row["status"] != "linked":
                raise FormError([Problem("partner", "the couple's link has ended")])
            entries = change([dict(e) for e in row["entries"]], side)
            if len(entries) > MAX_PAIRS:
                raise FormError([Problem("pair", f"the list would have {len(entries)} pairs; NRMP allows each "
                                         f"partner at most {MAX_PAIRS} ranks, so a couple at most {MAX_PAIRS} "
                                         f"pairs ({2 * MAX_PAIRS} ranks in all)", "remove a pair first")])  # fmt: skip
            return {"entries": entries, "inviter_certified_at": None, "partner_certified_at": None}

        self.store.edit(int(couple["id"]), edit, now=datetime.now(UTC))

    def add_pair(self, viewer: Account, mine: str, partner: str, *, at: int | None = None) -> None:
        """Add the pair (my program, my partner's) at rank ``at`` (default: the end).  Either may be
        "No Match" (empty, "No Match" or 999999999), not both; a pair already listed is refused."""
        self._linked(viewer)  # who may, before what
        problems: list[Problem] = []
        my_code = self._program(mine, "mine", problems)
        their_code = self._program(partner, "partner", problems)
        if not problems and my_code is None and their_code is None:
            problems.append(
                Problem(
                    "pair", "both sides are No Match", "choose a program for at least one of you"
                )
            )
        require(problems)

        def add(entries: list[dict[str, Any]], side: str) -> list[dict[str, Any]]:
            other = "partner" if side == "inviter" else "inviter"
            pair = {side: my_code, other: their_code}
            for rank, e in enumerate(entries, start=1):
                if e[side] == my_code and e[other] == their_code:
                    raise FormError([Problem("pair", f"this pair is rank {rank} already",
                                             "NRMP does not allow a pair twice; move it instead")])  # fmt: skip
            where = len(entries) if at is None else min(max(at, 1), len(entries) + 1) - 1
            entries.insert(where, pair)
            return entries

        self._edit(viewer, add)

    @staticmethod
    def _at(entries: Sequence[Any], rank: int) -> int:
        if not 1 <= rank <= len(entries):
            msg = f"there is no pair at rank {rank}"
            raise NotFoundError(msg)
        return rank - 1

    def remove_pair(self, viewer: Account, rank: int) -> None:
        def remove(entries: list[dict[str, Any]], _side: str) -> list[dict[str, Any]]:
            del entries[self._at(entries, rank)]
            return entries

        self._edit(viewer, remove)

    def move_pair(self, viewer: Account, rank: int, to: int) -> None:
        """Move the pair at ``rank`` to ``to`` (1 is the top; past either end is clamped)."""

        def move(entries: list[dict[str, Any]], _side: str) -> list[dict[str, Any]]:
            pair = entries.pop(self._at(entries, rank))
            entries.insert(min(max(to, 1), len(entries) + 1) - 1, pair)
            return entries

        self._edit(viewer, move)

    def certify(self, viewer: Account) -> None:
        """Certify my side of the list as it is now (an empty list cannot be certified)."""
        couple, side = self._linked(viewer)

        def certify(row: dict[str, Any]) -> Mapping[str, Any]:
            if not row["entries"]:
                raise FormError(
                    [Problem("pair", "the list is empty", "add pairs before certifying")]
                )
            return {f"{side}_certified_at": datetime.now(UTC)}

        self.store.edit(int(couple["id"]), certify, now=datetime.now(UTC))


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, datetime) else str(value)
