"""What the app accepts from people, checked in one place: text, email addresses, ids, stored
documents (the profile), and what it writes into spreadsheets.

Every check returns :class:`Problem`s naming the field, so each edge (form, API, CLI) can word
them for its users; nothing here raises on bad input except :func:`require`.

* Text: no NUL (PostgreSQL cannot store it), no lone surrogate (cannot be encoded as UTF-8, so
  it would break every page that shows it), no control characters in one-line fields (a name,
  a title); a length limit per field.
* Email: one strict syntax check (``email-validator``), lower-cased.
* Ids: 1 to 2³¹−1 (the database's integer), anything else is named.
* Documents: bounded size, depth, string length and integer size; dates within bounds.
* CSV cells: formulas neutralised (OWASP "CSV Injection").
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from email_validator import EmailNotValidError, validate_email

from imgpath.core.field_checks import neutralise_cell, text_problems
from imgpath.errors import FormError, Problem, require

__all__ = [
    "MAX_ID",
    "FormError",
    "check_email",
    "check_id",
    "document_problems",
    "neutralise_cell",
    "require",
    "text_problems",
]

MAX_ID = 2_147_483_647
"""Largest id the database stores (a signed 32-bit integer)."""
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}($|T)")


def check_email(value: str, field: str = "email") -> tuple[str, list[Problem]]:
    """The address lower-cased, and its problems: one strict check for every email imgpath keeps."""
    text = value.strip()
    bad = text_problems(text, field, most=254)
    if bad:
        return text.lower(), bad
    try:
        found = validate_email(text, check_deliverability=False, allow_quoted_local=False,
                               allow_domain_literal=False)  # fmt: skip
    except EmailNotValidError as exc:
        return text.lower(), [
            Problem(field, f"is not an email address ({exc})", "write it as name@example.org")
        ]
    return found.normalized.lower(), []


def check_id(value: Any, field: str) -> tuple[int | None, list[Problem]]:
    """A record id from a form or query (1 to 2³¹−1)."""
    try:
        number = int(str(value).strip())
    except ValueError:
        return None, [
            Problem(field, f"{str(value)[:40]!r} is not an id", "choose one from the list")
        ]
    if not 1 <= number <= MAX_ID:
        return None, [
            Problem(
                field, "is not an id (it must be 1 to 2,147,483,647)", "choose one from the list"
            )
        ]
    return number, []


def document_problems(data: Any, *, field: str, most_bytes: int, depth: int = 24, string: int = 5_000,
                      earliest: date = date(1900, 1, 1), latest: date = date(2100, 12, 31)) -> list[Problem]:  # fmt: skip
    """What makes ``data`` (parsed JSON or YAML) unfit to store and show, each at its path.

    Walks iteratively (no recursion limit to hit); checks the nesting depth, each key and
    string, integers (at most 15 digits), floats (finite), dates (``earliest`` to ``latest``),
    and the stored size.  Values of other types (bytes, sets) are named too.
    """
    out: list[Problem] = []
    stack: list[tuple[Any, str, int]] = [(data, field, 0)]
    while stack and len(out) < 20:
        value, path, level = stack.pop()
        if level > depth:
            out.append(
                Problem(
                    path or field or "profile",
                    f"is nested more than {depth} levels deep",
                    "flatten it",
                )
            )
            continue
        if isinstance(value, Mapping):
            for key, item in value.items():
                if not isinstance(key, str):
                    out.append(Problem(path, f"has a key that is not text ({type(key).__name__})",
                                       "quote the key"))  # fmt: skip
                    continue
                where = f"{path}.{key[:40]}" if path else key[:40]
                out.extend(text_problems(key, where, most=200))
                stack.append((item, where, level + 1))
        elif isinstance(value, list | tuple):
            stack.extend(
                (item, f"{path or field or 'item'}[{i}]", level + 1) for i, item in enumerate(value)
            )
        elif isinstance(value, str):
            out.extend(text_problems(value, path, most=string, single_line=False))
            if _ISO_DAY.match(value):  # a date written as text: a real day, within bounds
                try:
                    day = date.fromisoformat(value[:10])
                except ValueError:
                    out.append(
                        Problem(
                            path, f"{value[:10]} is not a date", "use YYYY-MM-DD, e.g. 2022-07-15"
                        )
                    )
                else:
                    if not earliest <= day <= latest:
                        out.append(Problem(path, f"{value[:10]} is outside {earliest.year}-{latest.year}",
                                           "check the year"))  # fmt: skip
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, int):
            if abs(value) >= 10**15:
                out.append(Problem(path, "is a number too large to be real", "check the digits"))
        elif isinstance(value, float):
            if not math.isfinite(value):
                out.append(Problem(path, "is not a finite number", "write a number"))
        elif isinstance(value, date | datetime):
            day = value.date() if isinstance(value, datetime) else value
            if not earliest <= day <= latest:
                out.append(Problem(path, f"{day.isoformat()} is outside {earliest.year}-{latest.year}",
                                   "check the year"))  # fmt: skip
        else:
            out.append(Problem(path, f"holds a value of type {type(value).__name__}, which cannot be stored",
                               "write it as text, a number, a date, a list or a mapping"))  # fmt: skip
    if not out:
        size = len(json.dumps(data, default=str, ensure_ascii=False).encode())
        if size > most_bytes:
            out.append(Problem(field or "profile", f"is {size:,} bytes; at most {most_bytes:,} are kept",
                               "remove what the profile does not need"))  # fmt: skip
    return out
