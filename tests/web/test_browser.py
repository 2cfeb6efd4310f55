"""The web app in a real browser: Debian's Chromium driven by Playwright, headless.

A live uvicorn server on 127.0.0.1 (SQLite in a temporary folder) serves the app; every page a
test visits is checked with axe-core, and none may have a serious or critical violation.
Chromium must be installed (``make test`` installs Debian's package); a missing browser fails
the run rather than skipping it, so CI cannot pass without these tests.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Self

import pytest
import uvicorn
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect, sync_playwright

from imgpath.web.app import create_app
from imgpath.web.settings import Settings

from .conftest import TODAY

pytestmark = pytest.mark.xdist_group("browser")

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "long-password-1"
AXE = Axe()


class LiveServer:
    """uvicorn in a thread on a socket bound here, so the port is known before it starts."""

    def __init__(self, app: Any) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]})

    def __enter__(self) -> Self:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline, "the web server did not start in 30 s"
            time.sleep(0.05)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
        self.socket.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    database = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'imgpath.db'}"
    settings = Settings(database_url=database, secret_key="b" * 40, odds_runs=2, odds_scale=0.05)
    app = create_app(settings, today=TODAY)
    with LiveServer(app) as live:
        yield live
    app.state.workspace.close(wait=True)
    app.state.workspace.catalog.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), (
        "Debian's Chromium is missing: `make test` installs it (apt-get install chromium)"
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, server: LiveServer) -> Iterator[Page]:
    context = browser.new_context(base_url=server.url, accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def accessible(page: Page) -> None:
    """No serious or critical axe-core violation on the page as it is now."""
    results = AXE.run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    detail = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in bad]
    assert not bad, f"{page.url}: {detail}"


def sign_up(page: Page, email: str, role: str = "applicant") -> None:
    page.goto("/signup")
    accessible(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password (at least 10 characters)").fill(PASSWORD)
    page.get_by_label("I am").select_option(role)
    page.get_by_label("Time zone").fill("Africa/Lagos")
    page.get_by_role("button", name="Create my account").click()


PROFILE_FORM = {  # label: value; a select's value is chosen, anything else typed
    "Citizenships": "NG",
    "Country of the medical school": "NG",
    "Graduation date": "2022-07-15",
    "USMLE Step 1: date of your latest attempt": "2024-03-02",
    "USMLE Step 1: result": "pass",
    "USMLE Step 2 CK: date of your latest attempt": "2025-01-20",
    "USMLE Step 2 CK: result": "pass",
    "USMLE Step 2 CK: score": "244",
    "Specialty": "internal medicine",
    "US states": "NY",
    "Match year": "2027",
    "Visa you would use": "j1",
}


def fill_profile(page: Page) -> None:
    for label, value in PROFILE_FORM.items():
        control = page.get_by_label(label, exact=True)
        if control.evaluate("c => c.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
    page.get_by_role("button", name="Save profile").click()


def test_applicant_signs_up_plans_searches_saves_sees_odds_and_exports(page: Page) -> None:
    sign_up(page, "ada@example.org")
    expect(page).to_have_url(re.compile(r"/profile$"))
    expect(page.get_by_role("heading", name="Profile")).to_be_visible()
    accessible(page)

    # A mistake is shown next to its field and nothing is saved.
    page.get_by_label("USMLE Step 2 CK: score").fill("999")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("alert").first).to_contain_text("Nothing was saved")
    score = page.get_by_label("USMLE Step 2 CK: score")
    expect(score).to_have_attribute("aria-invalid", "true")
    accessible(page)

    fill_profile(page)
    expect(page.get_by_role("status")).to_contain_text("Saved")
    expect(page.get_by_label("Country of the medical school")).to_have_value("NG")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Pathway").click()
    expect(page.get_by_role("heading", name="Pathway", exact=True)).to_be_visible()
    expect(page.get_by_text("You are an IMG")).to_be_visible()
    expect(page.get_by_role("heading", name="Next actions")).to_be_visible()
    expect(page.get_by_role("heading", name="Deadlines")).to_be_visible()
    expect(page.locator("table caption")).to_contain_text("Africa/Lagos")
    accessible(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Programs").click()
    page.get_by_label("Specialty").fill("internal medicine")
    page.get_by_label("State").fill("NY")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"specialty=internal(\+|%20)medicine"))
    rows = page.locator("#results tbody tr")
    expect(rows.first).to_be_visible()
    expect(rows.first.locator("td").nth(1)).to_have_text("NY")
    accessible(page)
    first = rows.first.get_by_role("button", name=re.compile(r"^Save "))
    code = (
        (first.get_attribute("aria-label") or "").removeprefix("Save ").removesuffix(" to my list")
    )
    first.click()  # htmx swaps the button in place
    expect(page.get_by_role("button", name=f"Remove {code} from my list")).to_have_text("Saved ✓")
    page.reload()
    expect(page.get_by_role("heading", name="My list (1)")).to_be_visible()

    page.goto(f"/programs/{code}")
    expect(page.locator("h1")).not_to_be_empty()
    accessible(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Odds").click()
    expect(page.get_by_label("Specialty")).to_have_value("internal medicine")
    page.get_by_role("button", name="Compute my odds").click()
    # The job runs in the background; htmx polls it until the table arrives.
    table = page.locator("#odds-job table")
    expect(table).to_be_visible(timeout=300_000)
    expect(table.locator("tbody tr").first).to_contain_text("%")
    plot = page.get_by_role("img", name=re.compile("Chance of matching"))
    expect(plot).to_be_visible()
    assert plot.evaluate("img => img.complete && img.naturalWidth > 0")
    accessible(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Account").click()
    accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Export all my data (JSON)").click()
    exported = json.loads(Path(info.value.path()).read_text())
    assert exported["account"]["email"] == "ada@example.org"
    assert exported["profile"]["school"]["country"] == "NG"
    assert [s["code"] for s in exported["saved_programs"]] == [code]
    assert exported["odds_runs"]
    assert exported["odds_runs"][0]["status"] == "done"


def test_signed_out_visitor_gets_only_the_sign_in_page(page: Page) -> None:
    for path in ("/profile", "/pathway", "/programs", "/odds", "/account", "/cohort"):
        page.goto(path)
        expect(page).to_have_url(re.compile(r"/signin$"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.goto("/no-such-page")
    expect(page.locator("h1")).to_be_visible()
    accessible(page)


def test_advisor_sees_a_shared_applicant_read_only(
    page: Page, browser: Browser, server: LiveServer
) -> None:
    sign_up(page, "bola@example.org")
    fill_profile(page)
    page.goto("/account")
    page.get_by_label("Advisor's email").fill("coach@example.org")
    page.get_by_role("button", name="Share", exact=True).click()
    expect(page.get_by_text("coach@example.org (since")).to_be_visible()

    advisor = browser.new_context(base_url=server.url)
    other = advisor.new_page()
    try:
        sign_up(other, "coach@example.org", role="advisor")
        expect(other).to_have_url(re.compile(r"/cohort$"))
        expect(other.get_by_role("cell", name=re.compile("bola@example.org"))).to_be_visible()
        accessible(other)
        other.get_by_role("link", name="Profile").last.click()
        expect(other.get_by_role("note")).to_contain_text("shared with you (read-only)")
        expect(other.get_by_label("Country of the medical school")).to_be_disabled()
        expect(other.get_by_role("button", name="Save profile")).to_have_count(0)
        accessible(other)

        page.get_by_role("button", name="Revoke sharing with coach@example.org").click()
        expect(page.get_by_text("Not shared with anyone.")).to_be_visible()
        other.goto("/cohort")
        expect(other.get_by_text("No applicant has shared")).to_be_visible()
    finally:
        advisor.close()


def test_keyboard_alone_signs_in_and_reaches_the_main_content(page: Page) -> None:
    sign_up(page, "chidi@example.org")
    page.goto("/account")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/signin$"))

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    page.get_by_label("Email").focus()
    page.keyboard.type("chidi@example.org")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/pathway$"))


@pytest.mark.parametrize("path", ["/signin", "/signup", "/profile", "/pathway", "/programs?specialty=internal+medicine", "/odds", "/account"])  # fmt: skip
def test_every_page_fits_a_360_px_phone(browser: Browser, server: LiveServer, path: str) -> None:
    context = browser.new_context(base_url=server.url, viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        email = f"phone{abs(hash(path))}@example.org"
        if path not in ("/signin", "/signup"):
            sign_up(page, email)
            fill_profile(page)
        page.goto(path)
        expect(page.locator("main h1")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} scrolls sideways on a 360-px screen ({width} px wide)"
        for control in page.locator("main input:visible, main select:visible").all():
            box = control.bounding_box()
            assert box is not None
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= 360
        accessible(page)
    finally:
        context.close()
