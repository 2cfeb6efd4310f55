"""NRMP-style CSV rank lists: one ``rank,id`` line per entry, for people coming from spreadsheets.

A program's list names applicant ids; an applicant's names program codes; a couple's list has two
id columns (``rank,program_1,program_2``, an empty cell meaning "No Match").  A header line is
optional.  Ranks must run 1, 2, 3, ... in order, so that a sorted spreadsheet cannot silently
reorder someone's preferences.
"""

from __future__ import annotations

import copy
import csv
import io
from collections.abc import Sequence
from typing import Any

from imgpath.errors import InvalidInstanceError, NotFoundError, Problem

__all__ = ["format_rank_list", "get_rank_list", "parse_rank_list", "set_rank_list"]


def parse_rank_list(
    text: str, *, source: str, columns: int | None = 1
) -> list[tuple[str | None, ...]]:
    """Parse ``rank,id[,id2]`` lines into the ids in rank order; every fault names its line.

    ``columns`` is the number of id columns after the rank; None takes it from the first line.
    """
    problems: list[Problem] = []
    rows = list(csv.reader(io.StringIO(text)))
    entries: list[tuple[str | None, ...]] = []
    start = 0
    if rows and rows[0] and not rows[0][0].strip().isdigit():
        start = 1  # a header such as "rank,id"
    for line, row in enumerate(rows[start:], start=start + 1):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        where = f"line {line}"
        if columns is None:
            columns = max(len(cells) - 1, 1)
        if len(cells) != columns + 1:
            want = "rank,id" if columns == 1 else "rank,program_1,program_2"
            noun = "column" if len(cells) == 1 else "columns"
            problems.append(Problem(where, f"has {len(cells)} {noun}", f"write '{want}'"))
            continue
        rank = cells[0]
        if not rank.isdigit():
            problems.append(
                Problem(
                    where, f"rank {rank!r} is not a whole number", "number the ranks 1, 2, 3, ..."
                )
            )
            continue
        if int(rank) != len(entries) + 1:
            problems.append(
                Problem(
                    where,
                    f"rank {rank} where {len(entries) + 1} was expected",
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
        entries.append(ids)
    if problems:
        raise InvalidInstanceError(problems[:50], source=source, truncated=len(problems) > 50)
    return entries


def format_rank_list(entries: Sequence[tuple[str | None, ...]], *, header: Sequence[str]) -> str:
    """Write entries as CSV with a header and ranks 1, 2, 3, ..."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
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
) -> dict[str, Any]:
    """A copy of ``doc`` with ``who``'s rank list replaced by ``entries`` (validate it afterwards)."""
    out = copy.deepcopy(doc)
    if who in out["programs"]:
        out["programs"][who]["rol"] = [e[0] for e in entries]
        return out
    if who not in out.get("applicants", {}):
        msg = f"{who!r} is neither a program code nor an applicant id in this instance"
        raise NotFoundError(msg)
    applicant = out["applicants"][who]
    if supplemental is not None:
        applicant.setdefault("supplemental_lists", {})[supplemental] = [e[0] for e in entries]
        return out
    c = _couple_index(out, who)
    if c is not None:
        if entries and len(entries[0]) == 4:
            pairs = [[_side_in(e[0], e[1]), _side_in(e[2], e[3])] for e in entries]
        else:
            pairs = [[e[0], e[1] if len(e) > 1 else None] for e in entries]
        out["couples"][c]["rol"] = pairs
        return out
    applicant["rol"] = [_side_in(e[0], e[1] if len(e) > 1 else None) for e in entries]
    return out
