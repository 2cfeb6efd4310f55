"""``imgpath plan``: one profile in three formats, cohorts in CSV and JSON Lines, bad input."""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest

from imgpath.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "profile-nigeria.yaml"
COHORT = ROOT / "examples" / "cohort.csv"
KEYS = {
    "as_of",
    "img",
    "steps",
    "deadlines",
    "visa_options",
    "licensure",
    "timeline",
    "costs",
    "next_actions",
    "questions",
    "rules",
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_has_the_documented_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "plan", str(EXAMPLE), "--on", "2026-11-22", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert set(data) >= KEYS
    assert data["as_of"] == "2026-11-22"
    assert data["img"]["kind"] == "non_us_img"
    ids = [s["id"] for s in data["steps"]]
    assert ids[:3] == ["usmle_step1", "usmle_step2ck", "oet"]
    for step in data["steps"]:
        assert set(step) >= {"id", "status", "reasons"}
        for reason in step["reasons"]:
            assert set(reason) >= {"text", "rule_id"}
    assert {v["id"] for v in data["visa_options"]} == {"j1", "h1b", "o1"}
    assert [s["state"] for s in data["licensure"]] == ["NY", "TX", "TN"]
    assert data["rules"]["US.ECFMG.EXAM.MEDSCI"]["sources"][0]["url"].startswith("https://")


def test_text_and_markdown_cite_rules(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "plan", str(EXAMPLE), "--on", "2026-11-22")
    assert code == 0
    assert "Plan as of 2026-11-22 (US): non-US IMG" in out
    assert "[US.ECFMG.EXAM.MEDSCI]" in out
    assert "(needs confirmation)" in out
    target = tmp_path / "plan.md"
    code, _, _ = run(
        capsys, "plan", str(EXAMPLE), "--on", "2026-11-22", "-f", "markdown", "-o", str(target)
    )
    assert code == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# ")
    assert "[`US.ECFMG.EXAM.MEDSCI`]" in text
    assert "## Sources" in text


def test_the_day_changes_the_answer(capsys: pytest.CaptureFixture[str]) -> None:
    """The June 2025 travel ban did not list Nigeria; the January 2026 one does, for J visas."""
    _, before, _ = run(capsys, "plan", str(EXAMPLE), "--on", "2025-12-31", "-f", "json")
    _, after, _ = run(capsys, "plan", str(EXAMPLE), "--on", "2026-01-01", "-f", "json")
    j1 = {
        d: next(v for v in json.loads(t)["visa_options"] if v["id"] == "j1")
        for d, t in (("before", before), ("after", after))
    }
    assert j1["before"]["status"] != "blocked"
    assert j1["after"]["status"] == "blocked"
    assert "US.VISA.TRAVELBAN.v2026_01" in {r["rule_id"] for r in j1["after"]["reasons"]}


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("school: {country: XX}\n", "school.country: unknown country code 'XX'"),
        (
            "exams: {step1: [{date: 2027-05-01, result: pass}]}\n",
            "exams.step1[0].date: 2027-05-01 is after the evaluation date 2026-11-22",
        ),
        (
            "exams: {step2ck: [{date: 2025-05-01, result: pass, score: 310}]}\n",
            "exams.step2ck[0].score",
        ),
        ("school: [\n", "line 2"),
    ],
)
def test_bad_profiles_exit_2_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, words: str
) -> None:
    path = tmp_path / "me.yaml"
    path.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "plan", str(path), "--on", "2026-11-22")
    assert code == 2
    assert out == ""
    assert words in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "argv",
    [
        ["plan", str(EXAMPLE), "--on", "22/11/2026"],
        ["plan", "no-such-profile.yaml"],
        ["plan"],
        ["plan", str(EXAMPLE), "--format", "pdf"],
    ],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert "Traceback" not in err


def test_batch_csv_plans_everyone(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "summary.csv"
    code, out, err = run(
        capsys, "plan", "--batch", str(COHORT), "--on", "2026-11-22", "-o", str(target)
    )
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert [r["id"] for r in rows] == ["c-001", "c-002", "c-003", "c-004", "c-005"]
    assert all(r["valid"] == "True" for r in rows)
    assert rows[3]["img"] == "not_img"
    assert rows[1]["next_step"] == "ecfmg_certificate"
    assert "c-001: non_us_img" in out


def test_batch_reports_bad_rows_and_plans_the_rest(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    cohort = tmp_path / "cohort.csv"
    cohort.write_text(
        "id,school_country,step1_date,step1_result,match_year\n"
        "ok-1,IN,2024-01-01,pass,2027\n"
        "bad-1,XX,2024-01-01,pass,2027\n"
        "bad-2,NG,2024-01-01,pass,twenty\n"
        "ok-2,PK,,,2028\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "plan", "--batch", str(cohort), "--on", "2026-11-22")
    assert code == 2
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["row"], r["id"], r["valid"]) for r in rows] == [
        ("2", "ok-1", "True"), ("3", "bad-1", "False"), ("4", "", "False"), ("5", "ok-2", "True"),
    ]  # fmt: skip
    assert "school.country: unknown country code 'XX'" in rows[1]["problems"]
    assert "match_year: 'twenty' is not a whole number" in rows[2]["problems"]
    assert "2 row(s) could not be planned" in err


def test_batch_jsonl_keeps_full_histories(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    people = tmp_path / "cohort.jsonl"
    lines = [
        {
            "id": "a",
            "school": {"country": "NG"},
            "exams": {
                "step1": [
                    {"date": "2024-01-01", "result": "fail"},
                    {"date": "2024-06-01", "result": "pass"},
                ]
            },
        },
        {"id": "b", "school": {"country": "US"}},
    ]
    people.write_text("\n".join(json.dumps(x) for x in lines) + "\n{not json\n", encoding="utf-8")
    code, out, _err = run(capsys, "plan", "--batch", str(people), "--on", "2026-11-22")
    assert code == 2
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["valid"] for r in rows] == ["True", "True", "False"]
    assert rows[0]["next_step"] == "usmle_step2ck"
    assert "line 3" in rows[2]["problems"]


def test_batch_with_an_unknown_column_stops_before_planning(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    cohort = tmp_path / "cohort.csv"
    cohort.write_text("id,school_contry\n1,IN\n", encoding="utf-8")
    code, out, err = run(capsys, "plan", "--batch", str(cohort))
    assert code == 2
    assert out == ""
    assert "unknown column(s) school_contry" in err


# ------------------------------------------------------------------ the failing inputs of issue 13
CASES = Path(__file__).with_name("plan_cases")


def _plan_json(capsys: pytest.CaptureFixture[str], name: str, on: str) -> dict[str, Any]:
    code, out, err = run(capsys, "plan", str(CASES / name), "--on", on, "-f", "json")
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def _step(data: dict[str, Any], step_id: str) -> dict[str, Any]:
    return next(s for s in data["steps"] if s["id"] == step_id)


def test_case_ecfmg_certified_is_not_told_to_take_oet(capsys: pytest.CaptureFixture[str]) -> None:
    data = _plan_json(capsys, "ecfmg-certified-told-oet.yaml", "2025-03-01")
    for step in ("ecfmg_certificate", "oet", "clinical_skills", "credentials"):
        assert _step(data, step)["status"] == "done", _step(data, step)
    assert "ecfmg.certificate_expired" in [q["fact"] for q in data["questions"]]
    text = json.dumps(data["steps"]) + json.dumps(data["next_actions"])
    assert "Take OET" not in text
    assert "Pathway application" not in text


def test_case_lapsed_plab1_is_not_done(capsys: pytest.CaptureFixture[str]) -> None:
    data = _plan_json(capsys, "uk-plab1-pass-lapsed.yaml", "2025-08-01")
    assert _step(data, "plab1")["status"] != "done"
    plab2 = _step(data, "plab2")
    assert plab2["status"] == "blocked"
    assert plab2["reasons"][0]["rule_id"] == "UK.PLAB.VALIDITY.v2025"
    assert "lapsed on 2025-06-01" in plab2["reasons"][0]["text"]


def test_case_j1_resident_is_not_told_h1b_is_open(capsys: pytest.CaptureFixture[str]) -> None:
    data = _plan_json(capsys, "j1-resident-wants-h1b.yaml", "2026-05-01")
    h1b = next(v for v in data["visa_options"] if v["id"] == "h1b")
    assert h1b["status"] == "blocked"
    assert h1b["reasons"][0]["rule_id"] == "US.VISA.J1.212E"


def test_case_norway_unquoted_no(capsys: pytest.CaptureFixture[str]) -> None:
    """The loader reads YAML 1.2 booleans only (true/false), so an unquoted NO is Norway."""
    code, out, err = run(
        capsys, "plan", str(CASES / "norway-unquoted-no.yaml"), "--on", "2026-01-10", "-f", "json"
    )
    assert "Traceback" not in err
    assert code == 0, err
    report = json.loads(out)
    assert report["img"]["is_img"] is True
    assert report["img"]["kind"] == "non_us_img"


# ------------------------------------------------------------------ dates, review dates, alerts
def test_text_shows_projected_ranges_and_past_dates(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "plan", str(EXAMPLE), "--on", "2026-11-29")
    assert code == 0
    assert (
        "2027-02-24 to 2027-03-03 21:00 ET: Rank order list certification deadline (projected"
        in out
    )
    assert "ERAS season opens (tokens from ECFMG) (reported, needs confirmation, past)" in out
    assert "applications open in early June" not in out


def test_changes_since_lists_what_changed_for_this_person(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(
        capsys, "plan", str(EXAMPLE), "--on", "2026-11-29", "--changes-since", "2025-12-01"
    )
    assert code == 0, err
    assert "Changes since 2025-12-01 that concern you" in out
    assert "2026-01-01 began: In force from 2026-01-01: Travel ban of January 2026" in out
    assert "[US.VISA.TRAVELBAN.v2026_01]" in out
    _, data, _ = run(
        capsys,
        "plan",
        str(EXAMPLE),
        "--on",
        "2026-11-29",
        "--changes-since",
        "2025-12-01",
        "-f",
        "json",
    )
    changes = json.loads(data)["changes"]
    assert changes["since"] == "2025-12-01"
    kinds = {(c["rule_id"], c["kind"]) for c in changes["items"]}
    assert ("US.VISA.TRAVELBAN.v2025_06", "ended") in kinds
    assert all(c["rule_id"].startswith("US.") for c in changes["items"])


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--changes-since", "last week"], "--changes-since 'last week': not a date"),
        (["--changes-since", "2026-12-01"], "is after the evaluation day 2026-11-29"),
    ],
)
def test_changes_since_bad_input_exits_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], words: str
) -> None:
    code, out, err = run(capsys, "plan", str(EXAMPLE), "--on", "2026-11-29", *argv)
    assert code == 2
    assert out == ""
    assert words in err


def test_changes_since_with_batch_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "plan", "--batch", str(COHORT), "--changes-since", "2026-01-01")
    assert code == 2
    assert "cannot be combined with --batch" in err


def test_rules_review_counts_by_reason(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules", "review", "--on", "2026-11-29", "-f", "json")
    assert code == 0
    data = json.loads(out)
    assert data["on"] == "2026-11-29"
    assert set(data["counts"]) == {"past_review_by", "older_than_12_months", "graded_L_or_U"}
    ids = {r["id"]: r for r in data["rules"]}
    assert "past_review_by" in ids["US.VISA.H1B.FEE_100K"]["reasons"]
    assert data["counts"]["past_review_by"] == sum(
        "past_review_by" in r["reasons"] for r in data["rules"]
    )
    assert all(r["sources"] for r in data["rules"])
    code, out, _ = run(capsys, "rules", "review", "--on", "2026-09-21", "-f", "json")
    assert "US.VISA.H1B.FEE_100K" not in {
        r["id"] for r in json.loads(out)["rules"] if "past_review_by" in r["reasons"]
    }
    code, out, _ = run(capsys, "rules", "review", "--on", "2026-11-29", "-f", "markdown")
    assert out.startswith("# Rules to review as of 2026-11-29")
    assert "## `US.VISA.H1B.FEE_100K`" in out
    code, out, _ = run(capsys, "rules", "review", "--on", "2026-11-29")
    assert "past_review_by:" in out


def _howto_commands() -> list[tuple[str, str]]:
    """Every ``imgpath ...`` line of the pathway how-tos' shell blocks, comments removed."""
    out = []
    for name in ("update-a-rule.md", "plan-your-path.md"):
        text = (ROOT / "docs" / "how-to" / name).read_text(encoding="utf-8")
        for block in re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL):
            for line in block.splitlines():
                command = line.split("#", 1)[0].strip()
                if command.startswith("imgpath "):
                    out.append((name, command))
    return out


@pytest.mark.parametrize(("doc", "command"), _howto_commands())
def test_how_to_commands_run(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, doc: str, command: str
) -> None:
    """The commands the how-tos tell people to type work as written (``me.yaml`` is the example)."""
    argv = shlex.split(command)[1:]
    argv = [str(EXAMPLE) if a == "me.yaml" else a for a in argv]
    argv = [str(ROOT / a) if a.startswith("examples/") else a for a in argv]
    if "-o" in argv:
        i = argv.index("-o") + 1
        argv[i] = str(tmp_path / Path(argv[i]).name)
    code, out, err = run(capsys, *argv)
    assert code == 0, f"{doc}: {command}\n{err}"
    assert out.strip() or "-o" in argv
