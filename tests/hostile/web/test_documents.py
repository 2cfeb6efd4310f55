"""H2, M9, M6 (profile), L10 (duplicate keys), I3: every hostile profile is a 422 naming the
field, nothing is stored, the owner's and the advisor's pages keep working, and the server keeps
answering other people meanwhile (the parse runs off the event loop, bounded in time)."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest

from tests.web.conftest import PASSWORD, PROFILE

BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(8)
)  # 10^9 leaves from about 600 bytes
BOX = {  # the YAML box: a name for the case -> its text
    "alias bomb": BOMB,
    "recursive sequence alias": "usce: &a [*a]\n",
    "recursive mapping alias": "targets: &t {extra: *t}\n",
    "merge key alias": "base: &b {country: NG}\nschool:\n  <<: *b\n",
    "impossible date": "school:\n  graduation_date: 2022-02-30\n",
    "impossible timestamp": "school:\n  graduation_date: 2022-13-45T99:99:99\n",
    "year 1": "school:\n  graduation_date: 0001-01-01\n",
    "year 9999": "school:\n  graduation_date: 9999-12-31\n",
    "5,000-digit integer": "targets:\n  match_year: " + "9" * 5000 + "\n",
    "huge integer": "targets:\n  match_year: 99999999999999999999999999\n",
    "not a number": "targets:\n  match_year: .nan\n",
    "binary": "name: !!binary aGVsbG8=\n",
    "set": "citizenships: !!set {NG: null}\n",
    "python tag": "name: !!python/object/apply:os.system ['true']\n",
    "5,000-deep flow nesting": "x: " + "[" * 5000 + "]" * 5000 + "\n",
    "3,000-deep map nesting": "".join(" " * i + f"k{i}:\n" for i in range(3000))
    + " " * 3000
    + "v\n",
    "lone surrogate escape": 'name: "\\ud800"\n',
    "NUL escape": 'name: "a\\0b"\n',
    "duplicate keys": "name: Ada\nname: Bola\n",
    "not a mapping": "- just\n- a list\n",
    "syntax error": "school: [unclosed\n",
    "a 100,000-character string": "name: " + "x" * 100_000 + "\n",
}
API = {  # PUT /api/profile bodies
    "lone surrogate": {"name": "\ud800"},
    "NUL": {"name": "a\x00b"},
    "deep nesting": {
        "x": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]
    },
    "huge integer": {"targets": {"match_year": 10**30}},
    "long name": {"name": "x" * 100_000},
    "year 9999": {"school": {"country": "NG", "graduation_date": "9999-12-31"}},
}


@pytest.fixture
def owner(client: Any, make_client: Any) -> tuple[Any, Any]:
    """An applicant with a good profile, shared with a verified advisor."""
    client.signup("box@example.org")
    assert client.call("PUT", "/api/profile", json=PROFILE).status_code == 200
    advisor = make_client()
    advisor.signup("box-advisor@example.org", role="advisor")
    client.call(
        "POST",
        "/api/shares",
        json={"advisor_email": "box-advisor@example.org", "password": PASSWORD},
    )
    return client, advisor


def _pages_still_work(client: Any, advisor: Any) -> None:
    me = client.call("GET", "/api/me").json()["account"]["id"]
    assert client.call("GET", "/api/profile").json()["profile"] == PROFILE  # nothing stored
    for url in ("/profile", "/api/profile", "/api/export", "/account/export.json", "/pathway"):
        assert client.http.get(url).status_code == 200, url
    assert advisor.http.get("/profile", params={"user": me}).status_code == 200


@pytest.mark.parametrize("case", sorted(BOX))
def test_the_profile_box_refuses_hostile_yaml_with_a_422(owner: tuple[Any, Any], case: str) -> None:
    client, advisor = owner
    token = client.page_token("/profile")
    started = time.monotonic()
    r = client.http.post("/profile", data={"csrf_token": token, "yaml": BOX[case]})
    assert time.monotonic() - started < 10, case
    assert r.status_code in (413, 422), (case, r.status_code)
    if r.status_code == 422:
        assert 'id="yaml-error"' in r.text or "yaml" in r.text.lower(), case
    _pages_still_work(client, advisor)


@pytest.mark.parametrize("case", sorted(API))
def test_the_profile_api_refuses_hostile_json_with_a_422_naming_the_field(
    owner: tuple[Any, Any], case: str
) -> None:
    client, advisor = owner
    body = json.dumps(API[case])  # escapes lone surrogates as \\udXXX, as a browser would send them
    r = client.http.put("/api/profile", content=body,
                        headers={"X-CSRF-Token": client.token, "content-type": "application/json"})  # fmt: skip
    assert r.status_code == 422, (case, r.text[:300])
    assert r.json()["fields"], case
    _pages_still_work(client, advisor)


def test_h2_others_are_answered_while_a_bomb_is_refused(
    owner: tuple[Any, Any], make_client: Any
) -> None:
    client, _ = owner
    token = client.page_token("/profile")
    other = make_client()
    other.signup("bystander@example.org")
    worst = 0.0
    done = threading.Event()

    def poll() -> None:
        nonlocal worst
        while not done.is_set():
            started = time.monotonic()
            assert other.http.get("/signin").status_code == 200
            worst = max(worst, time.monotonic() - started)

    poller = threading.Thread(target=poll)
    poller.start()
    try:
        for _ in range(5):
            assert (
                client.http.post("/profile", data={"csrf_token": token, "yaml": BOMB}).status_code
                == 422
            )
    finally:
        done.set()
        poller.join()
    assert worst < 2.0


def test_m6_a_huge_profile_body_is_refused_before_it_is_read(client: Any) -> None:
    client.signup("huge@example.org")
    body = b'{"name": "' + b"x" * 3_000_000 + b'"}'
    r = client.http.put("/api/profile", content=body,
                        headers={"X-CSRF-Token": client.token, "content-type": "application/json"})  # fmt: skip
    assert r.status_code == 413
    assert r.json()["error"] == "PayloadTooLarge"
    assert client.call("GET", "/api/profile").json()["profile"] == {}


def test_l10_duplicate_keys_are_refused_in_the_box_as_in_files(client: Any) -> None:
    client.signup("dup@example.org")
    token = client.page_token("/profile")
    r = client.http.post("/profile", data={"csrf_token": token, "yaml": "name: Ada\nname: Bola\n"})
    assert r.status_code == 422
    assert "twice" in r.text


def test_the_form_fields_refuse_hostile_values(client: Any) -> None:
    client.signup("form@example.org")
    token = client.page_token("/profile")
    for field, value in [("targets.match_year", "9" * 5000), ("school.graduation_date", "2022-02-30"),
                         ("targets.specialty", "internal\nmedicine"), ("school.name", "x" * 5000)]:  # fmt: skip
        r = client.http.post("/profile", data={"csrf_token": token, field: value})
        assert r.status_code == 422, (field, r.status_code)
    assert client.call("GET", "/api/profile").json()["profile"] == {}
