"""Every ``IMGPATH_*`` setting, in one table (pydantic-settings).

:class:`LibrarySettings` holds what the library half reads (where the data and the caches are,
replacement rule and support packs); :class:`Settings` adds the web app's and its workers'.
Entry points build them once with :func:`load_settings` (which turns a bad value into one clear
message naming the variable) and pass them down; library functions called without settings
read :func:`library_settings` (the same table, never ``os.environ`` directly).
``docs/reference/settings.md`` is generated from this module (:func:`settings_markdown`).

Units: seconds unless the name says otherwise; sizes in bytes.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from pathlib import Path
from typing import Annotated, Any, Literal

import platformdirs
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from imgpath.errors import InvalidInputError

__all__ = [
    "MIN_SECRET_BYTES",
    "LibrarySettings",
    "Settings",
    "library_settings",
    "load_settings",
    "prepare_data_dir",
    "settings_markdown",
]

MIN_SECRET_BYTES = 32
"""A session or token key shorter than this can be guessed offline (OWASP ASVS 6.2.x asks for
at least 128 bits of key; 32 bytes is 256)."""

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("imgpath", appauthor=False))


class LibrarySettings(BaseSettings):
    """What the library half reads: the command line's and the web app's shared settings."""

    model_config = SettingsConfigDict(
        env_prefix="IMGPATH_", extra="ignore", frozen=True, use_attribute_docstrings=True
    )

    # ---------------------------------------------------------------- storage
    data_dir: Path = Field(default_factory=_default_data_dir)
    """Folder for the SQLite database, the secret key, the outbox and the result cache (mode 700)."""
    database_url: str = ""
    """Any SQLAlchemy URL; empty means ``sqlite:///<data_dir>/imgpath.sqlite3``."""
    cache_dir: Path | None = None
    """Where simulation results are kept; empty means the user's cache folder."""

    # ------------------------------------------------------------ data overrides
    pathway_data: Path | None = None
    """A folder with ``rules/`` and ``paths/`` used instead of the bundled rule packs (to try a
    changed rule; see docs/how-to/update-a-rule.md)."""
    support_data: Path | None = None
    """A folder of support packs (``*.yaml``) used instead of the bundled support directory."""

    # ----------------------------------------------------------------- command line
    traceback: bool = False
    """Print the full traceback of an internal error (for a bug report) instead of one line."""

    @field_validator("cache_dir", "pathway_data", "support_data", mode="before")
    @classmethod
    def _empty_path(cls, value: Any) -> Any:
        return None if value == "" else value

    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'imgpath.sqlite3'}"


class Settings(LibrarySettings):
    """The configuration, from ``IMGPATH_<NAME>`` environment variables (names are case-blind)."""

    # ---------------------------------------------------------------- secrets
    secret_key: SecretStr | None = None
    """Key for signed values (at least 32 bytes); empty means one made once in ``data_dir``."""

    # ---------------------------------------------------------------- sessions
    secure_cookies: bool = False
    """Send cookies over HTTPS only (set it behind a TLS proxy)."""
    session_hours: float = Field(default=12.0, gt=0, le=24 * 90)
    """A session ends this long after sign-in, however active (ASVS 3.3.2 level 2: 12 hours)."""
    session_idle_minutes: float = Field(default=30.0, gt=0, le=24 * 60)
    """A session ends after this long without a request (ASVS 3.3.2 level 2: 30 minutes)."""

    # ------------------------------------------------------ sign-in and sign-up
    signin_attempts: int = Field(default=5, ge=1, le=1000)
    """Failed sign-ins per account and address before each further try must wait."""
    signin_window: int = Field(default=3600, ge=1, le=7 * 86400)
    """Failed sign-ins older than this are forgotten."""
    signin_max_delay: int = Field(default=900, ge=1, le=86400)
    """The longest wait between tries (the wait doubles from 2 s up to this)."""
    signups_per_hour: int = Field(default=10, ge=1, le=100_000)
    """Sign-ups and password-reset requests per client address per hour."""
    trusted_proxies: Annotated[list[Network], NoDecode] = Field(default_factory=list)
    """Addresses or networks (comma-separated) of proxies whose X-Forwarded-For is believed."""

    # ----------------------------------------------------------------- email
    public_url: str = "http://127.0.0.1:8000"
    """The address people reach the app at; links in emails start with it."""
    mail_mode: Literal["outbox", "smtp"] = "outbox"
    """``outbox``: write each message to ``outbox_dir`` and print its link (development, tests);
    ``smtp``: send it through the SMTP server below."""
    outbox_dir: Path | None = None
    """Where ``outbox`` mode writes messages; empty means ``<data_dir>/outbox``."""
    smtp_host: str = "localhost"
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_tls: Literal["starttls", "ssl", "none"] = "starttls"
    """``none`` is refused unless the host is this machine (a local relay)."""
    smtp_user: str = ""
    smtp_password: SecretStr = SecretStr("")
    mail_from: str = "imgpath <no-reply@localhost>"
    verify_hours: float = Field(default=24.0, gt=0, le=24 * 14)
    """How long an email-verification link works."""
    reset_minutes: float = Field(default=60.0, gt=0, le=24 * 60)
    """How long a password-reset link works."""
    mails_per_address_hour: int = Field(default=5, ge=1, le=10_000)
    """Messages (verification, reset, notices) sent to one address per hour; more are dropped,
    with the same answer (no inbox flooding, no enumeration)."""
    mails_per_client_hour: int = Field(default=20, ge=1, le=100_000)
    """Messages asked for from one client address per hour, to any addresses."""
    share_pending_days: int = Field(default=30, ge=1, le=365)
    """A share to an address with no verified advisor account lapses after this many days."""

    # ---------------------------------------------------------------- requests
    max_body_bytes: int = Field(default=1_000_000, ge=10_000, le=100_000_000)
    """Largest request body (forms, JSON), refused with 413 while it streams in."""
    max_upload_bytes: int = Field(default=5_000_000, ge=10_000, le=100_000_000)
    """Largest CSV import body."""
    max_profile_bytes: int = Field(default=64_000, ge=1_000, le=1_000_000)
    """Largest profile (the YAML box, or the profile as JSON)."""
    db_busy_seconds: float = Field(default=10.0, gt=0, le=120)
    """How long a request waits for the database's write lock before a 503 (SQLite)."""
    api_docs: bool = True
    """Serve the OpenAPI page at /api/docs (from bundled files, no CDN)."""

    # -------------------------------------------------------------------- odds
    odds_runs: int = Field(default=10, ge=1, le=1000)
    """Simulated national Matches per odds request."""
    odds_scale: float = Field(default=1.0, ge=0.02, le=1.0)
    """Market size of those simulations (smaller is faster and rougher)."""
    odds_jobs_per_user: int = Field(default=1, ge=1, le=20)
    """Odds runs one person may have queued or running at once."""
    odds_queue_limit: int = Field(default=20, ge=1, le=10_000)
    """Odds runs queued or running for everyone together; more are refused with 503."""
    odds_worker: Literal["embedded", "external"] = "embedded"
    """``embedded``: each server process also runs odds jobs; ``external``: only
    ``imgpath worker`` processes do."""
    odds_concurrency: int = Field(default=1, ge=1, le=64)
    """Odds jobs one worker process runs at the same time."""
    odds_keep: int = Field(default=20, ge=1, le=1000)
    """Finished odds runs kept per person (older ones are deleted)."""

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _networks(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("secret_key", mode="before")
    @classmethod
    def _empty_key(cls, value: Any) -> Any:
        return None if value in ("", None) else value

    @field_validator("secret_key")
    @classmethod
    def _long_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value().encode()) < MIN_SECRET_BYTES:
            msg = (
                f"is shorter than {MIN_SECRET_BYTES} bytes; make one with "
                "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`"
            )
            raise ValueError(msg)
        return value

    @field_validator("public_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")) or "\x00" in value:
            msg = "must start with http:// or https://, e.g. https://imgpath.example.org"
            raise ValueError(msg)
        return value.rstrip("/")

    @model_validator(mode="after")
    def _smtp_tls(self) -> Settings:
        local = self.smtp_host in ("localhost", "127.0.0.1", "::1")
        if self.mail_mode == "smtp" and self.smtp_tls == "none" and not local:
            msg = "IMGPATH_SMTP_TLS=none sends passwords and links in clear; use starttls or ssl"
            raise ValueError(msg)
        return self

    # ------------------------------------------------------------- derived
    @property
    def sqlite_default(self) -> bool:
        return not self.database_url

    def resolved_outbox(self) -> Path:
        return self.outbox_dir or self.data_dir / "outbox"

    def key(self) -> str:
        """The secret key; one made once and kept in ``data_dir/secret_key`` (mode 600) if unset."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        prepare_data_dir(self.data_dir)
        path = self.data_dir / "secret_key"
        if not path.exists():
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as out:
                out.write(secrets.token_urlsafe(48))
        path.chmod(0o600)
        text = path.read_text(encoding="utf-8").strip()
        if len(text.encode()) < MIN_SECRET_BYTES:
            msg = f"{path}: the kept secret key is shorter than {MIN_SECRET_BYTES} bytes; delete the file to make a new one"
            raise InvalidInputError(msg)
        return text


def prepare_data_dir(folder: Path) -> None:
    """Make ``folder`` (and parents) and keep it private to this user (mode 700)."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    folder.chmod(0o700)


def load_settings(**overrides: Any) -> Settings:
    """The settings from the environment (and ``overrides``), every problem named by variable."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise _bad(exc) from None


def library_settings() -> LibrarySettings:
    """The library's settings from the environment, read now (a bad value names the variable)."""
    try:
        return LibrarySettings()
    except ValidationError as exc:
        raise _bad(exc) from None


def _bad(exc: ValidationError) -> InvalidInputError:
    lines = []
    for error in exc.errors(include_input=False, include_url=False):
        name = "_".join(str(p) for p in error["loc"]).upper()
        where = f"IMGPATH_{name}" if name else "settings"
        lines.append(f"{where}: {error['msg'].removeprefix('Value error, ')}")
    return InvalidInputError("bad setting:\n  " + "\n  ".join(lines))


_SHOWN_DEFAULTS = {"data_dir": "your platform's data folder"}


def settings_markdown() -> str:
    """``docs/reference/settings.md``: every variable, its default and meaning, from the model."""
    lines = [
        "# Settings (environment variables)",
        "",
        "<!-- generated by scripts/gen_docs.py from src/imgpath/settings.py; do not edit -->",
        "",
        (
            "Every setting is read from one table (`src/imgpath/settings.py`, pydantic-settings). The "
            "commands build it once and pass it down; a bad value stops the command with exit 2 and a "
            "message naming the variable. Sizes are bytes, times seconds unless the name says "
            "otherwise. Names are case-blind."
        ),
        "",
    ]
    for title, model in (
        ("Library and command line", LibrarySettings),
        ("Web app and workers", Settings),
    ):
        lines += [f"## {title}", "", "| variable | default | meaning |", "|---|---|---|"]
        shown = (
            LibrarySettings.model_fields
            if model is LibrarySettings
            else {
                k: v
                for k, v in Settings.model_fields.items()
                if k not in LibrarySettings.model_fields
            }
        )
        for name, info in shown.items():
            if name in _SHOWN_DEFAULTS:
                default = _SHOWN_DEFAULTS[name]
            elif info.default_factory is not None:
                default = "none"
            elif info.default in (None, "") or (
                isinstance(info.default, SecretStr) and not info.default.get_secret_value()
            ):
                default = "(empty)"
            else:
                default = str(info.default)
            meaning = " ".join((info.description or "").split()).replace("|", "\\|")
            lines.append(f"| `IMGPATH_{name.upper()}` | `{default}` | {meaning} |")
        lines.append("")
    return "\n".join(lines)
