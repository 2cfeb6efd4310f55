"""Match directory entries to a person's situation on a day.

Each criterion of an entry's ``serves`` gives one of three answers: the person meets it, does not,
or imgpath cannot tell (the profile does not say).  An entry *fits* when every criterion is met,
*may fit* when none fails but some are unknown (each unknown is said, with what to add to the
profile), and *does not fit* when one fails (with the reason).  Stale entries (past
``review_by``) and entries graded L or U are flagged whatever their fit: never shown as current.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from imgpath.core.geography import country_name, us_state_name
from imgpath.core.support.model import KINDS, STAGES, STATUSES, SupportDirectory, SupportEntry
from imgpath.core.support.situation import Situation

__all__ = ["Fit", "SupportMatch", "match_entry", "select"]


class Fit(StrEnum):
    fits = "fits"
    may_fit = "may_fit"
    does_not_fit = "does_not_fit"
    listed = "listed"
    """No profile was given: the entry is listed, not matched."""


_ORDER = {Fit.fits: 0, Fit.may_fit: 1, Fit.listed: 1, Fit.does_not_fit: 2}


@dataclass(frozen=True)
class SupportMatch:
    """One entry as it applies to one situation on one day."""

    entry: SupportEntry
    fit: Fit
    reasons: tuple[str, ...]
    """Why it fits or does not (each criterion met or failed)."""
    unknowns: tuple[str, ...]
    """What imgpath could not tell, and what to add to the profile to tell."""
    stale: bool
    needs_confirmation: bool
    caveat: str

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.entry.to_dict(),
            "fit": self.fit.value,
            "reasons": list(self.reasons),
            "unknowns": list(self.unknowns),
            "stale": self.stale,
            "needs_confirmation": self.needs_confirmation,
            "caveat": self.caveat,
        }


def _names(codes: Iterable[str], *, states: bool = False) -> str:
    name = us_state_name if states else country_name
    return ", ".join(f"{name(c)} ({c})" for c in codes)


def _check(entry: SupportEntry, s: Situation) -> tuple[list[str], list[str], list[str]]:
    """(met, failed, unknown) sentences for every criterion of ``entry`` against ``s``."""
    v = entry.serves
    met: list[str] = []
    failed: list[str] = []
    unknown: list[str] = []
    if s.destination is not None:
        if v.destination == s.destination:
            met.append(f"for IMGs heading to {v.destination}, as you are")
        else:
            failed.append(
                f"serves IMGs heading to {v.destination}; your destination is {s.destination}"
            )
    if v.states:
        hit = [st for st in v.states if st in s.states]
        if hit:
            met.append(f"serves {_names(hit, states=True)}, among your target states")
        elif s.states:
            failed.append(f"serves only {_names(v.states, states=True)}, not your target states")
        else:
            unknown.append(
                f"serves only {_names(v.states, states=True)}: add your target states "
                "(targets.states) to tell"
            )
    if v.stages:
        wanted = ", ".join(STAGES[x].split(" (")[0] for x in v.stages)
        if s.stage is None:
            unknown.append(f"serves people who are {wanted}; imgpath does not know your stage")
        elif s.stage in v.stages:
            met.append(f"serves your stage ({STAGES[s.stage].split(' (')[0]})")
        else:
            failed.append(
                f"serves people who are {wanted}; you are {STAGES[s.stage].split(' (')[0]}"
            )
    _citizenship(v.citizenships, v.citizenships_excluded, v.origins, s, met, failed, unknown)
    if v.statuses:
        wanted = " or ".join(STATUSES[x] for x in v.statuses)
        if s.status in v.statuses:
            met.append(f"requires being {wanted}, as you are")
        elif s.status in ("citizen", "permanent_resident", "temporary") or (
            s.status is not None and "refugee" not in v.statuses
        ):
            # Citizens, permanent residents and US visa holders are not refugees; any known
            # status rules out an entry that does not take refugees.
            failed.append(f"requires being {wanted}")
        elif s.status is None:
            unknown.append(
                f"requires being {wanted}: add your status in {v.destination} to the profile"
            )
        else:
            unknown.append(
                f"requires being {wanted}; the profile does not record refugee or asylum status"
            )
    if v.lives_in_destination:
        if s.lives_in_destination is True:
            met.append(f"for people living in {v.destination}, as you do")
        elif s.lives_in_destination is False:
            failed.append(f"only for people already living in {v.destination}")
        else:
            unknown.append(f"only for people already living in {v.destination}: is that you?")
    if v.practice_abroad:
        if s.practised_abroad is True:
            met.append("for physicians who practised independently abroad, as you did")
        elif s.practised_abroad is False:
            failed.append(
                "only for physicians who completed training and practised independently abroad"
            )
        else:
            unknown.append(
                "only for physicians who practised independently abroad: add "
                "training_abroad.practice_years to tell"
            )
    if v.specialties:
        wanted = ", ".join(v.specialties)
        if s.specialty is None:
            unknown.append(f"for {wanted} only: add your specialty (targets.specialty) to tell")
        elif any(sp in s.specialty.lower() or s.specialty.lower() in sp for sp in v.specialties):
            met.append(f"for {wanted}, your specialty")
        else:
            failed.append(f"for {wanted} only; your specialty is {s.specialty}")
    return met, failed, unknown


def _citizenship(
    required: Sequence[str],
    excluded: Sequence[str],
    origins: Sequence[str],
    s: Situation,
    met: list[str],
    failed: list[str],
    unknown: list[str],
) -> None:
    mine = set(s.citizenships)
    if required:
        if mine & set(required):
            met.append(f"open to citizens of {_names(sorted(mine & set(required)))}")
        elif mine:
            failed.append(f"open only to citizens of {_names(required)}")
        else:
            unknown.append(f"open only to citizens of {_names(required)}: add your citizenships")
    if excluded:
        if mine & set(excluded):
            failed.append(f"cannot accept citizens of {_names(sorted(mine & set(excluded)))}")
        elif mine:
            met.append("does not exclude your citizenship")
        else:
            unknown.append(f"cannot accept citizens of {_names(excluded)}: add your citizenships")
    if origins:
        if mine & set(origins):
            met.append(f"aimed at doctors of {_names(origins)} origin")
        elif mine:
            failed.append(
                f"aimed at doctors of {_names(origins)} origin (heritage, not citizenship): if "
                "that is you, it may still be for you"
            )
        else:
            unknown.append(f"aimed at doctors of {_names(origins)} origin: add your citizenships")


def match_entry(entry: SupportEntry, situation: Situation, day: date) -> SupportMatch:
    """How ``entry`` applies to ``situation`` on ``day`` (see the module doc)."""
    met, failed, unknown = _check(entry, situation)
    if not situation.assessed:
        fit = Fit.does_not_fit if failed else Fit.listed
        reasons = tuple(failed)
        unknown = []
    elif failed:
        fit, reasons = Fit.does_not_fit, tuple(failed)
    elif unknown:
        fit, reasons = Fit.may_fit, tuple(met)
    else:
        fit, reasons = Fit.fits, tuple(met)
    return SupportMatch(
        entry=entry,
        fit=fit,
        reasons=reasons,
        unknowns=tuple(unknown),
        stale=entry.stale(day),
        needs_confirmation=entry.unsure(day),
        caveat=entry.caveat(day),
    )


def select(
    directory: SupportDirectory,
    situation: Situation,
    day: date,
    *,
    kinds: Sequence[str] = (),
    states: Sequence[str] = (),
    include_unfit: bool = False,
) -> list[SupportMatch]:
    """The entries for ``situation`` on ``day``: those that fit first, then those that may.

    ``kinds`` keeps only entries of those kinds; ``states`` keeps only entries serving one of
    those US states or not limited to states.  Entries that do not fit are left out unless
    ``include_unfit``.  Within a fit, entries follow :data:`KINDS`, then their names.
    """
    unknown_kinds = sorted(set(kinds) - set(KINDS))
    if unknown_kinds:
        msg = f"unknown kind {unknown_kinds[0]!r}; use one of {', '.join(KINDS)}"
        raise ValueError(msg)
    out = []
    for entry in directory:
        if kinds and entry.kind not in kinds:
            continue
        if states and entry.serves.states and not set(entry.serves.states) & set(states):
            continue
        m = match_entry(entry, situation, day)
        if m.fit is Fit.does_not_fit and not include_unfit:
            continue
        out.append(m)
    kind_order = list(KINDS)
    return sorted(
        out, key=lambda m: (_ORDER[m.fit], kind_order.index(m.entry.kind), m.entry.name.lower())
    )
