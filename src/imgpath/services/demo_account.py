"""The demo applicant that ``make run`` signs you in as (fictional; created once, then reused)."""

from __future__ import annotations

from datetime import date
from importlib import resources

import yaml

from imgpath.services.accounts import Accounts
from imgpath.services.workspace import Workspace

__all__ = ["DEMO_EMAIL", "DEMO_PASSWORD", "ensure_demo"]

DEMO_EMAIL = "demo@imgpath.example"
DEMO_PASSWORD = "demo-applicant"


def ensure_demo(accounts: Accounts, workspace: Workspace, *, on: date) -> None:
    if accounts.store.user_by_email(DEMO_EMAIL) is not None:
        return
    account = accounts.sign_up(email=DEMO_EMAIL, password=DEMO_PASSWORD, role="applicant",
                               name="Amaka (demo)", time_zone="Africa/Lagos")  # fmt: skip
    text = (
        resources.files("imgpath")
        .joinpath("data", "demo", "profile.yaml")
        .read_text(encoding="utf-8")
    )
    workspace.save_profile(account, yaml.safe_load(text), on=on)
    workspace.save_program(account, "1414140C0", "demo: saved from the catalog")
