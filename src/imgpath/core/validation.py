"""Turn pydantic's validation errors into :class:`~imgpath.errors.Problem` lists people can act on."""

from __future__ import annotations

from pydantic import ValidationError

from imgpath.errors import Problem

__all__ = ["HINTS", "location", "problems_from"]

HINTS = {
    "missing": "add it",
    "extra_forbidden": "remove it, or check its spelling against the documented format",
    "int_type": "write a whole number without quotes",
    "int_parsing": "write a whole number",
    "float_type": "write a number",
    "float_parsing": "write a number",
    "string_type": "write it as a quoted string",
    "bool_type": "write true or false",
    "bool_parsing": "write true or false",
    "date_type": "write a date as YYYY-MM-DD",
    "date_from_datetime_parsing": "write a date as YYYY-MM-DD",
    "date_parsing": "write a date as YYYY-MM-DD",
    "too_short": "check how many items this needs",
    "too_long": "check how many items this needs",
    "literal_error": "use one of the listed values",
    "greater_than_equal": "use a larger value",
    "less_than_equal": "use a smaller value",
}

_NOISE = {"str", "SupplementalRef", "none", "list[str]", "int", "float", "bool"}


def location(loc: tuple[str | int, ...], *, keyed: frozenset[str] = frozenset()) -> str:
    """A readable path such as ``programs['P1'].rol[3]``; ``keyed`` names mappings keyed by id."""
    parts: list[str] = []
    previous = ""
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif item in _NOISE or item.startswith(("function-", "typed-dict", "nullable", "literal[")):
            continue
        elif previous in keyed:
            parts.append(f"[{item!r}]")
        else:
            parts.append(("." if parts else "") + item)
        previous = str(item)
    return "".join(parts)


def problems_from(exc: ValidationError, *, keyed: frozenset[str] = frozenset()) -> list[Problem]:
    """One problem per location (a union reports one error per alternative; keep the first)."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for err in exc.errors():
        where = location(tuple(err["loc"]), keyed=keyed)
        if where in seen:
            continue
        seen.add(where)
        message = err["msg"].rstrip(".").removeprefix("Value error, ")
        message = message[:1].lower() + message[1:]
        problems.append(Problem(where, message, HINTS.get(err["type"], "")))
    return problems
