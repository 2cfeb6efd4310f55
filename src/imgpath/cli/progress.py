"""A progress bar that appears only when work takes longer than a second."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Self

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

__all__ = ["DelayedProgress", "compiling"]


class DelayedProgress:
    """A ``(stage, fraction_done)`` callback that shows a bar on stderr after ``delay`` seconds."""

    def __init__(self, console: Console | None = None, *, delay: float = 1.0) -> None:
        self.console = console or Console(stderr=True)
        self.delay = delay
        self.start = time.monotonic()
        self.progress: Progress | None = None
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, stage: str, done: float) -> None:
        if self.progress is None:
            if time.monotonic() - self.start < self.delay:
                return
            self.progress = Progress(
                TextColumn("{task.description:<14}"),
                BarColumn(),
                TextColumn("{task.percentage:>3.0f}%"),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )
            self.progress.start()
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(stage, total=1.0)
        self.progress.update(self.tasks[stage], completed=min(max(done, 0.0), 1.0))

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.progress is not None:
            self.progress.stop()


@contextmanager
def compiling(part: str = "match", *, spinner: bool = True) -> Iterator[None]:
    """Around a command's work that runs the Match engine (``part`` "match") or the market
    simulation ("odds"): the first time on this machine it compiles them, so say so, with a
    spinner on stderr (or, when the command shows its own progress bar, one line); once the
    work has finished, later runs say nothing (they load the compiled code in about a second)."""
    from imgpath.match import is_compiled, mark_compiled

    if is_compiled(part):
        yield
        return
    console = Console(stderr=True, highlight=False, soft_wrap=True)
    what = "the Match engine" if part == "match" else "the market simulation and the Match engine"
    text = f"Compiling {what} (the first run on this machine; about a minute, once)..."
    if spinner:
        with console.status(text):
            yield
    else:
        console.print(text)
        yield
    mark_compiled(part, "compiled by a command")
