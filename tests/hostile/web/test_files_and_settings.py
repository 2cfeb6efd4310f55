"""L7, I2, item 8: the data folder is 0700 and the database 0600; IMGPATH_DATA_DIR moves the
database; a short secret key is refused; every setting is checked at start-up with a message
naming the variable; deleted rows do not linger in SQLite's write-ahead log."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest

from imgpath.errors import InvalidInputError
from imgpath.settings import load_settings


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_l7_the_data_dir_holds_a_private_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from imgpath.web.app import create_app

    folder = tmp_path / "imgpath-data"
    monkeypatch.delenv("IMGPATH_DATABASE_URL", raising=False)
    monkeypatch.setenv("IMGPATH_DATA_DIR", str(folder))
    settings = load_settings()
    assert settings.resolved_database_url() == f"sqlite:///{folder / 'imgpath.sqlite3'}"
    app = create_app(settings, start_worker=False)
    try:
        assert (folder / "imgpath.sqlite3").exists()
        assert _mode(folder) == 0o700
        assert _mode(folder / "imgpath.sqlite3") == 0o600
        assert _mode(folder / "secret_key") == 0o600
        for extra in ("imgpath.sqlite3-wal", "imgpath.sqlite3-shm"):
            if (folder / extra).exists():
                assert _mode(folder / extra) & 0o077 == 0, extra
    finally:
        app.state.close()


@pytest.mark.parametrize(("name", "value", "words"), [
    ("IMGPATH_SECRET_KEY", "a", "32 bytes"),
    ("IMGPATH_ODDS_RUNS", "0", "IMGPATH_ODDS_RUNS"),
    ("IMGPATH_ODDS_SCALE", "lots", "IMGPATH_ODDS_SCALE"),
    ("IMGPATH_SMTP_TLS", "maybe", "IMGPATH_SMTP_TLS"),
    ("IMGPATH_TRUSTED_PROXIES", "not-an-address", "IMGPATH_TRUSTED_PROXIES"),
    ("IMGPATH_PUBLIC_URL", "ftp://x", "http"),
    ("IMGPATH_MAX_BODY_BYTES", "1", "IMGPATH_MAX_BODY_BYTES"),
    ("IMGPATH_SESSION_IDLE_MINUTES", "-5", "IMGPATH_SESSION_IDLE_MINUTES"),
])  # fmt: skip
def test_bad_settings_are_refused_at_start_up_by_name(monkeypatch: pytest.MonkeyPatch, name: str, value: str,
                                                      words: str) -> None:  # fmt: skip
    monkeypatch.setenv(name, value)
    with pytest.raises(InvalidInputError) as caught:
        load_settings()
    assert words in str(caught.value)
    assert value not in str(caught.value) or len(value) < 3


def test_smtp_without_tls_is_refused_for_a_remote_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMGPATH_MAIL_MODE", "smtp")
    monkeypatch.setenv("IMGPATH_SMTP_HOST", "mail.example.org")
    monkeypatch.setenv("IMGPATH_SMTP_TLS", "none")
    with pytest.raises(InvalidInputError, match="starttls or ssl"):
        load_settings()


def test_the_serve_command_stops_on_a_bad_setting_with_exit_2(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "IMGPATH_SECRET_KEY": "short", "IMGPATH_DATA_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "imgpath", "serve"], env=env, capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "IMGPATH_SECRET_KEY" in done.stderr
    assert "Traceback" not in done.stderr


def test_i2_a_deleted_account_does_not_linger_in_the_write_ahead_log(client: Any, app: Any) -> None:
    from tests.web.conftest import PASSWORD

    engine = app.state.workspace.store.engine
    client.signup("linger-marker@example.org")
    client.call("DELETE", "/api/account", json={"password": PASSWORD})
    if engine.dialect.name != "sqlite":
        return
    path = Path(engine.url.database)
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or b"linger-marker" not in wal.read_bytes()
    assert b"linger-marker" not in path.read_bytes()
