"""``imgpath market`` and ``imgpath odds`` in-process: outputs, exit codes, files written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from imgpath.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "profile-nigeria.yaml"


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMGPATH_CACHE_DIR", str(tmp_path / "cache"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_simulate_json_has_the_documented_keys(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "market",
        "simulate",
        "--runs",
        "2",
        "--scale",
        "0.05",
        "--executor",
        "serial",
        "-f",
        "json",
    )
    assert code == 0, err
    data = json.loads(out)
    assert {"runs", "match_rate_by_type", "fill_rate", "by_specialty"} <= set(data)
    assert set(data["match_rate_by_type"]) >= {
        "us_md_senior",
        "us_do_senior",
        "us_img",
        "non_us_img",
    }
    row = data["match_rate_by_type"]["non_us_img"]
    assert set(row) == {"mean", "interval_90"}


def test_simulate_table_with_a_scenario(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    scenario = tmp_path / "more-im.yaml"
    scenario.write_text(
        "specialties:\n  Internal Medicine (Categorical): {pgy1_positions: 12991}\n",
        encoding="utf-8",
    )
    code, out, err = run(
        capsys,
        "market",
        "simulate",
        "--scenario",
        str(scenario),
        "--runs",
        "1",
        "--scale",
        "0.05",
        "--executor",
        "serial",
    )
    assert code == 0, err
    assert "Non-US IMGs" in out
    assert "more-im.yaml" in out


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["market", "simulate", "--scenario", "SCENARIO"], "programs.j1_shar"),
        (["market", "simulate", "--format", "xml"], "--format 'xml'"),
        (["market", "simulate", "--scenario", "missing.yaml"], "no such file"),
        (["odds", str(EXAMPLE), "--applications", "a,b"], "--applications 'a,b'"),
        (["odds", str(EXAMPLE), "--applications", "0,20"], "--applications: give numbers"),
        (["odds", str(EXAMPLE), "--year", "2019"], "--year 2019"),
        (["odds", str(EXAMPLE), "--scenario", "SCENARIO"], "programs.j1_shar"),
        (["market", "backtest", "--fit", "2026", "--predict", "2025"], "must come after"),
        (["odds", str(EXAMPLE), "--specialty", "astrology"], "no specialty matches"),
        (["odds", str(EXAMPLE), "--specialty", "astrology"], "imgpath market specialties"),
        (["odds", str(EXAMPLE), "--type", "alien"], "--type 'alien'"),
        (["market", "generate"], "--national"),
    ],
)
def test_bad_input_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], words: str
) -> None:
    scenario = tmp_path / "bad.yaml"
    scenario.write_text("programs: {j1_shar: 0.5}\n", encoding="utf-8")
    argv = [str(scenario) if a == "SCENARIO" else a for a in argv]
    code, _, err = run(
        capsys,
        *argv,
        *(
            ["--executor", "serial"]
            if argv[0] in ("odds",) or argv[:2] == ["market", "simulate"]
            else []
        ),
    )
    assert code == 2
    assert words in err
    assert "Traceback" not in err


def test_odds_text_json_and_plot(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    plot = tmp_path / "funnel.png"
    code, out, err = run(capsys, "odds", str(EXAMPLE), "--on", "2026-11-22", "--runs", "1", "-n", "20,120",
                         "-s", "internal medicine", "--executor", "serial", "--plot", str(plot))  # fmt: skip
    assert code == 0, err
    assert "non-US IMG in Internal Medicine (Categorical)" in out
    assert "Applications -> interviews -> Match" in out
    assert "National rate, Non-US IMGs, NRMP 2026: 56.4%" in out
    assert "$220" in out  # ERAS: 20 programs at $11 (fees of the 2026 season)
    assert "Not modelled" in out
    assert "Years since graduation" in out
    assert "not a forecast" in out
    assert plot.read_bytes()[:4] == b"\x89PNG"
    code, out, _ = run(capsys, "odds", str(EXAMPLE), "--on", "2026-11-22", "--runs", "1", "-n", "20,120",
                       "-s", "internal medicine", "--executor", "serial", "--json")  # fmt: skip
    data = json.loads(out)
    assert [r["applications"] for r in data["rows"]] == [20, 120]
    assert data["markets_built"] == 0  # the stored Match of the first call, reused
    low, high = data["rows"][1]["p_match_range"]
    assert low <= data["rows"][1]["p_match"] <= high
    assert data["rows"][0]["p_match"] < data["rows"][1]["p_match"]


def test_calibrate_writes_parameters_and_a_report(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "calibration.yaml"
    report = tmp_path / "calibration.md"
    code, out, err = run(capsys, "market", "calibrate", "--iterations", "1", "--scale", "0.05", "--final-iterations", "0",
                         "--check-runs", "1", "-o", str(target), "--report", str(report), "--executor", "serial")  # fmt: skip
    assert code == 0, err
    fitted = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert set(fitted["parameters"]["applicant_types"]) == {
        "us_md_senior",
        "us_do_senior",
        "us_img",
        "non_us_img",
        "prior_graduate",
    }
    assert "rank_length_scale" in fitted["parameters"]
    assert "| US MD seniors | 93.5% |" in report.read_text(encoding="utf-8")
    assert (tmp_path / "calibration.png").exists()
    assert "US MD seniors:" in out
