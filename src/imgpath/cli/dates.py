"""Days on the command line: ``--on DATE`` for every command that evaluates as of a day."""

from __future__ import annotations

from datetime import date

from imgpath.errors import InvalidInputError

__all__ = ["parse_day"]


def parse_day(value: str | None) -> date:
    """The evaluation day: --on, or today (the only place the CLI reads the clock)."""
    if value is None:
        return date.today()  # noqa: DTZ011 - "today" is the user's local day by design
    try:
        return date.fromisoformat(value)
    except ValueError:
        msg = f"--on {value!r}: not a date; write it as YYYY-MM-DD"
        raise InvalidInputError(msg) from None
