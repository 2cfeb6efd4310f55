"""A synthetic cohort for the pathway benchmark: varied but valid rows, from a seed.

The people are made up (a benchmark input, never shown as real); they cover every column of the
batch CSV so that every part of the engine runs.
"""

from __future__ import annotations

import csv
import json
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from imgpath.services.pathway import BATCH_COLUMNS

COUNTRIES = [
    "IN",
    "PK",
    "NG",
    "EG",
    "PH",
    "IR",
    "BD",
    "SY",
    "VE",
    "CU",
    "GB",
    "US",
    "CA",
    "DM",
    "GD",
]
STATES = ["NY", "CA", "TX", "FL", "TN", "VA", "IL", "PA", "MI", "NC", "WI", "OH", "MA", "AZ"]


def _day(rng: random.Random, start: date, end: date) -> str:
    return (start + timedelta(days=rng.randrange((end - start).days))).isoformat()


def cohort_row(rng: random.Random, i: int, on: date) -> dict[str, Any]:
    country = rng.choice(COUNTRIES)
    grad = date(rng.randint(2010, 2026), rng.randint(1, 12), 1)
    row: dict[str, Any] = {
        "id": f"p{i:05d}",
        "school_country": country,
        "wdoms_ecfmg_note": rng.choice(["yes", "yes", "yes", "no", "unknown"]),
        "graduation_date": grad.isoformat(),
        "citizenships": ";".join(rng.sample(COUNTRIES[:12], rng.choice([1, 1, 2]))),
        "us_status": rng.choice(["none", "none", "citizen", "permanent_resident", "h1b", "j1"]),
        "in_us": rng.choice(["yes", "no"]),
        "destination": rng.choices(["US", "UK", "CA", "AU"], weights=[85, 7, 5, 3])[0],
        "states": ";".join(rng.sample(STATES, rng.randint(0, 3))),
        "match_year": rng.randint(on.year, on.year + 2),
        "visa": rng.choice(["j1", "h1b", "unknown"]),
        "programs": rng.randint(20, 200),
    }
    if rng.random() < 0.8:
        row["step1_date"] = _day(rng, date(2015, 1, 1), on)
        row["step1_result"] = rng.choice(["pass", "pass", "pass", "fail"])
    if rng.random() < 0.6:
        row["step2ck_date"] = _day(rng, date(2016, 1, 1), on)
        row["step2ck_result"] = rng.choice(["pass", "pass", "fail"])
        row["step2ck_score"] = rng.randint(200, 270)
    if rng.random() < 0.5:
        row["oet_date"] = _day(rng, date(2020, 1, 1), on)
        for part in ("listening", "reading", "writing", "speaking"):
            row[f"oet_{part}"] = rng.randint(280, 450)
        row["pathway"] = rng.randint(1, 6)
        row["pathway_status"] = rng.choice(["applied", "accepted", "accepted", "rejected"])
    row["credentials_verified"] = rng.choice(["yes", "no", "in_progress", "unknown"])
    if rng.random() < 0.2:
        row["certificate_date"] = _day(rng, date(2018, 1, 1), on)
    return row


def write_cohort(path: Path, n: int, *, seed: int, on: date) -> None:
    """Write ``n`` people as CSV (``.csv``) or JSON Lines (``.jsonl``)."""
    rng = random.Random(seed)
    rows = [cohort_row(rng, i, on) for i in range(n)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        if path.suffix == ".csv":
            writer = csv.DictWriter(handle, fieldnames=list(BATCH_COLUMNS), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        else:
            from imgpath.services.pathway import profile_from_row

            for row in rows:
                handle.write(
                    json.dumps(profile_from_row({k: str(v) for k, v in row.items()})) + "\n"
                )
