"""Organisations and couples in a real browser (Chromium, headless; equipment in
``tests/web/browser.py``), axe-core on every page visited.  The pages the how-to guides show are
saved as screenshots in ``docs/how-to/images`` on the way, so the guides stay current."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.browser import PASSWORD, LiveServer, accessible, browser, page, server, sign_up

__all__ = ["browser", "page", "server"]  # fixtures, used by name

pytestmark = pytest.mark.xdist_group("browser")
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "how-to" / "images"


def shot(page: Page, name: str) -> None:
    """Save the page as the how-to guides show it."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def second_page(browser: Browser, server: LiveServer) -> Page:
    context = browser.new_context(base_url=server.url)
    context.set_default_timeout(15_000)
    return context.new_page()


def test_an_organisation_places_an_applicant_and_records_her_letter(
    page: Page, browser: Browser, server: LiveServer
) -> None:
    org = second_page(browser, server)
    try:
        sign_up(org, "placements@bridge.example.org", role="organisation")
        expect(org).to_have_url(re.compile(r"/organisation$"))
        accessible(org)
        org.get_by_label("Public name").fill("Bridge USCE")
        org.get_by_role("button", name="Save organisation").click()
        form = org.locator("form[action='/organisation/rotations']")
        form.get_by_label("Specialty").fill("Internal medicine")
        form.get_by_label("Site (hospital or clinic, and city)").fill("Mercy Hospital, Brooklyn NY")
        form.get_by_label("Setting").select_option("inpatient")
        form.get_by_label("Hands-on or observership").select_option("hands_on")
        form.get_by_label("Weeks (4 to 12)").fill("3")
        form.get_by_label("First day").fill("2027-01-04")
        form.get_by_label("Cost in US dollars").fill("2500")
        form.get_by_label("Places").fill("2")
        form.get_by_label("What a letter of recommendation needs").fill(
            "Four weeks with the same attending."
        )
        form.get_by_role("button", name="Add rotation").click()
        expect(org.get_by_role("alert")).to_contain_text(
            "weeks: must be a whole number from 4 to 12"
        )
        form = org.locator("form[action='/organisation/rotations']")
        expect(form.get_by_label("Weeks (4 to 12)")).to_have_attribute("aria-invalid", "true")
        accessible(org)
        form.get_by_label("Weeks (4 to 12)").fill("4")
        form.get_by_role("button", name="Add rotation").click()
        card = org.locator(
            "section", has=org.get_by_role("heading", name="Internal medicine at Mercy Hospital")
        )
        expect(card).to_contain_text("4 weeks, 2027-01-04 to 2027-01-31")
        expect(card).to_contain_text("$2,500")
        expect(card).to_contain_text("2 of 2 places left")

        sign_up(page, "ngozi@example.org")
        page.goto("/usce")
        accessible(page)
        offer = page.locator(
            "section", has=page.get_by_role("heading", name="Internal medicine at Mercy Hospital")
        )
        expect(offer).to_contain_text("Offered by Bridge USCE")
        offer.get_by_label("Message to Bridge USCE (optional)").fill(
            "Step 2 CK 238; I will need a J-1 later."
        )
        offer.get_by_role("button", name=re.compile("Request a place")).click()
        mine = page.get_by_role("region", name="Your requests")
        expect(mine.locator("td.status")).to_have_text("requested")
        accessible(page)
        shot(page, "web-usce")

        org.reload()
        expect(org.get_by_text("Step 2 CK 238; I will need a J-1 later.")).to_be_visible()
        org.get_by_role("button", name="Accept ngozi@example.org").click()
        expect(org.locator("td.status").first).to_contain_text("accepted")
        org.get_by_role("button", name="Place ngozi@example.org").click()
        expect(org.locator("td.status").first).to_contain_text("placed")
        org.get_by_label("Letter for ngozi@example.org: writer").fill("Dr Amara Okafor")
        org.get_by_label("Letter for ngozi@example.org: status").select_option("uploaded")
        org.get_by_role("button", name="Record the letter for ngozi@example.org").click()
        expect(org.locator("td.status").first).to_contain_text("letter: Dr Amara Okafor (uploaded)")
        accessible(org)
        shot(org, "web-organisation")
        org_url = org.get_by_role("link", name="see it as applicants do").get_attribute("href")
    finally:
        org.context.close()

    page.goto("/letters")
    letter = page.locator("section", has_text="Dr Amara Okafor")
    expect(letter).to_contain_text("Recorded by Bridge USCE")
    expect(letter.locator(".status").first).to_have_text("uploaded")
    accessible(page)
    page.goto("/rotations")
    expect(
        page.get_by_text(
            re.compile(r"Internal medicine at Mercy Hospital, Brooklyn NY.*by Bridge USCE")
        )
    ).to_be_visible()
    page.goto("/usce")
    expect(page.get_by_role("region", name="Your requests")).to_contain_text(
        "letter from Dr Amara Okafor: uploaded"
    )
    assert org_url
    page.goto(org_url)
    expect(page.get_by_role("heading", name="Bridge USCE", level=1)).to_be_visible()
    expect(page.get_by_text("1 of 2 places left")).to_be_visible()
    accessible(page)


def test_a_couple_links_by_invitation_and_ranks_a_pair(
    page: Page, browser: Browser, server: LiveServer
) -> None:
    programs = [
        p for p in server.app.state.workspace.catalog.programs if p.track_type == "C" and p.state
    ]
    mine, theirs = programs[30], programs[31]
    sign_up(page, "kemi@example.org")
    page.goto("/couple")
    accessible(page)
    page.get_by_label("Your partner's email").fill("tunde@example.org")
    page.get_by_label("Your password, to confirm").fill(PASSWORD)
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("You invited tunde@example.org")).to_be_visible()

    partner = second_page(browser, server)
    try:
        sign_up(partner, "tunde@example.org")
        partner.goto("/couple")
        accessible(partner)
        partner.get_by_role("button", name="Accept the invitation from kemi@example.org").click()
        expect(partner.get_by_text("You are linked as a couple.")).to_be_visible()
        partner.get_by_label("Search for your program").fill(theirs.code)
        partner.get_by_label(re.compile(re.escape(theirs.name))).check()
        # Tunde's side is his program, Kemi's is "No Match"
        partner.get_by_role("group", name="Your partner's program").get_by_label("No Match").check()
        partner.get_by_role("button", name="Add the pair at the end").click()
        expect(partner.locator("#pair-1")).to_contain_text(theirs.name)
        expect(partner.locator("#pair-1")).to_contain_text("No Match")
        accessible(partner)
    finally:
        partner.context.close()

    page.reload()
    expect(page.get_by_text("You are linked as a couple.")).to_be_visible()
    word = max(mine.institution.split(), key=len)
    page.get_by_label("Search for your program").fill(f"{word} {mine.state}")
    page.get_by_label(re.compile(re.escape(mine.name))).first.check()
    page.get_by_label("Search for your partner's program").fill(theirs.code)
    page.get_by_role("group", name="Your partner's program").get_by_label(
        re.compile(re.escape(theirs.name))
    ).check()
    accessible(page)  # with the search results (htmx fragments) on the page
    page.get_by_role("button", name="Add the pair at the end").click()
    pair = page.locator("#pair-2")
    expect(pair).to_contain_text(mine.name)
    expect(pair).to_contain_text(theirs.name)
    expect(page.locator("#pair-1")).to_contain_text(
        "No Match"
    )  # Tunde's pair, seen from Kemi's side
    expect(page.get_by_text("2 of at most 300 pairs (4 of 600 ranks in all)")).to_be_visible()
    page.get_by_role("button", name="Certify my list").click()
    expect(page.get_by_text(re.compile(r"Your list: certified"))).to_be_visible()
    accessible(page)
    shot(page, "web-couple")

    page.goto("/rank-list")
    page.get_by_label("Program, institution, city, specialty or code").fill(f"{word} {mine.state}")
    page.get_by_role("button", name=f"Rank {mine.name} ({mine.code}) at the end of my list").click()
    expect(page.locator(f"#entry-{mine.code}")).to_be_visible()
    accessible(page)
    # without JavaScript the search has a page of its own
    page.goto(f"/find-program?for=applications&q={word}+{mine.state}")
    accessible(page)
    page.get_by_role("button", name=f"Add {mine.name} ({mine.code}) to my applications").click()
    expect(page).to_have_url(re.compile(r"/applications$"))
    expect(page.locator(f"#app-{mine.code}")).to_contain_text("saved")


@pytest.mark.parametrize(("path", "role"), [("/usce", "applicant"), ("/couple", "applicant"),
                                            ("/organisation", "organisation"), ("/find-program?q=medicine", "applicant")])  # fmt: skip
def test_the_new_pages_fit_a_360_px_phone(
    browser: Browser, server: LiveServer, path: str, role: str
) -> None:
    context = browser.new_context(base_url=server.url, viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        sign_up(page, f"phone-{role}-{path.strip('/').split('?')[0]}@example.org", role=role)
        page.goto(path)
        expect(page.locator("main h1")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} scrolls sideways on a 360-px screen ({width} px wide)"
        for control in page.locator(
            "main input:visible, main select:visible, main textarea:visible"
        ).all():
            box = control.bounding_box()
            assert box is not None
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= 360, path
        accessible(page)
    finally:
        context.close()
