"""Table-driven tests of every pathway rule (cases in ``cases.yaml``).

Each case states a profile and a day, and what the report must say.  The last tests check the
table covers the whole rule book: every rule has a case, every *evaluated* rule a case that checks
a result resting on it, and every day a new version of an evaluated rule begins a day-before /
day-of pair, so a new rule cannot ship without a case.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from imgpath.core.pathway.profile import parse_profile
from imgpath.core.pathway.report import Report
from imgpath.services.pathway import evaluate, uses
from imgpath.services.pathway_data import load_rulebook

CASES_FILE = Path(__file__).with_name("cases.yaml")


@cache
def _table() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
    return data


def _merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _profile(case: Mapping[str, Any]) -> dict[str, Any]:
    base = _table()["bases"][case["base"]] if "base" in case else {}
    return _merge(base, case.get("profile") or {})


def _texts(node: Any) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("text", "title") and isinstance(value, str):
                found.append(value)
            elif key != "rules":
                found += _texts(value)
    elif isinstance(node, list):
        for value in node:
            found += _texts(value)
    return found


def _statements_citing(node: Any, rule_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if node.get("rule_id") == rule_id:
            found.append(node)
        for key, value in node.items():
            if key != "rules":
                found += _statements_citing(value, rule_id)
    elif isinstance(node, list):
        for value in node:
            found += _statements_citing(value, rule_id)
    return found


def _cited(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "rule_id":
                found.add(value)
            else:
                found |= _cited(value)
    elif isinstance(node, list):
        for value in node:
            found |= _cited(value)
    return found


def _one(items: list[dict[str, Any]], key: str, value: Any, what: str) -> dict[str, Any]:
    matches = [i for i in items if i.get(key) == value]
    assert matches, f"no {what} {value!r} in {[i.get(key) for i in items]}"
    return matches[0]


def _as_iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _check(report: Report, expect: Mapping[str, Any]) -> None:
    out = report.to_dict()
    element: dict[str, Any] | None = None
    if "step" in expect:
        element = _one(out["steps"], "id", expect["step"], "step")
        assert element["status"] == expect["status"], element
    elif "visa" in expect:
        element = _one(out["visa_options"], "id", expect["visa"], "visa option")
        assert element["status"] == expect["status"], element
    elif "route" in expect:
        want = expect["route"]
        state = _one(out["licensure"], "state", want["state"], "state")
        route_id = want["route"]
        if route_id == "traditional":
            route_id = next(
                r["route"] for r in state["routes"] if r["route"].startswith("traditional")
            )
        element = _one(state["routes"], "route", route_id, f"route in {want['state']}")
        assert element["status"] == want["status"], element
    elif "deadline" in expect:
        want = expect["deadline"]
        element = _one(out["deadlines"], "id", want["id"], "deadline")
        assert element["date"] == _as_iso(want["date"]), element
        assert element["status"] == want["status"], element
        if "past" in want:
            assert element["past"] is want["past"], element
        for end in ("earliest", "latest"):
            if end in want:
                assert element["range"][end] == _as_iso(want[end]), element
    elif "cost" in expect:
        element = _one(out["costs"]["lines"], "rule_id", expect["cost"], "cost line")
        assert element["amount"] == expect["amount"], element
    elif "cost_item" in expect:  # a cost line whose item starts with the text
        items = [line["item"] for line in out["costs"]["lines"]]
        assert any(i.startswith(expect["cost_item"]) for i in items), items
    elif "no_cost_item" in expect:
        items = [line["item"] for line in out["costs"]["lines"]]
        assert not any(i.startswith(expect["no_cost_item"]) for i in items), items
    elif "img_kind" in expect:
        assert out["img"]["kind"] == expect["img_kind"], out["img"]
    elif "fact" in expect:
        actual = report.facts[expect["fact"]]
        if isinstance(actual, float):
            actual = round(actual, 1)
        assert actual == expect["equals"], (expect["fact"], actual)
    elif "says" in expect:
        texts = _texts(out)
        assert any(expect["says"] in t for t in texts), (expect["says"], texts)
        if "cites" in expect:  # the sentence that says it rests on the rule
            citing = _statements_citing(out, expect["cites"])
            assert any(expect["says"] in _texts(c)[0] for c in citing if _texts(c)), citing
            return
    elif "says_not" in expect:
        bad = [t for t in _texts(out) if expect["says_not"] in t]
        assert not bad, bad
    elif "stale" in expect or "not_stale" in expect:
        rule_id = expect.get("stale") or expect["not_stale"]
        stale = "stale" in expect
        statements = _statements_citing(out, rule_id)
        assert statements, f"{rule_id} is not cited"
        assert out["rules"][rule_id].get("stale", False) is stale, out["rules"][rule_id]
        for statement in statements:
            assert bool(statement.get("stale")) is stale, statement
            if stale:
                assert statement.get("needs_confirmation") is True, statement
    elif "not_question" in expect:
        asked = [q["fact"] for q in out["questions"]]
        assert expect["not_question"] not in asked, asked
    elif "change" in expect:
        want = expect["change"]
        found = [(c["rule_id"], c["kind"]) for c in out["changes"]["items"]]
        assert (want["rule"], want["kind"]) in found, found
        if "date" in want:  # every listed change of that kind is dated inside the window
            dates = [
                c["date"]
                for c in out["changes"]["items"]
                if (c["rule_id"], c["kind"]) == (want["rule"], want["kind"])
            ]
            assert dates == [_as_iso(want["date"])], dates
        return
    elif "no_change" in expect:
        found = [c["rule_id"] for c in out["changes"]["items"]]
        assert expect["no_change"] not in found, found
        return
    elif "question" in expect:
        asked = [q["fact"] for q in out["questions"]]
        assert expect["question"] in asked, asked
    elif "not_cites" in expect:
        assert expect["not_cites"] not in report.cited_rules()
        return
    if "cites" in expect:
        scope = element if element is not None else out
        assert expect["cites"] in _cited(scope), (expect["cites"], scope)


def _cases() -> list[Any]:
    return [pytest.param(case, id=case["name"]) for case in _table()["cases"]]


@pytest.mark.parametrize("case", _cases())
def test_case(case: Mapping[str, Any]) -> None:
    on = case["day"]
    report = evaluate(
        parse_profile(_profile(case), on=on), on, changes_since=case.get("changes_since")
    )
    failures = []
    for expect in case["expect"]:
        try:
            _check(report, expect)
        except AssertionError as exc:
            failures.append(f"{expect}: {exc}")
    assert not failures, "\n".join(failures)


def test_every_rule_has_a_case() -> None:
    cited: set[str] = set()
    for case in _table()["cases"]:
        for expect in case["expect"]:
            for key in ("cites", "not_cites", "cost", "stale", "not_stale"):
                if key in expect:
                    cited.add(expect[key])
            if "route" in expect:
                cited.add(expect["route"]["route"])
    for rule_id, test_file in APPLIED_OUTSIDE_THE_PLAN.items():  # their cases live with their use
        assert rule_id in (ROOT / test_file).read_text(encoding="utf-8"), (rule_id, test_file)
        cited.add(rule_id)
    missing = sorted(set(load_rulebook().rules) - cited)
    assert not missing, f"rules without a table-driven case: {missing}"


APPLIED_OUTSIDE_THE_PLAN = {"US.ERAS.LETTERS.LIMIT": "tests/unit/season/test_rules.py"}
"""Rules the season tracker applies (not the pathway plan), and the test file of their cases."""
ROOT = Path(__file__).resolve().parents[3]


_RESULTS = ("step", "visa", "route", "deadline", "cost", "fact", "img_kind", "says")


def coverage(*, results_only: bool = False) -> dict[str, list[str]]:
    """Rule id -> names of the cases that test it (docs/reference table).

    With ``results_only``, only cases that check a result resting on the rule (a status, date,
    amount, fact or sentence), not those that merely check it is cited.
    """
    out: dict[str, list[str]] = {}
    for case in _table()["cases"]:
        for expect in case["expect"]:
            rules: set[str] = set()
            if "cites" in expect and (not results_only or any(key in expect for key in _RESULTS)):
                rules.add(expect["cites"])
            if not results_only:
                rules |= {expect[k] for k in ("stale", "not_stale") if k in expect}
            if "route" in expect and expect["route"]["route"] != "traditional":
                rules.add(expect["route"]["route"])
            if "cost" in expect:
                rules.add(expect["cost"])
            for rule_id in rules:
                names = out.setdefault(rule_id, [])
                if case["name"] not in names:
                    names.append(case["name"])
    return out


def test_every_evaluated_rule_has_a_case_that_checks_its_result() -> None:
    """Citing is not enough: some case must check a status, date, amount or fact resting on it."""
    covered = coverage(results_only=True)
    evaluated = [rule_id for rule_id, use in uses().items() if use.evaluated]
    missing = sorted(r for r in evaluated if r not in covered)
    assert not missing, f"evaluated rules whose result no case checks: {missing}"


def _switches() -> dict[tuple[str, date], Any]:
    """Every day a later version of an evaluated, versioned family begins."""
    book = load_rulebook()
    used = uses()
    out = {}
    for family, versions in book.families.items():
        if len(versions) < 2 or not any(used[v.id].evaluated for v in versions):
            continue
        for later in versions[1:]:
            if later.effective_from is not None:
                out[(family, later.effective_from.first)] = later
    return out


def test_every_version_switch_has_a_day_before_and_a_day_of_case() -> None:
    declared: dict[tuple[str, date], set[str]] = {}
    for case in _table()["cases"]:
        b = case.get("boundary")
        if b:
            declared.setdefault((b["family"], b["day"]), set()).add(str(b["side"]))
            results = [e for e in case["expect"] if any(k in e for k in (*_RESULTS, "says"))]
            assert results, f"boundary case {case['name']!r} checks no result"
    missing = [
        f"{family} {day}: {sorted({'day_before', 'day_of'} - declared.get((family, day), set()))}"
        for family, day in sorted(_switches())
        if declared.get((family, day)) != {"day_before", "day_of"}
    ]
    assert not missing, f"version switches without a day-before/day-of pair: {missing}"


def test_boundary_cases_sit_on_their_day() -> None:
    """A boundary case is judged on (or, for test-date rules, has a sitting on) its day or the one before."""
    for case in _table()["cases"]:
        b = case.get("boundary")
        if not b:
            continue
        want = b["day"] - timedelta(days=1) if b["side"] == "day_before" else b["day"]
        text = yaml.safe_dump(_profile(case))
        assert case["day"] == want or want.isoformat() in text, case["name"]
