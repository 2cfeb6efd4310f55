"""The advisor's cohort table: for each applicant who shared, where they are and what is missing."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from imgpath.core import csv_safety
from imgpath.core.season.records import APPLICATION_STATUSES

__all__ = ["COHORT_COLUMNS", "cohort_csv", "cohort_row", "keep_row", "missing_items", "wanted"]

COHORT_COLUMNS = (
    "Name",
    "Email",
    "Applications",
    "Furthest stage",
    "Next date",
    "Next item",
    "Missing",
)


def wanted(person: Mapping[str, Any], words: str) -> bool:
    """Whether the person's name or email holds ``words`` (any case; empty keeps everyone)."""
    text = words.strip().lower()
    return not text or text in f"{person['name']} {person['email']}".lower()


def missing_items(*, has_profile: bool, documents: Iterable[Mapping[str, Any]],
                  letters: Iterable[Mapping[str, Any]], interviewed: bool, has_rank_list: bool) -> list[str]:  # fmt: skip
    """What the applicant still lacks: a profile, documents not done, letters not uploaded, and
    a rank list once they have interviewed."""
    missing = [] if has_profile else ["profile"]
    missing += [f"document: {d['title']}" for d in documents if not d["done"]]
    missing += [f"letter: {x['writer']}" for x in letters if x["status"] != "uploaded"]
    if interviewed and not has_rank_list:
        missing.append("rank list")
    return missing


def cohort_row(person: Mapping[str, Any], applications: Sequence[Mapping[str, Any]],
               upcoming: Sequence[Mapping[str, Any]], missing: list[str]) -> dict[str, Any]:  # fmt: skip
    """One row: counts by status, the furthest stage reached, the next dated item, what is missing."""
    counts = Counter(a["status"] for a in applications)
    return {**person, "applications": len(applications),
            "by_status": {s: counts[s] for s in APPLICATION_STATUSES if counts[s]},
            "stage": next((s for s in reversed(APPLICATION_STATUSES[:-1]) if counts[s]), "none"),
            "next": upcoming[0] if upcoming else None, "missing": missing}  # fmt: skip


def keep_row(row: Mapping[str, Any], *, stage: str = "", missing_only: bool = False) -> bool:
    return (not stage or row["stage"] == stage) and (bool(row["missing"]) or not missing_only)


def cohort_csv(rows: Iterable[Mapping[str, Any]]) -> str:
    """The table as CSV (cells that a spreadsheet would run as formulas are neutralised)."""
    out = io.StringIO()
    writer = csv_safety.writer(out, lineterminator="\r\n")
    writer.writerow(COHORT_COLUMNS)
    for r in rows:
        nxt = r["next"] or {}
        writer.writerow((
            r["name"], r["email"], r["applications"], r["stage"], nxt.get("date", ""),
            nxt.get("title", ""), "; ".join(r["missing"])))  # fmt: skip
    return out.getvalue()
