r"""The application season, tracked: applications, letters, documents, USCE rotations, the rank
list, one timeline of dates (with an iCalendar file), and the advisor's view of a cohort.

Thin: each call authorizes (:meth:`Workspace.owner`, the one rule: an applicant changes only
their own records; an advisor reads those of applicants who shared with them), loads, applies the
season's rules (:mod:`imgpath.core.season`) and saves.  Problems are :class:`FormError`\s naming
the field.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from functools import cached_property
from typing import Any

from imgpath.core.matching.instance import NRMP_MAX_RANKS
from imgpath.core.season import rank_list as ranks
from imgpath.core.season.applications_csv import applications_csv, read_applications_csv
from imgpath.core.season.cohort import cohort_csv, cohort_row, keep_row, missing_items, wanted
from imgpath.core.season.letters import letters_per_program, too_many_letters
from imgpath.core.season.records import (
    APPLICATION_STATUSES,
    DOCUMENT_KINDS,
    LETTER_KINDS,
    ROTATION_KINDS,
    SERVICES,
    Application,
    Document,
    Letter,
    RankEntry,
    Rotation,
    Slot,
    unknown_date_keys,
)
from imgpath.core.season.timeline import calendar_file, timeline
from imgpath.core.season.usce import months, rotation_totals, usce_check
from imgpath.errors import FormError, ImgpathError, NotFoundError, Problem
from imgpath.services.accounts import Account
from imgpath.services.inputs import check_id
from imgpath.services.pathway import application_costs
from imgpath.services.pathway_data import load_rulebook
from imgpath.services.workspace.access import Access
from imgpath.services.workspace.account_export import export_account
from imgpath.services.workspace.workspace import Workspace
from imgpath.storage.tracker_store import Kind, TrackerStore

__all__ = [
    "APPLICATION_STATUSES",
    "DOCUMENT_KINDS",
    "LETTER_KINDS",
    "ROTATION_KINDS",
    "SERVICES",
    "Tracker",
]


class Tracker:
    def __init__(self, store: TrackerStore, workspace: Workspace) -> None:
        self.store = store
        self.workspace = workspace
        self.catalog = workspace.catalog

    @cached_property
    def track_of(self) -> dict[str, str]:
        """Program code -> track type (C, P, A, R, M), for the rank list's rules."""
        return {p.code: p.track_type for p in self.catalog.programs}

    def _program(self, code: str, field: str = "program_code") -> Any:
        try:
            return self.catalog.show(code).program
        except NotFoundError:
            raise FormError([Problem(field, f"no program with code {code.strip()!r}",
                                     "copy the code from the program's page, e.g. 1234140C0")]) from None  # fmt: skip

    def _remove(self, viewer: Account, kind: Kind, row_id: int, what: str) -> None:
        owner = self.workspace.owner(viewer, write=True)
        if not self.store.remove(kind, owner.id, row_id):
            msg = f"no {what} {row_id} of yours"
            raise NotFoundError(msg)

    def _row(self, kind: Kind, owner: Account, row_id: int, what: str) -> dict[str, Any]:
        found = self.store.row(kind, owner.id, row_id)
        if found is None:
            msg = f"no {what} {row_id} of yours"
            raise NotFoundError(msg)
        return found

    # ------------------------------------------------------------ applications
    def applications(self, viewer: Account, owner_id: int | None = None) -> list[dict[str, Any]]:
        owner = self.workspace.owner(viewer, owner_id)
        out = []
        for row in self.store.rows("applications", owner.id, ("program_code",)):
            program = self.catalog.show(row["program_code"]).program
            out.append({**row, "program": {"code": program.code, "name": program.name,
                                           "specialty": program.specialty, "state": program.state,
                                           "type": program.track_type}})  # fmt: skip
        return out

    def track(self, viewer: Account, raw: Mapping[str, Any], *, on: date) -> dict[str, Any]:
        """Add or update the application to one program (status, service, dates, notes)."""
        owner = self.workspace.owner(viewer, write=True)
        dates = raw.get("dates") or {}  # the API's form: {"applied": "2026-09-24", ...}
        bad = unknown_date_keys(dates)
        if bad:
            raise FormError(bad)
        raw = {**raw, **dates}
        code = str(raw.get("program_code") or "").strip().upper()
        before = self.store.application_by_program(owner.id, code) if code else None
        record = Application.read(raw, on=on, known=self.catalog.by_code, before=before)
        self.store.put_applications(owner.id, [record.values()], now=datetime.now(UTC))
        found = self.store.application_by_program(owner.id, record.program_code)
        assert found is not None
        return found

    def untrack(self, viewer: Account, code: str) -> None:
        owner = self.workspace.owner(viewer, write=True)
        found = self.store.application_by_program(owner.id, code.strip().upper())
        if found is None:
            msg = f"no application to {code} of yours"
            raise NotFoundError(msg)
        self.store.remove("applications", owner.id, int(found["id"]))

    def import_csv(self, viewer: Account, data: bytes | str, *, on: date) -> int:
        """Applications from a spreadsheet's CSV; every row checked, nothing saved if one is wrong."""
        owner = self.workspace.owner(viewer, write=True)
        records = read_applications_csv(
            data, on=on, known=self.catalog.by_code,
            before=lambda code: self.store.application_by_program(owner.id, code),
        )  # fmt: skip
        return self.store.put_applications(
            owner.id, [r.values() for r in records], now=datetime.now(UTC)
        )

    def export_csv(self, viewer: Account, owner_id: int | None = None) -> str:
        return applications_csv(self.applications(viewer, owner_id))

    def costs(self, viewer: Account, owner_id: int | None = None, *, on: date) -> dict[str, Any]:
        """Fees of the applications on file: ERAS from the bundled fee rules; ResidencyCAS unknown."""
        apps = [a for a in self.applications(viewer, owner_id) if a["status"] not in ("saved",)]
        eras = [a for a in apps if a["service"] == "ERAS"]
        ranked = len(self.store.rank_list(self.workspace.owner(viewer, owner_id).id))
        out: dict[str, Any] = {"eras_programs": len(eras), "residencycas_programs": len(apps) - len(eras),
                               "ranks": ranked, "eras": None, "notes": []}  # fmt: skip
        if eras:
            specialties = len({a["program"]["specialty"] for a in eras})
            out["eras"] = application_costs(programs=len(eras), specialties=specialties, on=on,
                                            ranks=min(ranked, NRMP_MAX_RANKS) or None).to_dict()  # fmt: skip
        if len(apps) > len(eras):
            out["notes"].append(
                "ResidencyCAS fees are not in imgpath's fee data yet: unknown, not zero."
            )
        if not apps:
            out["notes"].append("No application is marked applied or later yet.")
        return out

    # ------------------------------------------------------------------ letters
    def letters_limit(self, on: date) -> int:
        """ERAS's letters per program on ``on`` (rule US.ERAS.LETTERS.LIMIT)."""
        return letters_per_program(load_rulebook(), on)

    def letters(self, viewer: Account, owner_id: int | None = None) -> list[dict[str, Any]]:
        owner = self.workspace.owner(viewer, owner_id)
        assigned: dict[int, list[str]] = {}
        for letter_id, code in self.store.assignments(owner.id):
            assigned.setdefault(letter_id, []).append(code)
        return [{**row, "programs": assigned.get(row["id"], [])}
                for row in self.store.rows("letters", owner.id)]  # fmt: skip

    def add_letter(self, viewer: Account, raw: Mapping[str, Any]) -> int:
        owner = self.workspace.owner(viewer, write=True)
        letter = Letter.read(raw)
        return self.store.add("letters", {**letter.values(), "user_id": owner.id})

    def set_letter_status(self, viewer: Account, letter_id: int, status: str) -> None:
        owner = self.workspace.owner(viewer, write=True)
        self._row("letters", owner, letter_id, "letter")
        value = Letter.read_status(status)
        self.store.change("letters", owner.id, letter_id, {"status": value})

    def remove_letter(self, viewer: Account, letter_id: int) -> None:
        self._remove(viewer, "letters", letter_id, "letter")

    def assign_letter(self, viewer: Account, letter_id: int, code: str, *, on: date) -> int:
        """Assign a letter to a program; the program's letter count afterwards.

        A letter past ERAS's limit for one program (four) is refused, and nothing changes.
        """
        owner = self.workspace.owner(viewer, write=True)
        letter = self._row("letters", owner, letter_id, "letter")
        program = self._program(code, "program_code")
        most = self.letters_limit(on)
        held = self.store.assign(owner.id, letter_id, program.code, most=most)
        if held is None:
            writers = [x["writer"] for x in self.letters(owner) if program.code in x["programs"]]
            raise FormError(
                [too_many_letters(program.name, program.code, writers, letter["writer"], most)]
            )
        return held

    def unassign_letter(self, viewer: Account, letter_id: int, code: str) -> None:
        owner = self.workspace.owner(viewer, write=True)
        if not self.store.unassign(owner.id, letter_id, code.strip().upper()):
            msg = f"letter {letter_id} is not assigned to {code}"
            raise NotFoundError(msg)

    # ---------------------------------------------------------------- documents
    def documents(self, viewer: Account, owner_id: int | None = None) -> list[dict[str, Any]]:
        return self.store.rows(
            "documents", self.workspace.owner(viewer, owner_id).id, ("due_on", "id")
        )

    def add_document(self, viewer: Account, raw: Mapping[str, Any]) -> int:
        owner = self.workspace.owner(viewer, write=True)
        document = Document.read(raw)
        return self.store.add("documents", {**document.values(), "user_id": owner.id})

    def set_document_done(self, viewer: Account, doc_id: int, *, done: bool) -> None:
        owner = self.workspace.owner(viewer, write=True)
        if not self.store.change("documents", owner.id, doc_id, {"done": done}):
            msg = f"no document {doc_id} of yours"
            raise NotFoundError(msg)

    def remove_document(self, viewer: Account, doc_id: int) -> None:
        self._remove(viewer, "documents", doc_id, "document")

    # ---------------------------------------------------------------- rotations
    def rotations(self, viewer: Account, owner_id: int | None = None) -> dict[str, Any]:
        """The rotations, their totals in months, and the USCE asked for by programs on my lists."""
        owner = self.workspace.owner(viewer, owner_id)
        rows = self.store.rows("rotations", owner.id, ("start_on", "id"))
        for r in rows:
            r["months"] = months(date.fromisoformat(r["start_on"]), date.fromisoformat(r["end_on"]))
        totals = rotation_totals(rows)
        codes = dict.fromkeys([s["code"] for s in self.workspace.saved(owner)]
                              + [a["program_code"] for a in self.store.rows("applications", owner.id)])  # fmt: skip
        checks = []
        for code in codes:
            view = self.catalog.show(code)
            check = usce_check(
                code, view.program.name, view.claims, totals["months"], totals["hands_on_months"]
            )
            if check is not None:
                checks.append(check)
        return {"rotations": rows, **totals, "requirements": checks}

    def add_rotation(self, viewer: Account, raw: Mapping[str, Any]) -> int:
        owner = self.workspace.owner(viewer, write=True)
        rotation = Rotation.read(raw)
        return self.store.add("rotations", {**rotation.values(), "user_id": owner.id})

    def remove_rotation(self, viewer: Account, rotation_id: int) -> None:
        self._remove(viewer, "rotations", rotation_id, "rotation")

    # ---------------------------------------------------------------- rank list
    def rank_list(
        self, viewer: Account, owner_id: int | None = None, *, on: date
    ) -> dict[str, Any]:
        """The list with each entry's program, warnings, NRMP's limits and what the algorithm does."""
        fee = load_rulebook().at("US.COST.NRMP", on)  # ranks covered by the registration fee
        owner = self.workspace.owner(viewer, owner_id)
        entries = [RankEntry.from_row(e) for e in self.store.rank_list(owner.id)]
        status = {a["program_code"]: a["status"] for a in self.store.rows("applications", owner.id)}
        out = []
        for rank, entry in enumerate(entries, start=1):
            program = self.catalog.show(entry.program).program
            supplemental = [self.catalog.show(c).program for c in entry.supplemental]
            out.append({"rank": rank, "program": program.to_dict(), "supplemental": [p.to_dict() for p in supplemental],
                        "warnings": ranks.entry_warnings(status.get(program.code), program.track_type, bool(supplemental)),
                        "explanation": ranks.explain(rank, program.name, program.track_type, len(supplemental))})  # fmt: skip
        return {"entries": out, "limit": NRMP_MAX_RANKS, "length": len(out),
                "extra_rank_fee_above": int(fee.params["included"]) if fee else None,
                "extra_rank_fee_rule": fee.id if fee else None, "summary": ranks.SUMMARY}  # fmt: skip

    def _edit_list(
        self, viewer: Account, edit: Callable[[tuple[RankEntry, ...]], tuple[RankEntry, ...]]
    ) -> None:
        """Apply ``edit`` to the owner's list with no other edit in between, then check NRMP's limits."""
        owner = self.workspace.owner(viewer, write=True)

        def checked(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
            entries = edit(tuple(RankEntry.from_row(r) for r in rows))
            problems = ranks.limit_problems(entries)
            if problems:
                raise FormError(problems)
            return [e.values() for e in entries]

        self.store.edit_rank_list(owner.id, checked, now=datetime.now(UTC))

    def rank_add(self, viewer: Account, code: str) -> None:
        program = self._program(code)
        self._edit_list(viewer, lambda entries: ranks.add(entries, program.code))

    def rank_remove(self, viewer: Account, code: str) -> None:
        self._edit_list(viewer, lambda entries: ranks.remove(entries, code))

    def rank_move(self, viewer: Account, code: str, to: int) -> None:
        """Move an entry to position ``to`` (1 is the top); positions past either end are clamped."""
        self._edit_list(viewer, lambda entries: ranks.move(entries, code, to))

    def rank_step(self, viewer: Account, code: str, direction: str) -> None:
        """Move an entry one place up or down, or to the top or the bottom (the page's buttons)."""
        ranks.check_direction(direction)  # before any lock
        self._edit_list(viewer, lambda entries: ranks.step(entries, code, direction))

    def rank_supplemental(self, viewer: Account, code: str, codes: Sequence[str]) -> None:
        """Set the supplemental (PGY-1) list that goes with an advanced program."""
        chosen, problems = ranks.supplemental_choice(codes, self.track_of)
        self._edit_list(viewer, lambda entries: ranks.set_supplemental(
            entries, code, chosen, problems, self.track_of))  # fmt: skip

    def what_if(self, viewer: Account, *, on: date) -> str:
        """Simulated national Matches with this person ranking as many programs as their list holds,
        in the specialty most of it is in: an odds run whose result shows at that length."""
        owner = self.workspace.owner(viewer, write=True)
        entries = self.rank_list(owner, on=on)["entries"]
        if not entries:
            raise FormError(
                [Problem("program_code", "your rank list is empty", "add programs first")]
            )
        specialty = Counter(e["program"]["specialty"] for e in entries).most_common(1)[0][0]
        job: str = self.workspace.start_odds(owner, specialty=specialty, on=on, ranks=len(entries))
        return job

    # ----------------------------------------------------------------- timeline
    def timeline(
        self, viewer: Account, owner_id: int | None = None, *, on: date
    ) -> list[dict[str, Any]]:
        """Every dated item of the season in order: pathway deadlines, applications, documents,
        rotations (and the organisation's placements)."""
        owner = self.workspace.owner(viewer, owner_id)
        report: dict[str, Any] = {}
        if self.workspace.store.profile(owner.id):
            try:
                report = self.workspace.pathway(viewer, owner_id, on=on)
            except ImgpathError:
                report = {}
        return timeline(report.get("deadlines", []), self.applications(viewer, owner_id),
                        self.documents(viewer, owner_id), self.rotations(viewer, owner_id)["rotations"],
                        self.placements(viewer, owner_id))  # fmt: skip

    def calendar(self, viewer: Account, owner_id: int | None = None, *, on: date) -> bytes:
        """The timeline as an iCalendar file (all-day events; rotations span their days)."""
        owner = self.workspace.owner(viewer, owner_id)
        items = self.timeline(viewer, owner_id, on=on)
        return calendar_file(items, owner_id=owner.id, stamp=datetime.now(UTC))

    # ----------------------------------------------------------- rotation slots
    def slots(self, viewer: Account) -> list[dict[str, Any]]:
        """An organisation's rotation slots, each with the applicants placed in it."""
        org = Access.organisation(viewer)
        rows = self.store.rows("rotation_slots", org.id, ("start_on", "id"))
        people = {p["id"]: p for p in self.workspace.cohort(org)}
        placed: dict[int, list[dict[str, Any]]] = {}
        for slot_id, applicant_id in self.store.placed([r["id"] for r in rows]):
            person = people.get(
                applicant_id, {"id": applicant_id, "email": "(no longer shared)", "name": ""}
            )
            placed.setdefault(slot_id, []).append(person)
        return [{**r, "placed": placed.get(r["id"], [])} for r in rows]

    def add_slot(self, viewer: Account, raw: Mapping[str, Any]) -> int:
        org = Access.organisation(viewer)
        slot = Slot.read(raw)
        return self.store.add("rotation_slots", {**slot.values(), "user_id": org.id})

    def remove_slot(self, viewer: Account, slot_id: int) -> None:
        org = Access.organisation(viewer)
        if not self.store.remove("rotation_slots", org.id, slot_id):
            msg = f"no rotation slot {slot_id} of yours"
            raise NotFoundError(msg)

    def place(self, viewer: Account, slot_id: int, applicant_id: int) -> None:
        """Place an applicant who shared with this organisation; a full slot is refused."""
        org = Access.organisation(viewer)
        _, bad = check_id(applicant_id, "applicant")
        if bad:
            raise FormError(bad)
        slot = self._row("rotation_slots", org, slot_id, "rotation slot")
        person = self.workspace.owner(org, applicant_id)  # only applicants who shared with us
        if person.role != "applicant":
            raise FormError(
                [Problem("applicant", "only applicants who shared with you can be placed")]
            )
        done = self.store.place(org.id, slot_id, applicant_id, int(slot["capacity"]))
        if done is False:
            raise FormError([Problem("applicant", f"the slot at {slot['site']} is full "
                                     f"({slot['capacity']} placed)", "remove someone or add a slot")])  # fmt: skip

    def unplace(self, viewer: Account, slot_id: int, applicant_id: int) -> None:
        org = Access.organisation(viewer)
        self._row("rotation_slots", org, slot_id, "rotation slot")
        if not self.store.unplace(slot_id, applicant_id):
            msg = f"applicant {applicant_id} is not placed in slot {slot_id}"
            raise NotFoundError(msg)

    def placements(self, viewer: Account, owner_id: int | None = None) -> list[dict[str, Any]]:
        """Where organisations placed this applicant: advisors' rotation slots and organisations'
        rotations (placed or completed), each with the organisation's name."""
        return self.store.placements_of(self.workspace.owner(viewer, owner_id).id)

    # ------------------------------------------------------------------- export
    def export(self, viewer: Account) -> dict[str, Any]:
        """Everything stored about the signed-in user: the workspace and the season's records."""
        return export_account(self.workspace, self, viewer)

    # ------------------------------------------------------------------ cohort
    def cohort(self, viewer: Account, *, on: date, words: str = "", stage: str = "",
               missing_only: bool = False) -> list[dict[str, Any]]:  # fmt: skip
        """One row per applicant who shared with this advisor: where they are and what is missing;
        optionally only those whose name or email has ``words``, at ``stage``, or missing items."""
        rows = []
        for person in self.workspace.cohort(viewer):
            if not wanted(person, words):
                continue
            apps = self.applications(viewer, person["id"])
            upcoming = [
                i for i in self.timeline(viewer, person["id"], on=on) if i["date"] >= on.isoformat()
            ]
            missing = missing_items(
                has_profile=bool(self.workspace.store.profile(person["id"])),
                documents=self.documents(viewer, person["id"]),
                letters=self.letters(viewer, person["id"]),
                interviewed=any(a["status"] == "interviewed" for a in apps),
                has_rank_list=bool(self.store.rank_list(person["id"])),
            )
            rows.append(cohort_row(person, apps, upcoming, missing))
        return [r for r in rows if keep_row(r, stage=stage, missing_only=missing_only)]

    def cohort_csv(self, viewer: Account, *, on: date) -> str:
        return cohort_csv(self.cohort(viewer, on=on))
