"""Email: verification and password-reset links, through SMTP or into a local outbox folder.

``outbox`` mode (the default, for ``make run`` and the tests) writes each message as an
``.eml`` file into a private folder and prints its link on standard error, so a developer can
follow it; no mail leaves the machine.  ``smtp`` mode sends through the configured server with
STARTTLS or implicit TLS (stdlib :mod:`smtplib`), verifying the server's certificate.

:class:`MailQueue` runs the sending (and the token it carries) on a background thread, off the
request path: an answer takes the same time whether a message went out or not (no account
enumeration by timing), and a slow SMTP server slows no request.  A message that cannot be
sent is logged; the person asks again.
"""

from __future__ import annotations

import logging
import queue
import smtplib
import ssl
import sys
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default as default_policy
from pathlib import Path
from typing import Literal

from imgpath.errors import BusyError

__all__ = ["MailQueue", "MailSettings", "Mailer", "read_outbox"]


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


class MailQueue:
    """Jobs (make a link, send a message) run one at a time on a daemon thread, in order."""

    def __init__(self) -> None:
        self._jobs: queue.Queue[Callable[[], None] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, job: Callable[[], None]) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="imgpath-mail", daemon=True)
                self._thread.start()
        self._jobs.put(job)

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                if job is None:
                    return
                job()
            except Exception:
                logging.getLogger("imgpath.security").warning(
                    "an email could not be sent", exc_info=True
                )
            finally:
                self._jobs.task_done()

    def drain(self) -> None:
        """Wait until every submitted job has run (tests; shutting down)."""
        self._jobs.join()

    def close(self) -> None:
        self.drain()
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                self._jobs.put(None)
                self._thread.join(10)
            self._thread = None


def read_outbox(folder: Path) -> list[EmailMessage]:
    """The messages in an outbox folder, oldest first (tests and development)."""
    parser = BytesParser(policy=default_policy)
    out = []
    for path in sorted(folder.glob("*.eml")) if folder.exists() else []:
        parsed = parser.parsebytes(path.read_bytes())
        assert isinstance(parsed, EmailMessage)
        out.append(parsed)
    return out
