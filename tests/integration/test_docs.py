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
    from imgpath.cli.main import app

    text = (ROOT / "docs" / "reference" / "cli.md").read_text(encoding="utf-8")
    names = {c.name for c in app.registered_commands} | {g.name for g in app.registered_groups}
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
        ]
    )  # fmt: skip
    for name in imgpath.match.__all__:
        assert hasattr(imgpath.match, name)


def test_docs_links_point_at_files_that_exist() -> None:
    for page in (ROOT / "docs").rglob("*.md"):
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            assert (page.parent / target).exists(), f"{page.name} links to missing {target}"
