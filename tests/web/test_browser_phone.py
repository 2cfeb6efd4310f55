"""On a 390-px phone every page fits its width (tables scroll inside their own box, the page
never sideways), and the API docs page loads nothing from outside this server."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.browser import LiveServer, accessible, browser, fill_profile, page, server, sign_up

__all__ = ["browser", "page", "server"]  # fixtures, used by name

pytestmark = pytest.mark.xdist_group("browser")
APPLICANT_PAGES = ("/profile", "/pathway", "/programs", "/programs?visa=h1b", "/programs/1414140C0",
                   "/applications", "/letters", "/rotations", "/rank-list", "/timeline", "/odds", "/account",
                   "/outcomes", "/no-such-page")  # fmt: skip
ADVISOR_PAGES = ("/cohort", "/slots", "/claims", "/programs/1414140C0", "/account")
SIGNED_OUT = ("/signin", "/signup", "/forgot")


def _fits(page: Page, path: str) -> None:
    page.goto(path)
    expect(page.locator("h1").first).to_be_visible()
    wide = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert wide[0] <= wide[1], f"{path} scrolls sideways at 390 px: {wide[0]} > {wide[1]}"
    accessible(page)


def test_every_page_fits_a_390_px_phone(browser: Browser, server: LiveServer) -> None:
    for who, pages in (
        ("applicant", APPLICANT_PAGES),
        ("advisor", ADVISOR_PAGES),
        (None, SIGNED_OUT),
    ):
        context = browser.new_context(base_url=server.url, viewport={"width": 390, "height": 844})
        phone = context.new_page()
        try:
            if who == "applicant":
                sign_up(phone, "phone@example.org")
                fill_profile(phone)
            elif who == "advisor":
                sign_up(phone, "phone-advisor@example.org", role="advisor")
            for path in pages:
                _fits(phone, path)
            if who == "applicant":  # the outcome form, opted in
                phone.goto("/outcomes")
                phone.get_by_role("button", name="Opt in to share my outcomes").click()
                expect(phone.get_by_role("heading", name="Share an application")).to_be_visible()
                _fits(phone, "/outcomes")
        finally:
            context.close()


def test_the_api_docs_page_loads_nothing_from_outside(page: Page, server: LiveServer) -> None:
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))
    page.goto("/api/docs")
    expect(page.get_by_text("imgpath", exact=False).first).to_be_visible()
    expect(page.locator(".swagger-ui .info")).to_be_visible()
    assert hosts == {urlparse(server.url).netloc}, hosts
