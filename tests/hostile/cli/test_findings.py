"""One regression test per row of section 3 of the security review (findings.md, 2026-11-29).

Each row was a traceback or a bad input silently accepted; each is now exit 2 with
``file: line/row: field: problem`` and nothing stored or replaced.  Rows that touch a database
(claims import, ``--db``) run on SQLite and on PostgreSQL.  The corpus in ``test_corpus.py``
covers each row's whole kind, each command, in a process with a memory and time limit; these
tests run in-process and pin the exact message.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from imgpath.cli.main import main
from tests.unit.test_instance_validation import GOOD

pytestmark = pytest.mark.xdist_group("hostile-cli-findings")

CLAIMS = "program_code,field,value,kind,source,as_of,entered_by,note\n"
CLAIM = "1414140C0,j1_sponsor,yes,reported,https://example.org/albany,2026-05-01,{by},{note}\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    assert "internal error" not in err
    return code, out, err


@pytest.fixture
def market(tmp_path: Path) -> Path:
    path = tmp_path / "market.json"
    path.write_text(json.dumps(GOOD), encoding="utf-8")
    return path


def write(tmp_path: Path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    path.write_bytes(
        content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    )
    return str(path)


# ------------------------------------------------------------------ the 32 tracebacks


@pytest.mark.parametrize("command", ["match", "plan", "rol"])
def test_nul_byte_in_a_yaml_file(
    command: str, tmp_path: Path, market: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = write(tmp_path, "doc.yaml", "programs:\n  P1: {quota: 1\x00}\n")
    argv = {"match": ["match", doc], "plan": ["plan", doc, "--on", "2026-11-22"],
            "rol": ["rol", "export", doc, "P1"]}[command]  # fmt: skip
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert f"error: {doc}, line 2, column 16: contains a NUL character (U+0000)" in err


@pytest.mark.parametrize(("name", "text"), [("deep.json", "[" * 200_000), ("deep.yaml", "a: " + "[" * 20_000)])  # fmt: skip
@pytest.mark.parametrize("command", ["match", "plan", "rol", "batch"])
def test_deep_nesting(
    command: str, name: str, text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if command == "batch":
        name, text = "deep.jsonl", "[" * 200_000
    doc = write(tmp_path, name, text)
    argv = {"match": ["match", doc], "plan": ["plan", doc], "rol": ["rol", "export", doc, "P1"],
            "batch": ["plan", "--batch", doc]}[command]  # fmt: skip
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert "nested more than 64 levels deep" in out + err
    assert re.search(r"line 1, column \d+", out + err)


@pytest.mark.parametrize("command", ["match", "plan", "for"])
def test_invalid_yaml_date(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if command == "match":
        doc = write(tmp_path, "m.yaml", "programs: {P1: {quota: 1, rol: [2022-02-30]}}\n")
        code, _, err = run(capsys, "match", doc)
        assert "programs['P1'].rol[0]: unknown applicant '2022-02-30'" in err  # text, as in JSON
    else:
        doc = write(tmp_path, "p.yaml", "school: {country: NG, graduation_date: 2022-02-30}\n")
        argv = ["plan", doc] if command == "plan" else ["programs", "search", "--for", doc]
        code, _, err = run(capsys, *argv, "--on", "2026-11-22")
        assert f"error: {doc}: 1 problem in the profile" in err
        assert "school.graduation_date: input should be a valid date" in err
    assert code == 2


def test_integer_over_4300_digits_in_yaml_and_as_a_rank(
    tmp_path: Path, market: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = write(tmp_path, "m.yaml", "programs: {P1: {quota: " + "9" * 5000 + "}}\n")
    code, _, err = run(capsys, "match", doc)
    assert code == 2
    assert f"{doc}, line 1, column 24: programs.P1.quota: the number 999999999999... has 5,000 digits" in err  # fmt: skip
    ranks = write(tmp_path, "r.csv", "rank,applicant\n" + "1" * 5000 + ",ana\n")
    code, _, err = run(capsys, "rol", "import", str(market), "IM1", ranks)
    assert code == 2
    assert "line 2: rank 111111111... where 1 was expected" in err


@pytest.mark.parametrize("quota", [99999999999999999999999999, 2**31, 100_001])
def test_quota_overflow(quota: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = json.loads(json.dumps(GOOD))
    doc["programs"]["IM1"]["quota"] = quota
    path = write(tmp_path, "m.json", json.dumps(doc))
    code, _, err = run(capsys, "match", path)
    assert code == 2
    assert "programs['IM1'].quota: quota is" in err
    assert "a quota is at most 100,000" in err
    code, _, err = run(capsys, "rol", "export", path, "IM1")
    assert code == 2


def test_lone_surrogate_in_an_id_is_refused_before_any_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "m.json", json.dumps(GOOD).replace('"dee"', '"dee\\ud800"'))
    code, out, err = run(capsys, "match", path, "--format", "csv")
    assert code == 2
    assert out == ""
    assert "lone UTF-16 surrogate (U+D800)" in err
    assert f"error: {path}: applicants: the key 'dee\\ud800' contains a lone UTF-16" in err


def test_csv_field_over_131072_characters(
    tmp_path: Path, market: Path, database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    big = "x" * 140_000
    ranks = write(tmp_path, "r.csv", f"rank,applicant\n1,{big}\n")
    claims = write(tmp_path, "c.csv", CLAIMS + CLAIM.format(by="ed", note=big))
    cohort = write(tmp_path, "b.csv", f"id,name\n1,{big}\n")
    for argv, source in (
        (["rol", "import", str(market), "IM1", ranks], ranks),
        (["programs", "claims", "import", claims, "--db", database], claims),
        (["plan", "--batch", cohort], cohort),
    ):
        code, _, err = run(capsys, *argv)
        assert code == 2
        assert f"error: {source}, line 2: a cell is longer than 131,072 characters" in err
    assert _stored_claims(capsys, database) == []


def test_dev_zero_and_huge_files_are_refused_before_they_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``/dev/zero`` itself runs in the corpus (a process with a memory limit); here a sparse
    600 MB file, refused from its size alone."""
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:
        handle.truncate(600 * 1024 * 1024)
    code, _, err = run(capsys, "match", str(huge))
    assert code == 2
    assert f"error: {huge}: is 600 MB, more than the 512 MB imgpath reads" in err


@pytest.mark.parametrize("column", ["entered_by", "note"])
def test_nul_in_a_claims_csv_stores_nothing_on_either_database(
    column: str, tmp_path: Path, database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    row = CLAIM.format(by="e\x00d" if column == "entered_by" else "ed",
                       note="a\x00b" if column == "note" else "")  # fmt: skip
    good = CLAIM.format(by="ed", note="").replace("j1_sponsor,yes", "h1b_sponsor,no")
    path = write(tmp_path, "c.csv", CLAIMS + good + row)
    code, _, err = run(capsys, "programs", "claims", "import", path, "--db", database)
    assert code == 2
    assert f"error: {path}, line 3, column" in err
    assert "NUL character (U+0000)" in err
    assert _stored_claims(capsys, database) == []  # the good row too: the file is refused whole


# ------------------------------------------------------------------ the 6 silently accepted


@pytest.mark.parametrize("content", ["", "rank,applicant\n", "\n\n"])
def test_an_empty_rank_list_csv_never_replaces_a_list(
    content: str, tmp_path: Path, market: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = market.read_bytes()
    ranks = write(tmp_path, "r.csv", content)
    code, out, err = run(capsys, "rol", "import", str(market), "IM1", ranks, "-o", str(market))
    assert code == 2
    assert out == ""
    assert f"error: {ranks}: 1 problem found" in err
    assert "--allow-empty" in err
    assert market.read_bytes() == before
    code, _, _ = run(capsys, "rol", "import", str(market), "IM1", ranks, "--allow-empty", "-o", str(market))  # fmt: skip
    assert code == 0
    assert json.loads(market.read_text(encoding="utf-8"))["programs"]["IM1"]["rol"] == []


def test_extra_csv_columns_are_refused(
    tmp_path: Path, market: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ranks = write(tmp_path, "r.csv", "rank,applicant,x,y,z\n1,ana,1,2,3\n")
    code, _, err = run(capsys, "rol", "import", str(market), "IM1", ranks)
    assert code == 2
    assert "line 1: unknown column(s) 'x', 'y', 'z'" in err
    ranks = write(tmp_path, "r.csv", "1,ana,1,2,3\n")
    code, _, err = run(capsys, "rol", "import", str(market), "IM1", ranks)
    assert code == 2
    assert "the file has 4 id column(s) after the rank, but a program's list takes 1" in err


def test_an_unterminated_quote_is_refused(
    tmp_path: Path, market: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ranks = write(tmp_path, "r.csv", '1,"ana\n')
    code, _, err = run(capsys, "rol", "import", str(market), "IM1", ranks)
    assert code == 2
    assert f"error: {ranks}, line 1: a quote opened here is never closed" in err


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ('"PRE"', '""', "programs['']: the program code is empty"),
        ('"dee"', '"dee\\u0000"', "NUL character"),
        ('"dee"', '"dee\\u202e"', "the applicant id contains U+202E RIGHT-TO-LEFT OVERRIDE"),
        ('"dee"', '"\\u2066dee\\u2069"', "U+2066 LEFT-TO-RIGHT ISOLATE"),
    ],
)
def test_empty_codes_and_invisible_characters_in_ids(
    old: str, new: str, words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "m.json", json.dumps(GOOD).replace(old, new))
    code, _, err = run(capsys, "match", path)
    assert code == 2
    assert words in err


def test_plan_batch_with_an_empty_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for content, words in (
        ("", "the file is empty"),
        ("id,name\n", "the file has a header but no people"),
    ):
        path = write(tmp_path, "b.csv", content)
        code, out, err = run(capsys, "plan", "--batch", path)
        assert code == 2
        assert out == ""
        assert f"error: {path}: {words}" in err


# ------------------------------------------------------------------ paths and databases


def test_unwritable_output_leaves_the_old_file(
    tmp_path: Path, market: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "folder").mkdir()
    for out, words in (
        (tmp_path / "folder", "is a folder; give a file name"),
        (tmp_path / "no" / "x.json", f"the folder {tmp_path / 'no'} does not exist; create it"),
    ):
        code, _, err = run(capsys, "match", str(market), "-o", str(out))
        assert code == 2
        assert f"error: --output {out}: {words}" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "folder",
        "market.json",
    ]  # no temp file left


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("not a url", "cannot be used: Could not parse"),
        ("mysql://user:secret@localhost/x", "cannot open the database: No module named"),
        ("sqlite:///{folder}", "cannot open the database: unable to open database file"),
        ("sqlite:///{text}", "cannot open the database: file is not a database"),
        ("postgresql+psycopg://postgres@127.0.0.1:1/test?connect_timeout=2", "Connection refused"),
    ],
)
def test_a_bad_db_is_named(
    url: str, words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "text.txt").write_text("not a database\n" * 100, encoding="utf-8")
    url = url.format(folder=tmp_path / "folder", text=tmp_path / "text.txt")
    claims = write(tmp_path, "c.csv", CLAIMS + CLAIM.format(by="ed", note=""))
    code, _, err = run(capsys, "programs", "claims", "import", claims, "--db", url)
    assert code == 2
    assert err.startswith("error: --db ")
    assert words in err
    assert "secret" not in err


def test_missing_paths_and_folders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["match", "{p}"], ["plan", "{p}"], ["plan", "--batch", "{p}"],
                 ["programs", "claims", "import", "{p}"]):  # fmt: skip
        for path, words in ((tmp_path / "nope.json", "no such file"), (tmp_path, "is a folder")):
            code, _, err = run(capsys, *(a.replace("{p}", str(path)) for a in argv))
            assert code == 2
            assert f"error: {path}: {words}" in err


def _stored_claims(capsys: pytest.CaptureFixture[str], database: str) -> list[str]:
    code, out, _ = run(capsys, "programs", "claims", "export", "--db", database)
    assert code == 0
    return out.splitlines()[1:]


# ------------------------------------------------------------------ the last guard


@pytest.mark.parametrize(
    ("error", "code", "words"),
    [
        (
            RuntimeError("boom [/b]"),
            70,
            "internal error: RuntimeError: boom [/b]\nThis is a bug in imgpath",
        ),
        (
            IsADirectoryError(21, "Is a directory", "/some/where"),
            2,
            "error: /some/where: is a directory",
        ),
        (UnicodeEncodeError("ascii", "é", 0, 1, "no"), 1, "terminal's encoding (ascii)"),
        (MemoryError(), 1, "not enough memory"),
    ],
)
def test_an_unexpected_error_is_one_line_never_a_traceback(
    error: Exception,
    code: int,
    words: str,
    market: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fail(*_: object, **__: object) -> None:
        raise error

    monkeypatch.setattr("imgpath.cli.match.match_file", fail)
    monkeypatch.delenv("IMGPATH_TRACEBACK", raising=False)
    got = main(["match", str(market)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert (got, words in err) == (code, True), err
    if code == 70:
        monkeypatch.setenv("IMGPATH_TRACEBACK", "1")
        assert main(["match", str(market)]) == 70
        assert "Traceback" in capsys.readouterr().err
