"""Applications from and to a spreadsheet (CSV, UTF-8): heading aliases people use, every row
checked, nothing kept when one row is wrong."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Container, Iterable, Mapping
from datetime import date
from typing import Any

from imgpath.core import csv_safety
from imgpath.core.season.records import APPLICATION_STATUSES, Application
from imgpath.errors import FormError, Problem

__all__ = ["ALIASES", "CSV_COLUMNS", "MAX_CSV_BYTES", "applications_csv", "read_applications_csv"]

MAX_CSV_BYTES = 5_000_000
CSV_COLUMNS = ("Program code", "Program", "Specialty", "State", "Service", "Status", *(
    s.capitalize() for s in APPLICATION_STATUSES), "Interview", "Notes")  # fmt: skip
ALIASES = {  # spreadsheet headings people use -> our field
    "program code": "program_code", "nrmp code": "program_code", "code": "program_code",
    "nrmp program code": "program_code", "program id": "program_code",
    "service": "service", "application service": "service",
    "status": "status", "notes": "notes", "note": "notes", "comments": "notes",
    "interview": "interview", "interview date": "interview",
    **{s: s for s in APPLICATION_STATUSES},
    **{f"{s} on": s for s in APPLICATION_STATUSES}, **{f"date {s}": s for s in APPLICATION_STATUSES},
}  # fmt: skip


def _text(data: bytes | str) -> str:
    if len(data) > MAX_CSV_BYTES:
        raise FormError([Problem("file", f"is larger than {MAX_CSV_BYTES // 1_000_000} MB",
                                 "split it into smaller files")])  # fmt: skip
    try:
        return data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        raise FormError([Problem("file", f"is not UTF-8 text (byte {exc.start})",
                                 'save it from your spreadsheet as "CSV UTF-8"')]) from None  # fmt: skip


def read_applications_csv(data: bytes | str, *, on: date, known: Container[str],
                          before: Callable[[str], Mapping[str, Any] | None]) -> list[Application]:  # fmt: skip
    """The applications of a CSV file, a later row for the same program updating an earlier one;
    ``before(code)`` is what is kept already.  Raises FormError naming ``row N: field``."""
    reader = csv.DictReader(io.StringIO(_text(data)))
    problems: list[Problem] = []
    records: dict[str, Application] = {}
    try:
        fields = {name: ALIASES.get(name.strip().lower()) for name in reader.fieldnames or []}
        if "program_code" not in fields.values():
            raise FormError([Problem("file", "has no program code column",
                                     'add a column headed "Program code" (the NRMP code)')])  # fmt: skip
        for row in reader:
            raw = {str(fields[k]): csv_safety.restore_cell(v) if isinstance(v, str) else v
                   for k, v in row.items() if k is not None and fields.get(k)}  # fmt: skip
            if not any(str(v or "").strip() for v in raw.values()):
                continue
            code = str(raw.get("program_code") or "").strip().upper()
            old = records[code].values() if code in records else before(code)
            records[code] = Application.read(raw, on=on, known=known, before=old,
                                             prefix=f"row {reader.line_num}: ", problems=problems)  # fmt: skip
            if len(problems) > 50:
                break
    except csv.Error as exc:
        raise FormError([Problem("file", f"is not readable CSV near line {reader.line_num} ({exc})",
                                 "check the quotes in that line")]) from None  # fmt: skip
    if problems:
        raise FormError(problems)
    return list(records.values())


def applications_csv(applications: Iterable[Mapping[str, Any]]) -> str:
    """Applications (each with its ``program``) as CSV, one row each, in :data:`CSV_COLUMNS`."""
    out = io.StringIO()
    writer = csv_safety.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for a in applications:
        p = a["program"]
        writer.writerow((
            p["code"], p["name"], p["specialty"], p["state"], a["service"], a["status"],
            *(a["dates"].get(s, "") for s in APPLICATION_STATUSES),
            a["dates"].get("interview", ""), a["notes"]))  # fmt: skip
    return out.getvalue()
