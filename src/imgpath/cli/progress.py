"""A progress bar that appears only when work takes longer than a second."""

from __future__ import annotations

import time
from types import TracebackType
from typing import Self

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

__all__ = ["DelayedProgress"]


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


def ensure_compiled(console: Console | None = None) -> None:
    """Before a command runs the Match engine or the market simulation: if they are not compiled
    yet on this machine, compile them now under a spinner that says so (once per install)."""
    from imgpath.cli.dates import parse_day
    from imgpath.services.engine_warmup import is_compiled, warm_engines

    if is_compiled():
        return
    console = console or Console(stderr=True, highlight=False)
    text = "Compiling the Match engine{} (once per install, about a minute)..."
    with console.status(text.format("")) as status:
        warm_engines(parse_day(None), progress=lambda part: status.update(text.format(f": {part}")))
    console.print("Match engine compiled and cached: next time it starts in about a second.")
