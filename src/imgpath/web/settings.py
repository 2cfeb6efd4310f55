"""The web app's configuration, from environment variables (documented in docs/reference/web.md)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from imgpath.errors import InvalidInputError
from imgpath.services.catalog import database_url

__all__ = ["Settings"]


def _number(name: str, default: float, low: float, high: float, *, whole: bool = False) -> float:
    """$name as a number (a whole one with ``whole``) from ``low`` to ``high``; unset gives ``default``."""
    text = os.environ.get(name, "")
    if not text:
        return default
    try:
        value = int(text) if whole else float(text)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        what = "a whole number" if whole else "a number"
        msg = f"${name}={text!r}: use {what} from {low:g} to {high:g}"
        raise InvalidInputError(msg)
    return value


def _int(name: str, default: int, low: int, high: int) -> int:
    return int(_number(name, default, low, high, whole=True))


def _secret(folder: Path) -> str:
    """$IMGPATH_SECRET_KEY, else one made once and kept in the data folder (sessions survive restarts)."""
    if os.environ.get("IMGPATH_SECRET_KEY"):
        return os.environ["IMGPATH_SECRET_KEY"]
    path = folder / "secret_key"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: str
    secure_cookies: bool = False
    """Send the session cookie over HTTPS only; set IMGPATH_SECURE_COOKIES=1 behind HTTPS."""
    odds_runs: int = 10
    odds_scale: float = 1.0
    signin_attempts: int = 5
    signin_window: int = 300

    @classmethod
    def from_env(cls) -> Settings:
        folder = Path(
            os.environ.get("IMGPATH_DATA_DIR")
            or platformdirs.user_data_dir("imgpath", appauthor=False)
        )
        return cls(
            database_url=database_url(),
            secret_key=_secret(folder),
            secure_cookies=os.environ.get("IMGPATH_SECURE_COOKIES", "0").lower()
            in ("1", "true", "yes"),
            odds_runs=_int("IMGPATH_ODDS_RUNS", 10, 1, 1000),
            odds_scale=_number("IMGPATH_ODDS_SCALE", 1.0, 0.02, 1.0),
            signin_attempts=_int("IMGPATH_SIGNIN_ATTEMPTS", 5, 1, 1000),
            signin_window=_int("IMGPATH_SIGNIN_WINDOW", 300, 1, 86400),
        )
