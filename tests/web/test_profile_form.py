"""The guided profile: forms for every question the plan asks (no YAML needed), lists as rows
that can be added and removed, answers in place on the pathway page, the YAML box unchanged."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imgpath.core.pathway.facts import FACTS
from imgpath.core.pathway.profile import profile_json_schema
from imgpath.web.profile_form import (
    FIELDS,
    GROUPS,
    apply_form,
    field_of,
    form_values,
    question_fields,
)
from tests.web.test_pathway_page import _text

NOT_ASKED = {"id": "an identifier for cohort files, not a fact about the person"}
UNANSWERABLE = {
    "oet.valid_for_season": "asks about ECFMG's rules (not in our sources), not the person"
}


def _leaves(schema: dict[str, Any], defs: dict[str, Any], prefix: str = "") -> list[str]:
    if "$ref" in schema:
        schema = defs[schema["$ref"].split("/")[-1]]
    for option in schema.get("anyOf", ()):
        if "$ref" in option or "$ref" in option.get("items", {}):
            return _leaves(option, defs, prefix)
    if "properties" in schema:
        out = []
        for key, value in schema["properties"].items():
            out += _leaves(value, defs, f"{prefix}.{key}" if prefix else key)
        return out
    if schema.get("type") == "array" and "$ref" in schema.get("items", {}):
        return _leaves(schema["items"], defs, prefix + "[]")
    return [prefix]


def test_every_profile_field_has_a_control() -> None:
    schema = profile_json_schema()
    leaves = set(_leaves(schema, schema.get("$defs", {})))
    covered = {f.path for f in FIELDS} | {f"{g.path}[].{f.path}" for g in GROUPS for f in g.fields}
    assert leaves - covered == set(NOT_ASKED)
    assert covered - leaves == set()


def test_every_question_the_plan_asks_has_controls_that_answer_it() -> None:
    asked = {name for name, spec in FACTS.items() if getattr(spec, "question", "")}
    for fact in sorted(asked - set(UNANSWERABLE)):
        fields = question_fields(fact, {})
        assert fields, fact
        for f in fields:
            assert field_of(f.path) == f.path, (fact, f.path)  # a problem lands on the control
    for fact in UNANSWERABLE:
        assert question_fields(fact, {}) == ()


def test_a_list_question_adds_a_row_after_the_stored_ones() -> None:
    stored = {"exams": {"oet": [{"date": "2025-03-08", "listening": 380, "reading": 370,
                                 "writing": 330, "speaking": 410}]}}  # fmt: skip
    fields = question_fields("oet.passed", stored)
    assert fields[0].path == "exams.oet.1.date"
    assert fields[0].label == "OET Medicine sitting 2: date"


ROW = st.fixed_dictionaries(
    {"date": st.dates().map(str), "result": st.sampled_from(["pass", "fail"])}
)


@settings(max_examples=60, deadline=None)
@given(stored=st.lists(ROW, max_size=4), edits=st.lists(st.tuples(st.integers(0, 5), st.one_of(st.none(), ROW)), max_size=6))  # fmt: skip
def test_group_rows_against_a_plain_reference(stored: list[dict[str, str]],
                                              edits: list[tuple[int, dict[str, str] | None]]) -> None:  # fmt: skip
    """Posting rows as the page does (stored rows shown, each row replaced or cleared, a new
    row appended) gives what a plain list edit gives."""
    profile = {"exams": {"step3": stored}} if stored else {}
    form = {k: v for k, v in form_values(profile).items() if k.startswith("exams.step3.")}
    final: list[dict[str, str] | None] = [dict(r) for r in stored]
    new: dict[str, str] | None = None
    for wanted, row in edits:
        index = min(wanted, len(stored))  # the page shows the stored rows and one new row
        for key in ("date", "result", "score"):
            form[f"exams.step3.{index}.{key}"] = (row or {}).get(key, "")
        if index < len(stored):
            final[index] = row
        else:
            new = row
    kept = [r for r in final if r is not None] + ([new] if new else [])
    got = apply_form(profile, form).get("exams", {}).get("step3", [])
    assert got == kept


def _post(client: Any, url: str, data: dict[str, str]) -> Any:
    return client.http.post(url, data={"csrf_token": client.page_token("/profile"), **data},
                            follow_redirects=False)  # fmt: skip


NEWCOMER_FORM = {  # the walk's applicant, as she would fill the form
    "name": "Chiamaka (test)", "citizenships": "NG", "us_status": "none", "in_us": "no",
    "school.name": "University of Ibadan", "school.country": "NG", "school.graduation_date": "2022-07-15",
    "school.credit_years": "6", "school.wdoms_ecfmg_note": "yes",
    "exams.step1.rows": "0", "exams.step1.0.date": "2024-02-10", "exams.step1.0.result": "pass",
    "exams.step2ck.rows": "0", "exams.step2ck.0.date": "2025-01-20", "exams.step2ck.0.result": "pass",
    "exams.step2ck.0.score": "238",
    "exams.oet.rows": "0", "exams.oet.0.date": "2025-03-08", "exams.oet.0.listening": "380",
    "exams.oet.0.reading": "370", "exams.oet.0.writing": "330", "exams.oet.0.speaking": "410",
    "ecfmg.application_submitted": "yes", "ecfmg.pathway": "6", "ecfmg.pathway_status": "applied",
    "ecfmg.credentials_verified": "in_progress",
    "training_abroad.postgraduate_years": "1", "training_abroad.licenses.rows": "0",
    "training_abroad.licenses.0.country": "NG", "training_abroad.licenses.0.full": "yes",
    "training_abroad.licenses.0.issued": "2023-09-01", "usce.rows": "0", "usce.0.months": "2",
    "usce.0.type": "observership", "usce.0.specialty": "internal medicine",
    "targets.specialty": "internal medicine", "targets.states": "NY, TX", "targets.match_year": "2027",
}  # fmt: skip


def test_the_whole_profile_through_the_form(client: Any) -> None:
    client.signup("chiamaka@example.org")
    empty = client.http.get("/profile").text
    for group in GROUPS:  # one empty row per list to start with
        first = group.fields[0].path
        assert f'name="{group.path}.0.{first}"' in empty
        assert f'name="{group.path}.1.{first}"' not in empty
    r = _post(client, "/profile", NEWCOMER_FORM)
    assert r.status_code == 200, _text(r.text)[:2000]
    saved = client.call("GET", "/api/profile").json()["profile"]
    assert saved["exams"]["step2ck"] == [{"date": "2025-01-20", "result": "pass", "score": 238}]
    assert saved["exams"]["oet"][0]["writing"] == 330
    assert saved["ecfmg"] == {"application_submitted": True, "pathway": 6, "pathway_status": "applied",
                              "credentials_verified": "in_progress"}  # fmt: skip
    assert saved["training_abroad"]["licenses"] == [
        {"country": "NG", "full": True, "issued": "2023-09-01"}
    ]
    assert saved["usce"] == [
        {"months": 2.0, "type": "observership", "specialty": "internal medicine"}
    ]
    assert saved["targets"]["states"] == ["NY", "TX"]
    page = client.http.get("/profile").text
    # each list shows its stored row and an empty one to add the next
    assert 'name="exams.oet.1.date"' in page
    assert 'name="exams.oet.rows" value="1"' in page
    assert "OET Medicine sitting 2 (add one)" in page


def test_a_second_attempt_is_added_and_a_cleared_row_removed(client: Any) -> None:
    client.signup("chiamaka@example.org")
    _post(client, "/profile", NEWCOMER_FORM)
    form = form_values(client.call("GET", "/api/profile").json()["profile"])
    form.update({"exams.step3.0.date": "2026-10-01", "exams.step3.0.result": "fail"})
    assert _post(client, "/profile", form).status_code == 200
    form = form_values(client.call("GET", "/api/profile").json()["profile"])
    form.update({"exams.step3.1.date": "2026-11-20", "exams.step3.1.result": "pending"})
    _post(client, "/profile", form)
    saved = client.call("GET", "/api/profile").json()["profile"]
    assert [a["result"] for a in saved["exams"]["step3"]] == ["fail", "pending"]
    form = form_values(saved)
    form.update({"exams.step3.0.date": "", "exams.step3.0.result": "", "exams.step3.0.score": ""})
    _post(client, "/profile", form)
    saved = client.call("GET", "/api/profile").json()["profile"]
    assert saved["exams"]["step3"] == [{"date": "2026-11-20", "result": "pending"}]


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [("exams.oet.0.writing", "600", "less than or equal to 500"),
     ("exams.step2ck.0.score", "999", "less than or equal to 300"),
     ("usce.0.months", "two", "is not a number"),
     ("training_abroad.licenses.0.country", "Nigeria", "ISO 3166"),
     ("job_offers.0.full_time", "maybe", "is not yes or no")],
)  # fmt: skip
def test_a_mistake_in_a_row_is_named_next_to_its_control(client: Any, field: str, value: str,
                                                         says: str) -> None:  # fmt: skip
    client.signup("chiamaka@example.org")
    data = {**NEWCOMER_FORM, field: value}
    if field.startswith("job_offers"):
        data["job_offers.0.state"] = "TX"
    r = _post(client, "/profile", data)
    assert r.status_code == 422
    control = re.search(
        rf'<(input|select) id="f-{re.escape(field.replace(".", "-"))}"[^>]*>', r.text
    )
    assert control, field
    assert 'aria-invalid="true"' in control.group(0)
    error = re.search(rf'id="f-{re.escape(field.replace(".", "-"))}-error">([^<]*)<', r.text)
    assert error
    assert says in html.unescape(error.group(1))
    assert client.call("GET", "/api/profile").json()["profile"] in ({}, None)  # nothing saved


def test_questions_are_answered_in_place_on_the_pathway_page(client: Any) -> None:
    client.signup("chiamaka@example.org")
    _post(client, "/profile", NEWCOMER_FORM)
    page = client.http.get("/pathway").text
    assert "Have you ever been disciplined, or is any action pending against your licence?" in page
    assert 'name="training_abroad.good_standing"' in page
    token = client.page_token("/pathway")
    r = client.http.post("/pathway/answer", data={"csrf_token": token, "training_abroad.good_standing": "yes"},
                         follow_redirects=False)  # fmt: skip
    assert (r.status_code, r.headers["location"]) == (303, "/pathway#questions")
    saved = client.call("GET", "/api/profile").json()["profile"]
    assert saved["training_abroad"]["good_standing"] is True
    assert (
        "Have you ever been disciplined, or is any action pending against your licence?"
        not in client.http.get("/pathway").text
    )
    # the rest of the profile is kept
    assert client.call("GET", "/api/profile").json()["profile"]["exams"]["oet"][0]["writing"] == 330
    bad = client.http.post(
        "/pathway/answer",
        data={
            "csrf_token": token,
            "training_abroad.practice_years_last_10": "11",
            "school.country": "Nigeria",
        },
    )
    assert bad.status_code == 422
    words = html.unescape(bad.text)
    assert "school.country: unknown country code 'Nigeria'" in words
    assert client.call("GET", "/api/profile").json()["profile"]["school"]["country"] == "NG"
    assert "Your answer was not saved" in bad.text


def test_the_yaml_box_still_replaces_the_profile_with_field_named_errors(client: Any) -> None:
    client.signup("chiamaka@example.org")
    r = _post(
        client,
        "/profile",
        {
            "yaml": "exams:\n  oet:\n    - {date: 2025-03-08, listening: 900, reading: 1, writing: 1, speaking: 1}\n"
        },
    )
    assert r.status_code == 422
    assert "exams.oet[0].listening" in html.unescape(r.text)
    r = _post(client, "/profile", {"yaml": "school:\n  country: NG\n"})
    assert r.status_code == 200
    assert client.call("GET", "/api/profile").json()["profile"] == {"school": {"country": "NG"}}


def test_exams_of_other_countries_fold_away_unless_used(client: Any) -> None:
    client.signup("chiamaka@example.org")
    folded = re.search(
        r"<details id=\"section-\d+\" ?(open)?><summary>Exams for the UK",
        client.http.get("/profile").text,
    )
    assert folded
    assert folded.group(1) is None
    _post(
        client,
        "/profile",
        {
            "exams.plab1.rows": "0",
            "exams.plab1.0.date": "2025-05-01",
            "exams.plab1.0.result": "pass",
        },
    )
    opened = re.search(
        r"<details id=\"section-\d+\" ?(open)?><summary>Exams for the UK",
        client.http.get("/profile").text,
    )
    assert opened
    assert opened.group(1) == "open"
