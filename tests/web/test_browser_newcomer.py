"""The newcomer's walk (issue 15, ../shared/cases/web/newcomer-walk.md) in a real browser: a 2022
Nigerian graduate with Step 2 CK 238, no ECFMG certificate, who needs a visa, for internal
medicine in New York and Texas, arrives at the front door, signs up, answers every question
through forms only (no YAML), and reads on her pathway that J-1 is closed to her by the travel
ban, what H-1B needs, licensure in NY and TX, and the costs.  Every page is checked with
axe-core (no serious or critical violation) and at 390 px wide (no sideways scroll); the
screenshots of the how-to guide (docs/how-to/use-the-web-app.md) are made here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.browser import LiveServer, accessible, browser, page, server, sign_up

__all__ = ["browser", "page", "server"]  # fixtures, used by name

pytestmark = pytest.mark.xdist_group("browser")

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "how-to" / "images"
EMAIL = "chiamaka@example.org"
PROFILE = {  # label: value, as she types or picks them on the profile page
    "Your name": "Chiamaka (example)",
    "Citizenships": "NG",
    "US immigration status": "none",
    "Are you in the US now?": "no",
    "Medical school": "University of Ibadan",
    "Country of the medical school": "NG",
    "Graduation date": "2022-07-15",
    "USMLE Step 1 attempt 1: date": "2024-02-10",
    "USMLE Step 1 attempt 1: result": "pass",
    "USMLE Step 2 CK attempt 1: date": "2025-01-20",
    "USMLE Step 2 CK attempt 1: result": "pass",
    "USMLE Step 2 CK attempt 1: score": "238",
    "OET Medicine sitting 1: date": "2025-03-08",
    "OET Medicine sitting 1: listening": "380",
    "OET Medicine sitting 1: reading": "370",
    "OET Medicine sitting 1: writing": "330",
    "OET Medicine sitting 1: speaking": "410",
    "Have you submitted the Application for ECFMG Certification?": "yes",
    "US clinical experience 1: months": "1",
    "US clinical experience 1: kind": "observership",
    "Specialty": "internal medicine",
    "US states": "NY, TX",
    "Match year": "2027",
}
ANSWERS = [  # a question's control (by name) -> her answer
    (r"^ecfmg\.credentials_verified$", "in_progress"),
    (r"^ecfmg\.pathway$", "6"),
    (r"^ecfmg\.pathway_status$", "applied"),
    (r"^ecfmg\.application_submitted$", "yes"),
    (r"^ecfmg\.statement_of_need$", "unknown"),
    (r"^school\.credit_years$", "6"),
    (r"^school\.wdoms_ecfmg_note$", "yes"),
    (r"^training_abroad\.good_standing$", "yes"),
    (r"^training_abroad\.postgraduate_years$", "1"),
    (r"^training_abroad\.practice_years(_last_5|_last_10)?$", "1"),
    (r"^training_abroad\.licenses\.\d+\.country$", "NG"),
    (r"^training_abroad\.licenses\.\d+\.(full|good_standing)$", "yes"),
    (r"^training_abroad\.licenses\.\d+\.issued$", "2023-09-01"),
    (r"^training_abroad\.licenses\.\d+\.expires$", "2028-08-31"),
]


def _fill(page: Page, control_label: str, value: str) -> None:
    control = page.get_by_label(control_label, exact=True)
    if control.evaluate("c => c.tagName") == "SELECT":
        control.select_option(value)
    else:
        control.fill(value)


def _fits(page: Page, width: int = 390) -> None:
    """No sideways scroll at ``width`` px, and every visible control inside the screen."""
    page.set_viewport_size({"width": width, "height": 800})
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} scrolls sideways at {width} px ({scroll} px wide)"
    for control in page.locator(
        "main input:visible, main select:visible, main button:visible"
    ).all():
        box = control.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= width, (page.url, control.get_attribute("name"))
    page.set_viewport_size({"width": 1000, "height": 900})


def _check(page: Page, shot: str = "", *, element: str = "") -> None:
    accessible(page)
    _fits(page)
    if shot:
        SHOTS.mkdir(parents=True, exist_ok=True)
        if element:
            page.locator(element).screenshot(path=str(SHOTS / f"{shot}.png"))
        else:
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(SHOTS / f"{shot}.png"))


def _answer_open_questions(page: Page) -> list[str]:
    """Answer every question the pathway page asks through its in-place forms; the questions
    answered, in order.  A control with no answer above fails the walk, naming it."""
    answered: list[str] = []
    for _ in range(20):
        forms = page.locator("section[aria-labelledby=questions] form")
        if forms.count() == 0:
            return answered
        form = forms.first
        answered.append(form.locator("xpath=..").locator("p").first.inner_text())
        for control in form.locator("input[name]:not([type=hidden]), select[name]").all():
            name = control.get_attribute("name") or ""
            value = next((v for pattern, v in ANSWERS if re.match(pattern, name)), None)
            assert value is not None, f"the walk has no answer for the question's control {name}"
            if control.evaluate("c => c.tagName") == "SELECT":
                control.select_option(value)
            else:
                control.fill(value)
        form.get_by_role("button", name="Save this answer").press("Enter")
        expect(page).to_have_url(re.compile(r"/pathway#questions$"))
    pytest.fail(f"questions kept coming: {answered}")


def test_the_newcomer_walk(page: Page) -> None:
    page.set_viewport_size({"width": 1000, "height": 900})
    # The front door says what imgpath is, for whom, and leads to sign-up and the guides.
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("imgpath")
    expect(page.get_by_text("international medical graduates", exact=False).first).to_be_visible()
    expect(page.get_by_role("link", name="How to use the web app")).to_be_visible()
    _check(page, "web-landing")
    page.get_by_role("link", name="How to use the web app").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How to use the web app")
    _check(page)

    sign_up(page, EMAIL)
    expect(page).to_have_url(re.compile(r"/profile$"))
    for label, value in PROFILE.items():
        _fill(page, label, value)
    _check(page, "web-profile")
    page.get_by_role("button", name="Save profile").press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Saved")
    # Each list now offers a row for the next attempt or sitting.
    expect(page.get_by_label("OET Medicine sitting 2: date", exact=True)).to_have_value("")
    expect(page.get_by_label("USMLE Step 2 CK attempt 1: score", exact=True)).to_have_value("238")

    page.goto("/pathway")
    expect(page.get_by_role("heading", name="Open questions")).to_be_visible()
    answered = _answer_open_questions(page)
    assert any("Pathway" in q for q in answered), answered
    assert any("licence" in q for q in answered), answered
    # What is left cannot be answered by her profile, and says where to look.
    for card in page.locator("section[aria-labelledby=questions] li").all():
        expect(card).to_contain_text("Not something your profile can answer")

    page.goto("/pathway")
    visas = page.locator("section[aria-labelledby=visas]")
    j1 = visas.locator(".card", has_text="J-1 exchange visitor")
    expect(j1.locator("h3")).to_contain_text("closed to you")
    expect(j1).to_contain_text("travel-ban list")
    expect(j1.get_by_role("link", name="US.VISA.TRAVELBAN.v2026_01").first).to_be_visible()
    h1b = visas.locator(".card", has_text="H-1B temporary worker")
    expect(h1b.locator("h3")).to_contain_text("not yet")
    expect(h1b).to_contain_text("Step 1, Step 2 CK and Step 3 passed")
    expect(h1b).to_contain_text("an ECFMG certificate")
    h1b.get_by_text("Why, and what to know").click()
    expect(h1b).to_contain_text("$100,000 payment")
    licensure = page.locator("section[aria-labelledby=licensure]")
    expect(licensure.get_by_role("heading", name="New York (NY)")).to_be_visible()
    expect(licensure.get_by_role("heading", name="Texas (TX)")).to_be_visible()
    expect(licensure.locator(".card", has_text="Texas (TX)")).to_contain_text(
        "Texas provisional licence"
    )
    costs = page.locator("section[aria-labelledby=costs]")
    expect(costs.locator("tbody tr").first).to_be_visible()
    expect(costs).to_contain_text("Total known: USD")
    expect(page.locator("section[aria-labelledby=deadlines] tbody")).to_contain_text("past")
    expect(page.locator("section[aria-labelledby=deadlines] tbody")).to_contain_text("projected")
    _check(page, "web-pathway")
    visas.screenshot(path=str(SHOTS / "web-pathway-visas.png"))
    licensure.screenshot(path=str(SHOTS / "web-pathway-licensure.png"))

    page.goto("/rules/US.VISA.TRAVELBAN.v2026_01")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Travel ban")
    expect(page.get_by_text("Needs confirmation", exact=False).first).to_be_visible()
    _check(page, "web-rule")

    page.goto("/support")
    expect(page.get_by_role("heading", name="Support", exact=True)).to_be_visible()
    expect(page.locator("article.card").first).to_contain_text("As of")
    _check(page, "web-support")

    page.goto("/guides")
    _check(page)
    page.goto("/no-such-page")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()  # the menu stays
    _check(page)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/about",
        "/guides",
        "/docs/how-to/use-the-web-app",
        "/docs/reference/profile",
        "/rules",
        "/rules/US.VISA.O1",
    ],
)
def test_public_pages_are_accessible_and_fit_390_px(
    browser: Browser, server: LiveServer, path: str
) -> None:
    context = browser.new_context(base_url=server.url)
    try:
        page = context.new_page()
        page.goto(path)
        expect(page.locator("main h1")).to_be_visible()
        accessible(page)
        _fits(page)
    finally:
        context.close()
