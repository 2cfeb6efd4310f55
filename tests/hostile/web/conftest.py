"""The web app's fixtures (tests/web/conftest.py), for the hostile-input regression tests: every
test that uses ``app`` or ``client`` runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from tests.web.conftest import _fast_hashing, app, client, make_client, settings_for

__all__ = ["_fast_hashing", "app", "client", "make_client", "settings_for"]
