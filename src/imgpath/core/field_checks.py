r"""Checks of one text field and of one spreadsheet cell, shared by every edge and the season's
records: what is wrong is returned as :class:`~imgpath.errors.Problem`\s naming the field.

* Text: no NUL (PostgreSQL cannot store it), no lone surrogate (cannot be encoded as UTF-8, so
  it would break every page that shows it), no control characters in one-line fields (a name,
  a title); a length limit per field.
* CSV cells: formulas neutralised (OWASP "CSV Injection"): :mod:`imgpath.core.csv_safety`, re-exported.
"""

from __future__ import annotations

import re

from imgpath.core.csv_safety import neutralise_cell
from imgpath.errors import Problem

__all__ = ["neutralise_cell", "text_problems"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x85]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def text_problems(value: str, field: str, *, most: int, single_line: bool = True,
                  required: bool = False) -> list[Problem]:  # fmt: skip
    """What is wrong with one text value (empty list when it is fine)."""
    out = []
    if "\x00" in value:
        out.append(Problem(field, "contains a NUL character", "retype it as plain text"))
    if _SURROGATE.search(value):
        out.append(Problem(field, "contains a character that is not valid Unicode (a lone surrogate)",
                           "retype it as plain text"))  # fmt: skip
    if single_line and (_LINE_BREAKS.search(value) or _CONTROL.search(value.replace("\x00", ""))):
        out.append(
            Problem(field, "contains a line break or control character", "keep it on one line")
        )
    elif not single_line and _CONTROL.search(value.replace("\x00", "")):
        out.append(Problem(field, "contains a control character", "retype it as plain text"))
    if required and not value.strip():
        out.append(Problem(field, "is required", "fill it in"))
    if len(value) > most:
        out.append(Problem(field, f"is longer than {most:,} characters", "shorten it"))
    return out
