"""Every error imgpath raises on purpose, in one tree.

::

    ImgpathError                  base class; anything else escaping imgpath is a bug
    ├── InvalidInputError         the user's input is wrong: says where, what and how to fix it
    │   ├── FormError             fields of a form, an API body or a call: each problem names its
    │   │                         field; each edge words the field (a flag, a form control)
    │   ├── DocumentSyntaxError   a JSON, YAML or CSV file that cannot be parsed (line and column)
    │   ├── InvalidInstanceError  a match instance that parses but breaks the format's rules
    │   │   └── InvalidProfileError   a pathway profile (imgpath.core.pathway.profile)
    │   └── InvalidModelError     a market model or scenario (imgpath.core.market.model)
    ├── NotFoundError             a named file, program or applicant does not exist
    ├── AuthenticationError       not signed in, or wrong email or password
    ├── PermissionDeniedError     signed in, but this is someone else's and was not shared
    ├── CsrfError                 a form or API change without this session's CSRF token
    ├── RateLimitedError          too many attempts; says when to try again
    ├── BusyError                 the service is busy (a lock, a full queue); try again shortly
    ├── MissingExtraError         an optional part (imgpath[web], [dask], ...) is not installed
    └── EngineError               the engine could not finish; a bug report, not a user mistake

The command line and the web app each translate this tree into exit codes and HTTP statuses in
exactly one place (``imgpath.cli.errors`` and ``imgpath.web.errors``).  Services name *fields*
(``Problem("runs", "must be at least 1")``), never a flag or a form control: the command line
words ``runs`` as ``--runs``, a page puts the message next to its control.  The library itself
never exits or prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "AuthenticationError",
    "BusyError",
    "CsrfError",
    "DocumentSyntaxError",
    "EngineError",
    "FormError",
    "ImgpathError",
    "InvalidInputError",
    "InvalidInstanceError",
    "MissingExtraError",
    "NotFoundError",
    "PermissionDeniedError",
    "Problem",
    "RateLimitedError",
    "require",
]


class ImgpathError(Exception):
    """Base class of every error imgpath raises deliberately."""


class InvalidInputError(ImgpathError):
    """The input (a file, a flag, a form field, an API body) is wrong and the user can fix it."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input: where it is, what is wrong, and how to fix it."""

    location: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        return f"{text}; {self.hint}" if self.hint else text


class FormError(InvalidInputError):
    """Bad fields (a form, an API body, a call's arguments), every problem keyed by its field."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(str(p) for p in self.problems))

    def by_field(self) -> dict[str, str]:
        """The first problem of each field, as ``{field: "message; hint"}``."""
        out: dict[str, str] = {}
        for p in self.problems:
            out.setdefault(p.location, f"{p.message}; {p.hint}" if p.hint else p.message)
        return out


def require(problems: Iterable[Problem]) -> None:
    """Raise :class:`FormError` naming every problem, when there is any."""
    found = tuple(problems)
    if found:
        raise FormError(found)


class DocumentSyntaxError(InvalidInputError):
    """A document that cannot be parsed at all; carries the line and column of the fault."""

    def __init__(
        self,
        source: str,
        message: str,
        *,
        line: int | None,
        column: int | None,
        field: str = "",
    ) -> None:
        self.source = source
        self.line = line
        self.column = column
        self.field = field  # the value's path in the document (``school.country``), if known
        self.problem = message  # what is wrong, without the location
        where = source
        if line is not None:
            where += f", line {line}"
            if column is not None:
                where += f", column {column}"
        if field:
            where += f": {field}"
        super().__init__(f"{where}: {message}")


class InvalidInstanceError(InvalidInputError):
    """A document that parses but breaks the rules; lists every problem found (up to a limit)."""

    def __init__(
        self, problems: Sequence[Problem], *, source: str = "", total: int | None = None
    ) -> None:
        """``problems`` are the ones shown; ``total`` is how many were found (default: as many).

        Checkers stop listing after a display cap; the message still says how many there are, so
        a user knows whether one more pass will do.
        """
        self.problems = tuple(problems)
        self.source = source
        shown = len(self.problems)
        self.total = max(total if total is not None else shown, shown)
        head = f"{source}: " if source else ""
        noun = "problem" if self.total == 1 else "problems"
        more = (
            f" (the first {shown} shown; fix these and run again to see the rest)"
            if self.truncated
            else ""
        )
        lines = [f"{head}{self.total} {noun} found{more}:"]
        lines += [f"  - {problem}" for problem in self.problems]
        super().__init__("\n".join(lines))

    @property
    def truncated(self) -> bool:
        """True when more problems were found than are listed."""
        return self.total > len(self.problems)


class NotFoundError(ImgpathError):
    """A named thing (a file, a program code, an applicant id) does not exist."""


class EngineError(ImgpathError):
    """The engine reached a state it should never reach; please report it with the input."""


class AuthenticationError(ImgpathError):
    """Not signed in, or the email and password do not match an account."""


class PermissionDeniedError(ImgpathError):
    """Signed in, but the workspace asked for is neither yours nor shared with you."""


class CsrfError(ImgpathError):
    """A form or API change without this session's CSRF token."""


class RateLimitedError(ImgpathError):
    """Too many attempts in a short time."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class BusyError(ImgpathError):
    """The service cannot take this now (the database is locked, the queue is full); retry later."""

    def __init__(self, message: str, *, retry_after: int = 5) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class MissingExtraError(ImgpathError):
    """An optional part of imgpath is not installed; the message says how to install it."""
