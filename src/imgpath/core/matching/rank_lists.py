"""NRMP-style CSV rank lists: one ``rank,id`` line per entry, for people coming from spreadsheets.

A program's list names applicant ids; an applicant's names program codes; a couple's list has two
id columns (``rank,program_1,program_2``, an empty cell meaning "No Match").  A header line is
optional.  Ranks must run 1, 2, 3, ... in order, so that a sorted spreadsheet cannot silently
reorder someone's preferences.
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Sequence
from typing import Any

from imgpath.core import csv_safety
from imgpath.core.csv_reading import read_rows
from imgpath.core.text_checks import identifier_problem
from imgpath.errors import InvalidInstanceError, NotFoundError, Problem

__all__ = [
    "HEADER_NAMES",
    "format_rank_list",
    "get_rank_list",
    "parse_rank_list",
    "set_rank_list",
]


HEADER_NAMES = frozenset(
    {"rank", "id", "applicant", "program", "supplemental", "program_1", "program_2",
     "supplemental_1", "supplemental_2"}
)  # fmt: skip
"""Column names a rank-list CSV header may use (as :func:`format_rank_list` writes them)."""

_RANK = re.compile(r"[0-9]+\Z")
_MAX_RANK_DIGITS = 6


def parse_rank_list(
    text: str, *, source: str, columns: int | None = 1, allow_empty: bool = False
) -> list[tuple[str | None, ...]]:
    """Parse ``rank,id[,id2]`` lines into the ids in rank order; every fault names its line.

    ``columns`` is the number of id columns after the rank; None takes it from the header or
    the first line.  A file without entries (empty, or only a header) is refused unless
    ``allow_empty``: an empty or cut-short export must never silently replace a rank list.
    Raises :class:`~imgpath.errors.DocumentSyntaxError` for a malformed CSV (an unterminated
    quote, a cell over 131,072 characters, a NUL) and
    :class:`~imgpath.errors.InvalidInstanceError` listing every bad line.
    """
    problems: list[Problem] = []
    rows = read_rows(text, source=source)
    entries: list[tuple[str | None, ...]] = []
    if rows and not _RANK.match(rows[0].cells[0].strip()):  # a header such as "rank,id"
        header, rows = rows[0], rows[1:]
        names = [cell.strip().lower() for cell in header.cells]
        where = f"line {header.line}"
        if names[0] != "rank":
            problems.append(
                Problem(
                    where, f"the first column is {header.cells[0].strip()[:40]!r}", "name it 'rank'"
                )
            )
        unknown = [name for name in names[1:] if name not in HEADER_NAMES or name == "rank"]
        if unknown:
            problems.append(
                Problem(
                    where,
                    f"unknown column(s) {', '.join(repr(n[:40]) for n in unknown)}",
                    "use rank,applicant (a program's list), rank,program (an applicant's) or "
                    "rank,program_1,program_2 (a couple's)",
                )
            )
        if columns is None:
            columns = max(len(names) - 1, 1)
    for row in rows:
        cells = [cell.strip() for cell in row.cells]
        where = f"line {row.line}"
        if columns is None:
            columns = max(len(cells) - 1, 1)
        if len(cells) != columns + 1:
            want = "rank,id" if columns == 1 else "rank," + ",".join(["id"] * columns)
            noun = "column" if len(cells) == 1 else "columns"
            problems.append(Problem(where, f"has {len(cells)} {noun}", f"write '{want}'"))
            continue
        rank = cells[0]
        if not _RANK.match(rank):
            problems.append(
                Problem(
                    where,
                    f"rank {rank[:20]!r} is not a whole number",
                    "number the ranks 1, 2, 3, ...",
                )
            )
            continue
        if len(rank) > _MAX_RANK_DIGITS or int(rank) != len(entries) + 1:
            shown = rank if len(rank) <= 12 else rank[:9] + "..."
            problems.append(
                Problem(
                    where,
                    f"rank {shown} where {len(entries) + 1} was expected",
                    "number the ranks 1, 2, 3, ... in order, without gaps",
                )
            )
            continue
        ids = tuple(cell or None for cell in cells[1:])
        if columns != 2 and ids[0] is None:
            problems.append(Problem(where, "the id is empty", "write the id after the rank"))
            continue
        if all(i is None for i in ids):
            problems.append(
                Problem(where, "both programs are empty", "name a program for at least one partner")
            )
            continue
        bad = [(i, identifier_problem(i)) for i in ids if i is not None]
        bad = [(i, why) for i, why in bad if why is not None]
        if bad:
            problems.extend(Problem(where, f"the id {i[:40]!r} {why}") for i, why in bad)
            continue
        entries.append(ids)
    if not entries and not problems and not allow_empty:
        problems.append(
            Problem(
                "",
                "the file has no entries" if rows or text.strip() else "the file is empty",
                "a rank list needs at least one 'rank,id' line; an empty or cut-short file never "
                "replaces a list (to empty a list on purpose, say so: --allow-empty)",
            )
        )
    if problems:
        raise InvalidInstanceError(problems[:50], source=source, total=len(problems))
    return entries


def format_rank_list(entries: Sequence[tuple[str | None, ...]], *, header: Sequence[str]) -> str:
    """Write entries as CSV with a header and ranks 1, 2, 3, ..."""
    out = io.StringIO()
    writer = csv_safety.writer(out, lineterminator="\n")
    writer.writerow(header)
    for rank, ids in enumerate(entries, start=1):
        writer.writerow([rank, *("" if i is None else i for i in ids)])
    return out.getvalue()


def _couple_index(doc: dict[str, Any], who: str) -> int | None:
    for i, couple in enumerate(doc.get("couples", [])):
        if who in couple["members"]:
            return i
    return None


def _side_out(side: Any) -> tuple[str | None, str | None]:
    if side is None or isinstance(side, str):
        return side, None
    return side["program"], side["supplemental"]


def get_rank_list(
    doc: dict[str, Any], who: str, *, supplemental: str | None = None
) -> tuple[list[tuple[str | None, ...]], list[str]]:
    """The rank list of program or applicant ``who`` (a couple's, if ``who`` is in one).

    Returns the entries and the CSV header that describes them.
    """
    if who in doc["programs"]:
        return [(a,) for a in doc["programs"][who].get("rol", [])], ["rank", "applicant"]
    if who not in doc.get("applicants", {}):
        msg = f"{who!r} is neither a program code nor an applicant id in this instance"
        raise NotFoundError(msg)
    applicant = doc["applicants"][who]
    if supplemental is not None:
        lists = applicant.get("supplemental_lists", {})
        if supplemental not in lists:
            msg = f"applicant {who!r} has no supplemental list named {supplemental!r}"
            raise NotFoundError(msg)
        return [(p,) for p in lists[supplemental]], ["rank", "program"]
    c = _couple_index(doc, who)
    if c is not None:
        pairs = doc["couples"][c].get("rol", [])
        if any(_side_out(s)[1] for pair in pairs for s in pair):
            rows: list[tuple[str | None, ...]] = [
                (*_side_out(p1), *_side_out(p2)) for p1, p2 in pairs
            ]
            return rows, ["rank", "program_1", "supplemental_1", "program_2", "supplemental_2"]
        return [(_side_out(p1)[0], _side_out(p2)[0]) for p1, p2 in pairs], [
            "rank",
            "program_1",
            "program_2",
        ]
    rol = applicant.get("rol", [])
    if any(not isinstance(e, str) for e in rol):
        return [_side_out(e) for e in rol], ["rank", "program", "supplemental"]
    return [(p,) for p in rol], ["rank", "program"]


def _side_in(program: str | None, lst: str | None) -> Any:
    if program is None or lst is None:
        return program
    return {"program": program, "supplemental": lst}


def set_rank_list(
    doc: dict[str, Any],
    who: str,
    entries: Sequence[tuple[str | None, ...]],
    *,
    supplemental: str | None = None,
    source: str = "",
) -> dict[str, Any]:
    """A copy of ``doc`` with ``who``'s rank list replaced by ``entries`` (validate it afterwards).

    Raises :class:`~imgpath.errors.InvalidInstanceError` when the entries have more or fewer id
    columns than ``who``'s kind of list takes (nothing in a file is ever silently dropped).
    """
    out = copy.deepcopy(doc)
    width = len(entries[0]) if entries else None
    if who in out["programs"]:
        _check_width(width, (1,), "a program's list", "rank,applicant", source)
        out["programs"][who]["rol"] = [e[0] for e in entries]
        return out
    if who not in out.get("applicants", {}):
        msg = f"{who!r} is neither a program code nor an applicant id in this instance"
        raise NotFoundError(msg)
    applicant = out["applicants"][who]
    if supplemental is not None:
        _check_width(width, (1,), "a supplemental list", "rank,program", source)
        applicant.setdefault("supplemental_lists", {})[supplemental] = [e[0] for e in entries]
        return out
    c = _couple_index(out, who)
    if c is not None:
        _check_width(
            width,
            (2, 4),
            "a couple's list",
            "rank,program_1,program_2 (or with supplemental_1 and supplemental_2)",
            source,
        )
        if entries and len(entries[0]) == 4:
            pairs = [[_side_in(e[0], e[1]), _side_in(e[2], e[3])] for e in entries]
        else:
            pairs = [[e[0], e[1] if len(e) > 1 else None] for e in entries]
        out["couples"][c]["rol"] = pairs
        return out
    _check_width(
        width, (1, 2), "an applicant's list", "rank,program (or rank,program,supplemental)", source
    )
    applicant["rol"] = [_side_in(e[0], e[1] if len(e) > 1 else None) for e in entries]
    return out


def _check_width(
    width: int | None, allowed: tuple[int, ...], what: str, header: str, source: str
) -> None:
    if width is None or width in allowed:
        return
    raise InvalidInstanceError(
        [
            Problem(
                "columns",
                f"the file has {width} id column(s) after the rank, but {what} takes "
                f"{' or '.join(map(str, allowed))}",
                f"write {header}",
            )
        ],
        source=source,
    )
