"""The application season, tracked: applications, letters, documents, USCE rotations, the rank
list, one timeline of dates (with an iCalendar file), and the advisor's view of a cohort.

Who may see or change what is decided by :meth:`Workspace.owner`, the same rule as for the rest
of the workspace: an applicant changes only their own records; an advisor reads those of
applicants who shared with them.  Form problems are :class:`FormError` naming the field.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import icalendar

from imgpath.core import csv_safety
from imgpath.core.matching.instance import NRMP_MAX_RANKS
from imgpath.errors import ImgpathError, NotFoundError, PermissionDeniedError, Problem
from imgpath.services.accounts import Account, FormError
from imgpath.services.inputs import check_id, text_problems
from imgpath.services.pathway import application_costs
from imgpath.services.pathway_data import load_rulebook
from imgpath.services.workspace import Workspace
from imgpath.storage.tracker_store import (
    TrackerStore,
    applications,
    documents,
    letters,
    rotation_slots,
    rotations,
)

__all__ = [
    "APPLICATION_STATUSES",
    "LETTERS_PER_PROGRAM",
    "SERVICES",
    "Tracker",
]

APPLICATION_STATUSES = (
    "saved",
    "applied",
    "signaled",
    "invited",
    "interviewed",
    "ranked",
    "withdrawn",
)
SERVICES = ("ERAS", "ResidencyCAS")
LETTER_KINDS = ("us_clinical", "home_country", "other")
LETTER_STATUSES = ("requested", "uploaded")
DOCUMENT_KINDS = ("personal_statement", "transcript", "mspe", "cv", "photo", "other")
ROTATION_KINDS = ("hands_on", "observership")
LETTERS_PER_PROGRAM = 4
"""ERAS lets an applicant assign at most four letters of recommendation to each program.
Sources (read 2026-11-22; secondary, so confidence M): SUNY Upstate Medical University, "Letters
of Recommendation" (https://www.upstate.edu/com/students/career/applications-match/letters-of-recommendation.php:
"The maximum number of letters that may be sent to one residency program on ERAS is four");
Wayne State University School of Medicine, "Letters of Recommendation"
(http://www.careerplanning.med.wayne.edu/lor.php)."""
DAYS_PER_MONTH = 365.25 / 12
EARLIEST, LATEST = date(1950, 1, 1), date(2100, 12, 31)
"""Dates outside these are typing mistakes (and would break calendar arithmetic)."""
MAX_CSV_BYTES = 5_000_000
CSV_COLUMNS = ("Program code", "Program", "Specialty", "State", "Service", "Status", *(
    s.capitalize() for s in APPLICATION_STATUSES), "Interview", "Notes")  # fmt: skip
_ALIASES = {  # spreadsheet headings people use -> our field
    "program code": "program_code", "nrmp code": "program_code", "code": "program_code",
    "nrmp program code": "program_code", "program id": "program_code",
    "service": "service", "application service": "service",
    "status": "status", "notes": "notes", "note": "notes", "comments": "notes",
    "interview": "interview", "interview date": "interview",
    **{s: s for s in APPLICATION_STATUSES},
    **{f"{s} on": s for s in APPLICATION_STATUSES}, **{f"date {s}": s for s in APPLICATION_STATUSES},
}  # fmt: skip


def _day(value: Any, field: str, problems: list[Problem], *, required: bool = False) -> date | None:
    text = str(value or "").strip()
    if not text:
        if required:
            problems.append(Problem(field, "is required", "give a date as YYYY-MM-DD"))
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        problems.append(
            Problem(field, f"{text!r} is not a date", "use YYYY-MM-DD, e.g. 2026-09-24")
        )
        return None
    if not EARLIEST <= day <= LATEST:
        problems.append(Problem(field, f"{text} is outside {EARLIEST.year}-{LATEST.year}",
                                "check the year"))  # fmt: skip
        return None
    return day


def _choice(value: Any, field: str, choices: Sequence[str], problems: list[Problem],
            default: str | None = None) -> str:  # fmt: skip
    text = str(value or "").strip() or (default or "")
    for choice in choices:
        if text.lower() == choice.lower():
            return choice
    problems.append(
        Problem(field, f"{text!r} is not one of {', '.join(choices)}", "choose one of them")
    )
    return text


def _text(value: Any, field: str, problems: list[Problem], *, most: int, required: bool = False,
          single_line: bool = True) -> str:  # fmt: skip
    """One text field: NUL, lone surrogates and (for one-line fields: names, titles, sites) line
    breaks and control characters are refused, as anywhere in the app (``services.inputs``)."""
    text = str(value or "").strip()
    problems.extend(
        text_problems(text, field, most=most, required=required, single_line=single_line)
    )
    return text


def _flag(value: Any) -> bool:
    """A checkbox or JSON boolean: checked, true, yes, 1."""
    return str(value or "").strip().lower() in ("1", "true", "yes", "on")


def _period(raw: Mapping[str, Any], problems: list[Problem]) -> tuple[date | None, date | None]:
    """A rotation's first and last day, both required, in order."""
    start = _day(raw.get("start_on"), "start_on", problems, required=True)
    end = _day(raw.get("end_on"), "end_on", problems, required=True)
    if start and end and end < start:
        problems.append(
            Problem("end_on", "is before the start", "give the last day of the rotation")
        )
    return start, end


def _raise(problems: list[Problem]) -> None:
    if problems:
        raise FormError(problems)


class Tracker:
    def __init__(self, store: TrackerStore, workspace: Workspace) -> None:
        self.store = store
        self.workspace = workspace
        self.catalog = workspace.catalog

    def _program(self, code: str, field: str = "program_code") -> Any:
        try:
            return self.catalog.show(code).program
        except NotFoundError:
            raise FormError([Problem(field, f"no program with code {code.strip()!r}",
                                     "copy the code from the program's page, e.g. 1234140C0")]) from None  # fmt: skip

    def _remove(self, viewer: Account, table: Any, row_id: int, what: str) -> None:
        owner = self.workspace.owner(viewer, write=True)
        if not self.store.remove(table, owner.id, row_id):
            msg = f"no {what} {row_id} of yours"
            raise NotFoundError(msg)

    def _row(self, table: Any, owner: Account, row_id: int, what: str) -> dict[str, Any]:
        found = self.store.row(table, owner.id, row_id)
        if found is None:
            msg = f"no {what} {row_id} of yours"
            raise NotFoundError(msg)
        return found

    # ------------------------------------------------------------ applications
    def applications(self, viewer: Account, owner_id: int | None = None) -> list[dict[str, Any]]:
        owner = self.workspace.owner(viewer, owner_id)
        out = []
        for row in self.store.rows(applications, owner.id, ("program_code",)):
            program = self.catalog.show(row["program_code"]).program
            out.append({**row, "program": {"code": program.code, "name": program.name,
                                           "specialty": program.specialty, "state": program.state,
                                           "type": program.track_type}})  # fmt: skip
        return out

    def _application(self, raw: Mapping[str, Any], problems: list[Problem], *, on: date,
                     before: Mapping[str, Any] | None, prefix: str = "") -> dict[str, Any]:  # fmt: skip
        code = str(raw.get("program_code") or "").strip().upper()
        if not code:
            problems.append(
                Problem(f"{prefix}program_code", "is required", "give the NRMP program code")
            )
        elif code not in self.catalog.by_code:
            problems.append(Problem(f"{prefix}program_code", f"no program with code {code!r}",
                                    "copy the code from the program's page"))  # fmt: skip
        old = before or {}  # what is not given stays as it was; defaults only for a new one
        status = _choice(raw.get("status"), f"{prefix}status", APPLICATION_STATUSES, problems,
                         old.get("status") or "saved")  # fmt: skip
        service = _choice(raw.get("service"), f"{prefix}service", SERVICES, problems,
                          old.get("service") or "ERAS")  # fmt: skip
        dates = dict((before or {}).get("dates") or {})
        for key in (*APPLICATION_STATUSES, "interview"):
            if raw.get(key):
                day = _day(raw[key], f"{prefix}{key}", problems)
                if day:
                    dates[key] = day.isoformat()
        if status not in dates and not raw.get(status):
            dates[status] = on.isoformat()
        given = raw.get("notes")
        notes = _text(old.get("notes", "") if given is None else given, f"{prefix}notes", problems,
                      most=4000, single_line=False)  # fmt: skip
        return {
            "program_code": code,
            "status": status,
            "service": service,
            "dates": dates,
            "notes": notes,
        }

    def track(self, viewer: Account, raw: Mapping[str, Any], *, on: date) -> dict[str, Any]:
        """Add or update the application to one program (status, service, dates, notes)."""
        owner = self.workspace.owner(viewer, write=True)
        problems: list[Problem] = []
        dates = raw.get("dates") or {}  # the API's form: {"applied": "2026-09-24", ...}
        _raise([Problem(f"dates.{k}", "is not a status or 'interview'",
                        f"use one of {', '.join(APPLICATION_STATUSES)}, interview")
                for k in sorted(set(dates) - {*APPLICATION_STATUSES, "interview"})])  # fmt: skip
        raw = {**raw, **dates}
        code = str(raw.get("program_code") or "").strip().upper()
        before = self.store.application_by_program(owner.id, code) if code else None
        record = self._application(raw, problems, on=on, before=before)
        _raise(problems)
        self.store.put_applications(owner.id, [record], now=datetime.now(UTC))
        found = self.store.application_by_program(owner.id, record["program_code"])
        assert found is not None
        return found

    def untrack(self, viewer: Account, code: str) -> None:
        owner = self.workspace.owner(viewer, write=True)
        found = self.store.application_by_program(owner.id, code.strip().upper())
        if found is None:
            msg = f"no application to {code} of yours"
            raise NotFoundError(msg)
        self.store.remove(applications, owner.id, int(found["id"]))

    def import_csv(self, viewer: Account, data: bytes | str, *, on: date) -> int:
        """Applications from a spreadsheet's CSV; every row checked, nothing saved if one is wrong."""
        owner = self.workspace.owner(viewer, write=True)
        if len(data) > MAX_CSV_BYTES:
            raise FormError([Problem("file", f"is larger than {MAX_CSV_BYTES // 1_000_000} MB",
                                     "split it into smaller files")])  # fmt: skip
        try:
            text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff")
        except UnicodeDecodeError as exc:
            raise FormError([Problem("file", f"is not UTF-8 text (byte {exc.start})",
                                     'save it from your spreadsheet as "CSV UTF-8"')]) from None  # fmt: skip
        reader = csv.DictReader(io.StringIO(text))
        problems: list[Problem] = []
        records: dict[str, dict[str, Any]] = {}
        try:
            fields = {name: _ALIASES.get(name.strip().lower()) for name in reader.fieldnames or []}
            if "program_code" not in fields.values():
                raise FormError([Problem("file", "has no program code column",
                                         'add a column headed "Program code" (the NRMP code)')])  # fmt: skip
            for row in reader:
                raw = {str(fields[k]): csv_safety.restore_cell(v) if isinstance(v, str) else v
                       for k, v in row.items() if k is not None and fields.get(k)}  # fmt: skip
                if not any(str(v or "").strip() for v in raw.values()):
                    continue
                code = str(raw.get("program_code") or "").strip().upper()
                before = records.get(code) or self.store.application_by_program(owner.id, code)
                prefix = f"row {reader.line_num}: "
                records[code] = self._application(
                    raw, problems, on=on, before=before, prefix=prefix
                )
                if len(problems) > 50:
                    break
        except csv.Error as exc:
            raise FormError([Problem("file", f"is not readable CSV near line {reader.line_num} ({exc})",
                                     "check the quotes in that line")]) from None  # fmt: skip
        _raise(problems)
        return self.store.put_applications(owner.id, records.values(), now=datetime.now(UTC))

    def export_csv(self, viewer: Account, owner_id: int | None = None) -> str:
        out = io.StringIO()
        writer = csv_safety.writer(out, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for a in self.applications(viewer, owner_id):
            p = a["program"]
            writer.writerow((
                p["code"], p["name"], p["specialty"], p["state"], a["service"], a["status"],
                *(a["dates"].get(s, "") for s in APPLICATION_STATUSES),
                a["dates"].get("interview", ""), a["notes"]))  # fmt: skip
        return out.getvalue()

    def costs(self, viewer: Account, owner_id: int | None = None, *, on: date) -> dict[str, Any]:
        """Fees of the applications on file: ERAS from the bundled fee rules; ResidencyCAS unknown."""
        apps = [a for a in self.applications(viewer, owner_id) if a["status"] not in ("saved",)]
        eras = [a for a in apps if a["service"] == "ERAS"]
        ranks = len(self.store.rank_list(self.workspace.owner(viewer, owner_id).id))
        out: dict[str, Any] = {"eras_programs": len(eras), "residencycas_programs": len(apps) - len(eras),
                               "ranks": ranks, "eras": None, "notes": []}  # fmt: skip
        if eras:
            specialties = len({a["program"]["specialty"] for a in eras})
            out["eras"] = application_costs(programs=len(eras), specialties=specialties, on=on,
                                            ranks=min(ranks, NRMP_MAX_RANKS) or None).to_dict()  # fmt: skip
        if len(apps) > len(eras):
            out["notes"].append(
                "ResidencyCAS fees are not in imgpath's fee data yet: unknown, not zero."
            )
        if not apps:
            out["notes"].append("No application is marked applied or later yet.")
        return out

    # ------------------------------------------------------------------ letters
    def letters(self, viewer: Account, owner_id: int | None = None) -> list[dict[str, Any]]:
        owner = self.workspace.owner(viewer, owner_id)
        assigned: dict[int, list[str]] = {}
        for letter_id, code in self.store.assignments(owner.id):
            assigned.setdefault(letter_id, []).append(code)
        return [{**row, "programs": assigned.get(row["id"], [])}
                for row in self.store.rows(letters, owner.id)]  # fmt: skip

    def add_letter(self, viewer: Account, raw: Mapping[str, Any]) -> int:
        owner = self.workspace.owner(viewer, write=True)
        problems: list[Problem] = []
        values = {
            "writer": _text(raw.get("writer"), "writer", problems, most=200, required=True),
            "kind": _choice(raw.get("kind"), "kind", LETTER_KINDS, problems, "us_clinical"),
            "status": _choice(raw.get("status"), "status", LETTER_STATUSES, problems, "requested"),
            "requested_on": _day(raw.get("requested_on"), "requested_on", problems),
            "notes": _text(raw.get("notes"), "notes", problems, most=2000, single_line=False),
        }
        _raise(problems)
        return self.store.add(letters, {**values, "user_id": owner.id})

    def set_letter_status(self, viewer: Account, letter_id: int, status: str) -> None:
        owner = self.workspace.owner(viewer, write=True)
        self._row(letters, owner, letter_id, "letter")
        problems: list[Problem] = []
        value = _choice(status, "status", LETTER_STATUSES, problems)
        _raise(problems)
        self.store.change(letters, owner.id, letter_id, {"status": value})

    def remove_letter(self, viewer: Account, letter_id: int) -> None:
        self._remove(viewer, letters, letter_id, "letter")

    def assign_letter(self, viewer: Account, letter_id: int, code: str) -> int:
        """Assign a letter to a program; the program's letter count afterwards.

        A fifth letter for one program is refused (ERAS allows four), and nothing changes.
        """
        owner = self.workspace.owner(viewer, write=True)
        letter = self._row(letters, owner, letter_id, "letter")
        program = self._program(code, "program_code")
        held = self.store.assign(owner.id, letter_id, program.code, most=LETTERS_PER_PROGRAM)
        if held is None:
            names = [f"{x['writer']}" for x in self.letters(owner) if program.code in x["programs"]]
            raise FormError([Problem(
                "program_code",
                f"{program.name} ({program.code}) already has {LETTERS_PER_PROGRAM} letters "
                f"({', '.join(names)}); ERAS allows at most {LETTERS_PER_PROGRAM} per program, "
                f"so {letter['writer']}'s letter was not assigned",
                "unassign one of them from this program first",
            )])  # fmt: skip
        return held

    def unassign_letter(self, viewer: Account, letter_id: int, code: str) -> None:
        owner = self.workspace.owner(viewer, write=True)
        if not self.store.unassign(owner.id, letter_id, code.strip().upper()):
            msg = f"letter {letter_id} is not assigned to {code}"
            raise NotFoundError(msg)

    # ---------------------------------------------------------------- documents
    def documents(self, viewer: Account, owner_id: int | None = None) -> list[dict[str, Any]]:
        return self.store.rows(
            documents, self.workspace.owner(viewer, owner_id).id, ("due_on", "id")
        )

    def add_document(self, viewer: Account, raw: Mapping[str, Any]) -> int:
        owner = self.workspace.owner(viewer, write=True)
        problems: list[Problem] = []
        values = {
            "title": _text(raw.get("title"), "title", problems, most=200, required=True),
            "kind": _choice(raw.get("kind"), "kind", DOCUMENT_KINDS, problems, "other"),
            "due_on": _day(raw.get("due_on"), "due_on", problems),
            "done": _flag(raw.get("done")),
        }
        _raise(problems)
        return self.store.add(documents, {**values, "user_id": owner.id})

    def set_document_done(self, viewer: Account, doc_id: int, *, done: bool) -> None:
        owner = self.workspace.owner(viewer, write=True)
        if not self.store.change(documents, owner.id, doc_id, {"done": done}):
            msg = f"no document {doc_id} of yours"
            raise NotFoundError(msg)

    def remove_document(self, viewer: Account, doc_id: int) -> None:
        self._remove(viewer, documents, doc_id, "document")

    # ---------------------------------------------------------------- rotations
    def rotations(self, viewer: Account, owner_id: int | None = None) -> dict[str, Any]:
        """The rotations, their totals in months, and the USCE asked for by programs on my lists."""
        owner = self.workspace.owner(viewer, owner_id)
        rows = self.store.rows(rotations, owner.id, ("start_on", "id"))
        for r in rows:
            days = (date.fromisoformat(r["end_on"]) - date.fromisoformat(r["start_on"])).days + 1
            r["months"] = round(days / DAYS_PER_MONTH, 1)
        months = round(sum(r["months"] for r in rows), 1)
        hands_on = round(sum(r["months"] for r in rows if r["kind"] == "hands_on"), 1)
        cost = sum(r["cost"] or 0 for r in rows)
        return {"rotations": rows, "months": months, "hands_on_months": hands_on, "cost": cost,
                "letters_earned": sum(bool(r["letter_earned"]) for r in rows),
                "requirements": self._usce_checks(owner, months, hands_on)}  # fmt: skip

    def _usce_checks(self, owner: Account, months: float, hands_on: float) -> list[dict[str, Any]]:
        codes = dict.fromkeys([s["code"] for s in self.workspace.saved(owner)]
                              + [a["program_code"] for a in self.store.rows(applications, owner.id)])  # fmt: skip
        out = []
        for code in codes:
            view = self.catalog.show(code)
            asked = [c for c in view.claims if c.field == "usce_months"]
            if not asked:
                continue
            claim = max(asked, key=lambda c: c.as_of)
            kinds = {c.value for c in view.claims if c.field == "usce_type"}
            need_hands_on = kinds == {"hands_on"}
            have = hands_on if need_hands_on else months
            out.append({"program": code, "name": view.program.name, "required_months": float(claim.value),
                        "hands_on_only": need_hands_on, "have_months": have,
                        "met": have >= float(claim.value), "source": claim.source,
                        "as_of": claim.as_of.isoformat(), "kind": claim.kind})  # fmt: skip
        return out

    def add_rotation(self, viewer: Account, raw: Mapping[str, Any]) -> int:
        owner = self.workspace.owner(viewer, write=True)
        problems: list[Problem] = []
        start, end = _period(raw, problems)
        cost_text = str(raw.get("cost") or "").strip().replace(",", "").lstrip("$")
        cost = None
        if cost_text:
            try:
                cost = float(cost_text)
            except ValueError:
                cost = -1.0
            if not 0 <= cost <= 100_000:
                problems.append(Problem("cost", f"{raw.get('cost')!r} is not an amount",
                                        "give US dollars, e.g. 3500, or leave it empty"))  # fmt: skip
        values = {
            "site": _text(raw.get("site"), "site", problems, most=200, required=True),
            "specialty": _text(raw.get("specialty"), "specialty", problems, most=120, required=True),
            "start_on": start, "end_on": end,
            "kind": _choice(raw.get("kind"), "kind", ROTATION_KINDS, problems, "hands_on"),
            "cost": cost,
            "supervisor": _text(raw.get("supervisor"), "supervisor", problems, most=200),
            "letter_earned": _flag(raw.get("letter_earned")),
        }  # fmt: skip
        _raise(problems)
        return self.store.add(rotations, {**values, "user_id": owner.id})

    def remove_rotation(self, viewer: Account, rotation_id: int) -> None:
        self._remove(viewer, rotations, rotation_id, "rotation")

    # ---------------------------------------------------------------- rank list
    def rank_list(
        self, viewer: Account, owner_id: int | None = None, *, on: date
    ) -> dict[str, Any]:
        """The list with each entry's program, warnings, NRMP's limits and what the algorithm does."""
        fee = load_rulebook().at("US.COST.NRMP", on)  # ranks covered by the registration fee
        owner = self.workspace.owner(viewer, owner_id)
        entries = self.store.rank_list(owner.id)
        status = {a["program_code"]: a["status"] for a in self.store.rows(applications, owner.id)}
        out = []
        for rank, entry in enumerate(entries, start=1):
            program = self.catalog.show(entry["program"]).program
            supplemental = [self.catalog.show(c).program for c in entry.get("supplemental", [])]
            warnings = []
            if status.get(program.code) == "withdrawn":
                warnings.append("you withdrew from this program: it cannot match you")
            elif status.get(program.code) not in ("interviewed", "ranked"):
                warnings.append(
                    "not marked interviewed: programs rank only applicants they interviewed"
                )
            if program.track_type == "A" and not supplemental:
                warnings.append("advanced (PGY-2) program with no supplemental list: add PGY-1 programs "
                                "so a match here comes with a first year")  # fmt: skip
            out.append({"rank": rank, "program": program.to_dict(), "supplemental": [p.to_dict() for p in supplemental],
                        "warnings": warnings, "explanation": _explain(rank, program, supplemental)})  # fmt: skip
        return {"entries": out, "limit": NRMP_MAX_RANKS, "length": len(out),
                "extra_rank_fee_above": int(fee.params["included"]) if fee else None,
                "extra_rank_fee_rule": fee.id if fee else None,
                "summary": ("The Match tries your programs in the order you rank them and places you in the "
                            "first one that ranked you and has a place for you; ranking in your true order "
                            "of preference never costs you a program. Every entry below counts only if all "
                            "those above it did not work out.")}  # fmt: skip

    def _edit_list(
        self, viewer: Account, edit: Callable[[list[dict[str, Any]]], list[dict[str, Any]]]
    ) -> None:
        """Apply ``edit`` to the owner's list with no other edit in between, then check NRMP's limits."""
        owner = self.workspace.owner(viewer, write=True)

        def checked(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
            entries = edit(entries)
            problems: list[Problem] = []
            if len(entries) > NRMP_MAX_RANKS:
                problems.append(Problem("program_code", f"the list would have {len(entries)} programs; "
                                        f"NRMP allows at most {NRMP_MAX_RANKS}", "remove one first"))  # fmt: skip
            if any(len(e.get("supplemental", [])) > NRMP_MAX_RANKS for e in entries):
                problems.append(
                    Problem(
                        "supplemental", f"a supplemental list may hold at most {NRMP_MAX_RANKS}"
                    )
                )
            _raise(problems)
            return entries

        self.store.edit_rank_list(owner.id, checked, now=datetime.now(UTC))

    @staticmethod
    def _at(entries: list[dict[str, Any]], code: str) -> int:
        at = next((i for i, e in enumerate(entries) if e["program"] == code.strip().upper()), None)
        if at is None:
            msg = f"{code} is not on your rank list"
            raise NotFoundError(msg)
        return at

    def rank_add(self, viewer: Account, code: str) -> None:
        program = self._program(code)

        def add(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
            if any(e["program"] == program.code for e in entries):
                raise FormError([Problem("program_code", f"{program.code} is on your list already",
                                         "move it instead of adding it twice")])  # fmt: skip
            return [*entries, {"program": program.code, "supplemental": []}]

        self._edit_list(viewer, add)

    def rank_remove(self, viewer: Account, code: str) -> None:
        def remove(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
            del entries[self._at(entries, code)]
            return entries

        self._edit_list(viewer, remove)

    def rank_move(self, viewer: Account, code: str, to: int) -> None:
        """Move an entry to position ``to`` (1 is the top); positions past either end are clamped."""

        def move(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
            entry = entries.pop(self._at(entries, code))
            entries.insert(min(max(to, 1), len(entries) + 1) - 1, entry)
            return entries

        self._edit_list(viewer, move)

    def rank_step(self, viewer: Account, code: str, direction: str) -> None:
        """Move an entry one place up or down, or to the top or the bottom (the page's buttons)."""
        if direction not in ("up", "down", "top", "bottom"):
            raise FormError([Problem("direction", f"{direction!r} is not up, down, top or bottom",
                                     "use the rank-list page's move buttons")])  # fmt: skip

        def step(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
            at = self._at(entries, code)
            to = {"up": at - 1, "down": at + 1, "top": 0, "bottom": len(entries) - 1}[direction]
            entries.insert(min(max(to, 0), len(entries) - 1), entries.pop(at))
            return entries

        self._edit_list(viewer, step)

    def rank_supplemental(self, viewer: Account, code: str, codes: Sequence[str]) -> None:
        """Set the supplemental (PGY-1) list that goes with an advanced program."""
        problems: list[Problem] = []
        chosen: list[str] = []
        for raw in codes:
            c = raw.strip().upper()
            if not c or c in chosen:
                continue
            if c not in self.catalog.by_code:
                problems.append(Problem("supplemental", f"no program with code {c!r}"))
            elif self.catalog.show(c).program.track_type != "P":
                problems.append(Problem("supplemental", f"{c} is not a preliminary (PGY-1) program",
                                        "supplemental lists hold preliminary programs (type P)"))  # fmt: skip
            chosen.append(c)

        def set_supplemental(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
            entry = entries[self._at(entries, code)]
            if self.catalog.show(entry["program"]).program.track_type != "A":
                problems.insert(
                    0,
                    Problem(
                        "supplemental", "only an advanced (PGY-2) program takes a supplemental list"
                    ),
                )
            _raise(problems)
            entry["supplemental"] = chosen
            return entries

        self._edit_list(viewer, set_supplemental)

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
        items: list[dict[str, Any]] = []
        if self.workspace.store.profile(owner.id):
            try:
                report = self.workspace.pathway(viewer, owner_id, on=on)
            except ImgpathError:
                report = {}
            items.extend({"date": d["date"], "kind": "deadline", "title": d["title"], "uid": f"deadline-{d['id']}",
                          "detail": (d.get("times") or {}).get("et") or "",
                          "needs_confirmation": bool(d.get("needs_confirmation"))}
                         for d in report.get("deadlines", []) if d.get("date"))  # fmt: skip
        for a in self.applications(viewer, owner_id):
            for key, day in a["dates"].items():
                label = "interview" if key == "interview" else key
                items.append({"date": day, "kind": "application", "uid": f"application-{a['program']['code']}-{key}", "title": f"{label.capitalize()}: {a['program']['name']}",
                              "detail": a["program"]["code"], "needs_confirmation": False})  # fmt: skip
        items.extend({"date": doc["due_on"], "kind": "document", "uid": f"document-{doc['id']}", "title": f"Due: {doc['title']}",
                      "detail": doc["kind"], "needs_confirmation": False}
                     for doc in self.documents(viewer, owner_id) if doc["due_on"] and not doc["done"])  # fmt: skip
        for r in self.rotations(viewer, owner_id)["rotations"]:
            kind = "hands-on" if r["kind"] == "hands_on" else "observership"
            items.append({"date": r["start_on"], "end": r["end_on"], "kind": "rotation", "uid": f"rotation-{r['id']}",
                          "title": f"Rotation ({kind}): {r['specialty']} at {r['site']}",
                          "detail": r["supervisor"], "needs_confirmation": False})  # fmt: skip
        items.extend({"date": p["start_on"], "end": p["end_on"], "kind": "rotation",
                      "uid": f"placement-{p['id']}" if p["source"] == "slot" else f"placement-request-{p['id']}",
                      "title": f"Placed by {p['organisation']}: {p['specialty']} at {p['site']}",
                      "detail": p["kind"].replace("_", "-"), "needs_confirmation": False}
                     for p in self.placements(viewer, owner_id))  # fmt: skip
        items.sort(key=lambda i: (i["date"], i["kind"], i["title"]))
        return items

    def calendar(self, viewer: Account, owner_id: int | None = None, *, on: date) -> bytes:
        """The timeline as an iCalendar file (all-day events; rotations span their days)."""
        cal = icalendar.Calendar()
        cal.add("prodid", "-//imgpath//season timeline//EN")
        cal.add("version", "2.0")
        cal.add("x-wr-calname", "imgpath: my application season")
        owner = self.workspace.owner(viewer, owner_id)
        for item in self.timeline(viewer, owner_id, on=on):
            event = icalendar.Event()
            start = date.fromisoformat(item["date"])
            end = date.fromisoformat(item.get("end") or item["date"])
            event.add("uid", f"{item['uid']}-{owner.id}@imgpath")  # stable: re-imports update
            event.add("dtstamp", datetime.now(UTC))
            event.add("dtstart", start)
            event.add("dtend", end + timedelta(days=1))
            summary = item["title"] + (
                " (needs confirmation)" if item["needs_confirmation"] else ""
            )
            event.add("summary", summary)
            if item["detail"]:
                event.add("description", item["detail"])
            event.add("categories", [item["kind"]])
            cal.add_component(event)
        ics: bytes = cal.to_ical()
        return ics

    # ----------------------------------------------------------- rotation slots
    def _organisation(self, viewer: Account) -> Account:
        if viewer.role != "advisor":
            msg = "rotation slots are run by advisors' organisations"
            raise PermissionDeniedError(msg)
        return viewer

    def slots(self, viewer: Account) -> list[dict[str, Any]]:
        """An organisation's rotation slots, each with the applicants placed in it."""
        org = self._organisation(viewer)
        rows = self.store.rows(rotation_slots, org.id, ("start_on", "id"))
        people = {p["id"]: p for p in self.workspace.cohort(org)}
        placed: dict[int, list[dict[str, Any]]] = {}
        for slot_id, applicant_id in self.store.placed([r["id"] for r in rows]):
            person = people.get(
                applicant_id, {"id": applicant_id, "email": "(no longer shared)", "name": ""}
            )
            placed.setdefault(slot_id, []).append(person)
        return [{**r, "placed": placed.get(r["id"], [])} for r in rows]

    def add_slot(self, viewer: Account, raw: Mapping[str, Any]) -> int:
        org = self._organisation(viewer)
        problems: list[Problem] = []
        start, end = _period(raw, problems)
        try:
            given = raw.get("capacity")
            capacity = 1 if given is None or str(given).strip() == "" else int(str(given))
        except ValueError:
            capacity = 0
        if not 1 <= capacity <= 100:
            problems.append(Problem("capacity", "must be a whole number from 1 to 100", "e.g. 2"))
        values = {"site": _text(raw.get("site"), "site", problems, most=200, required=True),
                  "specialty": _text(raw.get("specialty"), "specialty", problems, most=120, required=True),
                  "start_on": start, "end_on": end, "capacity": capacity,
                  "kind": _choice(raw.get("kind"), "kind", ROTATION_KINDS, problems, "hands_on")}  # fmt: skip
        _raise(problems)
        return self.store.add(rotation_slots, {**values, "user_id": org.id})

    def remove_slot(self, viewer: Account, slot_id: int) -> None:
        org = self._organisation(viewer)
        if not self.store.remove(rotation_slots, org.id, slot_id):
            msg = f"no rotation slot {slot_id} of yours"
            raise NotFoundError(msg)

    def place(self, viewer: Account, slot_id: int, applicant_id: int) -> None:
        """Place an applicant who shared with this organisation; a full slot is refused."""
        org = self._organisation(viewer)
        _, bad = check_id(applicant_id, "applicant")
        _raise(bad)
        slot = self._row(rotation_slots, org, slot_id, "rotation slot")
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
        org = self._organisation(viewer)
        self._row(rotation_slots, org, slot_id, "rotation slot")
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
        owner = self.workspace.owner(viewer, write=True)
        out = self.workspace.export(owner)
        out.update({
            "applications": self.applications(owner), "letters": self.letters(owner),
            "documents": self.documents(owner), "rotations": self.rotations(owner)["rotations"],
            "rank_list": self.store.rank_list(owner.id), "placements": self.placements(owner),
            "rotation_slots": self.slots(owner) if owner.role == "advisor" else [],
        })  # fmt: skip
        return out

    # ------------------------------------------------------------------ cohort
    def cohort(self, viewer: Account, *, on: date, words: str = "", stage: str = "",
               missing_only: bool = False) -> list[dict[str, Any]]:  # fmt: skip
        """One row per applicant who shared with this advisor: where they are and what is missing;
        optionally only those whose name or email has ``words``, at ``stage``, or missing items."""
        rows = []
        wanted = words.strip().lower()
        for person in self.workspace.cohort(viewer):
            if wanted and wanted not in f"{person['name']} {person['email']}".lower():
                continue
            apps = self.applications(viewer, person["id"])
            counts = Counter(a["status"] for a in apps)
            upcoming = [
                i for i in self.timeline(viewer, person["id"], on=on) if i["date"] >= on.isoformat()
            ]
            missing = []
            if not self.workspace.store.profile(person["id"]):
                missing.append("profile")
            missing += [
                f"document: {d['title']}"
                for d in self.documents(viewer, person["id"])
                if not d["done"]
            ]
            missing += [f"letter: {x['writer']}" for x in self.letters(viewer, person["id"])
                        if x["status"] != "uploaded"]  # fmt: skip
            if counts["interviewed"] and not self.store.rank_list(person["id"]):
                missing.append("rank list")
            rows.append({**person, "applications": len(apps),
                         "by_status": {s: counts[s] for s in APPLICATION_STATUSES if counts[s]},
                         "stage": next((s for s in reversed(APPLICATION_STATUSES[:-1]) if counts[s]), "none"),
                         "next": upcoming[0] if upcoming else None, "missing": missing})  # fmt: skip
        return [
            r
            for r in rows
            if (not stage or r["stage"] == stage) and (r["missing"] or not missing_only)
        ]

    def cohort_csv(self, viewer: Account, *, on: date) -> str:
        out = io.StringIO()
        writer = csv_safety.writer(out, lineterminator="\r\n")
        writer.writerow(
            ["Name", "Email", "Applications", "Furthest stage", "Next date", "Next item", "Missing"]
        )
        for r in self.cohort(viewer, on=on):
            nxt = r["next"] or {}
            writer.writerow((
                r["name"], r["email"], r["applications"], r["stage"], nxt.get("date", ""),
                nxt.get("title", ""), "; ".join(r["missing"])))  # fmt: skip
        return out.getvalue()


def _explain(rank: int, program: Any, supplemental: Sequence[Any]) -> str:
    above = "program 1 does" if rank == 2 else f"programs 1 to {rank - 1} do"
    first = (
        "The Match tries this program first."
        if rank == 1
        else f"Tried only if {above} not take you."
    )
    text = f"{first} If {program.name} ranked you and has a place, you match here and the rest of the list is not used."
    if program.track_type == "A":
        text += (" It is an advanced (PGY-2) program: once you hold a place here, the Match tries your "
                 "supplemental list in order for your first year"
                 + (f" ({len(supplemental)} programs)." if supplemental else ", which is empty."))  # fmt: skip
    return text
