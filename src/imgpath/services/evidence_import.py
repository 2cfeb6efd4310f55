"""Import public program-level evidence: NRMP Program Results, DOL OFLC LCA disclosure files,
ACGME program lists and community invite sheets; and install the bundled examples.

Files stream through (CSV row by row, .xlsx in openpyxl's read-only mode) and are written in
batches, so a full national file (hundreds of thousands of LCA rows) runs in bounded memory.
Every kept row records its source and row number; every bad row is reported with its row number
and field, and the good rows are kept.  Names from other lists are matched to NRMP institutions
with ``core.catalog.name_match``; uncertain matches go to a review list instead of into the fit.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from imgpath.core.catalog.acgme import ACGME_REQUIRED, parse_acgme_row
from imgpath.core.catalog.fill_history import parse_program_results_row, year_columns
from imgpath.core.catalog.invites import INVITE_REQUIRED, parse_invite_row
from imgpath.core.catalog.lca import LCA_REQUIRED, H1bFiling, normalise_header, parse_lca_row
from imgpath.core.catalog.name_match import Candidate, match_name
from imgpath.core.catalog.programs import Program
from imgpath.core.catalog.sources import IMPORT_KINDS, RowProblem, Source
from imgpath.errors import DocumentSyntaxError, InvalidInputError, NotFoundError
from imgpath.storage.evidence_store import EvidenceStore

__all__ = [
    "BATCH",
    "BUNDLED_SOURCES",
    "ImportResult",
    "import_evidence",
    "install_bundled_evidence",
    "match_acgme",
    "match_employers",
]

BATCH = 2000
"""Rows written per transaction."""
PROBLEMS_KEPT = 1000
"""Bad rows listed in full (the count is always exact)."""
BUNDLED_SOURCES = "evidence_sources.csv"

Progress = Callable[[str, float], None]
_NOT_UTF8 = re.compile("[\udc80-\udcff]")
"""Bytes that were not UTF-8, kept as surrogates so that the row (not the file) is rejected."""


@dataclass
class ImportResult:
    """What an import did, row by row."""

    source: Source
    read: int = 0
    kept: int = 0
    skipped: int = 0
    """Rows that are fine but not evidence imgpath keeps (another occupation, another visa)."""
    not_in_catalog: int = 0
    """Rows about programs the catalog's program list does not have."""
    rejected: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    matches: dict[str, int] = field(default_factory=dict)
    """Name matches by status (matched, review, none) for files matched by name."""

    def add_problem(self, problem: RowProblem) -> None:
        self.rejected += 1
        if len(self.problems) < PROBLEMS_KEPT:
            self.problems.append(problem)

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source.to_dict(), "read": self.read, "kept": self.kept,
                "skipped": self.skipped, "not_in_catalog": self.not_in_catalog,
                "rejected": self.rejected, "problems": [p.to_dict() for p in self.problems],
                "problems_listed": len(self.problems), "matches": self.matches}  # fmt: skip


# ----------------------------------------------------------------- reading files


def _rows(path: Path, progress: Progress | None) -> Iterator[tuple[list[str], int, dict[str, Any]]]:
    """(header, row number, row) for each data row of a CSV or .xlsx file, streaming."""
    if not path.exists():
        msg = f"{path}: no such file; check the path"
        raise NotFoundError(msg)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        yield from _xlsx_rows(path, progress)
        return
    size = max(path.stat().st_size, 1)
    with (
        path.open("rb") as raw,
        io.TextIOWrapper(raw, encoding="utf-8-sig", newline="", errors="surrogateescape") as text,
    ):
        reader = csv.reader(text)
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            msg = f"{path}: the file is empty; it needs a header row and data rows"
            raise InvalidInputError(msg) from None
        if any(_NOT_UTF8.search(h) for h in header):
            raise DocumentSyntaxError(str(path), "the header row is not UTF-8 text; save the file as UTF-8",
                                      line=1, column=None)  # fmt: skip
        number = 1
        try:
            for number, cells in enumerate(reader, start=2):
                if not any(c.strip() for c in cells):
                    continue
                if progress and number % 5000 == 0:
                    progress("reading", min(raw.tell() / size, 1.0))
                yield header, number, dict(zip(header, cells, strict=False))
        except csv.Error as exc:
            raise DocumentSyntaxError(
                str(path), f"not valid CSV ({exc})", line=number + 1, column=None
            ) from None


def _xlsx_rows(
    path: Path, progress: Progress | None
) -> Iterator[tuple[list[str], int, dict[str, Any]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise DocumentSyntaxError(
            str(path), f"not a readable .xlsx workbook ({exc})", line=None, column=None
        ) from None
    try:
        sheet = book.worksheets[0]
        total = sheet.max_row or 0
        cells = sheet.iter_rows(values_only=True)
        first = next(cells, None)
        if first is None:
            msg = f"{path}: the first sheet is empty; it needs a header row and data rows"
            raise InvalidInputError(msg)
        header = ["" if h is None else str(h).strip() for h in first]
        for number, values in enumerate(cells, start=2):
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            if progress and number % 5000 == 0 and total:
                progress("reading", number / total)
            yield header, number, dict(zip(header, values, strict=False))
    finally:
        book.close()


def _check_columns(path: Path, header: Sequence[str], required: Sequence[str], kind: str) -> None:
    missing = [c for c in required if c not in header]
    if missing:
        msg = (f"{path}: missing column(s) {', '.join(missing)} for {IMPORT_KINDS[kind]}; "
               f"see docs/reference/importers.md for the layout")  # fmt: skip
        raise InvalidInputError(msg)


# ----------------------------------------------------------------- the importers


def import_evidence(
    store: EvidenceStore,
    programs: Sequence[Program],
    path: str | Path,
    source: Source,
    *,
    bundled: bool = False,
    now: datetime | None = None,
    progress: Progress | None = None,
    as_of_from_data: bool = False,
) -> ImportResult:
    """Import one file of ``source.kind`` into ``store``; see the module docstring.

    With ``as_of_from_data``, the source's date becomes the newest date in the file where the
    layout has one (an LCA file's newest decision)."""
    if source.kind not in IMPORT_KINDS:
        msg = f"kind {source.kind!r}: use one of {', '.join(IMPORT_KINDS)}"
        raise InvalidInputError(msg)
    path = Path(path)
    at = now or datetime.now(UTC)
    rows = _rows(path, progress)
    first = next(
        rows, None
    )  # opens the file: a missing or unreadable one fails before anything is stored
    if first is not None:
        rows = itertools.chain([first], rows)
    stored = store.add_source(source, bundled=bundled, at=at)
    result = ImportResult(stored)
    assert stored.id is not None
    newest = _READERS[source.kind](store, programs, path, rows, stored.id, result)
    if source.kind == "dol_lca":
        result.matches = match_employers(store, programs)
    elif source.kind == "acgme_programs":
        result.matches = match_acgme(store, programs)
    as_of = newest if as_of_from_data else None
    store.finish_source(
        stored.id, read=result.read, kept=result.kept, rejected=result.rejected, as_of=as_of
    )
    if as_of is not None:
        result.source = replace(result.source, as_of=as_of)
    if progress:
        progress("reading", 1.0)
    return result


Rows = Iterator[tuple[list[str], int, dict[str, Any]]]


def _run(
    path: Path,
    rows: Rows,
    kind: str,
    required: Sequence[str],
    parse: Callable[[int, dict[str, Any]], Any],
    put: Callable[[list[Any]], None],
    result: ImportResult,
    *,
    normalise: Callable[[str], str] = str.strip,
    keep: Callable[[Any], bool] = lambda _: True,
) -> None:
    """Stream ``rows`` through ``parse``, count and report in ``result``, and write the kept
    items in batches of BATCH through ``put``.

    ``parse`` returns an item, a RowProblem, or None (a row that is fine but not wanted);
    ``keep`` says whether an item is about a program the catalog knows."""
    batch: list[Any] = []
    checked = False
    for header, number, row in rows:
        if not checked:
            _check_columns(path, [normalise(h) for h in header], required, kind)
            checked = True
        result.read += 1
        garbled = next(
            (k for k, v in row.items() if isinstance(v, str) and _NOT_UTF8.search(v)), None
        )
        if garbled is not None:
            result.add_problem(
                RowProblem(number, normalise(garbled), "not UTF-8 text; save the file as UTF-8")
            )
            continue
        parsed = parse(number, {normalise(k): v for k, v in row.items() if k})
        if parsed is None:
            result.skipped += 1
        elif isinstance(parsed, RowProblem):
            result.add_problem(parsed)
        elif not keep(parsed):
            result.not_in_catalog += 1
        else:
            result.kept += 1
            batch.append(parsed)
            if len(batch) >= BATCH:
                put(batch)
                batch = []
    put(batch)


def _program_results(store: EvidenceStore, programs: Sequence[Program], path: Path, rows: Rows,
                     source_id: int, result: ImportResult) -> date | None:  # fmt: skip
    known = {p.code for p in programs}
    first = next(rows, None)
    if first is None:
        return None
    years = year_columns(first[0])
    _check_columns(path, first[0], ("Program Code",), "nrmp_program_results")
    if not years:
        msg = (
            f"{path}: no year columns; the layout has '2026 Quota' and '2026 Matched' for each year"
        )
        raise InvalidInputError(msg)

    def put(items: list[Any]) -> None:
        store.put_fill(source_id, [(r.program_code, r.table, y, q, m, r.row)
                                   for r in items for y, q, m in r.years])  # fmt: skip

    _run(path, itertools.chain([first], rows), "nrmp_program_results", ("Program Code",),
         lambda n, row: parse_program_results_row(n, row, years), put, result,
         keep=lambda r: r.program_code in known)  # fmt: skip
    return None


def _lca(store: EvidenceStore, _programs: Sequence[Program], path: Path, rows: Rows,
         source_id: int, result: ImportResult) -> date | None:  # fmt: skip
    newest: list[date] = []

    def put(items: list[H1bFiling]) -> None:
        if items:
            newest.append(max(f.decision_date for f in items))
        store.put_filings(source_id, items)

    _run(
        path, rows, "dol_lca", LCA_REQUIRED, parse_lca_row, put, result, normalise=normalise_header
    )
    return max(newest) if newest else None


def _acgme(store: EvidenceStore, _programs: Sequence[Program], path: Path, rows: Rows,
           source_id: int, result: ImportResult) -> date | None:  # fmt: skip
    _run(path, rows, "acgme_programs", ACGME_REQUIRED, parse_acgme_row,
         lambda items: store.put_acgme(source_id, items), result)  # fmt: skip
    return None


def _invites(store: EvidenceStore, programs: Sequence[Program], path: Path, rows: Rows,
             source_id: int, result: ImportResult) -> date | None:  # fmt: skip
    known = {p.code for p in programs}
    _run(path, rows, "invite_sheet", INVITE_REQUIRED, lambda n, row: parse_invite_row(n, row, known),
         lambda items: store.put_invites(source_id, items), result)  # fmt: skip
    return None


_READERS = {"nrmp_program_results": _program_results, "dol_lca": _lca, "acgme_programs": _acgme,
            "invite_sheet": _invites}  # fmt: skip


# ----------------------------------------------------------------- matching names


def _institutions(
    programs: Sequence[Program], specialty: str | None = None
) -> dict[str, list[Candidate]]:
    seen: dict[str, dict[str, Candidate]] = {}
    for p in programs:
        if specialty is None or p.specialty_code == specialty:
            seen.setdefault(p.state, {})[p.institution_code] = Candidate.of(
                p.institution_code, p.institution
            )
    return {state: list(found.values()) for state, found in seen.items()}


def _candidates_json(found: Any) -> list[dict[str, Any]]:
    items = ([found.best] if found.best else []) + list(found.runners_up)
    return [
        {"institution_code": str(c.key), "name": c.name, "score": round(s, 1)} for c, s in items
    ]


def _count(statuses: Sequence[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for status in statuses:
        counts[status] = counts.get(status, 0) + 1
    return counts


def _match_row(kind: str, name: str, state: str, specialty: str, found: Any) -> dict[str, Any]:
    return {"kind": kind, "name": name, "state": state, "specialty_code": specialty,
            "institution_code": None if found.key is None else str(found.key), "score": found.score,
            "status": found.status, "candidates": _candidates_json(found), "decided_at": None}  # fmt: skip


def match_employers(store: EvidenceStore, programs: Sequence[Program]) -> dict[str, int]:
    """Match every employer (by name, in its worksite state) of the stored LCA filings to an NRMP
    institution; decisions people made are kept.  Returns the count per status."""
    by_state = _institutions(programs)
    rows = [_match_row("lca", employer, state, "", match_name([employer], by_state.get(state, []), place=city))
            for employer, state, city in store.employers()]  # fmt: skip
    return _count(store.put_matches(rows))


def match_acgme(store: EvidenceStore, programs: Sequence[Program]) -> dict[str, int]:
    """Match every stored ACGME program to the NRMP institution(s) with programs of its
    specialty in its state (any specialty when NRMP has none there)."""
    everyone = _institutions(programs)
    by_specialty: dict[str, dict[str, list[Candidate]]] = {}
    rows = []
    for program, _ in store.acgme_rows():
        spec = program.specialty_code
        if spec not in by_specialty:
            by_specialty[spec] = _institutions(programs, spec)
        candidates = by_specialty[spec].get(program.state) or everyone.get(program.state, [])
        found = match_name([program.name, program.sponsor, f"{program.sponsor} {program.city}"],
                           candidates, place=program.city)  # fmt: skip
        rows.append(_match_row("acgme", program.acgme_id, program.state, spec, found))
    return _count(store.put_matches(rows))


# ----------------------------------------------------------------- the bundled examples


def bundled_sources() -> list[tuple[Source, Path]]:
    """The evidence files that ship with imgpath, with their provenance (evidence_sources.csv)."""
    folder = resources.files("imgpath").joinpath("data", "catalog")
    text = folder.joinpath(BUNDLED_SOURCES).read_text(encoding="utf-8")
    out = []
    for row in csv.DictReader(io.StringIO(text)):
        source = Source(kind=row["kind"], title=row["title"], publisher=row["publisher"], url=row["url"],
                        licence=row["licence"], as_of=date.fromisoformat(row["as_of"]), file=row["file"],
                        note=row["note"])  # fmt: skip
        out.append((source, Path(str(folder.joinpath(row["file"])))))
    return out


def install_bundled_evidence(
    store: EvidenceStore, programs: Sequence[Program], *, now: datetime | None = None
) -> list[ImportResult]:
    """Import the bundled evidence files once per database (a no-op when already there)."""
    if store.has_bundled():
        return []
    return [import_evidence(store, programs, path, source, bundled=True, now=now)
            for source, path in bundled_sources()]  # fmt: skip


def source_from_options(
    kind: str, path: Path, options: Mapping[str, str | None], today: date
) -> Source:
    """A :class:`Source` for a user's file: defaults per kind, overridden by the options given."""
    defaults = {
        "nrmp_program_results": ("NRMP Program Results", "NRMP (National Resident Matching Program)",
                                 "https://www.nrmp.org/match-data/", "NRMP terms of use"),
        "dol_lca": ("LCA disclosure data (H-1B)", "US Department of Labor, Office of Foreign Labor Certification",
                    "https://www.dol.gov/agencies/eta/foreign-labor/performance", "public domain (US government work)"),
        "acgme_programs": ("ACGME public program list", "ACGME Accreditation Data System",
                           "https://apps.acgme.org/ads/Public/Programs/Search", "ACGME terms of use"),
        "invite_sheet": ("Community interview-invite sheet (self-reported)", "applicants posting anonymously",
                         str(path.name), "as stated by whoever collected it"),
    }  # fmt: skip
    title, publisher, url, licence = defaults[kind]
    as_of_text = options.get("as_of")
    try:
        as_of = date.fromisoformat(as_of_text) if as_of_text else today
    except ValueError:
        msg = f"--as-of {as_of_text!r} is not a date; write YYYY-MM-DD"
        raise InvalidInputError(msg) from None
    return Source(kind=kind, title=options.get("title") or f"{title}: {path.name}",
                  publisher=options.get("publisher") or publisher, url=options.get("url") or url,
                  licence=options.get("licence") or licence, as_of=as_of, file=path.name,
                  note=options.get("note") or "")  # fmt: skip
