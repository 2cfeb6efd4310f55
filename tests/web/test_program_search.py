"""One reading of a program search for the API, the page and the CLI (issue 14): lower-case
states work everywhere, and a search without a profile lists programs by name."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import PROFILE


def _names(programs: list[dict[str, Any]]) -> list[str]:
    return [p["name"] for p in programs]


def test_api_without_a_profile_sorts_by_name_and_reads_a_lower_case_state(client: Any) -> None:
    client.signup("ny@example.org")
    upper = client.call("GET", "/api/programs", params={"state": "NY", "limit": 30})
    lower = client.call("GET", "/api/programs", params={"state": " ny ", "limit": 30})
    assert upper.status_code == lower.status_code == 200, lower.text
    assert lower.json()["total"] == upper.json()["total"] > 30
    programs = lower.json()["programs"]
    assert {p["state"] for p in programs} == {"NY"}
    assert _names(programs) == _names(upper.json()["programs"])
    by_name = client.call(
        "GET", "/api/programs", params={"state": "NY", "limit": 30, "sort": "name"}
    )
    by_state = client.call("GET", "/api/programs", params={"limit": 30, "sort": "state"})
    assert _names(programs) == _names(by_name.json()["programs"])
    assert _names(programs) != _names(by_state.json()["programs"])
    assert all("fit" not in p for p in programs)


def test_page_without_a_profile_lists_programs_and_reads_a_lower_case_state(client: Any) -> None:
    client.signup("page@example.org")
    page = client.http.get("/programs", params={"state": "ny"})
    assert page.status_code == 200, page.text
    assert "is not a US state" not in page.text
    assert page.text.count("<td>NY</td>") == 20
    bad = client.http.get("/programs", params={"state": "zz"})
    assert bad.status_code == 422
    assert "is not a US state code" in bad.text


def test_api_with_a_profile_sorts_by_fit(client: Any) -> None:
    client.signup("fit@example.org")
    assert client.call("PUT", "/api/profile", json=PROFILE).status_code == 200
    found = client.call("GET", "/api/programs", params={"state": "ny", "limit": 5}).json()
    assert found["programs"]
    assert all(p["fit"]["terms"] for p in found["programs"])


def test_the_page_reads_a_visa_in_any_case_with_or_without_a_profile(client: Any) -> None:
    """?visa=H1B (as people type it) was a 500 on the page: the results looked the visa up as
    typed while the search had read it as h1b."""
    client.signup("visa-case@example.org")
    for profile in (None, PROFILE):
        if profile is not None:
            assert client.call("PUT", "/api/profile", json=profile).status_code == 200
        for visa in ("H1B", "h1b", "J1", " j1 "):
            page = client.http.get("/programs", params={"visa": visa, "state": "NY"})
            assert page.status_code == 200, (visa, page.text[:500])
            assert "Visa:" in page.text
            partial = client.http.get(
                "/programs", params={"visa": visa}, headers={"hx-request": "true"}
            )
            assert partial.status_code == 200, (visa, partial.text[:500])
    assert client.http.get("/programs", params={"visa": "E3"}).status_code == 422
