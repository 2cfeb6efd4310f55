"""``imgpath odds``: a person's chances in simulated national Matches, from their profile."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from imgpath.core.market.model import APPLICANT_TYPES, TYPE_NAMES, MarketModel
from imgpath.core.market.person import Person
from imgpath.core.pathway.report import Report
from imgpath.errors import FormError, Problem
from imgpath.parallel.executors import Executor
from imgpath.services.market_model import load_model
from imgpath.services.pathway import plan_file
from imgpath.services.simulation import DEFAULT_RANKS, odds

__all__ = ["find_specialties", "odds_for_profile", "person_from_report"]

CAVEATS = (
    (
        "These are chances in simulated Matches of a model calibrated to NRMP's 2026 results by "
        "applicant type, not a forecast; the model's assumptions are in docs/reference/market-model.md."
    ),
    (
        "This is the last step only: the chance if that many programs that rank you are on your list. "
        "How many interviews your applications bring is the funnel of 'imgpath odds' (odds_answer). "
        "Only your applicant type, Step 2 CK (for IMGs), visa need and the number of programs you rank "
        "enter; letters, research and USCE do not."
    ),
    "The intervals show how much the chance varies across simulated markets, not every uncertainty.",
)


def person_from_report(
    report: Report, model: MarketModel, *, kind: str | None = None
) -> tuple[Person, list[str]]:
    """The person in the model's terms, and notes on how they were read."""
    facts = report.facts
    notes: list[str] = []
    if kind is None:
        img = report.img.get("kind") if report.img.get("is_img") else None
        if img is None:
            kind = "us_md_senior"
            notes.append(
                "not an IMG (or unknown): modelled as a US MD senior; choose another applicant type to change it"
            )
        else:
            kind = img
    if kind not in APPLICANT_TYPES:
        raise FormError([Problem("type", f"{kind!r}: use one of {', '.join(APPLICANT_TYPES)}")])
    spec = model.types[kind]
    z = None
    score = facts["step2ck.score"] if facts["step2ck.passed"] else None
    if score is not None and spec.step2ck_mean and spec.step2ck_sd:
        z = (score - spec.step2ck_mean) / spec.step2ck_sd
        notes.append(
            f"Step 2 CK {score}: {z:+.2f} SD from the {TYPE_NAMES.get(kind, kind)} mean of {spec.step2ck_mean:g} (Charting Outcomes 2026)"
        )
    else:
        notes.append(
            "standing within the type drawn at random (no Step 2 CK, or no score distribution for this type)"
        )
    options = {v.id: v.status for v in report.visa_options}
    needs = bool(facts["person.needs_visa"]) if kind in ("non_us_img",) else False
    if kind == "non_us_img" and facts["person.needs_visa"] is None:
        needs = True
        notes.append("visa need unknown: assumed to need one")
    person = Person(kind=kind, z=z, needs_visa=needs,
                    j1_open=options.get("j1") != "blocked", h1b_open=options.get("h1b") != "blocked")  # fmt: skip
    if needs and not person.j1_open:
        notes.append("J-1 closed to you on this date (travel ban): only H-1B sponsors count")
    return person, notes


def find_specialties(
    model: MarketModel, wanted: Sequence[str], kind: str, *, count: int = 5
) -> list[int]:
    """Model specialties matching each name (categorical tracks first), or the type's most wanted."""
    names = [s.name for s in model.specialties]
    found: list[int] = []
    for item in wanted:
        key = item.strip().lower()
        matches = [i for i, n in enumerate(names) if key == n.lower()] or [
            i for i, n in enumerate(names) if key in n.lower()
        ]
        if not matches:
            raise FormError(
                [
                    Problem(
                        "specialty",
                        f"no specialty matches {item!r}",
                        "try part of a name such as 'internal medicine'",
                    )
                ]
            )
        matches.sort(
            key=lambda i: ("Categorical" not in names[i], -model.specialties[i].pgy1_positions)
        )
        if matches[0] not in found:
            found.append(matches[0])
    if not found:
        by_demand = sorted(
            range(len(names)), key=lambda i: -model.specialties[i].demand.get(kind, 0.0)
        )
        found = [
            i
            for i in by_demand
            if model.specialties[i].pgy1_positions and not model.specialties[i].prelim
        ][:count]
    return found


def odds_for_profile(
    path: str | Path,
    *,
    on: date,
    runs: int,
    seed: int = 0,
    ranks: Sequence[int] = DEFAULT_RANKS,
    at_ranks: int | None = None,
    specialties: Sequence[str] = (),
    kind: str | None = None,
    scenario: str | Path | None = None,
    scale: float = 1.0,
    executor: Executor | None = None,
    use_cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """P(match) by number of programs ranked and by specialty, for the person ``path`` describes."""
    return odds_for_report(plan_file(path, on=on), on=on, runs=runs, seed=seed, ranks=ranks, at_ranks=at_ranks,
                           specialties=specialties, kind=kind, scenario=scenario, scale=scale, executor=executor,
                           use_cache=use_cache, progress=progress)  # fmt: skip


def odds_for_report(
    report: Report,
    *,
    on: date,
    runs: int,
    seed: int = 0,
    ranks: Sequence[int] = DEFAULT_RANKS,
    at_ranks: int | None = None,
    specialties: Sequence[str] = (),
    kind: str | None = None,
    scenario: str | Path | None = None,
    scale: float = 1.0,
    executor: Executor | None = None,
    use_cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """As :func:`odds_for_profile`, for a pathway report already made (the web app's profiles)."""
    if any(k < 1 or k > 300 for k in ranks):
        raise FormError([Problem("ranks", "each number of programs must be from 1 to 300")])
    model = load_model(scenario)
    person, notes = person_from_report(report, model, kind=kind)
    wanted = list(specialties) or (
        [report.facts["target.specialty"]] if report.facts["target.specialty"] else []
    )
    chosen = find_specialties(model, wanted, person.kind)
    if not wanted:
        notes.append("no specialty given: the five most wanted by your applicant type")
    k = at_ranks or 10
    result = odds(model, person, chosen, runs=runs, seed=seed, ranks=tuple(sorted(set(ranks))), at_ranks=k,
                  scale=scale, executor=executor, use_cache=use_cache, progress=progress)  # fmt: skip
    result["person"] = {"type": person.kind, "step2ck_z": person.z, "needs_visa": person.needs_visa,
                        "j1_open": person.j1_open, "h1b_open": person.h1b_open, "notes": notes}  # fmt: skip
    result["caveats"] = list(CAVEATS)
    result["as_of"] = on.isoformat()
    return result
