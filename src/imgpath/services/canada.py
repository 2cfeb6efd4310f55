"""Canada's program list: the CaRMS 2025 R-1 streams that ship with imgpath."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from imgpath.core.catalog.canada import CanadaQuery, CanadaStream, parse_streams, search_streams

__all__ = ["CANADA_LIST", "CANADA_SOURCE", "CanadaResult", "canada_streams", "search_canada"]

CANADA_LIST = "carms_2025_r1_program_streams.csv"
CANADA_SOURCE = ("CaRMS 2025 R-1 Main Residency Match program streams (815), public CaRMS pages as "
                 "scraped in github.com/dnokes/Junior-Data-Scientist @ 2774547 (1503_program_master.xlsx), "
                 "as of 2026-02-02")  # fmt: skip


@cache
def canada_streams() -> tuple[CanadaStream, ...]:
    text = (
        resources.files("imgpath")
        .joinpath("data", "catalog", CANADA_LIST)
        .read_text(encoding="utf-8-sig")
    )
    return tuple(parse_streams(csv.DictReader(io.StringIO(text)), source=CANADA_LIST))


@dataclass(frozen=True)
class CanadaResult:
    total: int
    img_streams: int
    """Of ``total``, streams reserved for IMGs."""
    streams: tuple[CanadaStream, ...]
    query: CanadaQuery

    def to_dict(self) -> dict[str, Any]:
        return {"country": "CA", "total": self.total, "img_streams": self.img_streams,
                "offset": self.query.offset, "limit": self.query.limit, "source": CANADA_SOURCE,
                "note": "CaRMS residency is open to Canadian citizens and permanent residents; "
                        "IMG streams are for international medical graduates among them",
                "streams": [s.to_dict() for s in self.streams]}  # fmt: skip


def search_canada(query: CanadaQuery) -> CanadaResult:
    """The streams an IMG may apply to (IMG streams first), filtered and paged."""
    found = search_streams(canada_streams(), query)
    page = (
        found[query.offset : query.offset + query.limit] if query.limit else found[query.offset :]
    )
    return CanadaResult(len(found), sum(s.img_stream for s in found), tuple(page), query)
