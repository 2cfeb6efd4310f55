"""``imgpath support``: the directory for a profile in three formats, the review list, bad input."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from imgpath.cli.main import main
from imgpath.cli.support import Kind
from imgpath.support import CSV_COLUMNS, KINDS, load_directory

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "profile-nigeria.yaml"
ON = "2026-11-30"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_text_says_who_you_are_what_fits_and_where_each_fact_comes_from(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "support", str(EXAMPLE), "--on", ON)
    assert code == 0, err
    assert "Support for IMGs as of 2026-11-30" in out
    assert "destination US; citizenship NG; stage: preparing for or taking the exams" in out
    assert "target states NY, TX, TN" in out
    assert "== Fits you" in out
    assert "AMA International Medical Graduates Section (IMGS)  [grade H]" in out
    assert "Source: AMA" in out
    assert "read 2026-11-30, review by 2027-11-30" in out
    assert "needs confirmation" in out  # the L-graded entries say so
    assert "do not fit (add --all" in out
    assert "Texas Conrad 30" not in out  # a J-1 waiver is not for someone preparing for exams
    for line in out.splitlines():
        if "https://" in line:
            assert len(line.split("https://", 1)[1].split()[0]) > 8  # addresses are never broken


def test_json_has_every_entrys_source_dates_grade_and_fit(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "support", str(EXAMPLE), "--on", ON, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {"as_of", "situation", "filters", "counts", "entries"}
    assert data["situation"]["stage"] == "exams"
    assert data["entries"]
    for entry in data["entries"]:
        assert entry["fit"] in ("fits", "may_fit")
        assert entry["sources"]
        assert entry["as_of"] == "2026-11-30"
        assert entry["grade"] in "HMLU"
        assert entry["review_by"] > entry["as_of"]
    assert data["counts"]["fits"] + data["counts"]["may_fit"] == len(data["entries"])


def test_all_adds_what_does_not_fit_with_the_reason(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "support", str(EXAMPLE), "--on", ON, "--all", "-f", "json", "-k", "visa_legal"
    )
    assert code == 0
    entries = json.loads(out)["entries"]
    assert {e["kind"] for e in entries} == {"visa_legal"}
    tx = next(e for e in entries if e["id"] == "us.tx_conrad30")
    assert tx["fit"] == "does_not_fit"
    assert any("in residency" in r for r in tx["reasons"])


def test_csv_has_the_documented_columns(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "support.csv"
    code, _, err = run(capsys, "support", str(EXAMPLE), "--on", ON, "-f", "csv", "-o", str(target))
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert rows
    assert tuple(rows[0]) == CSV_COLUMNS
    assert all(r["source_url"].startswith("http") and r["as_of"] == ON for r in rows)


def test_without_a_profile_the_directory_is_listed_by_destination(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "support", "--destination", "CA", "--on", ON, "-f", "json")
    assert code == 0
    data = json.loads(out)
    assert data["situation"]["assessed"] is False
    assert {e["serves"]["destination"] for e in data["entries"]} == {"CA"}
    code, out, _ = run(capsys, "support", "--on", ON, "--state", "NY", "--kind", "visa_legal")
    assert code == 0
    assert 'New York "State 30"' in out
    assert "Texas Conrad 30" not in out


def test_a_stale_entry_is_marked_the_day_after_its_review_day(
    capsys: pytest.CaptureFixture[str],
) -> None:
    entry = next(e for e in load_directory() if e.id == "us.ama_imgs")
    for day, stale in ((entry.review_by, False), (entry.review_by + timedelta(days=1), True)):
        code, out, _ = run(capsys, "support", "--on", day.isoformat(), "-d", "US", "-f", "json")
        assert code == 0
        shown = next(e for e in json.loads(out)["entries"] if e["id"] == "us.ama_imgs")
        assert shown["stale"] is stale
        assert ("stale:" in shown["caveat"]) is stale
    code, out, _ = run(
        capsys, "support", "--on", (entry.review_by + timedelta(days=1)).isoformat(), "-d", "US"
    )
    assert (
        "AMA International Medical Graduates Section (IMGS)  [grade H, STALE, needs confirmation]"
        in out
    )


def test_review_lists_what_maintainers_must_recheck(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "support", "review", "--on", "2027-03-01")
    assert code == 0
    assert out.startswith("# Support entries to review as of 2027-03-01")
    assert "past_review_by" in out
    assert "us.acp_imig_international" in out
    code, out, _ = run(capsys, "support", "review", "--on", "2027-03-01", "-f", "json")
    items = json.loads(out)["items"]
    assert items
    assert all(i["sources"] for i in items)
    assert items[0]["reasons"][0] == "past_review_by"
    code, out, _ = run(capsys, "support", "review", "--on", "2026-12-01", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["grade"] for r in rows} == {"L"}


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--state", "XX"], "--state: 'XX' is not a US state code"),
        (["--state", "NY", "--state", "ZZ"], "--state: 'ZZ'"),
        (["--kind", "grants"], "'--kind'"),
        (["--on", "2026-13-01"], "--on '2026-13-01': not a date"),
        (["--destination", "DE"], "'--destination'"),
        (["--format", "pdf"], "'--format'"),
        (["--destination", "US", str(EXAMPLE)], "--destination is for listing without a PROFILE"),
        (["missing-profile.yaml"], "missing-profile.yaml"),
    ],
)
def test_bad_input_exits_2_and_names_the_field(
    capsys: pytest.CaptureFixture[str], argv: list[str], words: str
) -> None:
    code, out, err = run(capsys, "support", *argv)
    assert code == 2, (out, err)
    assert words in err
    assert "Traceback" not in err


def test_a_bad_profile_exits_2_naming_the_profile_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "me.yaml"
    bad.write_text("citizenships: [ZZ]\ntargets: {states: [QQ]}\n", encoding="utf-8")
    code, _, err = run(capsys, "support", str(bad), "--on", ON)
    assert code == 2
    assert "citizenships[0]" in err
    assert "targets.states[0]" in err


def test_the_kind_option_lists_exactly_the_kinds() -> None:
    assert [k.value for k in Kind] == list(KINDS)


def test_help_teaches(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "support", "--help")
    assert code == 0
    for words in ("--kind", "--state", "--all", "review", "stale", "needs confirmation"):
        assert words in out


def test_the_facade_example_runs() -> None:
    from imgpath.support import support_for

    report = support_for({"school": {"country": "NG"}, "citizenships": ["NG"]}, date(2026, 11, 30))
    assert report.situation.stage == "exams"


def test_the_how_to_shows_what_the_command_prints(capsys: pytest.CaptureFixture[str]) -> None:
    """The example in docs/how-to/find-support.md is the command's real output."""
    page = (ROOT / "docs" / "how-to" / "find-support.md").read_text(encoding="utf-8")
    shown = page.split("```text\n", 1)[1].split("```", 1)[0]
    code, out, _ = run(capsys, "support", str(EXAMPLE), "--on", ON)
    assert code == 0
    assert out.startswith(shown)
