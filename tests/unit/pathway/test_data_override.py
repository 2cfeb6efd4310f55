"""IMGPATH_PATHWAY_DATA: an organisation runs updated rules without a new release."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from imgpath.errors import InvalidInputError
from imgpath.services import pathway_data
from imgpath.services.pathway import evaluate

PROFILE = {
    "school": {"country": "IN"},
    "citizenships": ["IN"],
    "targets": {"match_year": 2027, "programs": 20},
}


def _clear() -> None:
    pathway_data.load_rulebook.cache_clear()
    pathway_data.load_paths.cache_clear()
    pathway_data.load_path_book.cache_clear()


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    source = resources.files("imgpath").joinpath("data", "pathway")
    target = tmp_path / "pathway"
    with resources.as_file(source) as folder:
        shutil.copytree(folder, target)
    monkeypatch.setenv(pathway_data.DATA_ENV, str(target))
    _clear()
    yield target
    monkeypatch.delenv(pathway_data.DATA_ENV)
    _clear()


def _nrmp_fee() -> float | None:
    report = evaluate(PROFILE, date(2026, 11, 22))
    return next(line.amount for line in report.costs.lines if line.rule_id == "US.COST.NRMP")


def test_an_updated_fee_is_used(data_copy: Path) -> None:
    pack = data_copy / "rules" / "us_plan.yaml"
    pack.write_text(
        pack.read_text(encoding="utf-8").replace("registration: 70,", "registration: 75,"),
        encoding="utf-8",
    )
    _clear()
    assert _nrmp_fee() == 75


def test_a_broken_override_is_bad_input_naming_the_rule(data_copy: Path) -> None:
    pack = data_copy / "rules" / "us_plan.yaml"
    text = pack.read_text(encoding="utf-8").replace(
        "    confidence: M\n    sources:\n      - url: https://residencyexperts.com/final-steps-of-2024-match/",
        "    sources:\n      - url: https://residencyexperts.com/final-steps-of-2024-match/",
        1,
    )
    pack.write_text(text, encoding="utf-8")
    _clear()
    with pytest.raises(
        InvalidInputError,
        match=r"rules/us_plan.yaml: rules\[\d+\] \(US.COST.NRMP\): 'confidence' is required",
    ):
        evaluate(PROFILE, date(2026, 11, 22))


def test_an_override_without_rules_folder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(pathway_data.DATA_ENV, str(tmp_path))
    _clear()
    try:
        with pytest.raises(InvalidInputError, match="expected a folder with rules/ and paths/"):
            pathway_data.load_rulebook()
    finally:
        monkeypatch.delenv(pathway_data.DATA_ENV)
        _clear()


def test_the_bundled_fee() -> None:
    assert _nrmp_fee() == 70
