"""Every CSV imgpath writes, from the CLI as from the web, neutralises formula cells (OWASP CSV
injection), and imgpath reads its own exports back exactly (second attack, item 8)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imgpath.cli.main import main
from imgpath.core.csv_safety import (
    FORMULA_START,
    dict_writer,
    neutralise_cell,
    restore_cell,
    writer,
)
from tests.unit.test_instance_validation import GOOD

SRC = Path(__file__).parents[3] / "src" / "imgpath"
HOSTILE = {"ana": "=1+2", "ben": "@SUM(A1)", "cy": "-2+3", "dee": "+cmd|' /C calc'!A0"}
"""Applicant ids a spreadsheet would run as formulas."""

texts = st.text(
    alphabet=st.sampled_from(["=", "+", "-", "@", "'", " ", "\t", "\n", "a", "1", "\uff1d"])
)


@given(st.one_of(texts, st.text()))
def test_neutralised_text_never_starts_a_formula_and_reads_back_exactly(value: str) -> None:
    cell = neutralise_cell(value)
    assert not cell.lstrip(" ").startswith(FORMULA_START)
    assert restore_cell(cell) == value


@given(st.lists(st.one_of(texts, st.integers(), st.floats(allow_nan=False)), max_size=6))
def test_the_writers_neutralise_every_cell(row: list[object]) -> None:
    out = io.StringIO()
    writer(out).writerow(row)
    columns = [f"c{n}" for n in range(len(row))]
    dict_writer(out, columns).writerow(dict(zip(columns, row, strict=True)))
    for cells in csv.reader(io.StringIO(out.getvalue())):
        for cell in cells:
            assert not cell.lstrip(" ").startswith(FORMULA_START) or (
                cell.startswith("-") and _number(cell)
            )


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_no_csv_is_written_around_the_safe_writers() -> None:
    """The whole kind: any csv.writer, DictWriter or to_csv in the package must be the one in
    core/csv_safety.py (a new export cannot forget the neutralisation)."""
    pattern = re.compile(r"csv\.writer\(|csv\.DictWriter\(|\.to_csv\(|DictWriter\)")
    offenders = [
        f"{path.relative_to(SRC)}:{n}"
        for path in SRC.rglob("*.py")
        if path.name != "csv_safety.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


@pytest.fixture
def hostile_market(tmp_path: Path) -> Path:
    text = json.dumps(GOOD)
    for old, new in HOSTILE.items():
        text = text.replace(json.dumps(old), json.dumps(new))
    path = tmp_path / "market.json"
    path.write_text(text, encoding="utf-8")
    return path


def test_match_csv_neutralises_formula_ids(
    hostile_market: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["match", str(hostile_market), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["applicant"] for r in rows} == {"'" + v for v in HOSTILE.values()}
    assert all(not r["applicant"].startswith(FORMULA_START) for r in rows)


def test_rank_list_export_is_neutralised_and_imports_back_exactly(
    hostile_market: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rol", "export", str(hostile_market), "IM1"]) == 0
    exported = capsys.readouterr().out
    assert exported == "rank,applicant\n1,'=1+2\n2,'@SUM(A1)\n3,'-2+3\n"
    listed = tmp_path / "im1.csv"
    listed.write_text(exported, encoding="utf-8")
    updated = tmp_path / "updated.json"
    assert main(["rol", "import", str(hostile_market), "IM1", str(listed), "-o", str(updated)]) == 0
    capsys.readouterr()
    assert main(["rol", "export", str(updated), "IM1"]) == 0
    assert capsys.readouterr().out == exported
