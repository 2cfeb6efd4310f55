"""The season tracker in a real browser (Chromium, headless; equipment in ``tests/web/browser.py``):
one test per workflow, axe-core on every page visited."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import icalendar
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


def codes(server: LiveServer, kind: str, n: int, skip: int = 0) -> list[str]:
    found = [p.code for p in server.app.state.workspace.catalog.programs if p.track_type == kind]
    return found[skip : skip + n]


def track(page: Page, code: str, status: str) -> None:
    form = page.locator("form:has(input[name=form][value=track])")
    form.get_by_label("NRMP program code").fill(code)
    form.get_by_label("Status").select_option(status)
    form.get_by_role("button", name="Save application").click()


def test_track_an_application_to_interviewed(page: Page, server: LiveServer) -> None:
    [code] = codes(server, "C", 1, skip=10)
    sign_up(page, "t1@example.org")
    page.goto("/applications")
    accessible(page)
    track(page, "NOT-A-CODE", "applied")
    expect(page.get_by_role("alert")).to_contain_text("no program with code 'NOT-A-CODE'")
    expect(page.get_by_label("NRMP program code")).to_have_attribute("aria-invalid", "true")
    accessible(page)
    track(page, code, "applied")
    row = page.locator(f"#app-{code}")
    expect(row.locator("td.status")).to_have_text("applied")
    for status in ("invited", "interviewed"):
        row.get_by_label(f"New status for {code}").select_option(status)
        row.get_by_role("button", name=f"Update {code}").click()
        row = page.locator(f"#app-{code}")
        expect(row.locator("td.status")).to_have_text(status)
    expect(row).to_contain_text("interviewed: 2026-11-22")
    expect(page.get_by_text(re.compile(r"ERAS, 1 program\b.*\$"))).to_be_visible()
    accessible(page)


def test_a_fifth_letter_for_a_program_is_refused_with_a_clear_message(
    page: Page, server: LiveServer
) -> None:
    programs = codes(server, "C", 5, skip=20)
    sign_up(page, "t2@example.org")
    page.goto("/letters")
    accessible(page)
    for n in range(5):
        form = page.locator("form:has(input[name=form][value=letter])")
        form.get_by_label("Writer").fill(f"Dr Writer {n}")
        form.get_by_label("Kind").select_option("us_clinical")
        form.get_by_role("button", name="Add letter").click()
    # Dr Writer 0's letter goes to five programs.
    for code in programs:
        page.get_by_label("Assign Dr Writer 0's letter to program (code)").fill(code)
        page.locator("section", has_text="Dr Writer 0").get_by_role(
            "button", name="Assign", exact=True
        ).click()
    expect(page.locator("section", has_text="Dr Writer 0")).to_contain_text(
        "Assigned to 5 program(s)"
    )
    # Four more letters to the first program, the fifth of which is refused.
    for n in range(1, 5):
        page.get_by_label(f"Assign Dr Writer {n}'s letter to program (code)").fill(programs[0])
        page.locator("section", has_text=f"Dr Writer {n}").get_by_role(
            "button", name="Assign"
        ).click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("already has 4 letters")
    expect(alert).to_contain_text("ERAS allows at most 4 per program")
    expect(alert).to_contain_text("Dr Writer 4's letter was not assigned")
    expect(page.get_by_label("Assign Dr Writer 4's letter to program (code)")).to_have_attribute(
        "aria-invalid", "true"
    )
    accessible(page)
    page.goto("/letters")
    expect(page.locator("section", has_text="Dr Writer 4")).to_contain_text(
        "Assigned to 0 program(s)"
    )


def test_add_a_rotation(page: Page) -> None:
    sign_up(page, "t3@example.org")
    page.goto("/rotations")
    accessible(page)
    page.get_by_label("Site (hospital or clinic)").fill("Mercy Hospital, Chicago")
    page.get_by_label("Specialty").fill("internal medicine")
    page.get_by_label("First day").fill("2026-01-05")
    page.get_by_label("Last day").fill("2026-01-01")
    page.get_by_role("button", name="Add rotation").click()
    expect(page.get_by_role("alert")).to_contain_text("is before the start")
    page.get_by_label("Last day").fill("2026-02-01")
    page.get_by_label("Cost in US dollars").fill("$3,500")
    page.get_by_label("Supervising physician").fill("Dr Rivera")
    page.get_by_label("A letter of recommendation was earned").check()
    page.get_by_role("button", name="Add rotation").click()
    expect(page.get_by_text("0.9 months")).to_be_visible()
    table = page.get_by_role("region", name="My rotations")
    expect(table).to_contain_text("internal medicine at Mercy Hospital, Chicago")
    expect(table).to_contain_text("$3,500")
    expect(page.get_by_text("1 letter(s) earned")).to_be_visible()
    accessible(page)


def test_reorder_the_rank_list_with_the_keyboard(page: Page, server: LiveServer) -> None:
    a, b, c = codes(server, "C", 3, skip=30)
    sign_up(page, "t4@example.org")
    page.goto("/rank-list")
    for code in (a, b, c):
        page.get_by_label("NRMP program code").fill(code)
        page.keyboard.press("Enter")  # submits the form
        expect(page.locator(f"#entry-{code}")).to_be_visible()
    order = page.locator("ol.ranklist > li")
    expect(order).to_have_count(3)
    accessible(page)
    # Keyboard only: focus the third entry's "Move up" and press Enter twice; focus stays on it.
    page.locator(f"#entry-{c}").get_by_role("button", name=re.compile("^Move up")).focus()
    page.keyboard.press("Enter")
    expect(
        page.locator(f"#entry-{c}").get_by_role("button", name=re.compile("^Move up"))
    ).to_be_focused()
    page.keyboard.press("Enter")
    expect(order.nth(0)).to_have_id(f"entry-{c}")
    expect(order.nth(1)).to_have_id(f"entry-{a}")
    expect(order.nth(2)).to_have_id(f"entry-{b}")
    expect(order.nth(0).get_by_role("button", name=re.compile("^Move up"))).to_have_count(0)
    page.locator(f"#entry-{b}").get_by_role("button", name=re.compile("^Move to top")).focus()
    page.keyboard.press("Enter")
    expect(order.nth(0)).to_have_id(f"entry-{b}")
    expect(order.nth(0)).to_contain_text("The Match tries this program first.")
    accessible(page)


def test_download_the_calendar(page: Page, server: LiveServer) -> None:
    [code] = codes(server, "C", 1, skip=40)
    sign_up(page, "t5@example.org")
    fill_profile(page)
    page.goto("/applications")
    track(page, code, "invited")
    page.goto("/timeline")
    accessible(page)
    expect(page.get_by_role("region", name="Timeline")).to_contain_text("Invited:")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the calendar (.ics)").click()
    assert info.value.suggested_filename == "imgpath-season.ics"
    cal = icalendar.Calendar.from_ical(Path(info.value.path()).read_bytes())
    summaries = [str(e["SUMMARY"]) for e in cal.walk("VEVENT")]
    assert any(s.startswith("Invited: ") for s in summaries)
    assert len(summaries) == page.get_by_role("region", name="Timeline").locator("tbody tr").count()


def test_an_advisor_views_a_shared_cohort(page: Page, browser: Browser, server: LiveServer) -> None:
    [code] = codes(server, "C", 1, skip=50)
    sign_up(page, "t6@example.org")
    page.goto("/applications")
    track(page, code, "interviewed")
    page.goto("/account")
    page.get_by_label("Advisor's email").fill("cohort-coach@example.org")
    page.get_by_label("Your password (sharing needs it again)").fill(PASSWORD)
    page.get_by_role("button", name="Share", exact=True).click()
    coach: Any = browser.new_context(base_url=server.url)
    try:
        other = coach.new_page()
        sign_up(other, "cohort-coach@example.org", role="advisor")
        expect(other).to_have_url(re.compile(r"/cohort$"))
        table = other.get_by_role("region", name="Applicants who shared with me")
        expect(table).to_contain_text("t6@example.org")
        expect(table).to_contain_text("furthest: interviewed")
        expect(table).to_contain_text("rank list")  # interviewed but no rank list yet: missing
        accessible(other)
        other.get_by_label("Missing items").select_option("yes")
        other.get_by_role("button", name="Filter").click()
        expect(table).to_contain_text("t6@example.org")
        with other.expect_download() as info:
            other.get_by_role("link", name="Download all as CSV").click()
        assert "t6@example.org" in Path(info.value.path()).read_text()
        table.get_by_role("link", name="Applications").click()
        expect(other.get_by_role("note")).to_contain_text("shared with you (read-only)")
        expect(other.locator(f"#app-{code}")).to_contain_text("interviewed")
        expect(other.get_by_role("button", name="Save application")).to_have_count(0)
        accessible(other)
        other.goto("/slots")
        other.get_by_label("Site").fill("Mercy Hospital")
        other.get_by_label("Specialty").fill("internal medicine")
        other.get_by_label("First day").fill("2027-01-04")
        other.get_by_label("Last day").fill("2027-01-31")
        other.get_by_role("button", name="Add slot").click()
        other.get_by_label(
            "Place an applicant in internal medicine at Mercy Hospital"
        ).select_option(label="t6@example.org")
        other.get_by_role("button", name="Place").click()
        expect(other.get_by_text("1 of 1 placed")).to_be_visible()
        accessible(other)
    finally:
        coach.close()
    page.goto("/rotations")
    expect(page.get_by_text("by cohort-coach@example.org")).to_be_visible()
