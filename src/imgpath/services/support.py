"""Support for IMGs: the directory, filtered to a person's situation on a day.

The directory ships in ``src/imgpath/data/support/*.yaml`` (provenance in
``data/PROVENANCE.md``); set ``IMGPATH_SUPPORT_DATA`` to a folder of packs to read those instead.
Packs are read with the same safe YAML reader as every other file (:mod:`.documents`).

A person's situation comes from their profile and their plan: the stage is what the pathway
engine's steps and progress facts say (:func:`imgpath.core.support.situation.derive_stage`),
so the directory never decides a step on rules of its own.

The main call, for the command line and the web app alike::

    report = support_for(profile, on=date(2026, 11, 30), kinds=["funding"], states=["NY"])
    report.matches        # tuple of SupportMatch: entry, fit, reasons, unknowns, stale, ...
    report.to_dict()      # JSON-ready
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from imgpath.core.geography import is_us_state
from imgpath.core.pathway.profile import Profile, parse_profile
from imgpath.core.pathway.report import Report
from imgpath.core.support.matching import Fit, SupportMatch, select
from imgpath.core.support.model import (
    DESTINATIONS,
    KINDS,
    InvalidSupportDataError,
    SupportDirectory,
    parse_pack,
)
from imgpath.core.support.reference import ReviewItem, review_entries
from imgpath.core.support.situation import Situation, derive_stage, status_in
from imgpath.errors import EngineError, InvalidInputError, Problem
from imgpath.services.documents import parse_document
from imgpath.services.pathway import load_profile, plan
from imgpath.settings import library_settings

__all__ = [
    "CSV_COLUMNS",
    "DATA_ENV",
    "SupportReport",
    "check_filters",
    "data_root",
    "load_directory",
    "read_directory",
    "review",
    "situation_for",
    "support_file",
    "support_for",
    "support_listing",
]

DATA_ENV = "IMGPATH_SUPPORT_DATA"

CSV_COLUMNS = (
    "id", "name", "kind", "fit", "destination", "region", "states", "stages", "cost", "cost_note",
    "url", "source_url", "as_of", "grade", "review_by", "stale", "needs_confirmation", "reasons",
    "unknowns", "unverified",
)  # fmt: skip
"""Columns of ``imgpath support --format csv`` (lists joined with "; ")."""


def data_root() -> Traversable:
    """The folder of support packs: the override if set, else the package's."""
    override = library_settings().support_data
    if override:
        root = Path(override)
        if not root.is_dir():
            msg = f"{DATA_ENV}={override}: expected a folder of support packs (*.yaml)"
            raise InvalidInputError(msg)
        return root
    return resources.files("imgpath").joinpath("data", "support")


def read_directory(packs: Iterable[tuple[str, Any]]) -> SupportDirectory:
    """Parse named packs into one directory; :class:`InvalidSupportDataError` lists every problem."""
    entries = []
    problems: list[Problem] = []
    for name, data in packs:
        try:
            entries.extend(parse_pack(data, where=name))
        except InvalidSupportDataError as exc:
            problems.extend(exc.problems)
    seen: dict[str, str] = {}
    for entry in entries:
        if entry.id in seen:
            problems.append(Problem(entry.id, "is defined twice", "give each entry its own id"))
        seen[entry.id] = entry.id
    if problems:
        raise InvalidSupportDataError(problems)
    return SupportDirectory(entries)


def _packs(root: Traversable) -> list[tuple[str, Any]]:
    files = sorted((e for e in root.iterdir() if e.name.endswith(".yaml")), key=lambda e: e.name)
    return [
        (
            f"support/{f.name}",
            parse_document(f.read_text(encoding="utf-8"), source=f"support/{f.name}", fmt="yaml"),
        )
        for f in files
    ]


@cache
def load_directory() -> SupportDirectory:
    """The bundled directory (or the override's), read once per process.

    A broken bundled pack is a packaging bug (:class:`EngineError`); a broken override is the
    user's file to fix (:class:`InvalidInputError`, naming the file, entry and field).
    """
    try:
        return read_directory(_packs(data_root()))
    except (InvalidSupportDataError, InvalidInputError) as exc:
        if library_settings().support_data:
            msg = f"{DATA_ENV}: {exc}"
            raise InvalidInputError(msg) from None
        msg = f"the bundled support directory is invalid: {exc}"
        raise EngineError(msg) from None


@dataclass(frozen=True)
class SupportReport:
    """The directory as it applies to one situation on one day."""

    as_of: date
    situation: Situation
    matches: tuple[SupportMatch, ...]
    kinds: tuple[str, ...] = ()
    states: tuple[str, ...] = ()

    def count(self, fit: Fit) -> int:
        return sum(m.fit is fit for m in self.matches)

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "situation": self.situation.to_dict(),
            "filters": {"kinds": list(self.kinds), "states": list(self.states)},
            "counts": {f.value: self.count(f) for f in Fit},
            "entries": [m.to_dict() for m in self.matches],
        }

    def rows(self) -> list[dict[str, str]]:
        """One flat row per entry (:data:`CSV_COLUMNS`), for spreadsheets."""
        out = []
        for m in self.matches:
            e = m.entry
            out.append({
                "id": e.id, "name": e.name, "kind": e.kind, "fit": m.fit.value,
                "destination": e.serves.destination, "region": e.serves.region,
                "states": "; ".join(e.serves.states), "stages": "; ".join(e.serves.stages),
                "cost": e.cost.kind, "cost_note": e.cost.note, "url": e.url,
                "source_url": e.sources[0].url, "as_of": e.as_of.isoformat(), "grade": e.grade,
                "review_by": e.review_by.isoformat(), "stale": "yes" if m.stale else "no",
                "needs_confirmation": "yes" if m.needs_confirmation else "no",
                "reasons": "; ".join(m.reasons), "unknowns": "; ".join(m.unknowns),
                "unverified": "; ".join(e.unverified),
            })  # fmt: skip
        return out


def check_filters(
    kinds: Sequence[str] = (),
    states: Sequence[str] = (),
    *,
    labels: Mapping[str, str] | None = None,
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Normalised filters; :class:`InvalidInputError` names each bad ``kind`` and ``state``.

    ``labels`` words the two fields for the caller's users (the command line passes
    ``{"kind": "--kind", "state": "--state"}``).
    """
    words = {"kind": "kind", "state": "state", **(labels or {})}
    problems = []
    out_kinds = []
    for kind in kinds:
        k = kind.strip().lower()
        if k not in KINDS:
            problems.append(
                Problem(
                    words["kind"],
                    f"{kind!r} is not a kind of support",
                    f"use one of {', '.join(KINDS)}",
                )
            )
        out_kinds.append(k)
    out_states = []
    for state in states:
        s = state.strip().upper()
        if not is_us_state(s):
            problems.append(
                Problem(
                    words["state"],
                    f"{state!r} is not a US state code",
                    "use the two-letter code such as NY or TX",
                )
            )
        out_states.append(s)
    if problems:
        raise InvalidInputError("; ".join(str(p) for p in problems))
    return tuple(dict.fromkeys(out_kinds)), tuple(dict.fromkeys(out_states))


def situation_for(
    profile: Profile, on: date, *, states: Sequence[str] = (), report: Report | None = None
) -> Situation:
    """A person's situation on ``on`` from their profile and plan (``report``: an existing plan).

    ``states`` replaces the profile's target states when given (``--state``).
    """
    report = report or plan(profile, on)
    facts: Mapping[str, Any] = report.facts.values
    destination = profile.targets.destination
    stage, reason = derive_stage(destination, {s.id: s.status for s in report.steps}, facts)
    nationalities = profile.nationalities
    status = status_in(
        destination, nationalities=nationalities, us_status=profile.us_status,
        ca_status=profile.ca_status, uk_status=profile.uk_status,
    )  # fmt: skip
    lives = facts.get("person.in_us") if destination == "US" else None
    practice = profile.training_abroad.practice_years
    return Situation(
        destination=destination,
        citizenships=tuple(nationalities),
        stage=stage,
        stage_reason=reason,
        states=tuple(states) or tuple(profile.targets.states),
        status=status,
        lives_in_destination=lives if isinstance(lives, bool) else None,
        practised_abroad=None if practice is None else practice > 0,
        specialty=profile.targets.specialty,
    )


def support_for(
    profile: Profile | Mapping[str, Any],
    on: date,
    *,
    kinds: Sequence[str] = (),
    states: Sequence[str] = (),
    include_unfit: bool = False,
    directory: SupportDirectory | None = None,
    report: Report | None = None,
) -> SupportReport:
    """The support that fits (or may fit) ``profile`` on day ``on``: the web app's and CLI's call.

    ``profile`` may be a :class:`Profile` or a plain mapping (validated here; an invalid one
    raises :class:`~imgpath.core.pathway.profile.InvalidProfileError` naming each field).
    ``kinds`` keeps only those kinds (:data:`~imgpath.core.support.model.KINDS`); ``states``
    replaces the profile's target states and keeps entries serving them or not limited to states.
    Entries that do not fit are left out unless ``include_unfit``.  ``report`` is the person's
    plan for ``on`` when the caller has it already (a page that shows both), saving a second
    evaluation.
    """
    if not isinstance(profile, Profile):
        profile = parse_profile(profile, on=on)
    if report is not None and report.as_of != on:
        msg = f"the plan given is for {report.as_of.isoformat()}, not {on.isoformat()}"
        raise ValueError(msg)
    kinds, states = check_filters(kinds, states)
    situation = situation_for(profile, on, states=states, report=report)
    matches = select(
        directory or load_directory(), situation, on, kinds=kinds, states=states,
        include_unfit=include_unfit,
    )  # fmt: skip
    return SupportReport(on, situation, tuple(matches), kinds, states)


def support_file(
    path: str | Path,
    *,
    on: date,
    kinds: Sequence[str] = (),
    states: Sequence[str] = (),
    include_unfit: bool = False,
) -> SupportReport:
    """:func:`support_for` for a profile file (JSON or YAML; ``-`` for standard input)."""
    profile = load_profile(path, on=on)
    return support_for(profile, on, kinds=kinds, states=states, include_unfit=include_unfit)


def support_listing(
    on: date,
    *,
    destination: str | None = None,
    kinds: Sequence[str] = (),
    states: Sequence[str] = (),
    directory: SupportDirectory | None = None,
) -> SupportReport:
    """The directory without a profile: every entry (of a destination, kinds, states) on ``on``."""
    if destination is not None and destination not in DESTINATIONS:
        msg = f"destination {destination!r}: use one of {', '.join(DESTINATIONS)}"
        raise InvalidInputError(msg)
    kinds, states = check_filters(kinds, states)
    situation = Situation.anyone(destination, states)
    matches = select(directory or load_directory(), situation, on, kinds=kinds, states=states)
    return SupportReport(on, situation, tuple(matches), kinds, states)


def review(on: date) -> list[ReviewItem]:
    """The maintainers' worklist on ``on``: stale, due soon, older than 12 months, or L/U."""
    return review_entries(load_directory(), on)
