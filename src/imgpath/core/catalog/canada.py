"""Canada: the CaRMS R-1 (first-iteration) program streams, with who each stream is open to.

CaRMS lists each program as one or more *streams*: "CMG Stream for CMG" (Canadian medical
graduates only), "IMG Stream for IMG" (international medical graduates only), "Regular Stream for
All" (both), and a few others (the Canadian Forces' MOTP/MMTP, return-of-service streams).  The
word after "for" says who may apply; imgpath reads it into :attr:`CanadaStream.open_to`.  CaRMS
residency is for Canadian citizens and permanent residents (see the pathway rules for Canada).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from imgpath.errors import InvalidInputError, Problem

__all__ = [
    "CANADA_COLUMNS",
    "OPEN_TO",
    "CanadaQuery",
    "CanadaStream",
    "parse_streams",
    "search_streams",
]

CANADA_COLUMNS = ("discipline_id", "discipline_name", "school_id", "school_name", "program_stream_id",
                  "program_stream_name", "program_site", "program_stream", "program_name", "program_url")  # fmt: skip

OPEN_TO = {
    "IMG": "international medical graduates only (an IMG stream)",
    "All": "Canadian and international medical graduates",
    "CMG": "Canadian medical graduates only",
    "MOTP/MMTP": "Canadian Armed Forces medical officers only",
}

_FOR = re.compile(r"\bfor\s+(.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class CanadaStream:
    stream_id: str
    discipline: str
    school: str
    site: str
    stream: str
    name: str
    url: str

    @property
    def open_to(self) -> str:
        found = _FOR.search(self.stream)
        return found.group(1).strip() if found else "unknown"

    @property
    def img_eligible(self) -> bool:
        """Whether an IMG may apply (an IMG stream or one open to all)."""
        return self.open_to in ("IMG", "All")

    @property
    def img_stream(self) -> bool:
        return self.open_to == "IMG"

    def to_dict(self) -> dict[str, Any]:
        return {"stream_id": self.stream_id, "discipline": self.discipline, "school": self.school,
                "site": self.site, "stream": self.stream, "open_to": self.open_to,
                "img_stream": self.img_stream, "img_eligible": self.img_eligible, "name": self.name,
                "url": self.url}  # fmt: skip


def parse_streams(rows: Iterable[Mapping[str, str]], *, source: str) -> list[CanadaStream]:
    """Streams from rows of the bundled CaRMS list; every bad row is reported at once."""
    out: list[CanadaStream] = []
    problems: list[Problem] = []
    for number, row in enumerate(rows, start=2):
        missing = [c for c in ("program_stream_id", "discipline_name", "school_name", "program_stream")
                   if not (row.get(c) or "").strip()]  # fmt: skip
        if missing:
            problems.append(Problem(f"{source} row {number}", f"empty {', '.join(missing)}"))
            continue
        url = (row.get("program_url") or "").strip()
        out.append(CanadaStream(row["program_stream_id"].strip(), row["discipline_name"].strip(),
                                row["school_name"].strip(), (row.get("program_site") or "").strip(),
                                row["program_stream"].strip(), (row.get("program_name") or "").strip(),
                                url if url.startswith("https://") else ""))  # fmt: skip
    if problems:
        more = " (the first 20 shown)" if len(problems) > 20 else ""
        msg = f"{len(problems)} bad row(s){more}: " + "; ".join(str(p) for p in problems[:20])
        raise InvalidInputError(msg)
    return out


@dataclass(frozen=True)
class CanadaQuery:
    disciplines: tuple[str, ...] = ()
    """Parts of discipline names ("family medicine")."""
    schools: tuple[str, ...] = ()
    img_only: bool = False
    """Only IMG streams; otherwise every stream an IMG may apply to (IMG and "for All")."""
    all_streams: bool = False
    """Also streams closed to IMGs (shown as such)."""
    limit: int = 20
    offset: int = 0


def search_streams(streams: Sequence[CanadaStream], query: CanadaQuery) -> list[CanadaStream]:
    """Streams matching the query, IMG streams first, then by discipline, school and site."""

    def wanted(stream: CanadaStream) -> bool:
        if query.disciplines and not any(
            d.lower() in stream.discipline.lower() for d in query.disciplines
        ):
            return False
        if query.schools and not any(s.lower() in stream.school.lower() for s in query.schools):
            return False
        if query.img_only:
            return stream.img_stream
        return query.all_streams or stream.img_eligible

    found = [s for s in streams if wanted(s)]
    return sorted(
        found,
        key=lambda s: (
            not s.img_stream,
            not s.img_eligible,
            s.discipline,
            s.school,
            s.site,
            s.stream_id,
        ),
    )
