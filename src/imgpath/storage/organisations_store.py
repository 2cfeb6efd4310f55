"""Rotation organisations and couples (SQLAlchemy Core): an organisation's public profile, the
rotations it offers, applicants' requests for a place in them, and the couples' linked rank
lists.

Methods take ids and plain data; who may touch what is decided in ``services.workspace.organisations``
and ``services.workspace.couples``.  Read-check-write sequences (a rotation's last place, an edit of a
couple's list) run inside :func:`serialised`, so two requests at once cannot both take it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Engine,
    delete,
    func,
    insert,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.engine import Connection

from imgpath.storage.tables import (
    couples,
    letters,
    offered_rotations,
    organisation_profiles,
    rotation_requests,
    rotations,
    users,
)
from imgpath.storage.tracker_store import serialised

__all__ = [
    "TAKEN",
    "CouplesStore",
    "OrganisationsStore",
    "couples",
    "delete_organisation_records",
    "offered_rotations",
    "organisation_profiles",
    "rotation_requests",
]

TAKEN = ("accepted", "placed", "completed")
"""Request statuses that hold one of a rotation's places."""


def _plain(row: Mapping[Any, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date | datetime) else v for k, v in row.items()}


def delete_organisation_records(conn: Connection, user_id: int) -> None:
    """Inside the caller's transaction (account deletion): the user's requests, the rotations
    they offer (with every request for them), their profile and their couple link.  Letters an
    organisation recorded belong to the applicant and stay."""
    mine = select(offered_rotations.c.id).where(offered_rotations.c.user_id == user_id)
    conn.execute(delete(rotation_requests).where(or_(
        rotation_requests.c.applicant_id == user_id, rotation_requests.c.rotation_id.in_(mine))))  # fmt: skip
    conn.execute(delete(offered_rotations).where(offered_rotations.c.user_id == user_id))
    conn.execute(delete(organisation_profiles).where(organisation_profiles.c.user_id == user_id))
    conn.execute(delete(couples).where(or_(couples.c.inviter_id == user_id,
                                           couples.c.partner_id == user_id)))  # fmt: skip


class OrganisationsStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # ------------------------------------------------------------------ profile
    def profile(self, user_id: int) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            found = conn.execute(
                select(organisation_profiles).where(organisation_profiles.c.user_id == user_id)
            ).mappings().first()  # fmt: skip
        return _plain(found) if found else None

    def save_profile(self, user_id: int, values: Mapping[str, Any], *, now: datetime) -> None:
        with self.engine.begin() as conn:
            done = conn.execute(update(organisation_profiles)
                                .where(organisation_profiles.c.user_id == user_id)
                                .values(**values, updated_at=now))  # fmt: skip
            if done.rowcount == 0:
                conn.execute(insert(organisation_profiles).values(**values, user_id=user_id,
                                                                  updated_at=now))  # fmt: skip

    # ---------------------------------------------------------------- rotations
    def _taken(self) -> Any:
        return (
            select(func.count())
            .where(rotation_requests.c.rotation_id == offered_rotations.c.id,
                   rotation_requests.c.status.in_(TAKEN))
            .correlate(offered_rotations)
            .scalar_subquery()
            .label("taken")
        )  # fmt: skip

    def rotations(self, *, organisation_id: int | None = None, open_only: bool = False,
                  ids: Sequence[int] | None = None) -> list[dict[str, Any]]:  # fmt: skip
        """Rotations with the organisation's name and how many places are taken, by start day.
        Only organisations with a profile (a public name) are listed."""
        query = (
            select(offered_rotations, organisation_profiles.c.name.label("organisation"), self._taken())
            .join(organisation_profiles, organisation_profiles.c.user_id == offered_rotations.c.user_id)
            .order_by(offered_rotations.c.start_on, offered_rotations.c.id)
        )  # fmt: skip
        if organisation_id is not None:
            query = query.where(offered_rotations.c.user_id == organisation_id)
        if open_only:
            query = query.where(offered_rotations.c.open == true())
        if ids is not None:
            query = query.where(offered_rotations.c.id.in_(list(ids)))
        with self.engine.connect() as conn:
            return [_plain(r) for r in conn.execute(query).mappings()]

    def rotation(self, rotation_id: int) -> dict[str, Any] | None:
        found = self.rotations(ids=[rotation_id])
        return found[0] if found else None

    def add_rotation(self, values: Mapping[str, Any]) -> int:
        with self.engine.begin() as conn:
            key = conn.execute(insert(offered_rotations).values(**values)).inserted_primary_key
        assert key is not None
        return int(key[0])

    def change_rotation(self, organisation_id: int, rotation_id: int,
                        values: Mapping[str, Any]) -> int | None:  # fmt: skip
        """Change it unless fewer places than are taken would remain: then the number taken,
        and nothing changes.  None when it is not this organisation's."""
        with serialised(self.engine, organisation_id) as conn:
            if not self._owned(conn, organisation_id, rotation_id):
                return None
            taken = self._count_taken(conn, rotation_id)
            if "places" in values and int(values["places"]) < taken:
                return taken
            conn.execute(update(offered_rotations).where(offered_rotations.c.id == rotation_id)
                         .values(**values))  # fmt: skip
            return -1

    def remove_rotation(self, organisation_id: int, rotation_id: int) -> int | None:
        """Delete it (and its open or refused requests) unless places are taken: then the number
        taken.  None when it is not this organisation's; -1 when deleted."""
        with serialised(self.engine, organisation_id) as conn:
            if not self._owned(conn, organisation_id, rotation_id):
                return None
            taken = self._count_taken(conn, rotation_id)
            if taken:
                return taken
            conn.execute(
                delete(rotation_requests).where(rotation_requests.c.rotation_id == rotation_id)
            )
            conn.execute(delete(offered_rotations).where(offered_rotations.c.id == rotation_id))
            return -1

    @staticmethod
    def _owned(conn: Connection, organisation_id: int, rotation_id: int) -> bool:
        return conn.execute(select(offered_rotations.c.id).where(
            offered_rotations.c.id == rotation_id, offered_rotations.c.user_id == organisation_id)).first() is not None  # fmt: skip

    @staticmethod
    def _count_taken(conn: Connection, rotation_id: int) -> int:
        return int(conn.execute(select(func.count()).select_from(rotation_requests).where(
            rotation_requests.c.rotation_id == rotation_id, rotation_requests.c.status.in_(TAKEN))).scalar_one())  # fmt: skip

    # ----------------------------------------------------------------- requests
    def requests(self, *, applicant_id: int | None = None, organisation_id: int | None = None,
                 request_id: int | None = None) -> list[dict[str, Any]]:  # fmt: skip
        """Requests with the applicant's name and email and the rotation's facts."""
        r, o = rotation_requests, offered_rotations
        query = (
            select(r, users.c.name.label("applicant_name"), users.c.email.label("applicant_email"),
                   o.c.user_id.label("organisation_id"), o.c.specialty, o.c.site, o.c.setting, o.c.kind,
                   o.c.weeks, o.c.start_on, o.c.end_on, o.c.cost, o.c.places, o.c.letter_needs,
                   organisation_profiles.c.name.label("organisation"),
                   letters.c.writer.label("letter_writer"), letters.c.status.label("letter_status"))
            .join(o, o.c.id == r.c.rotation_id)
            .join(users, users.c.id == r.c.applicant_id)
            .join(organisation_profiles, organisation_profiles.c.user_id == o.c.user_id)
            .outerjoin(letters, letters.c.id == r.c.letter_id)
            .order_by(o.c.start_on, r.c.id)
        )  # fmt: skip
        if applicant_id is not None:
            query = query.where(r.c.applicant_id == applicant_id)
        if organisation_id is not None:
            query = query.where(o.c.user_id == organisation_id)
        if request_id is not None:
            query = query.where(r.c.id == request_id)
        with self.engine.connect() as conn:
            return [_plain(row) for row in conn.execute(query).mappings()]

    def request_place(self, rotation_id: int, applicant_id: int, message: str, *,
                      now: datetime) -> tuple[str, int]:  # fmt: skip
        """("new"|"again", id) when asked; (status, id) of an earlier request that still stands."""
        with serialised(self.engine, applicant_id) as conn:
            there = conn.execute(select(rotation_requests.c.id, rotation_requests.c.status).where(
                rotation_requests.c.rotation_id == rotation_id,
                rotation_requests.c.applicant_id == applicant_id)).first()  # fmt: skip
            if there is not None and there[1] != "withdrawn":
                return str(there[1]), int(there[0])
            values = {"status": "requested", "message": message, "created_at": now,
                      "decided_at": None, "completed_on": None}  # fmt: skip
            if there is not None:
                conn.execute(update(rotation_requests).where(rotation_requests.c.id == there[0])
                             .values(**values))  # fmt: skip
                return "again", int(there[0])
            key = conn.execute(insert(rotation_requests).values(
                rotation_id=rotation_id, applicant_id=applicant_id, **values)).inserted_primary_key  # fmt: skip
            assert key is not None
            return "new", int(key[0])

    def transition(self, organisation_id: int, request_id: int,
                   step: Callable[[dict[str, Any], int], Mapping[str, Any]],
                   record: Mapping[str, Any] | None = None) -> None:  # fmt: skip
        """Read the request and the places taken in its rotation, let ``step`` check them and
        return the new values, and save them, with no other change in between (one
        organisation's decisions run one at a time, so two accepts cannot share a last place).
        With ``record``, also add it to the applicant's rotations (letter earned if a letter is
        recorded already) and link it to the request."""
        with serialised(self.engine, organisation_id) as conn:
            row = conn.execute(select(rotation_requests).where(rotation_requests.c.id == request_id)).mappings().first()  # fmt: skip
            assert row is not None
            values = dict(step(_plain(row), self._count_taken(conn, int(row["rotation_id"]))))
            if record is not None:
                earned = row["letter_id"] is not None
                key = conn.execute(insert(rotations).values(
                    **record, letter_earned=earned, user_id=row["applicant_id"])).inserted_primary_key  # fmt: skip
                assert key is not None
                values["record_id"] = int(key[0])
            conn.execute(update(rotation_requests).where(rotation_requests.c.id == request_id)
                         .values(**values))  # fmt: skip

    def withdraw(self, applicant_id: int, request_id: int, allowed: Sequence[str]) -> str | None:
        """Withdraw if the status is one of ``allowed``; the status found (None: not theirs)."""
        with serialised(self.engine, applicant_id) as conn:
            found = conn.execute(select(rotation_requests.c.status).where(
                rotation_requests.c.id == request_id, rotation_requests.c.applicant_id == applicant_id)).first()  # fmt: skip
            if found is None:
                return None
            if found[0] in allowed:
                conn.execute(update(rotation_requests).where(rotation_requests.c.id == request_id)
                             .values(status="withdrawn"))  # fmt: skip
            return str(found[0])

    def record_letter(self, organisation_id: int, request_id: int,
                      letter: Mapping[str, Any]) -> int | None:  # fmt: skip
        """Add the letter to the applicant's letters and link it to the request, in one
        transaction; None if the request has a letter already."""
        with serialised(self.engine, organisation_id) as conn:
            row = conn.execute(select(rotation_requests.c.letter_id, rotation_requests.c.applicant_id,
                                      rotation_requests.c.record_id)
                               .where(rotation_requests.c.id == request_id)).first()  # fmt: skip
            assert row is not None
            if row[0] is not None:
                return None
            key = conn.execute(
                insert(letters).values(**letter, user_id=row[1])
            ).inserted_primary_key
            assert key is not None
            if row[2] is not None:
                conn.execute(
                    update(rotations).where(rotations.c.id == row[2]).values(letter_earned=True)
                )
            conn.execute(update(rotation_requests).where(rotation_requests.c.id == request_id)
                         .values(letter_id=int(key[0])))  # fmt: skip
            return int(key[0])

    def placements_of(self, applicant_id: int) -> list[dict[str, Any]]:
        """The applicant's placements still to complete, as the tracker lists placements (a
        completed one is the applicant's own rotation record from then on)."""
        return [
            {"id": r["id"], "source": "organisation", "organisation": r["organisation"],
             "organisation_id": r["organisation_id"], "site": r["site"], "specialty": r["specialty"],
             "start_on": r["start_on"], "end_on": r["end_on"], "kind": r["kind"], "status": r["status"],
             "completed_on": r["completed_on"], "weeks": r["weeks"], "setting": r["setting"],
             "letter_writer": r["letter_writer"], "letter_status": r["letter_status"]}
            for r in self.requests(applicant_id=applicant_id) if r["status"] == "placed"
        ]  # fmt: skip


class CouplesStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def of(self, user_id: int) -> dict[str, Any] | None:
        """The couple the user is in, or invited someone to (at most one)."""
        with self.engine.connect() as conn:
            found = conn.execute(select(couples).where(or_(
                couples.c.inviter_id == user_id, couples.c.partner_id == user_id))).mappings().first()  # fmt: skip
        return _plain(found) if found else None

    def invitations_to(self, email: str) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            found = conn.execute(
                select(couples, users.c.name.label("inviter_name"), users.c.email.label("inviter_email"))
                .join(users, users.c.id == couples.c.inviter_id)
                .where(couples.c.partner_email == email, couples.c.status == "invited")
                .order_by(couples.c.id)
            ).mappings()  # fmt: skip
            return [_plain(r) for r in found]

    def invite(self, inviter_id: int, email: str, *, now: datetime) -> bool:
        """False if the inviter is in a couple or has an invitation out already."""
        with serialised(self.engine, inviter_id) as conn:
            there = conn.execute(select(couples.c.id).where(or_(
                couples.c.inviter_id == inviter_id, couples.c.partner_id == inviter_id))).first()  # fmt: skip
            if there is not None:
                return False
            conn.execute(insert(couples).values(inviter_id=inviter_id, partner_email=email, status="invited",
                                                entries=[], created_at=now, updated_at=now))  # fmt: skip
            return True

    def accept(self, couple_id: int, partner_id: int, email: str, *, now: datetime) -> str:
        """ "linked", "gone" (no such invitation to this email), or "busy" (either is in a couple)."""
        with serialised(self.engine, partner_id) as conn:
            row = conn.execute(select(couples).where(couples.c.id == couple_id, couples.c.status == "invited",
                                                     couples.c.partner_email == email)).mappings().first()  # fmt: skip
            if row is None or row["inviter_id"] == partner_id:
                return "gone"
            busy = conn.execute(select(couples.c.id).where(
                couples.c.id != couple_id,
                or_(couples.c.inviter_id.in_([partner_id, row["inviter_id"]]),
                    couples.c.partner_id.in_([partner_id, row["inviter_id"]])))).first()  # fmt: skip
            if busy is not None:
                return "busy"
            conn.execute(update(couples).where(couples.c.id == couple_id).values(
                status="linked", partner_id=partner_id, linked_at=now, updated_at=now))  # fmt: skip
            return "linked"

    def decline(self, couple_id: int, email: str) -> bool:
        with self.engine.begin() as conn:
            done = conn.execute(delete(couples).where(couples.c.id == couple_id, couples.c.status == "invited",
                                                      couples.c.partner_email == email))  # fmt: skip
        return done.rowcount > 0

    def end(self, user_id: int) -> bool:
        with self.engine.begin() as conn:
            done = conn.execute(delete(couples).where(or_(couples.c.inviter_id == user_id,
                                                          couples.c.partner_id == user_id)))  # fmt: skip
        return done.rowcount > 0

    def edit(self, couple_id: int, edit: Callable[[dict[str, Any]], Mapping[str, Any]], *,
             now: datetime) -> None:  # fmt: skip
        """Read the couple's row, let ``edit`` return the changed values, save them, with no
        other edit in between (an exception from ``edit`` changes nothing)."""
        with serialised(self.engine, -couple_id) as conn:
            row = conn.execute(select(couples).where(couples.c.id == couple_id)).mappings().first()
            assert row is not None
            values = edit(dict(row))
            conn.execute(
                update(couples).where(couples.c.id == couple_id).values(**values, updated_at=now)
            )
