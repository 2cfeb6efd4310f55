"""Community interview-invite sheets: applicants report, anonymously and unverified, that a
program invited them to interview, with what kind of applicant they are.

The layout read here is the community sheet of the 2024 internal-medicine cycle (the bundled file,
from github.com/wavegate/residency-match)::

    Program Code,Date,Program Name,Location,IMG,Degree Type,Geo,Sig,Step1,Step2,Comlex1,Comlex2,
    Visa Required,SubI,Home,Year of graduation,Green card,Away

``IMG`` is ``nonUSIMG``, ``USIMG`` or empty; ``Visa Required`` and the other flags are ``TRUE``,
``FALSE`` or empty; scores are written as people wrote them ("25x" means 250-259).  Such reports
are **self-reported evidence**, shown as such: a biased sample of people who chose to post, not a
count of invitations.  Counts of people below imgpath's privacy threshold are shown as "fewer than
5" (the same k as imgpath's own outcome figures).
"""

from __future__ import annotations

import re
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from imgpath.core.catalog.sources import FieldError, RowProblem, fail, parse_date

__all__ = [
    "INVITE_REQUIRED",
    "InviteReport",
    "InviteSummary",
    "parse_invite_row",
    "summarise_invites",
]

INVITE_REQUIRED = ("Program Code", "Date", "IMG", "Visa Required")

_CODE = re.compile(r"^\d{7}[A-Z]\d{1,2}$")
_KIND = {"nonusimg": "non_us_img", "usimg": "us_img", "": None}
_FLAG = {"true": True, "false": False, "": None, "yes": True, "no": False}


@dataclass(frozen=True)
class InviteReport:
    program_code: str
    reported_on: date
    kind: str | None
    """non_us_img, us_img, us_md, us_do or None (not said)."""
    visa_required: bool | None
    row: int


def _flag(row: Mapping[str, Any], name: str) -> bool | None:
    text = str(row.get(name) or "").strip().lower()
    if text not in _FLAG:
        fail(name, f"{text!r}; write TRUE, FALSE or leave it empty")
    return _FLAG[text]


def parse_invite_row(
    number: int, row: Mapping[str, Any], programs: Container[str]
) -> InviteReport | RowProblem:
    """One report, or the first thing wrong with its row (the code must be in the catalog)."""
    code = str(row.get("Program Code") or "").strip().replace("\u200b", "").upper()
    if not code:
        return RowProblem(
            number,
            "Program Code",
            "empty; the NRMP program code is needed to know which program invited",
        )
    if not _CODE.match(code):
        return RowProblem(number, "Program Code", f"{code!r} is not an NRMP program code")
    if code not in programs:
        return RowProblem(number, "Program Code", f"{code} is not in the catalog's program list")
    try:
        day = parse_date(row.get("Date"), "Date")
        assert day is not None
        img = str(row.get("IMG") or "").strip().lower()
        if img not in _KIND:
            msg = "IMG"
            fail(msg, f"{img!r}; write nonUSIMG, USIMG or leave it empty")
        kind = _KIND[img]
        if kind is None:
            degree = str(row.get("Degree Type") or "").strip().upper()
            kind = {"MD": "us_md", "DO": "us_do"}.get(degree)
        visa = _flag(row, "Visa Required")
    except FieldError as exc:
        return RowProblem(number, exc.field, str(exc))
    return InviteReport(code, day, kind, visa, number)


@dataclass(frozen=True)
class InviteSummary:
    """What a sheet says about one program: how many reports, of which kinds, over which dates."""

    program_code: str
    reports: int
    non_us_img: int
    us_img: int
    visa_required: int
    first: date
    last: date
    source: str
    as_of: str

    def text(self, k: int) -> str:
        def count(n: int) -> str:
            return "none" if n == 0 else (f"fewer than {k}" if n < k else str(n))

        return (f"Self-reported (unverified): {count(self.reports)} interview invitation(s) posted for "
                f"{self.first.isoformat()} to {self.last.isoformat()}; from non-US IMGs {count(self.non_us_img)}, "
                f"US-citizen IMGs {count(self.us_img)}, applicants needing a visa {count(self.visa_required)}")  # fmt: skip

    def to_dict(self, k: int) -> dict[str, Any]:
        def count(n: int) -> int | str:
            return n if n == 0 or n >= k else f"<{k}"

        return {"reports": count(self.reports), "non_us_img": count(self.non_us_img),
                "us_img": count(self.us_img), "visa_required": count(self.visa_required),
                "first": self.first.isoformat(), "last": self.last.isoformat(),
                "source": self.source, "as_of": self.as_of, "self_reported": True}  # fmt: skip


def summarise_invites(
    program_code: str, reports: Sequence[InviteReport], source: str, as_of: str
) -> InviteSummary:
    return InviteSummary(
        program_code,
        len(reports),
        sum(r.kind == "non_us_img" for r in reports),
        sum(r.kind == "us_img" for r in reports),
        sum(r.visa_required is True for r in reports),
        min(r.reported_on for r in reports),
        max(r.reported_on for r in reports),
        source,
        as_of,
    )
