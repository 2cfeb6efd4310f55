"""US clinical experience (USCE): months of rotations, and whether they meet what programs ask.

A month is 365.25 / 12 days; a rotation counts from its first to its last day, both included.
A program's ask is its latest ``usce_months`` claim (with its source and day); when its only
``usce_type`` claims say ``hands_on``, observerships do not count towards it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from imgpath.core.catalog.claims import Claim

__all__ = ["DAYS_PER_MONTH", "months", "rotation_totals", "usce_check"]

DAYS_PER_MONTH = 365.25 / 12


def months(start_on: date, end_on: date) -> float:
    """The rotation's length in months (one decimal), first and last day included."""
    return round(((end_on - start_on).days + 1) / DAYS_PER_MONTH, 1)


def rotation_totals(rotations: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Totals over rotations that carry ``months``, ``kind``, ``cost`` and ``letter_earned``."""
    rows = list(rotations)
    return {
        "months": round(sum(r["months"] for r in rows), 1),
        "hands_on_months": round(sum(r["months"] for r in rows if r["kind"] == "hands_on"), 1),
        "cost": sum(r["cost"] or 0 for r in rows),
        "letters_earned": sum(bool(r["letter_earned"]) for r in rows),
    }


def usce_check(
    code: str, name: str, claims: Sequence[Claim], total: float, hands_on: float
) -> dict[str, Any] | None:
    """Whether ``total`` months (``hands_on`` of them hands-on) meet the program's ask; None when
    the program asks nothing known."""
    asked = [c for c in claims if c.field == "usce_months"]
    if not asked:
        return None
    claim = max(asked, key=lambda c: c.as_of)
    kinds = {c.value for c in claims if c.field == "usce_type"}
    need_hands_on = kinds == {"hands_on"}
    have = hands_on if need_hands_on else total
    return {"program": code, "name": name, "required_months": float(claim.value),
            "hands_on_only": need_hands_on, "have_months": have,
            "met": have >= float(claim.value), "source": claim.source,
            "as_of": claim.as_of.isoformat(), "kind": claim.kind}  # fmt: skip
