"""Table-driven tests of every pathway rule (cases in ``cases.yaml``).

Each case states a profile and a day, and what the report must say.  The last test checks the
table covers the whole rule book, so a new rule cannot ship without a case.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from imgpath.core.pathway.profile import parse_profile
from imgpath.core.pathway.report import Report
from imgpath.services.pathway import evaluate
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
    elif "cost" in expect:
        element = _one(out["costs"]["lines"], "rule_id", expect["cost"], "cost line")
        assert element["amount"] == expect["amount"], element
    elif "img_kind" in expect:
        assert out["img"]["kind"] == expect["img_kind"], out["img"]
    elif "fact" in expect:
        actual = report.facts[expect["fact"]]
        if isinstance(actual, float):
            actual = round(actual, 1)
        assert actual == expect["equals"], (expect["fact"], actual)
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
    report = evaluate(parse_profile(_profile(case), on=on), on)
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
            for key in ("cites", "not_cites", "cost"):
                if key in expect:
                    cited.add(expect[key])
            if "route" in expect:
                cited.add(expect["route"]["route"])
    missing = sorted(set(load_rulebook().rules) - cited)
    assert not missing, f"rules without a table-driven case: {missing}"
