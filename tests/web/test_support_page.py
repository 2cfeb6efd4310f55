"""The support directory page: filtered to the person's situation by the same service as
``imgpath support``, each entry with its source, as-of date, grade and who it serves."""

from __future__ import annotations

import html
from datetime import date
from typing import Any

from imgpath.services.support import support_for, support_listing
from tests.web.conftest import TODAY
from tests.web.test_pathway_page import NEWCOMER, _text


def test_the_page_lists_what_the_service_finds_for_the_profile(client: Any) -> None:
    client.signup("chiamaka@example.org")
    assert client.call("PUT", "/api/profile", json=NEWCOMER).status_code == 200
    page = client.http.get("/support")
    assert page.status_code == 200
    words = _text(page.text)
    expected = support_for(NEWCOMER, TODAY)
    assert expected.matches, "the directory has entries for a Nigerian IMG heading to the US"
    assert f"{len(expected.matches)} entries" in words
    for match in expected.matches:
        entry = match.entry
        assert html.unescape(entry.name) in words
        assert f'href="{html.escape(entry.sources[0].url)}"' in page.text
        assert f"As of {entry.as_of.isoformat()}; grade {entry.grade}; review by" in words
        assert "Who it serves: US" in words
    assert f"stage {expected.situation.stage}" in words
    assert "states NY, TX" in words


def test_filters_by_kind_and_state_and_names_a_bad_state(client: Any) -> None:
    client.signup("chiamaka@example.org")
    client.call("PUT", "/api/profile", json=NEWCOMER)
    page = client.http.get("/support", params={"kind": "visa_legal"})
    words = _text(page.text)
    expected = support_for(NEWCOMER, TODAY, kinds=["visa_legal"])
    assert f"{len(expected.matches)} entr" in words
    others = support_for(NEWCOMER, TODAY, kinds=["funding"]).matches
    for match in others:
        assert html.unescape(match.entry.name) not in words
    bad = client.http.get("/support", params={"state": "ZZ"})
    assert bad.status_code == 422
    assert "'ZZ' is not a US state code" in html.unescape(bad.text)


def test_without_a_profile_the_whole_directory_is_shown_and_says_so(client: Any) -> None:
    client.signup("new@example.org")
    page = client.http.get("/support")
    assert page.status_code == 200
    words = _text(page.text)
    assert "No profile yet, so this is the whole directory" in words
    every = support_listing(TODAY)
    assert f"{len(every.matches)} entries" in words
    assert date.fromisoformat(every.to_dict()["as_of"]) == TODAY
