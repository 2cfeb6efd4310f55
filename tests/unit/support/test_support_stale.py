"""Review days are applied: current up to and on review_by, stale the day after, never current.

And the matcher agrees with an independent reference on random situations (Hypothesis).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imgpath.support import (
    DESTINATIONS,
    STAGES,
    Fit,
    Situation,
    SupportEntry,
    load_directory,
    match_entry,
    review,
    select,
)

ENTRIES = list(load_directory())


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.id for e in ENTRIES])
def test_an_entry_is_current_the_day_before_and_the_day_of_its_review_and_stale_after(
    entry: SupportEntry,
) -> None:
    anyone = Situation.anyone()
    for day, stale in (
        (entry.review_by - timedelta(days=1), False),
        (entry.review_by, False),
        (entry.review_by + timedelta(days=1), True),
    ):
        m = match_entry(entry, anyone, day)
        assert entry.stale(day) is stale
        assert m.stale is stale
        assert m.needs_confirmation is (stale or entry.grade in ("L", "U"))
        assert ("stale:" in m.caveat) is stale
        if stale:
            assert entry.as_of.isoformat() in m.caveat
            assert entry.review_by.isoformat() in m.caveat


def test_a_stale_entry_is_still_listed_but_never_as_current() -> None:
    entry = next(e for e in ENTRIES if e.grade == "H")
    day = entry.review_by + timedelta(days=1)
    shown = {m.entry.id: m for m in select(load_directory(), Situation.anyone(), day)}
    assert shown[entry.id].stale
    assert shown[entry.id].needs_confirmation
    assert shown[entry.id].to_dict()["stale"] is True


def test_the_review_list_on_the_day_before_the_day_of_and_after_a_review_day() -> None:
    entry = next(e for e in ENTRIES if e.grade == "H")
    ids = lambda day: {i.entry.id: i.reasons for i in review(day)}
    before = ids(entry.review_by - timedelta(days=1))
    assert before[entry.id][0] == "due_within_60_days"
    assert ids(entry.review_by)[entry.id][0] == "due_within_60_days"
    assert ids(entry.review_by + timedelta(days=1))[entry.id][0] == "past_review_by"
    far = ids(entry.review_by - timedelta(days=61))
    assert entry.id not in far or "due_within_60_days" not in far[entry.id]


def test_the_review_list_names_weak_and_old_entries() -> None:
    weak = {e.id for e in ENTRIES if e.grade in ("L", "U")}
    on = min(e.as_of for e in ENTRIES)
    items = {i.entry.id: i.reasons for i in review(on)}
    assert weak <= set(items)
    assert all("graded_L_or_U" in items[i] for i in weak)
    later = max(e.as_of for e in ENTRIES) + timedelta(days=400)
    assert all("older_than_12_months" in r for r in (i.reasons for i in review(later)))
    assert len(review(later)) == len(ENTRIES)


# ------------------------------------------------------------------ an independent reference


def _tri(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def reference_fit(e: SupportEntry, s: Situation) -> Fit:
    """Each criterion as yes/no/unknown from plain set logic; fit from the worst answer."""
    v = e.serves
    mine = set(s.citizenships)
    answers = [
        _tri(True if s.destination is None else v.destination == s.destination),  # None: any
        _tri(True if not v.states else (bool(set(v.states) & set(s.states)) if s.states else None)),
        _tri(True if not v.stages else (None if s.stage is None else s.stage in v.stages)),
        _tri(True if not v.citizenships else (bool(mine & set(v.citizenships)) if mine else None)),
        _tri(
            True
            if not v.citizenships_excluded
            else (not mine & set(v.citizenships_excluded) if mine else None)
        ),
        _tri(True if not v.origins else (bool(mine & set(v.origins)) if mine else None)),
        _tri(True if not v.lives_in_destination else s.lives_in_destination),
        _tri(True if not v.practice_abroad else s.practised_abroad),
    ]
    if v.statuses:
        if s.status in v.statuses:
            answers.append("yes")
        elif s.status in ("citizen", "permanent_resident", "temporary") or (
            s.status is not None and "refugee" not in v.statuses
        ):
            answers.append("no")
        else:
            answers.append("unknown")
    if v.specialties:
        if s.specialty is None:
            answers.append("unknown")
        else:
            mine_sp = s.specialty.lower()
            answers.append(
                "yes" if any(x in mine_sp or mine_sp in x for x in v.specialties) else "no"
            )
    if "no" in answers:
        return Fit.does_not_fit
    return Fit.may_fit if "unknown" in answers else Fit.fits


STATES = ["NY", "TX", "CA", "MN", "WV", "OH", "WA", "MD", "CO", "IL", "AR", "MI", "IN"]
COUNTRIES = ["NG", "IN", "PK", "IR", "US", "CA", "GB", "MX", "PH", "SY", "BD"]

situations = st.builds(
    Situation,
    destination=st.one_of(st.none(), st.sampled_from(DESTINATIONS)),
    citizenships=st.lists(st.sampled_from(COUNTRIES), max_size=2, unique=True).map(tuple),
    stage=st.one_of(st.none(), st.sampled_from(list(STAGES))),
    states=st.lists(st.sampled_from(STATES), max_size=3, unique=True).map(tuple),
    status=st.sampled_from([None, "citizen", "permanent_resident", "temporary", "visa", "none"]),
    lives_in_destination=st.sampled_from([None, True, False]),
    practised_abroad=st.sampled_from([None, True, False]),
    specialty=st.sampled_from(
        [None, "internal medicine", "psychiatry", "family medicine", "general surgery"]
    ),
)


@given(s=situations, day=st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 12, 31)))
def test_the_matcher_agrees_with_the_reference_on_random_situations(
    s: Situation, day: date
) -> None:
    for entry in ENTRIES:
        m = match_entry(entry, s, day)
        assert m.fit is reference_fit(entry, s), entry.id
        assert m.stale is (day > entry.review_by)
        if m.fit is Fit.fits:
            assert not m.unknowns
        if m.fit is Fit.may_fit:
            assert m.unknowns


@given(s=situations)
def test_knowing_less_never_rules_an_entry_out(s: Situation) -> None:
    """Forgetting a fact can turn 'fits' into 'may fit', never into 'does not fit'."""
    from dataclasses import replace

    day = date(2026, 11, 30)
    vaguer = replace(
        s,
        stage=None,
        status=None,
        lives_in_destination=None,
        practised_abroad=None,
        specialty=None,
        states=(),
    )
    for entry in ENTRIES:
        if match_entry(entry, s, day).fit is Fit.fits:
            assert match_entry(entry, vaguer, day).fit in (Fit.fits, Fit.may_fit), entry.id
