"""The ``imgpath`` command line, run in-process: outputs, exit codes, and no tracebacks."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from imgpath.cli.main import main
from tests.unit.test_instance_validation import GOOD


@pytest.fixture
def market(tmp_path: Path) -> Path:
    path = tmp_path / "market.json"
    path.write_text(json.dumps(GOOD), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_match_json_has_the_documented_keys(
    market: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "match", str(market), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert {
        "matches",
        "supplemental_matches",
        "unfilled",
        "stable",
        "blocking_pairs",
        "stats",
    } <= set(data)
    assert data["matches"] == {"ana": "DERM", "ben": "IM1", "cy": "IM1", "dee": None}
    assert data["supplemental_matches"] == {"ana": "PRE"}
    assert data["stable"] is True


def test_match_reads_yaml_from_stdin_and_writes_csv(
    market: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import yaml

    monkeypatch.setattr("sys.stdin", io.StringIO(yaml.safe_dump(GOOD)))
    code, out, _ = run(capsys, "match", "-", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0] == {"applicant": "ana", "program": "DERM", "supplemental_program": "PRE"}


def test_explain_in_table_and_json(market: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "match", str(market), "--explain", "ben")
    assert code == 0
    assert "ben matched to IM1." in out
    assert "Match summary" in out
    code, out, _ = run(capsys, "match", str(market), "-f", "json", "--explain", "ana")
    story = json.loads(out)["explanation"]
    assert story["matched"] == "DERM"
    assert story["supplemental"] == "PRE"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"programs": {"P": {"quota": 1,}}}', "line 1, column 32: not valid JSON"),
        ('{"programs": {"P": {"quota": -2}}}', "programs['P'].quota: quota is -2"),
        ('{"programs": {}, "applicants": {"a": {"rol": ["X"]}}}', "unknown program 'X'"),
    ],
)
def test_bad_input_gives_one_clear_error_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "match", str(path))
    assert code == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err


def test_usage_errors_and_missing_files_exit_2_without_traceback(
    market: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (
        ["match", str(market), "--seed", "-1"],
        ["match", str(market), "--format", "xml"],
        ["match", "no-such-file.json"],
        ["match", str(market), "--explain", "nobody"],
        ["market", "generate"],
    ):
        code, _, err = run(capsys, *argv)
        assert code == 2, argv
        assert "Traceback" not in err


def test_rank_list_export_and_import(
    market: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "rol", "export", str(market), "IM1")
    assert code == 0
    assert out == "rank,applicant\n1,ana\n2,ben\n3,cy\n"
    new_list = tmp_path / "im1.csv"
    new_list.write_text("rank,applicant\n1,cy\n2,ben\n", encoding="utf-8")
    updated = tmp_path / "updated.yaml"
    code, _, err = run(
        capsys, "rol", "import", str(market), "IM1", str(new_list), "-o", str(updated)
    )
    assert code == 0, err
    code, out, _ = run(capsys, "rol", "export", str(updated), "IM1")
    assert out == "rank,applicant\n1,cy\n2,ben\n"
    new_list.write_text("rank,applicant\n1,cy\n2,nobody\n", encoding="utf-8")
    code, _, err = run(capsys, "rol", "import", str(market), "IM1", str(new_list))
    assert code == 2
    assert "unknown applicant 'nobody'" in err


def test_generate_a_small_national_market_then_match_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "small.json"
    code, _, err = run(
        capsys,
        "market",
        "generate",
        "--national",
        "--scale",
        "0.02",
        "--seed",
        "3",
        "-o",
        str(path),
    )
    assert code == 0, err
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert len(doc["applicants"]) == pytest.approx(48050 * 0.02, rel=0.01)  # NRMP 2026: 48,050
    assert doc["couples"]
    code, out, _ = run(capsys, "match", str(path), "-f", "json")
    assert code == 0
    assert json.loads(out)["stats"]["applicants"] == len(doc["applicants"])


def test_schema_command_prints_the_instance_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema", "instance")
    assert code == 0
    assert json.loads(out)["title"] == "imgpath Match instance"


def test_demo_runs_on_a_small_market(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "demo", "--scale", "0.02")
    assert code == 0
    assert "By applicant type" in out
    assert "Non-US IMGs" in out
