"""Docs derived from code are current, and the public API is what the docs say."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
assert spec is not None
assert spec.loader is not None
gen_docs = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen_docs)


@pytest.mark.parametrize("path", sorted(gen_docs.TARGETS), ids=lambda p: p.name)
def test_generated_reference_is_current(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    expected = gen_docs.TARGETS[path]()
    assert path.read_text(encoding="utf-8") == expected, "run `make docs` and commit the result"


def test_every_cli_command_is_in_the_reference() -> None:
    from imgpath.cli.lazy import LAZY
    from imgpath.cli.main import app

    text = (ROOT / "docs" / "reference" / "cli.md").read_text(encoding="utf-8")
    names = {c.name for c in app.registered_commands} | {g.name for g in app.registered_groups}
    names |= set(LAZY)  # the sub-commands loaded when they run
    for name in names:
        assert f"## imgpath {name}" in text


def test_public_match_api_is_exactly_the_documented_one() -> None:
    import imgpath.match

    assert sorted(imgpath.match.__all__) == sorted(
        [
            "NRMP_MAX_RANKS", "AuditReport", "BlockingPair", "Explanation", "Instance", "Limits",
            "Market", "MarketOutcome", "Result", "audit", "dump_instance", "explain",
            "export_rank_list", "import_rank_list", "instance_json_schema", "load", "loads",
            "save", "solve", "solve_market",
            # issue 14: the CLI reaches the library through the facades only
            "match_file",
            # issue 15: commands say when the engines compile (once per install)
            "is_compiled", "mark_compiled",
        ]
    )  # fmt: skip
    for name in imgpath.match.__all__:
        assert hasattr(imgpath.match, name)


def test_docs_links_point_at_files_that_exist() -> None:
    for page in (ROOT / "docs").rglob("*.md"):
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            assert (page.parent / target).exists(), f"{page.name} links to missing {target}"


def _key_paths(node: object, path: str = "") -> set[str]:
    paths: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            step = "{id}" if path == "rules" else key
            paths |= _key_paths(value, f"{path}.{step}" if path else step)
    elif isinstance(node, list):
        for value in node:
            paths |= _key_paths(value, f"{path}[]")
    else:
        paths.add(path)
    return paths


def test_every_key_of_the_plan_output_is_documented() -> None:
    """Reports for many kinds of people, and every key any of them has, is in plan-output.md."""
    from datetime import date

    from imgpath.pathway import evaluate, load_profile

    example = ROOT / "examples" / "profile-nigeria.yaml"
    on = date(2026, 11, 22)
    profiles = [
        load_profile(example, on=on),
        {"school": {"country": "US"}},
        {"targets": {"destination": "UK"}},
        {
            "school": {"country": "IN"},
            "citizenships": ["IN"],
            "targets": {"states": ["TX", "FL"], "match_year": 2027},
            "exams": {"step1": [{"date": "2026-12-20", "result": "scheduled"}]},
            "job_offers": [{"state": "FL"}],
        },
    ]
    doc = (ROOT / "docs" / "reference" / "plan-output.md").read_text(encoding="utf-8")
    for profile in profiles:
        for path in _key_paths(evaluate(profile, on).to_dict()):
            assert f"`{path}`" in doc, f"{path} is not documented in docs/reference/plan-output.md"


def test_the_profile_reference_lists_every_field_and_batch_column() -> None:
    from imgpath.pathway import profile_json_schema
    from imgpath.services.pathway import BATCH_COLUMNS

    doc = (ROOT / "docs" / "reference" / "profile.md").read_text(encoding="utf-8")
    schema = profile_json_schema()
    for name in schema["properties"]:
        assert f"`{name}`" in doc, name
    for definition in schema["$defs"].values():
        for name in definition.get("properties", {}):
            assert f"`{name}`" in doc, name
    for column in BATCH_COLUMNS:
        assert f"`{column}`" in doc, column


@pytest.mark.parametrize(
    "module", ["imgpath.match", "imgpath.pathway", "imgpath.catalog", "imgpath.market"]
)
def test_the_examples_in_module_docs_run(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0


def test_public_pathway_api_is_exactly_the_documented_one() -> None:
    import imgpath.pathway

    assert sorted(imgpath.pathway.__all__) == sorted(
        [
            "FACTS", "REPORT_KEYS", "InvalidProfileError", "PathBook", "Profile", "Report", "Rule",
            "RuleBook", "application_costs", "evaluate", "load_paths", "load_profile", "load_rulebook", "parse_profile",
            "plan", "plan_batch", "plan_file", "profile_json_schema", "rule_dict", "rule_markdown",
            "rulebook_markdown", "select_rules", "summary", "to_markdown", "to_text",
            # issue 14: the CLI reaches the library through the facades only
            "SUMMARY_COLUMNS", "REVIEW_REASONS", "ReviewItem", "review", "review_markdown",
        ]
    )  # fmt: skip


def test_public_catalog_api_is_exactly_the_documented_one() -> None:
    import imgpath.catalog

    assert sorted(imgpath.catalog.__all__) == sorted(
        [
            "CLAIM_COLUMNS", "CLAIM_FIELDS", "DATABASE_ENV", "KINDS", "REGIONS", "SORTS", "TRACK_TYPES",
            "Applicant", "Catalog", "Claim", "Fit", "ImportReport", "Program", "ProgramView",
            "SearchQuery", "SearchResult", "Term", "applicant_from_file", "applicant_from_report",
            "database_url", "open_catalog",
            # issue 17: evidence, reviewed claims, outcomes, open bundle, Canada
            "APPLICANT_KINDS", "CLAIM_ROLES", "CLAIM_STATUSES", "EVIDENCE_KINDS", "IMPORT_KINDS", "K",
            "LICENCES", "MIN_SAMPLE", "OPEN_TO", "STAGES", "Actor", "CanadaQuery", "CanadaResult",
            "CanadaStream", "ImportResult", "OutcomeCell", "OutcomeSharing", "ProgramEvidence",
            "RowProblem", "Source", "export_bundle", "import_bundle",
            "ClaimDesk",  # claims by account role in the web app, reviewers appointed
            # issue 14: one reading of a search for the CLI, the API and the page
            "parse_search",
        ]
    )  # fmt: skip


def test_public_market_api_is_exactly_the_documented_one() -> None:
    import imgpath.market

    assert sorted(imgpath.market.__all__) == sorted(
        [
            "APPLICANT_TYPES", "CALIBRATION_PATH", "DEFAULT_RANKS", "TYPE_LABELS", "TYPE_NAMES",
            "InvalidModelError", "MarketModel", "Person", "SimMarket", "calibration_markdown",
            "calibration_plot", "generate_example", "generate_market", "load_model", "make_executor",
            "model_markdown", "national_instance", "odds", "odds_for_profile", "odds_plot",
            "person_from_report", "run_calibration", "run_demo", "run_seeds", "simulate",
            "write_calibration", "DEFAULT_YEAR", "YEARS", "backtest", "backtest_markdown",
            "calibration_path", "check_year", "DEFAULT_APPLICATIONS", "OddsAnswer", "odds_answer",
            "odds_answer_for_profile", "funnel_plot",
        ]
    )  # fmt: skip
    for name in imgpath.market.__all__:
        assert hasattr(imgpath.market, name)


def test_every_model_figure_has_a_source() -> None:
    from imgpath.market import load_model

    model = load_model()
    scalars = [k for k, v in model.params.items() if not isinstance(v, dict) and k != "year"]
    nested = [f"{group}.{kind}.{name}" for group in ("applicant_types",) for kind, values in model.params[group].items() for name in values]  # fmt: skip
    nested += [f"programs.{name}" for name in model.params["programs"]]
    for key in scalars + nested:
        assert model.sources.get(key), f"{key} has no source in model_2025.yaml"
