"""The demo applicant that ``make run`` signs you in as (fictional; created once, then reused)."""

from __future__ import annotations

from datetime import date
from importlib import resources
from typing import Any

import yaml

from imgpath.services.accounts import Accounts
from imgpath.services.workspace.season import Tracker
from imgpath.services.workspace.workspace import Workspace

__all__ = ["DEMO_EMAIL", "DEMO_PASSWORD", "demo_available", "ensure_demo"]

DEMO_EMAIL = "demo@imgpath.example"
DEMO_PASSWORD = "demo-applicant"
"""Fictional and printed on purpose (the demo is public); real accounts follow NIST SP 800-63B."""


def _demo_file(name: str) -> Any:
    text = resources.files("imgpath").joinpath("data", "demo", name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def ensure_demo(
    accounts: Accounts, workspace: Workspace, *, on: date, tracker: Tracker | None = None
) -> None:
    """Create the demo applicant once: profile, one saved program and, with ``tracker``, a season
    in progress (``data/demo/season.yaml``)."""
    if accounts.store.user_by_email(DEMO_EMAIL) is not None:
        return
    accounts.sign_up(email=DEMO_EMAIL, password=DEMO_PASSWORD, role="applicant", name="Amaka (demo)",
                     time_zone="Africa/Lagos", verified=True)  # fmt: skip
    found = accounts.store.user_by_email(DEMO_EMAIL)
    assert found is not None
    account = accounts.get(int(found["id"]))
    workspace.save_profile(account, _demo_file("profile.yaml"), on=on)
    workspace.save_program(account, "1414140C0", "demo: saved from the catalog")
    if tracker is None:
        return
    season = _demo_file("season.yaml")
    for application in season["applications"]:
        tracker.track(account, application, on=on)
    for letter in season["letters"]:
        letter_id = tracker.add_letter(account, letter)
        for code in letter["programs"]:
            tracker.assign_letter(account, letter_id, code, on=on)
    for document in season["documents"]:
        tracker.add_document(account, document)
    for code in season["rank_list"]:
        tracker.rank_add(account, code)


def demo_available(accounts: Accounts) -> bool:
    """Whether the demo applicant exists here (``imgpath serve --demo``, which ``make run`` uses)."""
    return accounts.store.user_by_email(DEMO_EMAIL) is not None
