"""Strict CSV reading for files people make in spreadsheets.

Python's :mod:`csv` is lenient by default: an unterminated quote swallows the rest of the file
into one cell, extra cells are kept under no column, and a cell over 131,072 characters raises
an error that names no line.  :func:`read_rows` reads strictly (``strict=True``), accepts LF,
CR LF and CR line ends, and turns every fault into a
:class:`~imgpath.errors.DocumentSyntaxError` with the line number; :func:`table` then checks the
header and gives each record its spreadsheet row number.  A cell imgpath neutralised when it
wrote it (a leading apostrophe before formula-like text, :mod:`imgpath.core.csv_safety`) reads
back as it was.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection
from dataclasses import dataclass

from imgpath.core.csv_safety import restore_cell
from imgpath.core.text_checks import bad_character, describe_character, line_and_column
from imgpath.errors import DocumentSyntaxError

__all__ = ["MAX_FIELD_CHARS", "Row", "Table", "read_rows", "table"]

MAX_FIELD_CHARS = 131_072
"""Longest cell accepted: Python's default ``csv.field_size_limit()``, said out loud."""


@dataclass(frozen=True, slots=True)
class Row:
    """One record: its row number (1 = the first record of the file) and first line, its cells."""

    row: int
    line: int
    cells: tuple[str, ...]


def read_rows(text: str, *, source: str) -> list[Row]:
    """Every record of ``text``, blank lines left out; a malformed file raises with its line.

    Raises :class:`~imgpath.errors.DocumentSyntaxError` for an unterminated quote, characters
    after a closing quote, a cell over :data:`MAX_FIELD_CHARS` characters, or a character that
    has no place in text (NUL, control characters, lone surrogates).
    """
    found = bad_character(text)
    if found is not None:
        line, column = line_and_column(text, found[0])
        raise DocumentSyntaxError(
            source, f"contains {describe_character(found[1])}; remove it", line=line, column=column
        )
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[Row] = []
    number = 0
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise DocumentSyntaxError(source, _explain(str(exc)), line=line, column=None) from None
        number += 1
        if any(cell.strip() for cell in cells):
            rows.append(Row(number, line, tuple(restore_cell(cell) for cell in cells)))
        line = reader.line_num + 1
    return rows


def _explain(message: str) -> str:
    if "field larger than field limit" in message:
        return (
            f"a cell is longer than {MAX_FIELD_CHARS:,} characters; "
            "check for a quote that is opened and never closed"
        )
    if "unexpected end of data" in message:
        return "a quote opened here is never closed; close it or remove it"
    if "expected after" in message:
        return (
            "text follows a closing quote; put the whole cell in quotes and double the quotes "
            'inside it ("")'
        )
    return f"not valid CSV: {message}"


@dataclass(frozen=True, slots=True)
class Table:
    """A CSV file with a header: the column names (stripped) and the records after it."""

    columns: tuple[str, ...]
    rows: tuple[Row, ...]

    def record(self, row: Row) -> dict[str, str]:
        """The cells of ``row`` by column name, stripped (the row must have one per column)."""
        return {name: cell.strip() for name, cell in zip(self.columns, row.cells, strict=True)}

    def width_problem(self, row: Row) -> str | None:
        """Why ``row`` does not fit the header (None when it does)."""
        have, want = len(row.cells), len(self.columns)
        if have == want:
            return None
        if have > want:
            extra = ", ".join(repr(c) for c in row.cells[want:][:3])
            return (
                f"has {have} cells but the header names {want} columns (extra: {extra}); "
                "quote cells that contain commas"
            )
        return (
            f"has {have} cells but the header names {want} columns; "
            "the row may be cut short: add the missing cells (empty ones too)"
        )


def table(
    text: str, *, source: str, known: Collection[str], required: Collection[str] = ()
) -> Table:
    """Read a CSV file whose first record is a header of ``known`` column names.

    Raises :class:`~imgpath.errors.DocumentSyntaxError` (line 1) for an empty file, an unknown,
    repeated or missing column; rows that do not fit the header are for the caller to report
    (see :meth:`Table.width_problem`).
    """
    rows = read_rows(text, source=source)
    if not rows:
        raise DocumentSyntaxError(
            source,
            "the file is empty; it needs a header line naming the columns, then one line per record",
            line=None,
            column=None,
        )
    header = rows[0]
    columns = tuple(cell.strip() for cell in header.cells)
    problems: list[str] = []
    unknown = [c for c in columns if c not in known]
    if unknown:
        problems.append(f"unknown column(s) {', '.join(c or '(empty)' for c in unknown)}")
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if repeated:
        problems.append(f"column(s) {', '.join(repeated)} appear twice")
    missing = [c for c in required if c not in columns]
    if missing:
        problems.append(f"missing column(s) {', '.join(missing)}")
    if problems:
        raise DocumentSyntaxError(
            source,
            f"header: {'; '.join(problems)}; the columns are {', '.join(known)}",
            line=header.line,
            column=None,
        )
    return Table(columns, tuple(rows[1:]))
