"""The season's rules, pure: NRMP rank-list limits and edits, supplemental lists, ERAS's letters
limit from the rule packs, USCE against programs' asks, the timeline and calendar, the cohort."""

from __future__ import annotations

from datetime import UTC, date, datetime

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from imgpath.core.catalog.claims import Claim
from imgpath.core.season import rank_list as ranks
from imgpath.core.season.applications_csv import applications_csv, read_applications_csv
from imgpath.core.season.cohort import cohort_csv, cohort_row, keep_row, missing_items, wanted
from imgpath.core.season.letters import letters_per_program, too_many_letters
from imgpath.core.season.records import RankEntry
from imgpath.core.season.timeline import calendar_file, timeline
from imgpath.core.season.usce import months, rotation_totals, usce_check
from imgpath.errors import EngineError, FormError, NotFoundError
from imgpath.services.pathway_data import load_rulebook

CODES = tuple(f"{i:07d}C0" for i in range(6))


def entries(n: int) -> tuple[RankEntry, ...]:
    return tuple(RankEntry(c) for c in CODES[:n])


def test_nrmp_limits_300_on_the_list_and_each_supplemental_list() -> None:
    assert ranks.limit_problems([RankEntry(f"{i:07d}C0") for i in range(300)]) == []
    over = ranks.limit_problems([RankEntry(f"{i:07d}C0") for i in range(301)])
    assert [p.location for p in over] == ["program_code"]
    assert "would have 301 programs; NRMP allows at most 300" in over[0].message
    long = RankEntry("1A", tuple(f"{i}P" for i in range(301)))
    assert [p.location for p in ranks.limit_problems([long])] == ["supplemental"]
    assert ranks.limit_problems([RankEntry("1A", tuple(f"{i}P" for i in range(300)))]) == []


def test_adding_twice_and_unknown_entries_are_refused() -> None:
    with pytest.raises(FormError, match="on your list already"):
        ranks.add(entries(2), CODES[1])
    with pytest.raises(NotFoundError, match="not on your rank list"):
        ranks.remove(entries(2), CODES[4])
    assert ranks.add(entries(1), CODES[1]) == entries(2)
    with pytest.raises(FormError, match="not up, down, top or bottom"):
        ranks.step(entries(2), CODES[0], "sideways")


def _reference_move(codes: list[str], code: str, to: int) -> list[str]:
    """Obviously correct: take it out, put it at the clamped position."""
    rest = [c for c in codes if c != code]
    at = max(1, min(to, len(rest) + 1)) - 1
    return [*rest[:at], code, *rest[at:]]


@given(st.integers(1, 6), st.data())
def test_moves_and_steps_match_a_reference(n: int, data: st.DataObject) -> None:
    codes = list(CODES[:n])
    code = data.draw(st.sampled_from(codes))
    to = data.draw(st.integers(-3, 10))
    moved = ranks.move(entries(n), code, to)
    assert [e.program for e in moved] == _reference_move(codes, code, to)
    at = codes.index(code)
    expected = {"up": at, "down": at + 2, "top": 1, "bottom": n}  # 1-based targets
    for direction, target in expected.items():
        stepped = ranks.step(entries(n), code, direction)
        assert [e.program for e in stepped] == _reference_move(codes, code, max(target, 1))


def test_supplemental_lists_hold_preliminary_programs_for_an_advanced_one() -> None:
    track = {"1A": "A", "2C": "C", "3P": "P", "4P": "P"}
    chosen, problems = ranks.supplemental_choice([" 3p", "3P", "", "2C", "9X"], track)
    assert chosen == ("3P", "2C", "9X")
    assert [p.message for p in problems] == [
        "2C is not a preliminary (PGY-1) program",
        "no program with code '9X'",
    ]
    listed = (RankEntry("1A"), RankEntry("2C"))
    chosen, problems = ranks.supplemental_choice(["3P", "4P"], track)
    assert ranks.set_supplemental(listed, "1a", chosen, problems, track)[0] == RankEntry(
        "1A", ("3P", "4P")
    )
    with pytest.raises(FormError, match="only an advanced"):
        ranks.set_supplemental(listed, "2C", chosen, problems, track)


def test_warnings_and_explanations() -> None:
    assert ranks.entry_warnings("withdrawn", "C", False) == [
        "you withdrew from this program: it cannot match you"
    ]
    assert ranks.entry_warnings("interviewed", "C", False) == []
    assert len(ranks.entry_warnings("applied", "A", False)) == 2
    assert ranks.explain(1, "Mercy IM", "C", 0).startswith("The Match tries this program first.")
    assert "programs 1 to 2 do not take you" in ranks.explain(3, "Mercy IM", "C", 0)
    assert "(2 programs)." in ranks.explain(2, "Mercy", "A", 2)
    assert "which is empty." in ranks.explain(2, "Mercy", "A", 0)


def test_the_letters_limit_comes_from_the_rule_packs() -> None:
    book = load_rulebook()
    assert letters_per_program(book, date(2026, 11, 30)) == 4
    rule = book.at("US.ERAS.LETTERS.LIMIT", date(2026, 11, 30))
    assert rule is not None
    assert rule.sources  # cited
    problem = too_many_letters("Mercy IM", "1414140C0", ["A", "B", "C", "D"], "E", 4)
    assert (
        "already has 4 letters (A, B, C, D); ERAS allows at most 4 per program" in problem.message
    )
    from imgpath.core.pathway.rules import RuleBook

    with pytest.raises(EngineError, match=r"US\.ERAS\.LETTERS\.LIMIT"):
        letters_per_program(RuleBook([]), date(2026, 11, 30))


def _claim(field: str, value: object, as_of: date) -> Claim:
    return Claim(program_code="1C", field=field, value=value, kind="program_website", source="https://x.example",
                 as_of=as_of, entered_by="t")  # fmt: skip


def test_usce_months_against_the_latest_ask() -> None:
    assert months(date(2026, 1, 1), date(2026, 1, 30)) == 1.0
    assert months(date(2026, 1, 1), date(2026, 1, 1)) == 0.0
    totals = rotation_totals([{"months": 1.0, "kind": "hands_on", "cost": 100, "letter_earned": True},
                              {"months": 2.0, "kind": "observership", "cost": None, "letter_earned": False}])  # fmt: skip
    assert totals == {"months": 3.0, "hands_on_months": 1.0, "cost": 100, "letters_earned": 1}
    claims = [
        _claim("usce_months", 6, date(2024, 1, 1)),
        _claim("usce_months", 3, date(2025, 1, 1)),
    ]
    check = usce_check("1C", "Mercy", claims, 3.0, 1.0)
    assert check is not None
    assert (check["required_months"], check["met"], check["as_of"]) == (3.0, True, "2025-01-01")
    hands_on = usce_check(
        "1C", "Mercy", [*claims, _claim("usce_type", "hands_on", date(2025, 1, 1))], 3.0, 1.0
    )
    assert hands_on is not None
    assert (hands_on["hands_on_only"], hands_on["have_months"], hands_on["met"]) == (
        True,
        1.0,
        False,
    )
    assert usce_check("1C", "Mercy", [], 3.0, 1.0) is None


def test_timeline_order_and_calendar_file() -> None:
    app = {
        "program": {"code": "1C", "name": "Mercy IM"},
        "dates": {"applied": "2026-09-24", "interview": "2026-11-02"},
    }
    items = timeline(
        [{"id": "x", "date": "2026-09-24", "title": "ERAS opens", "needs_confirmation": True}, {"id": "y", "title": "no date"}],
        [app], [{"id": 1, "due_on": "2026-09-01", "title": "CV", "kind": "cv", "done": False},
                {"id": 2, "due_on": "2026-09-02", "title": "Done", "kind": "cv", "done": True}],
        [{"id": 3, "start_on": "2026-01-05", "end_on": "2026-02-01", "kind": "hands_on", "specialty": "IM",
          "site": "Mercy", "supervisor": "Dr A"}], [],
    )  # fmt: skip
    assert [i["uid"] for i in items] == ["rotation-3", "document-1", "application-1C-applied", "deadline-x",
                                         "application-1C-interview"]  # fmt: skip
    ics = calendar_file(items, owner_id=7, stamp=datetime(2026, 11, 30, tzinfo=UTC))
    events = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    assert len(events) == 5
    rotation = events[0]
    assert str(rotation["uid"]) == "rotation-3-7@imgpath"
    assert rotation.decoded("dtend") == date(2026, 2, 2)  # all-day: the day after the last
    assert any("(needs confirmation)" in str(e["summary"]) for e in events)


def test_cohort_rows_stage_missing_and_csv() -> None:
    person = {"id": 1, "name": "Ada", "email": "ada@example.org"}
    assert wanted(person, " ADA ")
    assert wanted(person, "")
    assert not wanted(person, "bo")
    missing = missing_items(has_profile=False, documents=[{"title": "CV", "done": False}],
                            letters=[{"writer": "Dr A", "status": "requested"}], interviewed=True,
                            has_rank_list=False)  # fmt: skip
    assert missing == ["profile", "document: CV", "letter: Dr A", "rank list"]
    apps = [{"status": "applied"}, {"status": "interviewed"}, {"status": "withdrawn"}]
    row = cohort_row(person, apps, [{"date": "2026-12-01", "title": "=HYPERLINK()"}], missing)
    assert (row["stage"], row["by_status"]) == (
        "interviewed",
        {"applied": 1, "interviewed": 1, "withdrawn": 1},
    )
    assert keep_row(row, stage="interviewed", missing_only=True)
    assert not keep_row(row, stage="applied")
    assert not keep_row({**row, "missing": []}, missing_only=True)
    text = cohort_csv([row])
    assert "'=HYPERLINK()" in text  # a formula is shown, never run


def test_applications_csv_round_trip_and_row_problems() -> None:
    text = "NRMP Code,Status,Date applied,Notes\r\n1414140c0,applied,2026-09-20,=1+1\r\n,,,\r\n"
    [record] = read_applications_csv(text.encode("utf-8-sig"), on=date(2026, 9, 24), known={"1414140C0"},
                                     before=lambda code: None)  # fmt: skip
    assert (record.program_code, record.dates, record.notes) == (
        "1414140C0",
        {"applied": "2026-09-20"},
        "=1+1",
    )
    out = applications_csv([{**record.values(), "program": {"code": "1414140C0", "name": "Mercy", "specialty": "IM",
                                                            "state": "NY"}}])  # fmt: skip
    assert out.splitlines()[1].endswith(",'=1+1")
    with pytest.raises(FormError) as caught:
        read_applications_csv(
            "Code,Status\nNOPE,maybe\n", on=date(2026, 9, 24), known=set(), before=lambda c: None
        )
    assert set(caught.value.by_field()) == {"row 2: program_code", "row 2: status"}
    with pytest.raises(FormError, match="no program code column"):
        read_applications_csv("Name\nx\n", on=date(2026, 9, 24), known=set(), before=lambda c: None)
    with pytest.raises(FormError, match="not UTF-8"):
        read_applications_csv(
            b"Code\n\xff\n", on=date(2026, 9, 24), known=set(), before=lambda c: None
        )
