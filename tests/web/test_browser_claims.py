"""In a real browser: an advisor adds a claim with its source, a reviewer (appointed with the CLI
on the server's database) accepts it, and the applicant sees it in the program's fit."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from typer.testing import CliRunner

from imgpath.cli.main import app as cli
from tests.web.browser import (
    APPS,
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
SOURCE = "https://example.org/gme/visa-policy-2026"


def test_advisor_claims_reviewer_accepts_applicant_sees_it_in_the_fit(
    page: Page, browser: Browser, server: LiveServer
) -> None:
    # The applicant: a profile, then the first internal-medicine program (her target, by default).
    sign_up(page, "nneka@example.org")
    fill_profile(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Programs").click()
    expect(page.get_by_text("Showing your target specialty from your profile")).to_be_visible()
    first = page.locator("#results tbody tr").first.get_by_role("link")
    code = (first.get_attribute("href") or "").rsplit("/", 1)[-1]
    first.click()
    expect(page.get_by_role("heading", name="Visa sponsorship")).to_be_visible()
    expect(page.locator("#fit + p + ul")).not_to_contain_text(SOURCE)
    accessible(page)

    advisor_context = browser.new_context(base_url=server.url)
    reviewer_context = browser.new_context(base_url=server.url)
    try:
        # The advisor adds a claim with its source and date: it waits for a reviewer.
        advisor = advisor_context.new_page()
        sign_up(advisor, "coach@example.org", role="advisor")
        advisor.goto(f"/programs/{code}")
        advisor.get_by_text("Add a claim with its source").click()
        advisor.get_by_label("Fact").select_option("h1b_sponsor")
        advisor.get_by_label("Value").fill("yes")
        advisor.get_by_label("Kind").select_option("reported")
        advisor.get_by_label("Source", exact=True).fill("a friend said so")
        advisor.get_by_role("button", name="Add the claim").click()
        expect(advisor.get_by_role("alert")).to_contain_text("source")
        advisor.get_by_label("Source", exact=True).fill(SOURCE)
        advisor.get_by_label("As of").fill("2026-11-01")
        advisor.get_by_role("button", name="Add the claim").click()
        expect(advisor.get_by_text("waiting for a reviewer: not used in the fit")).to_be_visible()
        expect(advisor.get_by_role("button", name=re.compile("^Accept claim"))).to_have_count(0)
        accessible(advisor)

        # The operator appoints a reviewer on the server's database; the reviewer accepts.
        reviewer = reviewer_context.new_page()
        sign_up(reviewer, "reviewer@example.org", role="advisor")
        db = APPS[-1].state.settings.resolved_database_url()
        done = CliRunner().invoke(
            cli, ["programs", "claims", "reviewers", "add", "reviewer@example.org", "--db", db]
        )
        assert done.exit_code == 0, done.output
        assert "is now a reviewer" in done.output
        reviewer.get_by_role("navigation", name="Main").get_by_role("link", name="Claims").click()
        expect(reviewer.get_by_role("heading", name="Claims to review")).to_be_visible()
        expect(reviewer.get_by_text(SOURCE)).to_be_visible()
        accessible(reviewer)
        reviewer.get_by_role("button", name=re.compile("^Accept claim")).click()
        expect(reviewer.get_by_text("No claim is waiting for review.")).to_be_visible()
    finally:
        advisor_context.close()
        reviewer_context.close()

    # The applicant sees the reviewed claim with its source and date, and in her fit.
    page.reload()
    expect(page.get_by_text("reviewed: used in the fit")).to_be_visible()
    expect(page.locator("#claims + ul")).to_contain_text("as of 2026-11-01")
    fit = page.locator("#fit + p + ul")
    expect(fit).to_contain_text(SOURCE)
    expect(fit).to_contain_text("as of 2026-11-01")
    page.get_by_role("button", name=re.compile("^Confirm claim")).click()
    expect(page.get_by_text("Confirmed by 1, disputed by 0")).to_be_visible()
    accessible(page)
