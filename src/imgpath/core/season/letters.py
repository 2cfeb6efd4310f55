"""Letters of recommendation assigned to programs, within ERAS's per-program limit.

The limit is read from the rule packs (rule ``US.ERAS.LETTERS.LIMIT``, parameter
``per_program``: four, graded M from a medical school's guide and an advising site), as it stands on the day.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from imgpath.core.pathway.rules import RuleBook
from imgpath.errors import EngineError, Problem

__all__ = ["LETTERS_RULE", "letters_per_program", "too_many_letters"]

LETTERS_RULE = "US.ERAS.LETTERS.LIMIT"


def letters_per_program(book: RuleBook, on: date) -> int:
    """How many letters ERAS lets one program receive, on ``on``."""
    rule = book.at(LETTERS_RULE, on)
    if rule is None or "per_program" not in rule.params:
        msg = f"the rule packs have no {LETTERS_RULE} with per_program in force on {on.isoformat()}"
        raise EngineError(msg)
    return int(rule.params["per_program"])


def too_many_letters(
    program: str, code: str, writers: Sequence[str], writer: str, most: int
) -> Problem:
    """Why ``writer``'s letter was not assigned to a program that holds ``most`` already."""
    return Problem(
        "program_code",
        f"{program} ({code}) already has {most} letters ({', '.join(writers)}); ERAS allows at "
        f"most {most} per program, so {writer}'s letter was not assigned",
        "unassign one of them from this program first",
    )
