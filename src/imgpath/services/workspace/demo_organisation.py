"""The demo rotation organisation that ``make run`` creates beside the demo applicant
(fictional; created once, then reused): a public name and two rotations to request."""

from __future__ import annotations

from datetime import date, timedelta
from importlib import resources
from typing import Any

import yaml

from imgpath.services.accounts import Accounts
from imgpath.services.workspace.organisations import Organisations

__all__ = ["DEMO_ORGANISATION_EMAIL", "DEMO_ORGANISATION_PASSWORD", "ensure_demo_organisation"]

DEMO_ORGANISATION_EMAIL = "rotations@imgpath.example"
DEMO_ORGANISATION_PASSWORD = "demo-organisation"
"""Fictional and printed on purpose (the demo is public)."""


def ensure_demo_organisation(accounts: Accounts, organisations: Organisations, *, on: date) -> None:
    """Create the demo organisation once (``data/demo/organisation.yaml``): its rotations start
    on the Monday ``starts_in_weeks`` weeks after ``on``."""
    if accounts.store.user_by_email(DEMO_ORGANISATION_EMAIL) is not None:
        return
    text = (
        resources.files("imgpath")
        .joinpath("data", "demo", "organisation.yaml")
        .read_text(encoding="utf-8")
    )
    data: dict[str, Any] = yaml.safe_load(text)
    accounts.sign_up(email=DEMO_ORGANISATION_EMAIL, password=DEMO_ORGANISATION_PASSWORD, role="organisation",
                     name=data["name"], time_zone="America/New_York", verified=True)  # fmt: skip
    found = accounts.store.user_by_email(DEMO_ORGANISATION_EMAIL)
    assert found is not None
    org = accounts.get(int(found["id"]))
    organisations.save_profile(org, data)
    monday = on + timedelta(days=-on.weekday() % 7)
    for rotation in data["rotations"]:
        start = monday + timedelta(weeks=int(rotation["starts_in_weeks"]))
        organisations.add_rotation(org, {**rotation, "start_on": start.isoformat()}, on=on)
