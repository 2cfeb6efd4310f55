"""The step engine: ordered clauses, unknowns that ask, and rules past their review date."""

from __future__ import annotations

from datetime import date
from typing import Any

from imgpath.core.pathway.engine import cite, evaluate_steps, parse_steps
from imgpath.core.pathway.rules import RuleBook, parse_rules

RULE: dict[str, Any] = {
    "id": "US.TEST.MEASURE",
    "title": "A measure with a term",
    "statement": "Something that runs for a year unless extended.",
    "effective_from": "2025-09-21",
    "as_of": "2026-07-01",
    "confidence": "H",
    "review_by": "2026-09-21",
    "review_note": "its term ended unless extended",
    "sources": [{"url": "https://example.org/", "title": "Example"}],
    "params": {"limit": 2},
}


def _book(**change: Any) -> RuleBook:
    return RuleBook(
        parse_rules({"jurisdiction": "US", "topic": "t", "rules": [{**RULE, **change}]}, where="t")
    )


def test_a_rule_is_current_until_its_review_day_and_stale_after() -> None:
    rule = _book()["US.TEST.MEASURE"]
    on_day = cite(rule, "The payment applies.", date(2026, 9, 21))
    after = cite(rule, "The payment applies.", date(2026, 9, 22))
    assert (on_day.text, on_day.stale, on_day.needs_confirmation) == (
        "The payment applies.",
        False,
        False,
    )
    assert after.stale
    assert after.needs_confirmation
    assert after.text == (
        "The payment applies (last confirmed as of 2026-07-01; due for review since 2026-09-21: "
        "its term ended unless extended. Check that it still holds before relying on it)."
    )


def test_a_weak_grade_needs_confirmation_without_being_stale() -> None:
    rule = _book(confidence="L", review_by=None, review_note="")["US.TEST.MEASURE"]
    reason = cite(rule, "A claim.", date(2030, 1, 1))
    assert reason.needs_confirmation
    assert not reason.stale
    assert reason.text == "A claim. (needs confirmation)"


def test_a_review_note_needs_a_review_date() -> None:
    import pytest

    with pytest.raises(ValueError, match="'review_note' needs a 'review_by' date"):
        _book(review_by=None)


STEPS = parse_steps(
    [
        {
            "id": "exam",
            "title": "An exam",
            "done": [
                {
                    "rule": "US.TEST.MEASURE",
                    "when": {"fact": "a.certified", "is": True},
                    "text": "Met by a certificate.",
                },
                {
                    "rule": "US.TEST.MEASURE",
                    "when": {"fact": "a.valid", "is": True},
                    "text": "Passed and valid.",
                    "unknown": "Passed; whether it is still valid is not known.",
                },
            ],
            "ready": [
                {
                    "rule": "US.TEST.MEASURE",
                    "when": {"fact": "a.valid", "is": False},
                    "text": "Your pass lapsed: retake it.",
                },
                {"rule": "US.TEST.MEASURE", "text": "Book the exam."},
            ],
            "info": [
                {
                    "rule": "US.TEST.MEASURE",
                    "when": {"fact": "a.expiry_known", "is": True},
                    "text": "Its expiry is known.",
                    "unknown": "Tell us its expiry.",
                }
            ],
        }
    ],
    where="test",
)


def _status(facts: dict[str, Any]) -> tuple[str, list[str], frozenset[str]]:
    (result,) = evaluate_steps(STEPS, facts, _book(), date(2026, 1, 1))
    return result.status, [r.text for r in result.reasons], result.missing


def test_the_first_done_clause_that_holds_speaks() -> None:
    status, texts, _ = _status({"a.certified": True, "a.valid": None})
    assert status == "done"
    assert texts[0] == "Met by a certificate."


def test_a_done_clause_that_is_unknown_makes_the_step_unknown_and_says_so() -> None:
    status, texts, missing = _status({"a.certified": False, "a.valid": None})
    assert status == "unknown"
    assert texts[0] == "Passed; whether it is still valid is not known."
    assert "a.valid" in missing


def test_ready_says_what_fits() -> None:
    assert _status({"a.certified": False, "a.valid": False})[1][0] == "Your pass lapsed: retake it."
    assert _status({"a.certified": False, "a.valid": False, "a.expiry_known": True})[1] == [
        "Your pass lapsed: retake it.",
        "Its expiry is known.",
    ]


def test_an_info_clause_that_is_unknown_asks_even_when_done() -> None:
    status, texts, missing = _status({"a.certified": True})
    assert status == "done"
    assert "Tell us its expiry." in texts
    assert "a.expiry_known" in missing
