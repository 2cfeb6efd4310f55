"""The pathway engine: where an IMG stands on a given day and what comes next, from cited rules.

>>> from datetime import date
>>> from imgpath.pathway import evaluate
>>> report = evaluate({"school": {"country": "NG"}, "citizenships": ["NG"]}, on=date(2026, 11, 22))
>>> report.img["kind"], report.steps[0].id, report.steps[0].status
('non_us_img', 'usmle_step1', 'unknown')
"""

from __future__ import annotations

from imgpath.core.pathway.facts import FACTS
from imgpath.core.pathway.profile import (
    InvalidProfileError,
    Profile,
    parse_profile,
    profile_json_schema,
)
from imgpath.core.pathway.render import to_markdown, to_text
from imgpath.core.pathway.report import REPORT_KEYS, PathBook, Report
from imgpath.core.pathway.rule_reference import (
    REVIEW_REASONS,
    ReviewItem,
    review_markdown,
    rule_dict,
    rule_markdown,
    rulebook_markdown,
    select_rules,
)
from imgpath.core.pathway.rules import Rule, RuleBook
from imgpath.services.pathway import (
    SUMMARY_COLUMNS,
    application_costs,
    evaluate,
    load_profile,
    plan,
    plan_batch,
    plan_file,
    review,
    summary,
)
from imgpath.services.pathway_data import load_paths, load_rulebook

__all__ = [
    "FACTS",
    "REPORT_KEYS",
    "REVIEW_REASONS",
    "SUMMARY_COLUMNS",
    "InvalidProfileError",
    "PathBook",
    "Profile",
    "Report",
    "ReviewItem",
    "Rule",
    "RuleBook",
    "application_costs",
    "evaluate",
    "load_paths",
    "load_profile",
    "load_rulebook",
    "parse_profile",
    "plan",
    "plan_batch",
    "plan_file",
    "profile_json_schema",
    "review",
    "review_markdown",
    "rule_dict",
    "rule_markdown",
    "rulebook_markdown",
    "select_rules",
    "summary",
    "to_markdown",
    "to_text",
]
