"""Email: verification and password-reset links, through SMTP or into a local outbox folder.

``outbox`` mode (the default, for ``make run`` and the tests) writes each message as an
``.eml`` file into a private folder and prints its link on standard error, so a developer can
follow it; no mail leaves the machine.  ``smtp`` mode sends through the configured server with
STARTTLS or implicit TLS (stdlib :mod:`smtplib`), verifying the server's certificate.
"""

from __future__ import annotations

import smtplib
import ssl
import sys
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default as default_policy
from pathlib import Path
from typing import Literal

from imgpath.errors import BusyError

__all__ = ["MailSettings", "Mailer", "read_outbox"]


@dataclass(frozen=True)
class MailSettings:
    mode: Literal["outbox", "smtp"] = "outbox"
    outbox: Path = Path("outbox")
    host: str = "localhost"
    port: int = 587
    tls: Literal["starttls", "ssl", "none"] = "starttls"
    user: str = ""
    password: str = ""
    sender: str = "imgpath <no-reply@localhost>"
    echo: bool = True
    """In outbox mode, also print each link on standard error."""


class Mailer:
    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings

    def send(self, to: str, subject: str, body: str, *, link: str = "") -> None:
        """Send one plain-text message; a server that cannot be reached is a 503, not a 500."""
        message = EmailMessage()
        message["From"] = self.settings.sender
        message["To"] = to
        message["Subject"] = subject
        message["Date"] = datetime.now(UTC)
        message["Message-ID"] = f"<{uuid.uuid4().hex}@imgpath>"
        message.set_content(body)
        if self.settings.mode == "outbox":
            self._write(message, to, link)
        else:
            self._smtp(message)

    def _write(self, message: EmailMessage, to: str, link: str) -> None:
        folder = self.settings.outbox
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        path = folder / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
        path.write_bytes(bytes(message))
        path.chmod(0o600)
        if self.settings.echo:
            sys.stderr.write(
                f"[imgpath outbox] to {to}: {message['Subject']}"
                + (f"\n  {link}\n" if link else "\n")
            )
            sys.stderr.flush()

    def _smtp(self, message: EmailMessage) -> None:
        s = self.settings
        context = ssl.create_default_context()
        try:
            if s.tls == "ssl":
                server: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=20, context=context)
            else:
                server = smtplib.SMTP(s.host, s.port, timeout=20)
            with server:
                if s.tls == "starttls":
                    server.starttls(context=context)
                if s.user:
                    server.login(s.user, s.password)
                server.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            msg = f"the email could not be sent ({type(exc).__name__}); try again in a few minutes"
            raise BusyError(msg, retry_after=60) from None


def read_outbox(folder: Path) -> list[EmailMessage]:
    """The messages in an outbox folder, oldest first (tests and development)."""
    parser = BytesParser(policy=default_policy)
    out = []
    for path in sorted(folder.glob("*.eml")) if folder.exists() else []:
        parsed = parser.parsebytes(path.read_bytes())
        assert isinstance(parsed, EmailMessage)
        out.append(parsed)
    return out
