"""The web app in a real browser: Debian's Chromium driven by Playwright, headless (equipment in
``tests/web/browser.py``): part 1's pages, sign-up to export."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.browser import (
    PASSWORD,
    LiveServer,
    accessible,
    browser,
    fill_profile,
    page,
    server,
    sign_up,
)

__all__ = ["browser", "page", "server"]  # fixtures, used by name

pytestmark = pytest.mark.xdist_group("browser")


def test_applicant_signs_up_plans_searches_saves_sees_odds_and_exports(page: Page) -> None:
    sign_up(page, "ada@example.org")
    expect(page).to_have_url(re.compile(r"/profile$"))
    expect(page.get_by_role("heading", name="Profile")).to_be_visible()
    accessible(page)

    # A mistake is shown next to its field and nothing is saved.
    page.get_by_label("USMLE Step 2 CK attempt 1: score").fill("999")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("alert").first).to_contain_text("Nothing was saved")
    score = page.get_by_label("USMLE Step 2 CK attempt 1: score")
    expect(score).to_have_attribute("aria-invalid", "true")
    accessible(page)

    fill_profile(page)
    expect(page.get_by_role("status")).to_contain_text("Saved")
    expect(page.get_by_label("Country of the medical school")).to_have_value("NG")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Pathway").click()
    expect(page.get_by_role("heading", name="Pathway", exact=True)).to_be_visible()
    expect(page.get_by_text(re.compile(r"^You are an IMG"))).to_be_visible()
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
    table = page.get_by_role("table", name=re.compile("How many programs to apply to"))
    expect(table).to_be_visible(timeout=300_000)
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(8)  # 10, 20, 40, 60, 80, 120, 160, 200 applications
    first = rows.first
    expect(first.get_by_role("rowheader")).to_have_text("10")
    # interviews with a range, chance with a range, ERAS fees for 10 programs (2026 fees)
    expect(first.locator("td").nth(1)).to_have_text(re.compile(r"^\d+\.\d \(\d+\.\d–\d+\.\d\)$"))
    expect(first.locator("td").nth(2)).to_have_text(re.compile(r"^\d+% \(\d+%–\d+%\)$"))
    expect(first.locator("td").nth(3)).to_have_text("$110")
    expect(page.locator("#odds-national")).to_contain_text(
        "NRMP's 2026 Main Match rate of Non-US IMGs was 56%"
    )
    expect(page.get_by_role("heading", name="What is not modelled")).to_be_visible()
    plot = page.get_by_role("img", name=re.compile("The funnel"))
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
    page.get_by_label("Your password (sharing needs it again)").fill(PASSWORD)
    page.get_by_role("button", name="Share", exact=True).click()
    expect(page.get_by_text("coach@example.org (pending until")).to_be_visible()

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
    page.get_by_role("button", name="Sign out", exact=True).click()
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


@pytest.mark.parametrize("path", ["/signin", "/signup", "/profile", "/pathway", "/programs?specialty=internal+medicine", "/odds", "/account", "/applications", "/letters", "/rotations", "/rank-list", "/timeline"])  # fmt: skip
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
