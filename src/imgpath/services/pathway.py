"""Pathway use cases: plan one profile from a file, or a whole cohort from CSV or JSON Lines."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from imgpath.core.csv_reading import table
from imgpath.core.pathway.costs import CostEstimate, season_costs
from imgpath.core.pathway.profile import InvalidProfileError, Profile, parse_profile
from imgpath.core.pathway.report import PathBook, Report, rule_summary
from imgpath.core.pathway.report import evaluate as _evaluate
from imgpath.core.pathway.rule_reference import ReviewItem, review_rules
from imgpath.core.pathway.rules import RuleBook
from imgpath.core.pathway.usage import RuleUse, rule_uses
from imgpath.errors import DocumentSyntaxError, FormError, InvalidInputError, NotFoundError, Problem
from imgpath.services.documents import parse_document, read_document, read_text
from imgpath.services.pathway_data import load_path_book, load_rulebook

__all__ = [
    "BATCH_COLUMNS",
    "SUMMARY_COLUMNS",
    "BatchRow",
    "application_costs",
    "evaluate",
    "load_profile",
    "path_book",
    "plan",
    "plan_batch",
    "plan_file",
    "profile_from_row",
    "review",
    "rule_index",
    "rule_record",
    "summary",
    "uses",
]


def path_book() -> PathBook:
    return load_path_book()


def plan(profile: Profile, on: date, *, changes_since: date | None = None) -> Report:
    """Evaluate a validated profile with the bundled rules (``changes_since``: the policy alert)."""
    _check_since(changes_since, on)
    return _evaluate(profile, on, load_rulebook(), path_book(), changes_since=changes_since)


def _check_since(since: date | None, on: date) -> None:
    if since is not None and since > on:
        raise FormError(
            [
                Problem(
                    "changes_since",
                    f"{since.isoformat()} is after the evaluation day {on.isoformat()}",
                    "give an earlier day",
                )
            ]
        )


def evaluate(
    profile: Profile | Mapping[str, Any],
    on: date,
    *,
    book: RuleBook | None = None,
    paths: PathBook | None = None,
    changes_since: date | None = None,
) -> Report:
    """Where ``profile`` stands on day ``on``: the library's main call.

    ``profile`` may be a :class:`Profile` or a plain mapping (validated here).  The bundled rules
    and paths are used unless others are given (for tests, or a rules pack under review).
    ``changes_since`` adds the rules that began, ended or changed since that day and touch this
    person (``Report.changes``).
    """
    if not isinstance(profile, Profile):
        profile = parse_profile(profile, on=on)
    _check_since(changes_since, on)
    return _evaluate(
        profile, on, book or load_rulebook(), paths or path_book(), changes_since=changes_since
    )


def load_profile(path: str | Path, *, on: date) -> Profile:
    """Read and validate a profile (JSON or YAML, ``-`` for stdin) for evaluation on ``on``."""
    data, source = read_document(path)
    return parse_profile(data, on=on, source=source)


def plan_file(path: str | Path, *, on: date, changes_since: date | None = None) -> Report:
    return plan(load_profile(path, on=on), on, changes_since=changes_since)


def review(on: date) -> list[ReviewItem]:
    """The maintainer's worklist on ``on``: rules past review, older than 12 months, or L/U."""
    return review_rules(load_rulebook(), on)


def rule_index(on: date) -> list[dict[str, Any]]:
    """Every bundled rule as a plan cites it on ``on`` (``rule_summary`` with ``id``,
    ``jurisdiction`` and ``topic``), sorted by jurisdiction, topic and id."""
    rules = load_rulebook().rules.values()
    return [
        {**rule_summary(r, on), "id": r.id, "jurisdiction": r.jurisdiction, "topic": r.topic}
        for r in sorted(rules, key=lambda r: (r.jurisdiction, r.topic, r.id))
    ]


def rule_record(rule_id: str, on: date) -> dict[str, Any]:
    """One bundled rule as a reader sees it on ``on``: what a plan cites (title, statement, grade,
    dates, sources, review status, ``needs_confirmation`` for L/U or past review) plus its
    jurisdiction, topic, notes, history and how the engine uses it.

    Raises ``NotFoundError`` for an id that no pack defines.
    """
    rule = load_rulebook().rules.get(rule_id)
    if rule is None:
        msg = f"no rule has the id {rule_id!r}; rule ids look like US.VISA.H1B.FEE_100K"
        raise NotFoundError(msg)
    out = rule_summary(rule, on)
    use = uses().get(rule_id)
    out.update(
        id=rule.id,
        jurisdiction=rule.jurisdiction,
        topic=rule.topic,
        notes=rule.notes,
        review_note=rule.review_note,
        informational=rule.informational,
        history=[{"date": str(c.date), "text": c.text, "kind": c.kind} for c in rule.history],
        evaluated=bool(use and use.evaluated),
        where=list(use.where) if use else [],
    )
    return out


def uses() -> dict[str, RuleUse]:
    """How each bundled rule is used (evaluated where, or informational why)."""
    book = path_book()
    return rule_uses(load_rulebook(), book.steps, book.visas)


# ---------------------------------------------------------------------------------- cohorts

BATCH_COLUMNS = {
    "id": "an identifier for the person (kept in the summary)",
    "name": "name",
    "school_country": "medical school country, ISO two-letter code",
    "wdoms_ecfmg_note": "yes, no or unknown",
    "graduation_date": "YYYY-MM-DD",
    "citizenships": "ISO codes separated by semicolons",
    "nationality": "ISO code used for visa rules",
    "us_status": "none, citizen, permanent_resident, h1b, j1, f1 or other",
    "in_us": "yes or no",
    "step1_date": "YYYY-MM-DD of the latest Step 1 attempt",
    "step1_result": "pass, fail, incomplete, pending or scheduled",
    "step2ck_date": "YYYY-MM-DD",
    "step2ck_result": "pass, fail, incomplete, pending or scheduled",
    "step2ck_score": "three-digit score",
    "step3_date": "YYYY-MM-DD",
    "step3_result": "pass, fail, incomplete, pending or scheduled",
    "oet_date": "YYYY-MM-DD of the best OET sitting",
    "oet_listening": "0-500",
    "oet_reading": "0-500",
    "oet_writing": "0-500",
    "oet_speaking": "0-500",
    "pathway": "1-6",
    "pathway_status": "not_applied, applied, accepted or rejected",
    "credentials_verified": "yes, no, in_progress or unknown",
    "certificate_date": "YYYY-MM-DD of the ECFMG certificate",
    "destination": "US, UK, CA or AU",
    "states": "target US states separated by semicolons",
    "match_year": "target Match year",
    "visa": "j1, h1b, o1, none or unknown",
    "programs": "programs planned to apply to",
}
"""CSV columns a cohort file may have (any subset); lists are separated by semicolons.

One CSV row holds the latest attempt at each exam; use JSON Lines for complete histories."""

SUMMARY_COLUMNS = (
    "row", "id", "valid", "img", "next_step", "next_status", "blocked_steps", "next_deadline",
    "visa", "questions", "costs_known_usd", "problems",
)  # fmt: skip


def _set(out: dict[str, Any], path: str, value: Any) -> None:
    node = out
    *parents, leaf = path.split(".")
    for key in parents:
        node = node.setdefault(key, {})
    node[leaf] = value


def profile_from_row(row: Mapping[str, str]) -> dict[str, Any]:
    """A profile document from one CSV row (empty cells are left out)."""
    cell = {k.strip(): (v or "").strip() for k, v in row.items() if k}
    unknown = [k for k in cell if k not in BATCH_COLUMNS]
    if unknown:
        msg = f"unknown column(s) {', '.join(sorted(unknown))}; the columns are documented in docs/reference/profile.md"
        raise InvalidInputError(msg)
    out: dict[str, Any] = {}
    for key in ("id", "name", "nationality", "us_status"):
        if cell.get(key):
            out[key] = cell[key]
    for col, path in (
        ("school_country", "school.country"),
        ("wdoms_ecfmg_note", "school.wdoms_ecfmg_note"),
        ("graduation_date", "school.graduation_date"),
        ("pathway_status", "ecfmg.pathway_status"),
        ("credentials_verified", "ecfmg.credentials_verified"),
        ("certificate_date", "ecfmg.certificate_date"),
        ("destination", "targets.destination"),
        ("visa", "targets.visa"),
    ):
        if cell.get(col):
            _set(out, path, cell[col])
    for col, path in (
        ("pathway", "ecfmg.pathway"),
        ("match_year", "targets.match_year"),
        ("programs", "targets.programs"),
    ):
        if cell.get(col):
            _set(out, path, _number(cell[col], col))
    if cell.get("in_us"):
        out["in_us"] = cell["in_us"].lower() in ("yes", "true", "1", "y")
    for col, path in (("citizenships", "citizenships"), ("states", "targets.states")):
        if cell.get(col):
            _set(out, path, [x.strip() for x in cell[col].split(";") if x.strip()])
    for exam in ("step1", "step2ck", "step3"):
        if cell.get(f"{exam}_date") or cell.get(f"{exam}_result"):
            attempt: dict[str, Any] = {
                "date": cell.get(f"{exam}_date"),
                "result": cell.get(f"{exam}_result"),
            }
            if cell.get(f"{exam}_score"):
                attempt["score"] = _number(cell[f"{exam}_score"], f"{exam}_score")
            _set(out, f"exams.{exam}", [attempt])
    if cell.get("oet_date"):
        sitting: dict[str, Any] = {"date": cell["oet_date"]}
        for part in ("listening", "reading", "writing", "speaking"):
            sitting[part] = _number(cell.get(f"oet_{part}", ""), f"oet_{part}")
        _set(out, "exams.oet", [sitting])
    return out


_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,9}\Z")


def _number(text: str, column: str) -> int:
    if not _WHOLE_NUMBER.match(text):
        msg = f"{column}: {text[:20]!r} is not a whole number"
        raise InvalidInputError(msg)
    return int(text)


@dataclass(frozen=True)
class BatchRow:
    """One person of a cohort: their report, or why their row could not be read."""

    row: int
    id: str
    report: Report | None
    problems: str = ""


def _documents(path: str | Path) -> Iterator[tuple[int, Any]]:
    """Each person of a cohort file as (row or line number, profile document or the error).

    A file that cannot be read as a whole (empty, not UTF-8, a broken CSV quote, an unknown
    column) raises before anything is planned; a bad row or line is yielded as its error.
    """
    text, source = read_text(path)
    if not text.strip():
        msg = (
            f"{source}: the file is empty; give a CSV with a header line and one row per person, "
            "or JSON Lines with one profile per line"
        )
        raise InvalidInputError(msg)
    if source.lower().endswith((".jsonl", ".ndjson")) or text.lstrip().startswith("{"):
        for line_no, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                doc = parse_document(line, source=source, fmt="json")
            except DocumentSyntaxError as exc:
                where = f"line {line_no}" + (f", column {exc.column}" if exc.column else "")
                field = f"{exc.field}: " if exc.field else ""
                yield line_no, InvalidInputError(f"{where}: {field}{exc.problem}")
                continue
            if not isinstance(doc, dict):
                msg = f"line {line_no}: is not a profile; write one JSON object {{...}} per line"
                yield line_no, InvalidInputError(msg)
                continue
            yield line_no, doc
        return
    sheet = table(text, source=source, known=tuple(BATCH_COLUMNS))
    if not sheet.rows:
        msg = f"{source}: the file has a header but no people; add one row per person"
        raise InvalidInputError(msg)
    for row in sheet.rows:
        problem = sheet.width_problem(row)
        if problem is not None:
            yield row.row, InvalidInputError(problem)
            continue
        try:
            yield row.row, profile_from_row(sheet.record(row))
        except InvalidInputError as exc:
            yield row.row, exc


def plan_batch(path: str | Path, *, on: date) -> Iterator[BatchRow]:
    """Plan every person in a CSV or JSON Lines file; a bad row is reported, never fatal.

    A file with no person in it (empty, or a header alone) raises :class:`InvalidInputError`.
    """
    people = 0
    for row_no, doc in _documents(path):
        people += 1
        if isinstance(doc, Exception):
            yield BatchRow(row_no, "", None, str(doc))
            continue
        ident = str(doc.get("id", "")) if isinstance(doc, dict) else ""
        try:
            profile = parse_profile(doc, on=on)
        except InvalidProfileError as exc:
            yield BatchRow(row_no, ident, None, "; ".join(str(p) for p in exc.problems))
            continue
        yield BatchRow(row_no, ident, plan(profile, on))
    if not people:
        msg = (
            f"{path}: no person to plan (the file is empty or has only a header); add one row "
            "per person (CSV) or one profile per line (JSON Lines)"
        )
        raise InvalidInputError(msg)


_IMG_WORDS: dict[Any, str] = {True: "img", False: "not_img"}


def summary(row: BatchRow) -> dict[str, Any]:
    """One line per person, for advisors: where they stand and what comes next."""
    if row.report is None:
        return {"row": row.row, "id": row.id, "valid": False, "problems": row.problems}
    r = row.report
    pending = [s for s in r.steps if s.status not in ("done", "not_applicable")]
    nxt = pending[0] if pending else None
    upcoming = [d for d in r.deadlines if d.date is not None and d.date >= r.as_of]
    visas = [v.id for v in r.visa_options if v.status == "eligible"] or [
        v.id for v in r.visa_options if v.status == "not_yet"
    ]
    return {
        "row": row.row,
        "id": row.id,
        "valid": True,
        "img": r.img.get("kind") or _IMG_WORDS.get(r.img.get("is_img"), "unknown"),
        "next_step": nxt.id if nxt else "",
        "next_status": nxt.status if nxt else "",
        "blocked_steps": sum(s.status == "blocked" for s in r.steps),
        "next_deadline": f"{upcoming[0].date} {upcoming[0].id}" if upcoming else "",
        "visa": ";".join(visas),
        "questions": len(r.questions),
        "costs_known_usd": int(r.costs.total),
        "problems": "",
    }


def application_costs(
    *, programs: int, on: date, specialties: int = 1, ranks: int | None = None, exams: bool = False
) -> CostEstimate:
    """An application season's fees from the bundled fee rules in force on ``on``."""
    if programs < 1 or specialties < 1 or (ranks is not None and not 0 <= ranks <= 300):
        msg = "programs and specialties must be at least 1, and ranks from 0 to 300 (NRMP's limit)"
        raise InvalidInputError(msg)
    return season_costs(
        load_rulebook(), on, programs=programs, specialties=specialties, ranks=ranks, exams=exams
    )
