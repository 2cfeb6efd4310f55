"""The LCA importer on national-scale files: time and peak memory, 30,000 vs 300,000 rows.

DOL's quarterly LCA disclosure files hold hundreds of thousands of rows (most of them not
physicians). The importer must stream: its peak memory should not grow with the file. Each
import runs in a fresh process (``python benchmarks/evidence.py ROWS``) so that its peak resident
memory (``ru_maxrss``) is its own.
"""

from __future__ import annotations

import csv
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

HEADER = ["CASE_NUMBER", "CASE_STATUS", "RECEIVED_DATE", "DECISION_DATE", "VISA_CLASS", "JOB_TITLE", "SOC_CODE",
          "SOC_TITLE", "BEGIN_DATE", "END_DATE", "TOTAL_WORKER_POSITIONS", "EMPLOYER_NAME", "EMPLOYER_CITY",
          "EMPLOYER_STATE", "WORKSITE_CITY", "WORKSITE_STATE", "WAGE_RATE_OF_PAY_FROM", "WAGE_RATE_OF_PAY_TO",
          "WAGE_UNIT_OF_PAY", "PREVAILING_WAGE", "PW_UNIT_OF_PAY"]  # fmt: skip
EMPLOYERS = [("THE UNIVERSITY OF ALABAMA AT BIRMINGHAM", "BIRMINGHAM", "AL"), ("MAYO CLINIC", "ROCHESTER", "MN"),
             ("ALBANY MEDICAL CENTER", "ALBANY", "NY"), ("BROOKWOOD BAPTIST HEALTH", "BIRMINGHAM", "AL"),
             ("THE BROOKLYN HOSPITAL CENTER", "BROOKLYN", "NY")]  # fmt: skip


def write_lca(path: Path, rows: int, seed: int = 1) -> None:
    """A CSV in the LCA layout: 1 row in 100 a resident physician, the rest other jobs."""
    rng = random.Random(seed)
    start = date(2024, 10, 1)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(rows):
            day = start + timedelta(days=rng.randrange(360))
            if i % 100 == 0:
                employer, city, state = rng.choice(EMPLOYERS)
                job, soc = "RESIDENT PHYSICIAN PGY-1", "29-1216.00"
            else:
                employer, city, state = f"EMPLOYER {rng.randrange(40_000)} LLC", "AUSTIN", "TX"
                job, soc = "SOFTWARE ENGINEER", "15-1252.00"
            writer.writerow([f"I-200-{24000 + i // 100_000:05d}-{i % 1_000_000:06d}", "Certified",
                             day.isoformat(), day.isoformat(), "H-1B", job, soc, "x", day.isoformat(),
                             (day + timedelta(days=1000)).isoformat(), 1, employer, city, state, city, state,
                             "65000.00", "", "Year", "61000.00", "Year"])  # fmt: skip


def measure(rows: int) -> tuple[float, float]:
    """(seconds, peak resident MB) of importing a file of ``rows`` rows, in a fresh process."""
    done = subprocess.run(
        [sys.executable, __file__, str(rows)], check=True, capture_output=True, text=True
    )
    seconds, megabytes = done.stdout.split()
    return float(seconds), float(megabytes)


def _child(rows: int) -> None:
    from imgpath.catalog import open_catalog

    folder = Path(tempfile.mkdtemp(prefix="imgpath-lca-"))
    path = folder / "LCA_Disclosure_Data_FY2025_Q4.csv"
    write_lca(path, rows)
    catalog = open_catalog(f"sqlite:///{folder / 'catalog.sqlite3'}")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    result = catalog.import_evidence(path, "dol_lca", now=datetime.now(UTC))
    seconds = time.perf_counter() - start
    assert result.kept == (rows + 99) // 100, result.to_dict()
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, before)
    catalog.close()
    print(f"{seconds:.3f} {peak / 1024:.1f}")


if __name__ == "__main__":
    _child(int(sys.argv[1]))
