"""The application season's records: applications, letters, documents, rotations, the rank list,
and rotation slots run by organisations (SQLAlchemy Core).

Like the accounts store, methods take ids and plain data; who may touch what is decided in
``services.workspace.season``.  Every change is one transaction, so a server killed mid-write leaves the
old state or the new one, never half of an import or half of a reordered rank list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import (
    Engine,
    Table,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from imgpath.storage.tables import (
    applications,
    documents,
    letter_assignments,
    letters,
    placements,
    rank_lists,
    rotation_slots,
    rotations,
    users,
)

__all__ = [
    "KINDS",
    "OWNED",
    "Kind",
    "TrackerStore",
    "applications",
    "delete_user_records",
    "documents",
    "letter_assignments",
    "letters",
    "placements",
    "rank_lists",
    "rotation_slots",
    "rotations",
    "serialised",
    "unplace_everywhere",
]


OWNED = (letter_assignments, applications, letters, documents, rotations, rotation_slots)
"""Tables with a ``user_id`` owner column, children first (the order deletion needs)."""


def _plain(row: Mapping[Any, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date | datetime) else v for k, v in row.items()}


def delete_user_records(conn: Connection, user_id: int) -> None:
    """Everything the user owns here, inside the caller's transaction (account deletion)."""
    from imgpath.storage.organisations_store import delete_organisation_records  # imports this

    delete_organisation_records(conn, user_id)
    slots = select(rotation_slots.c.id).where(rotation_slots.c.user_id == user_id)
    conn.execute(delete(placements).where(placements.c.slot_id.in_(slots)))
    conn.execute(delete(placements).where(placements.c.applicant_id == user_id))
    for table in OWNED:
        conn.execute(delete(table).where(table.c.user_id == user_id))
    conn.execute(delete(rank_lists).where(rank_lists.c.user_id == user_id))


def unplace_everywhere(conn: Connection, *, organisation_id: int, applicant_id: int) -> int:
    """Take the applicant out of every slot of this organisation (the share was revoked)."""
    slots = select(rotation_slots.c.id).where(rotation_slots.c.user_id == organisation_id)
    done = conn.execute(delete(placements).where(placements.c.applicant_id == applicant_id,
                                                 placements.c.slot_id.in_(slots)))  # fmt: skip
    return done.rowcount


@contextmanager
def serialised(engine: Engine, key: int) -> Iterator[Connection]:
    """A write transaction that runs alone among those with the same ``key``.

    Read-check-write sequences (a program's fifth letter, a full slot, a rank list edited by two
    requests at once) need it: SQLite starts the transaction with BEGIN IMMEDIATE, which takes the
    database's write lock before the first read; PostgreSQL takes a transaction-scoped advisory
    lock on ``key`` (an owner's id), so other owners are not held up.
    """
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        elif conn.dialect.name == "postgresql":
            conn.execute(select(func.pg_advisory_xact_lock(key)))
        yield conn


Kind = Literal["applications", "letters", "documents", "rotations", "rotation_slots"]
"""The season's owned records, by name: the service never holds a table object."""
KINDS: dict[str, Table] = {
    "applications": applications,
    "letters": letters,
    "documents": documents,
    "rotations": rotations,
    "rotation_slots": rotation_slots,
}


class TrackerStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # ----------------------------------------------------------- owned records
    def rows(
        self, kind: Kind, user_id: int, order: Sequence[str] = ("id",)
    ) -> list[dict[str, Any]]:
        table = KINDS[kind]
        with self.engine.connect() as conn:
            found = conn.execute(
                select(table)
                .where(table.c.user_id == user_id)
                .order_by(*(table.c[o] for o in order))
            ).mappings()
            return [_plain(r) for r in found]

    def row(self, kind: Kind, user_id: int, row_id: int) -> dict[str, Any] | None:
        table = KINDS[kind]
        with self.engine.connect() as conn:
            found = conn.execute(
                select(table).where(table.c.id == row_id, table.c.user_id == user_id)
            ).mappings().first()  # fmt: skip
        return _plain(found) if found else None

    def add(self, kind: Kind, values: Mapping[str, Any]) -> int:
        table = KINDS[kind]
        with self.engine.begin() as conn:
            key = conn.execute(insert(table).values(**values)).inserted_primary_key
        assert key is not None
        return int(key[0])

    def change(self, kind: Kind, user_id: int, row_id: int, values: Mapping[str, Any]) -> bool:
        table = KINDS[kind]
        with self.engine.begin() as conn:
            done = conn.execute(
                update(table)
                .where(table.c.id == row_id, table.c.user_id == user_id)
                .values(**values)
            )
        return done.rowcount > 0

    def remove(self, kind: Kind, user_id: int, row_id: int) -> bool:
        table = KINDS[kind]
        with self.engine.begin() as conn:
            if table is letters:
                conn.execute(delete(letter_assignments).where(letter_assignments.c.letter_id == row_id,
                                                              letter_assignments.c.user_id == user_id))  # fmt: skip
            if table is rotation_slots:  # only the caller's own slot's placements
                mine = select(rotation_slots.c.id).where(
                    rotation_slots.c.id == row_id, rotation_slots.c.user_id == user_id
                )
                conn.execute(delete(placements).where(placements.c.slot_id.in_(mine)))
            done = conn.execute(
                delete(table).where(table.c.id == row_id, table.c.user_id == user_id)
            )
        return done.rowcount > 0

    # ------------------------------------------------------------ applications
    def application_by_program(self, user_id: int, code: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            found = conn.execute(
                select(applications).where(applications.c.user_id == user_id,
                                           applications.c.program_code == code)
            ).mappings().first()  # fmt: skip
        return _plain(found) if found else None

    def put_applications(self, user_id: int, records: Iterable[Mapping[str, Any]], *,
                         now: datetime) -> int:  # fmt: skip
        """Insert or replace by program, all in one transaction (an import is all or nothing)."""
        count = 0
        with self.engine.begin() as conn:
            for record in records:
                values = {**record, "user_id": user_id, "updated_at": now}
                done = conn.execute(
                    update(applications)
                    .where(applications.c.user_id == user_id,
                           applications.c.program_code == record["program_code"])
                    .values(**values)
                )  # fmt: skip
                if done.rowcount == 0:
                    conn.execute(insert(applications).values(**values))
                count += 1
        return count

    # ------------------------------------------------------------------ letters
    def assignments(self, user_id: int) -> list[tuple[int, str]]:
        with self.engine.connect() as conn:
            found = conn.execute(
                select(letter_assignments.c.letter_id, letter_assignments.c.program_code)
                .where(letter_assignments.c.user_id == user_id)
                .order_by(letter_assignments.c.program_code)
            )
            return [(int(a), str(b)) for a, b in found]

    def assign(self, user_id: int, letter_id: int, code: str, *, most: int) -> int | None:
        """Assign, unless the program already has ``most`` letters: then None and nothing changes.

        The count and the insert run alone (see :func:`serialised`), so two requests at once
        cannot both take a program's last place.
        """
        with serialised(self.engine, user_id) as conn:
            held = conn.execute(
                select(func.count()).select_from(letter_assignments).where(
                    letter_assignments.c.user_id == user_id, letter_assignments.c.program_code == code)
            ).scalar_one()  # fmt: skip
            if held >= most:
                return None
            try:
                with conn.begin_nested():
                    conn.execute(insert(letter_assignments).values(letter_id=letter_id,
                                                                   program_code=code, user_id=user_id))  # fmt: skip
            except IntegrityError:
                return int(held)  # assigned already
            return int(held) + 1

    def unassign(self, user_id: int, letter_id: int, code: str) -> bool:
        with self.engine.begin() as conn:
            done = conn.execute(delete(letter_assignments).where(
                letter_assignments.c.user_id == user_id, letter_assignments.c.letter_id == letter_id,
                letter_assignments.c.program_code == code))  # fmt: skip
        return done.rowcount > 0

    # ---------------------------------------------------------------- rank list
    def rank_list(self, user_id: int) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            found = conn.execute(
                select(rank_lists.c.entries).where(rank_lists.c.user_id == user_id)
            ).first()
        return list(found[0]) if found else []

    def edit_rank_list(
        self,
        user_id: int,
        edit: Callable[[list[dict[str, Any]]], list[dict[str, Any]]],
        *,
        now: datetime,
    ) -> None:
        """Read the list, ``edit`` it and save the result, with no other edit in between (an
        exception from ``edit`` leaves the list as it was)."""
        with serialised(self.engine, user_id) as conn:
            found = conn.execute(
                select(rank_lists.c.entries).where(rank_lists.c.user_id == user_id)
            ).first()
            entries = edit(list(found[0]) if found else [])
            done = conn.execute(update(rank_lists).where(rank_lists.c.user_id == user_id)
                                .values(entries=entries, updated_at=now))  # fmt: skip
            if done.rowcount == 0:
                conn.execute(
                    insert(rank_lists).values(user_id=user_id, entries=entries, updated_at=now)
                )

    # ----------------------------------------------------------- rotation slots
    def placed(self, slot_ids: Sequence[int]) -> list[tuple[int, int]]:
        with self.engine.connect() as conn:
            found = conn.execute(
                select(placements.c.slot_id, placements.c.applicant_id).where(
                    placements.c.slot_id.in_(list(slot_ids)))
            )  # fmt: skip
            return [(int(a), int(b)) for a, b in found]

    def placements_of(self, applicant_id: int) -> list[dict[str, Any]]:
        """The slots an applicant is placed in (``source`` "slot"), with the organisation's name
        (its email if it has none), and the organisations' rotations they are placed in or
        completed (``source`` "organisation", see ``organisations_store``), by first day."""
        name = func.coalesce(func.nullif(users.c.name, ""), users.c.email)
        with self.engine.connect() as conn:
            found = conn.execute(
                select(rotation_slots, name.label("organisation"))
                .join(placements, placements.c.slot_id == rotation_slots.c.id)
                .join(users, users.c.id == rotation_slots.c.user_id)
                .where(placements.c.applicant_id == applicant_id)
                .order_by(rotation_slots.c.start_on)
            ).mappings()
            slots = [{**_plain(r), "source": "slot"} for r in found]
        from imgpath.storage.organisations_store import OrganisationsStore  # imports this

        placed = slots + OrganisationsStore(self.engine).placements_of(applicant_id)
        return sorted(placed, key=lambda p: (p["start_on"], p["source"], p["id"]))

    def place(self, owner_id: int, slot_id: int, applicant_id: int, capacity: int) -> bool | None:
        """True when placed, False when the slot is full, None when placed already."""
        with serialised(self.engine, owner_id) as conn:
            held = conn.execute(select(func.count()).select_from(placements)
                                .where(placements.c.slot_id == slot_id)).scalar_one()  # fmt: skip
            there = conn.execute(select(placements.c.slot_id).where(
                placements.c.slot_id == slot_id, placements.c.applicant_id == applicant_id)).first()  # fmt: skip
            if there is not None:
                return None
            try:
                with conn.begin_nested():
                    if held >= capacity:
                        return False
                    conn.execute(
                        insert(placements).values(slot_id=slot_id, applicant_id=applicant_id)
                    )
            except IntegrityError:
                return None
            return True

    def unplace(self, slot_id: int, applicant_id: int) -> bool:
        with self.engine.begin() as conn:
            done = conn.execute(delete(placements).where(placements.c.slot_id == slot_id,
                                                         placements.c.applicant_id == applicant_id))  # fmt: skip
        return done.rowcount > 0
