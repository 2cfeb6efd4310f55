"""The season's records read what people type, name each bad field, and never guess (no HTTP)."""

from __future__ import annotations

from datetime import date

import pytest

from imgpath.core.season.records import (
    Application,
    Document,
    Letter,
    RankEntry,
    Rotation,
    Slot,
    unknown_date_keys,
)
from imgpath.errors import FormError, Problem

ON = date(2026, 9, 24)
KNOWN = {"1414140C0", "1234140P0"}


def fields(error: pytest.ExceptionInfo[FormError]) -> dict[str, str]:
    return error.value.by_field()


def test_an_application_gets_its_status_day_and_keeps_what_was_not_given() -> None:
    new = Application.read({"program_code": " 1414140c0 ", "status": "APPLIED"}, on=ON, known=KNOWN)
    assert (new.program_code, new.status, new.service) == ("1414140C0", "applied", "ERAS")
    assert new.dates == {"applied": "2026-09-24"}
    later = Application.read({"program_code": "1414140C0", "status": "invited", "invited": "2026-10-01"},
                             on=date(2026, 10, 5), known=KNOWN, before={**new.values(), "notes": "kept"})  # fmt: skip
    assert later.dates == {"applied": "2026-09-24", "invited": "2026-10-01"}
    assert later.notes == "kept"
    with pytest.raises(FormError) as caught:
        Application.read(
            {"program_code": "NOPE", "status": "maybe", "applied": "2026-13-01"}, on=ON, known=KNOWN
        )
    assert set(fields(caught)) == {"program_code", "status", "applied"}
    assert "'NOPE'" in fields(caught)["program_code"]


def test_an_application_csv_row_collects_problems_with_its_row() -> None:
    problems: list[Problem] = []
    Application.read({"program_code": ""}, on=ON, known=KNOWN, prefix="row 3: ", problems=problems)
    assert [p.location for p in problems] == ["row 3: program_code"]


def test_unknown_date_keys_are_named() -> None:
    assert [p.location for p in unknown_date_keys({"applied": "x", "sent": "y"})] == ["dates.sent"]


@pytest.mark.parametrize(
    ("day", "ok"),
    [("1949-12-31", False), ("1950-01-01", True), ("2100-12-31", True), ("2101-01-01", False)],
)
def test_dates_outside_1950_to_2100_are_typing_mistakes(day: str, ok: bool) -> None:
    raw = {"title": "Personal statement", "due_on": day}
    if ok:
        assert Document.read(raw).due_on == date.fromisoformat(day)
    else:
        with pytest.raises(FormError, match="outside 1950-2100"):
            Document.read(raw)


def test_letters_and_documents() -> None:
    letter = Letter.read(
        {"writer": "Dr Okafor", "kind": "US_CLINICAL", "requested_on": "2026-07-01"}
    )
    assert (letter.kind, letter.status, letter.requested_on) == (
        "us_clinical",
        "requested",
        date(2026, 7, 1),
    )
    with pytest.raises(FormError) as caught:
        Letter.read({"writer": "Dr\nX", "status": "lost"})
    assert set(fields(caught)) == {"writer", "status"}
    assert Letter.read_status("Uploaded") == "uploaded"
    assert Document.read({"title": "CV", "done": "on"}).done is True
    assert Document.read({"title": "CV"}).kind == "other"


def test_a_rotation_is_a_real_period_with_an_amount() -> None:
    rotation = Rotation.read({"site": "Mercy", "specialty": "IM", "start_on": "2026-01-05",
                              "end_on": "2026-02-01", "cost": "$3,500", "letter_earned": "yes"})  # fmt: skip
    assert (rotation.cost, rotation.kind, rotation.letter_earned) == (3500.0, "hands_on", True)
    with pytest.raises(FormError) as caught:
        Rotation.read({"site": "", "specialty": "IM", "start_on": "2026-02-02", "end_on": "2026-02-01",
                       "cost": "lots"})  # fmt: skip
    assert set(fields(caught)) == {"site", "end_on", "cost"}
    with pytest.raises(FormError) as caught:
        Rotation.read({"site": "A", "specialty": "IM", "cost": "100001"})
    assert set(fields(caught)) == {"start_on", "end_on", "cost"}


@pytest.mark.parametrize(
    ("capacity", "ok"), [("", 1), ("0", None), ("1", 1), ("100", 100), ("101", None), ("two", None)]
)
def test_slot_capacity_is_1_to_100(capacity: str, ok: int | None) -> None:
    raw = {
        "site": "Mercy",
        "specialty": "IM",
        "start_on": "2026-01-05",
        "end_on": "2026-02-01",
        "capacity": capacity,
    }
    if ok is None:
        with pytest.raises(FormError, match="capacity: must be a whole number from 1 to 100"):
            Slot.read(raw)
    else:
        assert Slot.read(raw).capacity == ok


def test_rank_entries_round_trip() -> None:
    entry = RankEntry.from_row({"program": "1414140A0", "supplemental": ["1234140P0"]})
    assert entry == RankEntry("1414140A0", ("1234140P0",))
    assert RankEntry.from_row(entry.values()) == entry
