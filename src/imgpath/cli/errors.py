"""The one place where imgpath's errors become exit codes and messages on stderr.

Errors imgpath raises on purpose (:mod:`imgpath.errors`) say what is wrong and how to fix it.
Anything else reaching the command line is either the system refusing a path (an
:class:`OSError` with a file name: the user's to fix, exit 2) or a bug: then the person gets one
line saying so and how to report it (exit 70), never a traceback, unless they ask for it with
``IMGPATH_TRACEBACK=1``.
"""

from __future__ import annotations

import traceback

from rich.console import Console
from rich.text import Text

from imgpath.errors import (
    EngineError,
    FormError,
    ImgpathError,
    InvalidInputError,
    NotFoundError,
    Problem,
)
from imgpath.settings import library_settings

__all__ = [
    "EXIT_CODES",
    "EXIT_SOFTWARE",
    "FLAGS",
    "exit_code",
    "report",
    "report_unexpected",
    "worded",
]

EXIT_CODES: dict[type[ImgpathError], int] = {
    InvalidInputError: 2,  # the user can fix the input (same code as a usage error)
    NotFoundError: 2,
    EngineError: 70,  # EX_SOFTWARE: a bug; please report it
}
EXIT_SOFTWARE = 70
"""sysexits.h EX_SOFTWARE: imgpath itself failed; the message asks for a bug report."""


def exit_code(error: ImgpathError) -> int:
    """The exit code for ``error``: the most specific entry of :data:`EXIT_CODES`, else 1."""
    for cls in type(error).__mro__:
        if cls in EXIT_CODES:
            return EXIT_CODES[cls]
    return 1


FLAGS: dict[str, str] = {
    "changes_since": "--changes-since",
    "entered_by": "--by",
    "explain": "--explain",
    "limit": "--limit",
    "ranks": "--ranks",
    "region": "--region",
    "runs": "--runs",
    "sort": "--sort",
    "specialty": "--specialty",
    "state": "--state",
    "type": "--type",
    "visa": "--visa",
}
"""The services' field names as this edge's words: the option that sets each field."""
HINTS: dict[tuple[str, str], str] = {
    ("specialty", "no specialty matches"): "list them with `imgpath market specialties`",
    ("sort", "needs a profile"): "give one with --for PROFILE",
}
"""Extra advice only the command line can give (a command or a flag to use), by field and words."""


def worded(problem: Problem) -> str:
    """One problem in the command line's words: a field it sets is named by its flag."""
    flag = FLAGS.get(problem.location)
    if flag is None:
        return str(problem)
    extra = [h for (field, words), h in HINTS.items()
             if field == problem.location and words in problem.message]  # fmt: skip
    hint = "; ".join(x for x in (problem.hint, *extra) if x)
    # "--type 'alien' is not an applicant type" when the message starts with the value given,
    # else "--by: contains a control character": the flag first, then what is wrong.
    joint = " " if problem.message.startswith(("'", '"')) else ": "
    return f"{flag}{joint}{problem.message}" + (f"; {hint}" if hint else "")


def report(error: BaseException, console: Console | None = None) -> None:
    """Print ``error`` for a person: no traceback, just what is wrong and how to fix it."""
    if isinstance(error, FormError):
        _say(console, "error:", "; ".join(worded(p) for p in error.problems))
        return
    _say(console, "error:", str(error))


def _say(console: Console | None, label: str, message: str) -> None:
    """``label message`` on stderr; the message is plain text (an id such as ``[/b]`` in it is
    printed as written, never read as Rich markup)."""
    console = console or Console(stderr=True, highlight=False, soft_wrap=True)
    console.print(Text.assemble((label, "bold red"), " ", message), emoji=False)


def _wants_traceback() -> bool:
    try:
        return library_settings().traceback
    except InvalidInputError:
        return False


def report_unexpected(error: Exception, console: Console | None = None) -> int:
    """Report an error imgpath did not raise on purpose; returns the exit code.

    An :class:`OSError` naming a file (a folder given for a file, no permission, a full disk)
    is the user's to fix: exit 2.  Anything else is a bug: exit :data:`EXIT_SOFTWARE`.
    """
    if isinstance(error, OSError) and error.filename is not None:
        reason = (error.strerror or str(error)).lower()
        _say(console, "error:", f"{error.filename}: {reason}")
        return 2
    if isinstance(error, BrokenPipeError):  # the reader went away (| head): nothing to say
        return 1
    if isinstance(error, UnicodeEncodeError):  # e.g. PYTHONIOENCODING=ascii and a name in Arabic
        _say(
            console,
            "error:",
            f"the output has characters the terminal's encoding ({error.encoding}) cannot show; "
            "write to a file with -o, or set PYTHONIOENCODING=utf-8",
        )
        return 1
    if isinstance(error, MemoryError):
        _say(console, "error:", "not enough memory for this input; try a smaller one")
        return 1
    if _wants_traceback():
        traceback.print_exception(error)
    what = f"{type(error).__name__}: {error}"[:300]
    _say(
        console,
        "internal error:",
        f"{what}\nThis is a bug in imgpath, not in your input. Please report it with the command "
        "and the input (set IMGPATH_TRACEBACK=1 to see where it happened).",
    )
    return EXIT_SOFTWARE
