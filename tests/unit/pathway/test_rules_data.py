"""The rule book as data: every rule sourced, dated and graded; every reference resolves.

These tests guard the people who keep the rules current: a rule pack that drops a source, a
path that names a rule or fact that does not exist, or a sentence in a report without a rule
behind it fails here, not in front of a user.
"""

from __future__ import annotations

import itertools
import re
from datetime import date, timedelta
from importlib import resources
from typing import Any

import pytest
import yaml
from hypothesis import given, settings

from imgpath.core.pathway.conditions import Condition
from imgpath.core.pathway.engine import StepDef, cite
from imgpath.core.pathway.facts import FACTS, declared
from imgpath.core.pathway.profile import parse_profile
from imgpath.core.pathway.rules import RuleBook, parse_partial_date, parse_rules
from imgpath.services.pathway import evaluate, path_book
from imgpath.services.pathway_data import load_paths, load_rulebook
from tests.unit.pathway.profiles import profiles

STATUSES = {"done", "ready", "in_progress", "blocked", "not_applicable", "unknown"}
OPTION_STATUSES = {"eligible", "not_yet", "unknown", "blocked", "not_applicable", "not_available"}
PLACEHOLDER = re.compile(r"\{([a-z0-9_.]+)\}")


def _raw_rules() -> list[tuple[str, dict[str, Any]]]:
    root = resources.files("imgpath").joinpath("data", "pathway", "rules")
    out = []
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            pack = yaml.safe_load(entry.read_text(encoding="utf-8"))
            out.extend((entry.name, rule) for rule in pack["rules"])
    return out


RAW = _raw_rules()


@pytest.mark.parametrize(("pack", "rule"), RAW, ids=[r["id"] for _, r in RAW])
def test_every_rule_has_source_date_and_grade(pack: str, rule: dict[str, Any]) -> None:
    """Read from the YAML itself, so the check does not depend on the parser it guards."""
    assert rule.get("sources"), f"{pack}: {rule['id']} has no source"
    for source in rule["sources"]:
        assert str(source.get("url", "")).startswith("https://"), (pack, rule["id"], source)
        assert source.get("title"), (pack, rule["id"], source)
    assert rule.get("effective_from") not in (None, ""), f"{rule['id']} has no effective date"
    assert rule.get("as_of") not in (None, ""), f"{rule['id']} has no as-of date"
    assert rule.get("confidence") in ("H", "M", "L", "U"), f"{rule['id']} has no grade"
    assert rule.get("statement"), f"{rule['id']} has no statement"


def test_rule_ids_are_unique_and_well_formed() -> None:
    ids = [r["id"] for _, r in RAW]
    assert len(ids) == len(set(ids))
    for rule_id in ids:
        assert re.fullmatch(r"(US|UK|CA|AU)(\.[A-Z0-9_]+)+(\.v[0-9a-z_]+)?", rule_id), rule_id


def test_the_book_holds_every_rule_of_the_packs() -> None:
    assert len(load_rulebook()) == len(RAW) >= 130


GOOD_RULE: dict[str, Any] = {
    "id": "US.TEST.RULE",
    "title": "A test rule",
    "statement": "Something true.",
    "effective_from": "2024-01-01",
    "as_of": "2024-01-01",
    "confidence": "H",
    "sources": [{"url": "https://example.org/", "title": "Example"}],
}


def test_a_well_formed_rule_parses() -> None:
    (rule,) = parse_rules({"jurisdiction": "US", "topic": "test", "rules": [GOOD_RULE]}, where="t")
    assert rule.family == "US.TEST.RULE"
    assert rule.in_force(date(2024, 1, 1))
    assert not rule.in_force(date(2023, 12, 31))


@pytest.mark.parametrize(
    "missing", ["sources", "effective_from", "as_of", "confidence", "statement"]
)
def test_a_rule_without_source_date_or_grade_is_refused(missing: str) -> None:
    rule = dict(GOOD_RULE)
    del rule[missing]
    with pytest.raises(ValueError, match=rf"rules\[0\] \(US.TEST.RULE\).*'{missing}' is required"):
        parse_rules({"jurisdiction": "US", "topic": "test", "rules": [rule]}, where="test.yaml")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"confidence": "X"}, "confidence must be one of"),
        ({"sources": [{"url": "ftp://x", "title": "t"}]}, "must start with https://"),
        ({"colour": "red"}, r"unknown field\(s\) \['colour'\]"),
        (
            {"condition": {"fact": "a.b", "gte": {"param": "limit"}}},
            r"undefined param\(s\) \['limit'\]",
        ),
        ({"condition": {"fact": "a.b", "between": 3}}, "condition"),
        ({"effective_from": "soon"}, "soon"),
    ],
)
def test_malformed_rules_name_the_field(change: dict[str, Any], message: str) -> None:
    rule = {**GOOD_RULE, **change}
    with pytest.raises(ValueError, match=message):
        parse_rules({"jurisdiction": "US", "topic": "test", "rules": [rule]}, where="test.yaml")


def test_a_rule_defined_twice_is_refused() -> None:
    rules = load_rulebook().rules
    first = next(iter(rules.values()))
    with pytest.raises(ValueError, match="defined twice"):
        RuleBook([first, first])


def test_versions_of_a_family_do_not_overlap() -> None:
    for family, versions in load_rulebook().families.items():
        dated = [v for v in versions if v.effective_from is not None]
        for earlier, later in itertools.pairwise(dated):
            assert earlier.effective_until is not None, f"{family}: {earlier.id} never ends"
            assert earlier.effective_until.last < later.effective_from.first, (  # type: ignore[union-attr]
                f"{family}: {earlier.id} overlaps {later.id}"
            )


# ------------------------------------------------------------------ references resolve


def _conditions() -> list[tuple[str, Condition]]:
    out: list[tuple[str, Condition]] = []
    for rule in load_rulebook():
        if rule.condition is not None:
            out.append((rule.id, rule.condition))
        out.extend((f"{rule.id} eligibility", item.condition) for item in rule.eligibility)
    book = path_book()
    steps: list[StepDef] = [s for defs in book.steps.values() for s in defs]
    steps += [s for s, _ in book.visas]
    for step in steps:
        out.extend((f"step {step.id}", i.when) for _, i in step.clauses() if i.when is not None)
    return out


def test_every_fact_a_condition_reads_is_declared() -> None:
    undeclared = {
        (where, fact)
        for where, cond in _conditions()
        for fact in cond.facts()
        if not declared(fact)
    }
    assert not undeclared, sorted(undeclared)


def test_every_rule_a_path_names_exists() -> None:
    rules = load_rulebook()
    book = path_book()
    steps = [s for defs in book.steps.values() for s in defs] + [s for s, _ in book.visas]
    for step in steps:
        for _, item in step.clauses():
            name = item.rule
            if name.startswith("fact:"):
                assert declared(name.removeprefix("fact:")), (step.id, name)
            else:
                assert name in rules or name in rules.families, (step.id, name)
    for _, eligibility in book.visas:
        assert eligibility is None or eligibility in rules, eligibility


def test_every_placeholder_is_a_fact_or_a_parameter() -> None:
    rules = load_rulebook()
    params = {key for rule in rules for key in rule.params}
    text = yaml.safe_dump(load_paths())
    for name in PLACEHOLDER.findall(text):
        assert name in params or name in FACTS, name


def test_every_destination_has_a_path() -> None:
    assert set(path_book().steps) == {"US", "UK", "CA", "AU"}
    us = [s.id for s in path_book().steps["US"]]
    assert us == [
        "usmle_step1", "usmle_step2ck", "oet", "clinical_skills", "credentials",
        "ecfmg_certificate", "eras", "nrmp_match", "usmle_step3", "residency", "license",
    ]  # fmt: skip
    assert [s.id for s, _ in path_book().visas] == ["j1", "h1b", "o1"]


# ------------------------------------------------------------------ every report statement is cited


def _statements(node: Any, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    found = []
    if isinstance(node, dict):
        if "text" in node or ("title" in node and "date" in node) or "item" in node:
            found.append((path, node))
        for key, value in node.items():
            found.extend(_statements(value, f"{path}.{key}"))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found.extend(_statements(value, f"{path}[{i}]"))
    return found


@settings(max_examples=300, deadline=None)
@given(profiles())
def test_every_statement_of_any_report_cites_a_sourced_rule(
    drawn: tuple[dict[str, Any], date],
) -> None:
    data, on = drawn
    report = evaluate(parse_profile(data, on=on), on)
    out = report.to_dict()
    rules = load_rulebook().rules
    statements = _statements(out)
    assert statements
    for where, statement in statements:
        rule_id = statement.get("rule_id")
        assert rule_id in rules, f"{where}: {statement} cites no known rule"
        assert rule_id in out["rules"], f"{where}: {rule_id} is missing from the report's rules"
        rule = rules[rule_id]
        assert rule.sources
        assert rule.confidence in "HMLU"
        if rule.needs_confirmation:
            assert statement.get("needs_confirmation") is True, (where, statement)
    for step in out["steps"]:
        assert step["status"] in STATUSES, step
        assert step["reasons"] or step["status"] in ("unknown", "ready"), step
    for option in out["visa_options"]:
        assert option["status"] in OPTION_STATUSES, option
    for state in out["licensure"]:
        for route in state["routes"]:
            assert route["status"] in OPTION_STATUSES, route
    for question in out["questions"]:
        assert question["fact"] in FACTS, question
        assert "?" in question["question"], question
    assert out["as_of"] == on.isoformat()
    assert set(out["rules"]) == report.cited_rules()
    _no_stale_measure_as_current(out, on)
    _no_past_date_as_upcoming(out, on)


def _no_stale_measure_as_current(out: dict[str, Any], on: date) -> None:
    """A rule past its review date is never stated as current fact, and only such rules are."""
    rules = load_rulebook().rules
    for where, statement in _statements(out):
        rule = rules[statement["rule_id"]]
        if rule.stale(on):
            assert statement.get("stale") is True, (where, statement)
            assert statement.get("needs_confirmation") is True, (where, statement)
            text = statement.get("text") or statement.get("note") or ""
            if "text" in statement or "note" in statement:
                assert "last confirmed" in text, (where, statement)
        else:
            assert not statement.get("stale"), (where, statement)
    for rule_id, rule in out["rules"].items():
        assert rule.get("stale", False) is rules[rule_id].stale(on), rule_id


def _no_past_date_as_upcoming(out: dict[str, Any], on: date) -> None:
    day = on.isoformat()
    for d in out["deadlines"]:
        latest = d.get("range", {}).get("latest", d["date"])
        assert d["past"] is (latest < day), d
    for event in out["timeline"]:
        if event["kind"] == "past":
            assert event["date"] <= day, event
        else:
            assert event["date"] >= day, event
    for action in out["next_actions"]:
        assert action.get("due", day) >= day, action
    for rule_id, rule in out["rules"].items():
        assert rule["sources"], rule_id
        assert rule["confidence"] in "HMLU", rule_id
        assert rule["as_of"], rule_id


@pytest.mark.parametrize(
    ("family", "day", "version"),
    [
        ("US.USMLE.ATTEMPTS", date(2021, 6, 30), "US.USMLE.ATTEMPTS.v2012"),
        ("US.USMLE.ATTEMPTS", date(2021, 7, 1), "US.USMLE.ATTEMPTS.v2021"),
        ("US.ECFMG.OET", date(2022, 3, 31), "US.ECFMG.OET.v2021"),
        ("US.ECFMG.OET", date(2022, 4, 1), "US.ECFMG.OET.v2022"),
        ("US.VISA.TRAVELBAN", date(2025, 6, 8), None),
        ("US.VISA.TRAVELBAN", date(2025, 6, 9), "US.VISA.TRAVELBAN.v2025_06"),
        ("US.VISA.TRAVELBAN", date(2025, 12, 31), "US.VISA.TRAVELBAN.v2025_06"),
        ("US.VISA.TRAVELBAN", date(2026, 1, 1), "US.VISA.TRAVELBAN.v2026_01"),
    ],
)
def test_the_version_in_force_changes_on_its_day(
    family: str, day: date, version: str | None
) -> None:
    found = load_rulebook().at(family, day)
    assert (found.id if found else None) == version


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2024", date(2024, 1, 1), date(2024, 12, 31)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2023-12", date(2023, 12, 1), date(2023, 12, 31)),
        ("2025-09-21", date(2025, 9, 21), date(2025, 9, 21)),
    ],
)
def test_partial_dates_cover_their_whole_period(text: str, first: date, last: date) -> None:
    parsed = parse_partial_date(text)
    assert (parsed.first, parsed.last, str(parsed)) == (first, last, text)


@pytest.mark.parametrize("text", ["2024-13", "24-01-01", "soon", "2024-02-30"])
def test_bad_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="date"):
        parse_partial_date(text)


@pytest.mark.parametrize(
    "rule_id", sorted(r.id for r in load_rulebook() if r.review_by is not None)
)
def test_every_measure_is_current_on_its_review_day_and_stale_the_day_after(rule_id: str) -> None:
    """Day-of / day-after for each ``review_by``: stated as current, then as last confirmed."""
    rule = load_rulebook()[rule_id]
    assert rule.review_by is not None
    current = cite(rule, "The measure applies.", rule.review_by)
    assert not current.stale
    assert "last confirmed" not in current.text
    assert current.needs_confirmation == rule.needs_confirmation
    after = cite(rule, "The measure applies.", rule.review_by + timedelta(days=1))
    assert after.stale
    assert after.needs_confirmation
    assert "last confirmed" in after.text
    assert "Check that it still holds" in after.text
    assert str(rule.as_of) in after.text


def test_a_yes_no_value_in_a_list_of_codes_is_refused() -> None:
    """YAML 1.1 reads unquoted NO (Norway) as false: a pack or path that does so is refused,
    naming the rule and the parameter, instead of silently dropping a country."""
    from imgpath.core.pathway.conditions import parse_condition

    rule = {
        "id": "UK.TEST.HOME",
        "title": "t",
        "statement": "s",
        "effective_from": "current",
        "as_of": "2026-11-29",
        "confidence": "H",
        "sources": [{"url": "https://example.org/", "title": "x"}],
        "params": {"home": ["GB", "LI", False, "CH"]},
    }
    with pytest.raises(ValueError, match=r"UK.TEST.HOME.*params.home.*quote it"):
        parse_rules({"jurisdiction": "UK", "topic": "t", "rules": [rule]}, where="uk.yaml")
    with pytest.raises(ValueError, match="quote it"):
        parse_condition({"fact": "school.country", "in": ["GB", False]}, where="paths/uk.yaml")


def test_no_bundled_list_of_codes_holds_a_yes_no_value() -> None:
    book = load_rulebook()
    assert "NO" in book["UK.IMG.DEF"].params["home"]
    for rule_id in ("UK.TRAINING.PRIORITISATION.v2026", "UK.TRAINING.PRIORITISATION.v2027"):
        assert "NO" in book[rule_id].params["pmq_countries"]


@pytest.mark.parametrize(
    "day", [date(2027, 2, 23), date(2027, 2, 24), date(2027, 3, 1), date(2027, 3, 4)]
)
def test_a_projected_deadline_already_open_is_placed_today_not_in_the_past(day: date) -> None:
    """The 2027 rank-list deadline is projected 2027-02-24..2027-03-03: inside that window the
    timeline puts it on the day asked (it may fall any day from now), the day after it is past."""
    profile = {
        "school": {"country": "NG", "wdoms_ecfmg_note": "yes", "graduation_date": "2022-07-15"},
        "citizenships": ["NG"],
        "us_status": "none",
        "in_us": False,
        "targets": {"match_year": 2027, "states": ["NY"], "visa": "j1"},
    }
    out = evaluate(parse_profile(profile, on=day), day).to_dict()
    rol = [e for e in out["timeline"] if e["title"].startswith("Rank order list certification")]
    assert len(rol) == 1
    if day <= date(2027, 3, 3):
        assert rol[0]["kind"] != "past"
        assert rol[0]["date"] == max(day, date(2027, 2, 24)).isoformat()
    else:
        assert rol[0]["kind"] == "past"
        assert rol[0]["date"] == "2027-02-24"
    _no_past_date_as_upcoming(out, day)
