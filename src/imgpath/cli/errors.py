"""The one place where imgpath's errors become exit codes and messages on stderr."""

from __future__ import annotations

from rich.console import Console

from imgpath.errors import EngineError, ImgpathError, InvalidInputError, NotFoundError

__all__ = ["EXIT_CODES", "exit_code", "report"]

EXIT_CODES: dict[type[ImgpathError], int] = {
    InvalidInputError: 2,  # the user can fix the input (same code as a usage error)
    NotFoundError: 2,
    EngineError: 70,  # EX_SOFTWARE: a bug; please report it
}


def exit_code(error: ImgpathError) -> int:
    """The exit code for ``error``: the most specific entry of :data:`EXIT_CODES`, else 1."""
    for cls in type(error).__mro__:
        if cls in EXIT_CODES:
            return EXIT_CODES[cls]
    return 1


def report(error: BaseException, console: Console | None = None) -> None:
    """Print ``error`` for a person: no traceback, just what is wrong and how to fix it."""
    console = console or Console(stderr=True, highlight=False, soft_wrap=True)
    console.print(f"[bold red]error:[/] {error}", markup=True, emoji=False)
