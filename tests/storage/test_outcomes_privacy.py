"""Privacy: outcomes imgpath users share reach no service, command or export below k = 5 people
per cell, and opting out (or deleting the account) removes a person from every figure at once.
On SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from imgpath.catalog import Applicant, Catalog, SearchQuery, export_bundle, open_catalog
from imgpath.cli.main import main
from imgpath.core.catalog.outcomes import K, OutcomeCell, shown_count
from imgpath.errors import InvalidInputError
from imgpath.storage.accounts_store import AccountsStore

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
PROGRAM = "1414140C0"


@pytest.fixture
def catalog(database: str) -> Iterator[Catalog]:
    with open_catalog(database) as opened:
        yield opened


def people(catalog: Catalog, n: int, start: int = 0) -> list[int]:
    store = AccountsStore(catalog.store.engine)
    return [store.add_user(email=f"p{i}@example.org", name="", password_hash="x", role="applicant",
                           time_zone="UTC", now=NOW) for i in range(start, start + n)]  # fmt: skip


def share(
    catalog: Catalog, user: int, stage: str, *, needs_visa: bool | None = True, year: int = 2026
) -> None:
    catalog.outcomes.opt_in(user, applicant_kind="non_us_img", needs_visa=needs_visa, now=NOW)
    catalog.outcomes.share(user, program_code=PROGRAM, match_year=year, stage=stage, now=NOW)


def everywhere(
    catalog: Catalog, tmp_path: Path, capsys: pytest.CaptureFixture[str], database: str
) -> dict[str, object]:
    """What every way out of the database shows about PROGRAM's outcomes."""
    person = Applicant(kind="non_us_img", needs_visa=True, step2ck=240)
    view = catalog.show(PROGRAM, person)
    search = catalog.search(
        SearchQuery(text="albany", specialties=("140",), limit=0, sort="fit"), person
    )
    bundle = tmp_path / "bundle.zip"
    export_bundle(catalog, bundle, licence="CC-BY-4.0", publisher="Test org", now=NOW)
    with zipfile.ZipFile(bundle) as z:
        outcomes_csv = list(csv.DictReader(io.StringIO(z.read("outcomes.csv").decode())))
        manifest = json.loads(z.read("bundle.json"))
    assert main(["programs", "outcomes", "-f", "json", "--db", database]) == 0
    cli = json.loads(capsys.readouterr().out)["cells"]
    assert main(["programs", "show", PROGRAM, "-f", "json", "--db", database]) == 0
    cli_show = json.loads(capsys.readouterr().out)["program_evidence"]["outcomes"]
    return {
        "cells": catalog.outcomes.cells(),
        "show": view.program_evidence.outcomes if view.program_evidence else (),
        "fit_terms": [t for t in (view.fit.terms if view.fit else ()) if t.name == "outcomes"],
        "search": next(v.evidence_kinds for v in search.programs if v.program.code == PROGRAM),
        "summary": catalog.evidence_summary()["by_kind"]["outcomes"],
        "bundle_csv": outcomes_csv,
        "bundle_json": manifest["outcomes"],
        "cli": cli,
        "cli_show": cli_show,
    }


def nothing_shown(seen: dict[str, object]) -> None:
    assert seen["cells"] == []
    assert seen["show"] == ()
    assert seen["fit_terms"] == []
    assert "outcomes" not in seen["search"]  # type: ignore[operator]
    assert seen["summary"] == 0
    assert seen["bundle_csv"] == []
    assert seen["bundle_json"] == []
    assert seen["cli"] == []
    assert seen["cli_show"] == []


def test_no_cell_below_k_and_opting_out_removes_contributions(
    catalog: Catalog, tmp_path: Path, capsys: pytest.CaptureFixture[str], database: str
) -> None:
    users = people(catalog, 7)
    for user, stage in zip(
        users[:4], ["invited", "invited", "interviewed", "applied"], strict=True
    ):
        share(catalog, user, stage)
    share(catalog, users[5], "matched", needs_visa=False)  # another cell (no visa needed): 1 person
    nothing_shown(everywhere(catalog, tmp_path, capsys, database))

    share(catalog, users[4], "ranked")  # the fifth person needing a visa: the cell may now be shown
    seen = everywhere(catalog, tmp_path, capsys, database)
    cells = seen["cells"]
    assert isinstance(cells, list)
    assert len(cells) == 1
    cell = cells[0]
    assert (cell.people, cell.needs_visa, dict(cell.stages)) == (
        5,
        True,
        {"applied": 5, "invited": 4, "interviewed": 2, "ranked": 1, "matched": 0},
    )
    # inside the cell, counts below k (or leaving fewer than k on the other side) are ranges
    assert cell.to_dict()["stages"] == {"invited": "fewer than 5", "interviewed": "fewer than 5",
                                        "ranked": "fewer than 5", "matched": "fewer than 5"}  # fmt: skip
    assert cell.rate("invited") is None
    assert (
        "imgpath users: fewer than 5 of 5 non-US IMGs needing a visa who applied were invited (2026 Match)"
        in cell.sentences()
    )
    assert not any(isinstance(v, int) and 0 < v < K for v in seen["bundle_json"][0].values()
                   if v is not seen["bundle_json"][0]["people"])  # type: ignore[index]  # fmt: skip
    assert seen["bundle_csv"][0]["invited"] == "fewer than 5"  # type: ignore[index]
    assert set(seen["cli"][0]) == {"applicant_type", "needs_visa", "people", "stages", "match_years", "k",  # type: ignore[index]
                                   "source", "program_code"}  # nothing that names a person  # fmt: skip
    assert "outcomes" in seen["search"]  # type: ignore[operator]
    assert seen["summary"] == 1

    assert catalog.outcomes.opt_out(users[0]) == 1  # one person leaves: the cell falls below k
    nothing_shown(everywhere(catalog, tmp_path, capsys, database))

    share(catalog, users[6], "interviewed")
    assert len(catalog.outcomes.cells()) == 1
    AccountsStore(catalog.store.engine).delete_user(users[1])  # deleting the account does the same
    nothing_shown(everywhere(catalog, tmp_path, capsys, database))


def test_each_person_counts_once_per_cell(catalog: Catalog) -> None:
    users = people(catalog, 4)
    for user in users:
        share(catalog, user, "invited", year=2025)
        share(catalog, user, "interviewed", year=2026)  # the same people again next year
    assert catalog.outcomes.cells() == []  # 4 people, not 8 applications


def test_sharing_needs_consent_and_valid_input(catalog: Catalog) -> None:
    (user,) = people(catalog, 1)
    with pytest.raises(InvalidInputError, match="opt in"):
        catalog.outcomes.share(
            user, program_code=PROGRAM, match_year=2026, stage="applied", now=NOW
        )
    catalog.outcomes.opt_in(user, applicant_kind="non_us_img", needs_visa=True, now=NOW)
    with pytest.raises(InvalidInputError, match="stage: 'hired'"):
        catalog.outcomes.share(user, program_code=PROGRAM, match_year=2026, stage="hired", now=NOW)
    with pytest.raises(InvalidInputError, match="program_code"):
        catalog.outcomes.share(
            user, program_code="0000000C0", match_year=2026, stage="applied", now=NOW
        )
    with pytest.raises(InvalidInputError, match="applicant_kind"):
        catalog.outcomes.opt_in(user, applicant_kind="astronaut", needs_visa=None, now=NOW)
    catalog.outcomes.share(user, program_code=PROGRAM, match_year=2026, stage="applied", now=NOW)
    assert [r["stage"] for r in catalog.outcomes.mine(user)] == ["applied"]


def test_a_cell_below_k_cannot_even_be_built() -> None:
    with pytest.raises(ValueError, match="cannot be shown"):
        OutcomeCell("1414140C0", "non_us_img", True, 4, {"applied": 4}, 2026, 2026)
    assert shown_count(7, 12) == "7"
    assert shown_count(4, 12) == "fewer than 5"
    assert shown_count(9, 12) == "at least 8"


@pytest.mark.parametrize(
    ("year", "stage", "day", "refused"),
    [
        (
            2027,
            "applied",
            datetime(2026, 5, 31, tzinfo=UTC),
            "have not opened",
        ),  # ERAS opens in June
        (2027, "applied", datetime(2026, 6, 1, tzinfo=UTC), None),
        (2028, "applied", NOW, "have not opened"),
        (2027, "matched", datetime(2027, 3, 18, tzinfo=UTC), "Match Day"),  # 2027-03-19
        (2027, "matched", datetime(2027, 3, 19, tzinfo=UTC), None),
        (2026, "matched", datetime(2026, 3, 19, tzinfo=UTC), "Match Day"),  # 2026-03-20
        (2026, "matched", datetime(2026, 3, 20, tzinfo=UTC), None),
        (2027, "ranked", NOW, None),
    ],
)
def test_an_outcome_that_cannot_have_happened_yet_is_refused(
    catalog: Catalog, year: int, stage: str, day: datetime, refused: str | None
) -> None:
    (user,) = people(catalog, 1)
    catalog.outcomes.opt_in(user, applicant_kind="non_us_img", needs_visa=True, now=NOW)
    share = catalog.outcomes.share
    if refused is None:
        share(user, program_code=PROGRAM, match_year=year, stage=stage, now=day)
        assert [r["stage"] for r in catalog.outcomes.mine(user)] == [stage]
    else:
        with pytest.raises(InvalidInputError, match=refused):
            share(user, program_code=PROGRAM, match_year=year, stage=stage, now=day)
        assert catalog.outcomes.mine(user) == []


def test_one_main_match_result_a_year(catalog: Catalog) -> None:
    (user,) = people(catalog, 1)
    catalog.outcomes.opt_in(user, applicant_kind="non_us_img", needs_visa=True, now=NOW)
    other = next(code for code in catalog.by_code if code != PROGRAM)
    catalog.outcomes.share(user, program_code=PROGRAM, match_year=2026, stage="matched", now=NOW)
    with pytest.raises(InvalidInputError, match="one Main Match result a year"):
        catalog.outcomes.share(user, program_code=other, match_year=2026, stage="matched", now=NOW)
    catalog.outcomes.share(user, program_code=other, match_year=2026, stage="interviewed", now=NOW)
    catalog.outcomes.share(user, program_code=PROGRAM, match_year=2026, stage="matched", now=NOW)
