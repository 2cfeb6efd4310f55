"""CSV cells a spreadsheet shows as text and never runs as a formula (OWASP "CSV Injection").

Every CSV imgpath writes, from the web app or the CLI, goes through :func:`writer` or
:func:`dict_writer`: a text cell that a spreadsheet would read as a formula (it starts, after
spaces, with = + - @ tab CR LF or their full-width forms) gets a leading apostrophe, which
spreadsheets hide and which marks the cell as text.  Numbers pass unchanged.

Exports that imgpath reads back (rank lists, claims, bundles, the tracker's applications) stay
exact: :func:`restore_cell` removes exactly the apostrophe :func:`neutralise_cell` added, and
the CSV readers apply it, so ``restore_cell(neutralise_cell(x)) == x`` for every text.

Pure: formatting only; the caller owns the stream.
"""

from __future__ import annotations

import csv
from collections.abc import Collection, Iterable, Mapping
from typing import Any

__all__ = [
    "FORMULA_START",
    "SafeWriter",
    "dict_writer",
    "neutralise_cell",
    "restore_cell",
    "writer",
]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""OWASP's list (= + - @ tab CR), line feed, and their full-width forms, which spreadsheets
also read as formula starts."""


def _marked(text: str) -> bool:
    """Whether ``text`` must be written with a leading apostrophe: it would run as a formula,
    or it already starts with apostrophes before such text (so reading it back stays exact)."""
    bare = text.lstrip("'")
    return bare.lstrip(" ").startswith(FORMULA_START)


def neutralise_cell(value: Any) -> Any:
    """The cell as a spreadsheet must get it: formula-like text with a leading apostrophe."""
    if isinstance(value, str) and _marked(value):
        return "'" + value
    return value


def restore_cell(text: str) -> str:
    """The text :func:`neutralise_cell` was given (readers of imgpath's own exports)."""
    if text.startswith("'") and _marked(text[1:]):
        return text[1:]
    return text


class SafeWriter:
    """:func:`csv.writer` whose every cell goes through :func:`neutralise_cell`."""

    def __init__(self, out: Any, **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([neutralise_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class _SafeDictWriter(csv.DictWriter):  # type: ignore[type-arg]
    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return super().writerow({k: neutralise_cell(v) for k, v in rowdict.items()})

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]) -> None:
        for row in rowdicts:
            self.writerow(row)


def writer(out: Any, **options: Any) -> SafeWriter:
    """A CSV writer on ``out`` that neutralises formulas (options as :func:`csv.writer`)."""
    return SafeWriter(out, **options)


def dict_writer(out: Any, fieldnames: Collection[str], **options: Any) -> csv.DictWriter:  # type: ignore[type-arg]
    """A :class:`csv.DictWriter` on ``out`` that neutralises formulas."""
    return _SafeDictWriter(out, fieldnames=fieldnames, **options)
