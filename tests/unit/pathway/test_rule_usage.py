"""Stated means applied: every rule is evaluated somewhere or says in its pack why it is only cited.

A rule with a checkable condition (an attempt limit, a validity window, a cutoff date, an
eligibility list, a rule judged by a test date) may not be informational, and no informational
rule may decide a status.  ``docs/reference/pathway-rules.md`` shows the same table.
"""

from __future__ import annotations

import re
from importlib import resources

import pytest

from imgpath.core.pathway.usage import ENGINE_USES
from imgpath.services.pathway import uses
from imgpath.services.pathway_data import load_rulebook

CHECKABLE_PARAM = re.compile(
    r"limit|attempt|cutoff|window|valid|^max_|^min_|deadline|_months$|^years$|per_year"
)
CHECKABLE_STATEMENT = re.compile(
    r"\b(?:limit(?:ed)? (?:of|to) \d|maximum of \d|at most \d+ (?:times|attempts)|"
    r"must (?:be )?pass(?:ed)?\b[^.]*\bwithin|valid (?:for|until) \d|expires? (?:after|on) )",
    re.IGNORECASE,
)


def test_every_rule_is_evaluated_or_says_why_it_is_only_cited() -> None:
    used = uses()
    problems = []
    for rule in load_rulebook():
        use = used[rule.id]
        if use.evaluated and rule.informational:
            problems.append(f"{rule.id} is marked informational but decides: {use.where}")
        if not use.evaluated and not rule.informational:
            problems.append(f"{rule.id} is only cited ({use.cited}) and not marked informational")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("rule", list(load_rulebook()), ids=lambda r: r.id)
def test_a_rule_with_a_checkable_condition_is_never_only_cited(rule: object) -> None:
    from imgpath.core.pathway.rules import Rule

    assert isinstance(rule, Rule)
    if not rule.informational:
        return
    checkable = [p for p in rule.params if CHECKABLE_PARAM.search(p)]
    assert not checkable, f"{rule.id}: params {checkable} state a condition; evaluate it"
    assert not rule.eligibility, f"{rule.id}: an eligibility list is a condition; evaluate it"
    assert rule.date_basis == "evaluation", f"{rule.id}: judged by a {rule.date_basis} date"
    found = CHECKABLE_STATEMENT.search(rule.statement)
    assert found is None, f"{rule.id}: the statement states a limit ({found.group(0)!r})"


def test_the_audit_catches_a_limit_that_is_only_cited() -> None:
    """The checks above are not vacuous: a pass-validity rule marked informational fails them."""
    rule = load_rulebook()["UK.PLAB.VALIDITY.v2025"]
    assert [p for p in rule.params if CHECKABLE_PARAM.search(p)] or CHECKABLE_STATEMENT.search(
        rule.statement
    )
    assert CHECKABLE_STATEMENT.search("PLAB 2 must be passed within two years of PLAB 1")
    assert CHECKABLE_STATEMENT.search("You may take the NAC a maximum of 3 times")


def test_engine_uses_name_rules_the_engine_really_reads() -> None:
    book = load_rulebook()
    source = "".join(
        entry.read_text(encoding="utf-8")
        for entry in resources.files("imgpath").joinpath("core", "pathway").iterdir()
        if entry.name.endswith(".py") and entry.name != "usage.py"
    )
    for name in ENGINE_USES:
        key = name.removesuffix("*")
        assert key in source, f"ENGINE_USES names {name}, which no engine module reads"
        if name.endswith("*"):
            assert any(r.id.startswith(key) for r in book), name
        else:
            assert name in book.rules or name in book.families, name


def test_counts() -> None:
    used = uses()
    evaluated = sum(u.evaluated for u in used.values())
    assert evaluated >= 110
    assert len(used) - evaluated >= 20
