"""The front door: a landing page that says what imgpath does and for whom, the documentation
as pages, help on every page, and error pages that keep the signed-in menu."""

from __future__ import annotations

from typing import Any

import pytest

from imgpath.services.guides import guides
from imgpath.services.workspace.demo_account import DEMO_EMAIL, ensure_demo
from tests.web.conftest import TODAY
from tests.web.test_pathway_page import _text


def test_signed_out_the_landing_page_says_what_and_for_whom(client: Any) -> None:
    r = client.http.get("/", follow_redirects=False)
    assert r.status_code == 200
    words = _text(r.text)
    assert "international medical graduates" in words
    assert "Which visa is open to you" in words
    assert 'href="/signup"' in r.text
    assert DEMO_EMAIL not in words  # no demo account on this server
    for guide in guides("how-to"):
        assert f'href="/docs/how-to/{guide.name}"' in r.text
    assert len(guides("how-to")) >= 5


def test_the_demo_is_offered_when_the_server_has_it(app: Any, client: Any) -> None:
    state = app.state
    ensure_demo(state.accounts, state.workspace, tracker=state.tracker, on=TODAY)
    words = _text(client.http.get("/").text)
    assert f"sign in as {DEMO_EMAIL} with the password" in words


def test_signed_in_home_goes_to_the_workspace_and_about_keeps_the_menu(client: Any) -> None:
    client.signup("ada@example.org")
    r = client.http.get("/", follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/pathway")
    about = client.http.get("/about").text
    assert "Sign out" in about
    assert 'href="/pathway"' in about


@pytest.mark.parametrize(
    ("url", "status"),
    [("/no-such-page", 404), ("/programs?offset=-1", 422), ("/rules/NOPE", 404)],
)
def test_error_pages_keep_the_signed_in_menu_and_help(client: Any, url: str, status: int) -> None:
    client.signup("ada@example.org")
    r = client.http.get(url)
    assert r.status_code == status
    assert "Sign out" in r.text
    assert 'href="/profile"' in r.text
    assert "Create an account" not in r.text
    assert "Help on this page" in r.text
    token = client.page_token(url.split("?", maxsplit=1)[0] if status == 404 else "/profile")
    assert token == client.token  # the menu's sign-out form carries this session's token


def test_signed_out_error_pages_offer_sign_in(client: Any) -> None:
    r = client.http.get("/no-such-page")
    assert r.status_code == 404
    assert "Sign in" in r.text
    assert "Sign out" not in r.text


@pytest.mark.parametrize(
    "url", ["/profile", "/pathway", "/programs", "/odds", "/support", "/account", "/applications",
            "/letters", "/rotations", "/rank-list", "/timeline", "/guides", "/about",
            "/rules/US.VISA.O1"],
)  # fmt: skip
def test_every_page_has_help(client: Any, url: str) -> None:
    client.signup("ada@example.org")
    r = client.http.get(url)
    assert r.status_code == 200
    help_text = r.text.split("Help on this page", 1)
    assert len(help_text) == 2, url
    assert len(_text(help_text[1].split("</details>")[0])) > 60, url


def test_guides_are_pages_with_their_links_made_into_addresses(client: Any) -> None:
    r = client.http.get("/docs/how-to/find-programs")
    assert r.status_code == 200
    assert 'href="/docs/explanation/program-fit"' in r.text
    assert 'href="/docs/reference/claims"' in r.text
    assert "<script" not in r.text.split("<article", 1)[1]
    listing = client.http.get("/guides").text
    assert 'href="/docs/reference/profile"' in listing
    assert client.http.get("/docs/reference/profile").status_code == 200


@pytest.mark.parametrize(
    "url", ["/docs/how-to/no-such-guide", "/docs/secrets/x", "/docs/how-to/..%2F..%2FREADME",
            "/docs/how-to/images/..%2F..%2Fpyproject.toml", "/docs/how-to/images/nothing.png"],
)  # fmt: skip
def test_unknown_or_outside_pages_are_404(client: Any, url: str) -> None:
    r = client.http.get(url)
    assert r.status_code == 404
    assert "[project]" not in r.text


def test_raw_html_in_a_guide_is_escaped() -> None:
    from imgpath.web.pages_front import to_html

    out = to_html(
        "# T\n\n<script>alert(1)</script>\n\n[x](other.md#a) ![s](images/s.png)", "how-to"
    )
    assert "<script>" not in out
    assert 'href="/docs/how-to/other#a"' in out
    assert 'src="/docs/how-to/images/s.png"' in out


def test_documentation_paths_in_service_text_become_links() -> None:
    from imgpath.web.page_help import doc_links

    out = str(doc_links("assumptions are in docs/reference/market-model.md. <b>x</b>"))
    assert '<a href="/docs/reference/market-model">docs/reference/market-model.md</a>' in out
    assert "<b>" not in out
    assert "&lt;b&gt;" in out
