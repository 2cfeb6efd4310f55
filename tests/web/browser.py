"""Browser-test equipment: a live server, Debian's Chromium, axe-core, and form helpers.

A live uvicorn server on 127.0.0.1 (SQLite in a temporary folder) serves the app; every page a
test visits is checked with axe-core, and none may have a serious or critical violation.
Chromium must be installed (``make test`` installs Debian's package); a missing browser fails
the run rather than skipping it, so CI cannot pass without these tests.
"""

from __future__ import annotations

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

from imgpath.settings import Settings
from imgpath.web.app import create_app
from tests.web.conftest import TODAY, outbox_links

__all__ = [
    "PASSWORD",
    "LiveServer",
    "accessible",
    "browser",
    "fill_profile",
    "page",
    "server",
    "sign_up",
]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "long-password-1"
AXE = Axe()
APPS: list[Any] = []
"""The live app of the running module (sign_up reads its outbox)."""


class LiveServer:
    """uvicorn in a thread on a socket bound here, so the port is known before it starts."""

    def __init__(self, app: Any) -> None:
        self.app = app
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
    folder = tmp_path_factory.mktemp("browser")
    settings = Settings(database_url=f"sqlite:///{folder / 'imgpath.db'}", data_dir=folder / "data",
                        secret_key="b" * 40, odds_runs=2, odds_scale=0.05, signups_per_hour=1000)  # fmt: skip
    app = create_app(settings, today=TODAY)
    APPS.append(app)
    with LiveServer(app) as live:
        yield live
    app.state.close()
    APPS.remove(app)


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
    """Sign up, open the link the outbox received, confirm, sign in (an applicant then goes to
    the profile, an advisor stays on the cohort)."""
    page.goto("/signup")
    accessible(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password (at least 8 characters", exact=False).fill(PASSWORD)
    page.get_by_label("I am").select_option(role)
    page.get_by_label("Time zone").fill("Africa/Lagos")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    accessible(page)
    link = [x for x in outbox_links(APPS[-1], email) if "/verify?" in x][-1]
    page.goto(link.split("8000", 1)[-1])
    page.get_by_label("Your imgpath password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm my email").click()
    expect(page.get_by_text("Your email is confirmed")).to_be_visible()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if role == "applicant":
        expect(page).to_have_url(re.compile(r"/pathway$"))
        page.goto("/profile")


PROFILE_FORM = {  # label: value; a select's value is chosen, anything else typed
    "Citizenships": "NG",
    "Country of the medical school": "NG",
    "Graduation date": "2022-07-15",
    "USMLE Step 1 attempt 1: date": "2024-03-02",
    "USMLE Step 1 attempt 1: result": "pass",
    "USMLE Step 2 CK attempt 1: date": "2025-01-20",
    "USMLE Step 2 CK attempt 1: result": "pass",
    "USMLE Step 2 CK attempt 1: score": "244",
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
