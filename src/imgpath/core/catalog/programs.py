"""Match programs as the catalog knows them: an NRMP program code, its track and where it is.

The bundled list is NRMP's nationwide program list as of the 2023 Match (6,263 tracks), with the
state inferred from the institution's name or, for about 1,900 rows, from the list's order; such
rows say so (``state_inferred``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from imgpath.core.geography import is_us_state
from imgpath.errors import InvalidInputError, Problem

__all__ = ["PROGRAM_COLUMNS", "TRACK_TYPES", "Program", "parse_programs"]

TRACK_TYPES = {
    "C": "Categorical",
    "P": "Preliminary (PGY-1 only)",
    "A": "Advanced (PGY-2 start)",
    "R": "Physician/Reserved (PGY-2 start)",
    "M": "Primary care categorical",
}

PROGRAM_COLUMNS = (
    "nrmp_program_code", "program_track_name", "specialty_code", "specialty_name", "track_type",
    "institution_code", "institution_name", "state", "state_method",
)  # fmt: skip

_CODE = re.compile(r"^\d{7}[CPARM]\d{1,2}$")


@dataclass(frozen=True, slots=True)
class Program:
    """One NRMP program track."""

    code: str
    track: str
    specialty_code: str
    specialty: str
    track_type: str
    institution_code: str
    institution: str
    state: str
    state_inferred: bool

    @property
    def name(self) -> str:
        return f"{self.institution}: {self.track}"

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "track": self.track,
            "specialty": self.specialty,
            "specialty_code": self.specialty_code,
            "type": self.track_type,
            "institution": self.institution,
            "institution_code": self.institution_code,
            "state": self.state,
            "state_inferred": self.state_inferred,
        }


def parse_programs(rows: Iterable[Mapping[str, str]], *, source: str) -> list[Program]:
    """Programs from rows of the bundled list's columns; every bad row is reported at once."""
    out: list[Program] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        missing = [c for c in PROGRAM_COLUMNS if not (row.get(c) or "").strip()]
        if missing:
            problems.append(Problem(f"row {number}", f"empty {', '.join(missing)}"))
            continue
        code = row["nrmp_program_code"].strip()
        kind = row["track_type"].strip()
        state = row["state"].strip()
        if not _CODE.match(code) or code[7] != kind:
            problems.append(
                Problem(
                    f"row {number}.nrmp_program_code",
                    f"{code!r} is not an NRMP code of type {kind}",
                )
            )
        elif kind not in TRACK_TYPES:
            problems.append(Problem(f"row {number}.track_type", f"unknown track type {kind!r}"))
        elif not is_us_state(state):
            problems.append(Problem(f"row {number}.state", f"unknown state {state!r}"))
        elif code in seen:
            problems.append(Problem(f"row {number}.nrmp_program_code", f"{code} appears twice"))
        else:
            seen.add(code)
            out.append(
                Program(
                    code=code,
                    track=row["program_track_name"].strip(),
                    specialty_code=row["specialty_code"].strip(),
                    specialty=row["specialty_name"].strip(),
                    track_type=kind,
                    institution_code=row["institution_code"].strip(),
                    institution=row["institution_name"].strip(),
                    state=state,
                    state_inferred=row["state_method"].strip() != "name_suffix",
                )
            )
    if problems:
        lines = "\n".join(f"  - {p}" for p in problems[:20])
        msg = f"{source}: {len(problems)} bad program row(s):\n{lines}"
        raise InvalidInputError(msg)
    return out
