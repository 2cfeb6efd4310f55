"""``imgpath programs`` and ``imgpath costs`` in-process: formats, exit codes, no tracebacks."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from imgpath.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "profile-nigeria.yaml"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_search_json_has_the_documented_shape(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    code, out, err = run(capsys, "programs", "search", "-s", "internal medicine", "--state", "NY", "-t", "C",
                         "--limit", "3", "-f", "json", "--db", sqlite_url)  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["total"] > 3
    assert len(data["programs"]) == 3
    first = data["programs"][0]
    assert set(first) >= {"code", "name", "specialty", "type", "institution", "state", "claims"}
    assert "fit" not in first


def test_search_for_a_profile_adds_fit(capsys: pytest.CaptureFixture[str], sqlite_url: str) -> None:
    code, out, err = run(capsys, "programs", "search", "--for", str(EXAMPLE), "--on", "2026-11-22",
                         "-s", "140", "--region", "northeast", "-f", "json", "--db", sqlite_url)  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    fit = data["programs"][0]["fit"]
    assert set(fit) >= {"score", "excluded", "confidence", "terms"}
    assert fit["terms"][0]["name"] == "specialty"
    scores = [p["fit"]["score"] for p in data["programs"]]
    assert scores == sorted(scores, reverse=True)


def test_search_table_and_csv(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "programs", "search", "mayo", "--db", sqlite_url)
    assert code == 0
    assert "Mayo Clinic" in out
    target = tmp_path / "mayo.csv"
    code, _, _ = run(
        capsys,
        "programs",
        "search",
        "mayo",
        "--limit",
        "0",
        "-f",
        "csv",
        "-o",
        str(target),
        "--db",
        sqlite_url,
    )
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert rows
    assert all("Mayo" in r["institution"] for r in rows)
    assert rows[0]["j1_sponsor"] == "?"


def test_show_text_and_json(capsys: pytest.CaptureFixture[str], sqlite_url: str) -> None:
    code, out, _ = run(
        capsys,
        "programs",
        "show",
        "1414140C0",
        "--for",
        str(EXAMPLE),
        "--on",
        "2026-11-22",
        "--db",
        sqlite_url,
    )
    assert code == 0
    assert "Albany Med Ctr-NY: Internal Medicine" in out
    assert "none yet" in out
    assert "For you: fit" in out
    code, out, _ = run(capsys, "programs", "show", "1414140C0", "-f", "json", "--db", sqlite_url)
    assert (
        json.loads(out)["specialty_evidence"]["charting_outcomes_2026_non_us_img"]["match_rate_pct"]
        == 48.5
    )


def test_claims_import_reports_bad_rows_exports_the_good(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "claims.csv"
    path.write_text(
        "program_code,field,value,kind,source,as_of,entered_by,note\n"
        "1414140C0,j1_sponsor,yes,reported,https://example.org/albany,2026-05-01,,\n"
        "1414140C0,step2ck_min,220,strict,https://example.org/albany,2026-05-01,,\n",
        encoding="utf-8",
    )
    code, out, err = run(
        capsys, "programs", "claims", "import", str(path), "--by", "advisor", "--db", sqlite_url
    )
    assert code == 2
    assert "accepted 1 claim(s)" in out
    assert "row 3: kind: 'strict' for step2ck_min" in out
    assert "1 row(s) rejected" in err
    code, out, _ = run(
        capsys, "programs", "claims", "export", "--program", "1414140C0", "--db", sqlite_url
    )
    assert code == 0
    assert (
        out.splitlines()[1]
        == "1414140C0,j1_sponsor,yes,reported,https://example.org/albany,2026-05-01,advisor,"
    )
    code, out, _ = run(
        capsys, "programs", "search", "albany", "--visa", "j1", "-f", "json", "--db", sqlite_url
    )
    data = json.loads(out)
    assert [p["code"] for p in data["programs"]] == ["1414140C0"]
    assert data["visa"]["j1"]["evidence"] == 1
    assert data["visa"]["j1"]["unknown"] > 0


def test_search_for_a_profile_keeps_its_specialty_and_says_what_is_tied(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    code, out, err = run(capsys, "programs", "search", "--for", str(EXAMPLE), "--on", "2026-11-22",
                         "--limit", "5", "--db", sqlite_url)  # fmt: skip
    assert code == 0, err
    assert "1107 program(s)" in out
    assert "target specialty from your profile (internal medicine)" in out
    assert "tied, listed by state and name" in out
    code, out, _ = run(capsys, "programs", "search", "--for", str(EXAMPLE), "--on", "2026-11-22",
                       "--visa", "h1b", "--db", sqlite_url)  # fmt: skip
    assert code == 0
    assert "0 program(s) with evidence of sponsoring H-1B; 1107 unknown" in out
    assert "--visa-unknown lists them after" in out


def test_search_canada(capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "programs", "search", "--country", "CA", "-s", "psychiatry", "--img-only",
                       "-f", "json", "--db", sqlite_url)  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["country"] == "CA"
    assert data["total"] == data["img_streams"] > 0
    assert all(s["img_stream"] for s in data["streams"])
    profile = tmp_path / "ca.yaml"
    profile.write_text(EXAMPLE.read_text(encoding="utf-8").replace("destination: US", "destination: CA"),
                       encoding="utf-8")  # fmt: skip
    code, out, err = run(capsys, "programs", "search", "--for", str(profile), "--on", "2026-11-22",
                         "--db", sqlite_url)  # fmt: skip
    assert code == 0, err
    assert "Canada (CaRMS 2025 R-1)" in out
    assert "IMG stream" in out
    uk = tmp_path / "uk.yaml"
    uk.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace("destination: US", "destination: UK"),
        encoding="utf-8",
    )
    code, _, err = run(
        capsys, "programs", "search", "--for", str(uk), "--on", "2026-11-22", "--db", sqlite_url
    )
    assert code == 2
    assert "your profile's destination UK" in err


def test_evidence_import_review_and_bundle(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "programs", "evidence", "--db", sqlite_url)
    assert code == 0
    assert "programs carry program-level evidence" in out
    assert "NRMP Program Results 2020-2026" in out
    code, out, _ = run(capsys, "programs", "evidence", "1772140C0", "--db", sqlite_url)
    assert "2026: filled 5 of 20 (15 unfilled)  [row 178]" in out
    assert "Invites (self-reported, unverified)" in out
    invites = tmp_path / "invites.csv"
    invites.write_text("Program Code,Date,Program Name,Location,IMG,Degree Type,Geo,Sig,Step1,Step2,Comlex1,"
                       "Comlex2,Visa Required,SubI,Home,Year of graduation,Green card,Away\n"
                       "1414140C0,10/2/2023,Albany,,nonUSIMG,,,,,,,,TRUE,,,,,\n"
                       "1414140C0,2/30/2023,Albany,,nonUSIMG,,,,,,,,TRUE,,,,,\n", encoding="utf-8")  # fmt: skip
    code, out, err = run(capsys, "programs", "import", "invites", str(invites), "--db", sqlite_url)
    assert code == 2
    assert "kept 1" in out
    assert "row 3, Date: '2/30/2023' is not a date" in out
    assert "1 row(s) rejected" in err
    assert "Traceback" not in err
    code, out, _ = run(
        capsys, "programs", "matches", "--kind", "acgme", "-f", "json", "--db", sqlite_url
    )
    review = json.loads(out)["matches"]
    assert review
    assert all(m["status"] == "review" for m in review)
    code, out, _ = run(
        capsys, "programs", "match", str(review[0]["id"]), "confirm", "--db", sqlite_url
    )
    assert code == 0
    assert "confirmed" in out
    code, _, err = run(capsys, "programs", "match", "999999", "reject", "--db", sqlite_url)
    assert code == 2
    assert "no name match with id 999999" in err
    bundle = tmp_path / "b.zip"
    code, out, _ = run(capsys, "programs", "bundle", "export", str(bundle), "--publisher", "Test org",
                       "--db", sqlite_url)  # fmt: skip
    assert code == 0
    assert "licence CC-BY-4.0" in out
    code, _, err = run(capsys, "programs", "bundle", "export", str(bundle), "--db", sqlite_url)
    assert code == 2
    assert "publisher" in err


def test_unfilled_programs_for_soap(capsys: pytest.CaptureFixture[str], sqlite_url: str) -> None:
    code, out, _ = run(
        capsys, "programs", "unfilled", "-s", "internal medicine", "-f", "json", "--db", sqlite_url
    )
    assert code == 0
    data = json.loads(out)
    assert data["year"] == 2026
    rows = data["unfilled"]
    assert rows[0]["code"] == "1662140C0"
    assert (rows[0]["quota"], rows[0]["matched"], rows[0]["unfilled"], rows[0]["row"]) == (
        23,
        3,
        20,
        199,
    )
    assert [r["unfilled"] for r in rows] == sorted((r["unfilled"] for r in rows), reverse=True)
    assert all(r["specialty"] == "Internal Medicine" and r["as_of"] == "2026-04-27" for r in rows)
    code, _, err = run(capsys, "programs", "unfilled", "--year", "1999", "--db", sqlite_url)
    assert code == 2
    assert "no fill history for 1999" in err


def test_claims_pending_and_review(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path
) -> None:
    from imgpath.catalog import Actor, open_catalog

    with open_catalog(sqlite_url) as catalog:
        claim = catalog.propose_claim(Actor("a@b.org", "Advisor", "advisor"), program_code="1414140C0",
                                      field="j1_sponsor", value="yes", kind="reported",
                                      source="document: 2026 brochure", as_of="2026-05-01",
                                      today=date(2026, 11, 29), now=datetime(2026, 11, 29, tzinfo=UTC))  # fmt: skip
    code, out, _ = run(capsys, "programs", "claims", "pending", "--db", sqlite_url)
    assert f"#{claim.id} 1414140C0 j1_sponsor = True" in out
    code, out, _ = run(capsys, "programs", "show", "1414140C0", "--db", sqlite_url)
    assert "[PENDING: not used in the fit]" in out
    code, _, err = run(
        capsys, "programs", "claims", "review", str(claim.id), "flag", "--db", sqlite_url
    )
    assert code == 2
    assert "say why" in err
    code, out, _ = run(
        capsys, "programs", "claims", "review", str(claim.id), "accept", "--db", sqlite_url
    )
    assert code == 0
    assert "accepted" in out


def test_claims_fields_teach_the_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "programs", "claims", "fields")
    assert code == 0
    assert "step2ck_min: minimum USMLE Step 2 CK score" in out
    assert "cutoff:" in out


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["programs", "search", "--state", "ZZ"], "--state 'ZZ' is not a US state code"),
        (["programs", "search", "--sort", "fit"], "sorting by fit needs a profile"),
        (["programs", "search", "--on", "2026-01-01"], "--on needs --for PROFILE"),
        (["programs", "show", "0000000C0"], "no program with code"),
        (["programs", "claims", "import", "nope.csv"], "no such file"),
        (["programs", "claims", "export", "--field", "colour"], "--field 'colour'"),
        (["programs", "search", "--limit", "-1"], ""),
        (["programs", "search", "--db", "bogus://x"], "cannot be used"),
        (["programs", "search", "--country", "UK"], "--country 'UK'"),
        (["programs", "import", "lca", "missing.xlsx"], "no such file"),
        (["programs", "bundle", "import", "missing.zip"], "no such file"),
        (
            ["programs", "bundle", "export", "x.zip", "--publisher", "p", "--licence", "MIT"],
            "licence 'MIT'",
        ),
        (["programs", "claims", "review", "1", "maybe"], "write accept or flag"),
    ],
)
def test_bad_input_exits_2(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, argv: list[str], words: str
) -> None:
    if "--db" not in argv:
        argv = [*argv, "--db", sqlite_url]
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert words in err
    assert "Traceback" not in err


def test_costs(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "costs", "--programs", "120", "--on", "2026-11-22")
    assert code == 0
    assert "ERAS applications (120 programs, 1 specialty): $3,030" in out
    assert "NRMP extra ranks (100 beyond 20): $3,000" in out
    assert "NRMP Length of Rank Order List Fee (120 ranks): $50" in out
    assert "Total known: $6,395" in out
    code, out, _ = run(capsys, "costs", "-n", "20", "--exams", "--json", "--on", "2026-11-22")
    data = json.loads(out)
    assert data["lines_with_unknown_amount"] == 1  # OET: no published amount
    assert {line["rule_id"] for line in data["lines"]} >= {
        "US.COST.ERAS.v2026",
        "US.COST.OET",
        "US.COST.STEP3",
    }
    code, out, _ = run(capsys, "costs", "-n", "20", "--on", "2024-01-01")
    assert "US.COST.ERAS.v2024" in out
    code, _, _ = run(capsys, "costs", "--programs", "0")
    assert code == 2
