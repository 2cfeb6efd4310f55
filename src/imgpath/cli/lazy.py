"""Sub-commands imported only when they run, so ``imgpath --help`` and ``imgpath plan --help``
start in a fraction of a second (issue 15: under 0.3 s) instead of loading every engine.

The root's help lists each lazy command with the first paragraph of its help, kept here
(``tests/integration/test_cli_startup.py`` checks it against the real command's).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

__all__ = ["LAZY", "LazyCommand", "LazyGroup"]


@dataclass(frozen=True)
class LazyCommand:
    module: str
    attribute: str
    """A command function, or a Typer app (a group of commands)."""
    summary: str
    """The first paragraph of its help (what the root's command list shows)."""


LAZY: dict[str, LazyCommand] = {
    "match": LazyCommand("imgpath.cli.match", "match_command",
                         "Run the NRMP Match (Roth–Peranson) on INSTANCE and audit the result."),
    "plan": LazyCommand("imgpath.cli.plan", "plan_command",
                        "Where you stand on the way to a US (or UK, Canadian) licence, and what comes next."),
    "rules": LazyCommand("imgpath.cli.rules", "rules_command",
                         "List the rules behind every plan: what each says, since when, how sure, and the source."),
    "costs": LazyCommand("imgpath.cli.costs", "costs_command",
                         "The fees of an application season: ERAS (per program and specialty), the ECFMG token,\n"
                         "the USMLE transcript, NRMP registration and extra ranks; with --exams also USMLE, ECFMG,\n"
                         "Pathway and OET fees. Each line gives its source rule and the date it was last confirmed;\n"
                         "amounts nobody has published are shown as unknown, never guessed."),
    "odds": LazyCommand("imgpath.cli.odds", "odds_command",
                        "Your chance of matching in simulated national Matches: by how many programs you rank (the\n"
                        "\"how many\" curve) and by specialty, each with the range across simulated markets."),
    "serve": LazyCommand("imgpath.cli.serve", "serve_command",
                         "Run the web app (pages and the /api with its docs at /api/docs)."),
    "worker": LazyCommand("imgpath.cli.serve", "worker_command",
                          "Run odds jobs from the queue until stopped (Ctrl+C): for deployments that set\n"
                          "IMGPATH_ODDS_WORKER=external so the server processes only serve pages."),
    "support": LazyCommand("imgpath.cli.support", "support_command",
                           "Support beyond the steps: scholarships and loans, state IMG programs, professional\n"
                           "organisations, observerships and clinical experience, J-1 waiver programs and legal help."),
    "programs": LazyCommand("imgpath.cli.programs", "programs_app",
                            "The program catalog: every NRMP program (2023 Match list), program-level evidence "
                            "(NRMP fill history, DOL H-1B filings, ACGME records, invite reports), reviewed claims "
                            "with their sources, and fit for one applicant. Canada: the CaRMS R-1 streams "
                            "(--country CA)."),
    "market": LazyCommand("imgpath.cli.market", "market_app",
                          "The national Match model: generate a simulated Match, simulate many, calibrate the model."),
    "rol": LazyCommand("imgpath.cli.rank_lists", "rol_app",
                       "Import and export rank order lists as CSV (**rank,id** per line)."),
}  # fmt: skip
ORDER = ("match", "plan", "rules", "costs", "odds", "serve", "worker", "support")
"""Commands first, in this order; then the root's own commands; then the groups (Typer's order)."""
GROUPS = ("programs", "market", "rol")


def load(name: str) -> Any:
    """The real click command of a lazy sub-command (imports its module)."""
    spec = LAZY[name]
    target: Any = getattr(import_module(spec.module), spec.attribute)
    wrapper = typer.Typer(add_completion=False, rich_markup_mode="markdown")  # as the root adds it
    if isinstance(target, typer.Typer):
        wrapper.add_typer(target, name=name)
    else:
        wrapper.command(name)(target)
    wrapper.callback()(_nothing)  # a group, so that the command is one of its commands
    group = typer.main.get_command(wrapper)
    assert isinstance(group, TyperGroup)
    return group.commands[name]


def _nothing() -> None:
    """(The wrapper group's callback.)"""


class LazyGroup(TyperGroup):
    """The root group: lazy commands are listed from :data:`LAZY` and imported when resolved."""

    _listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        own = [name for name in super().list_commands(ctx) if name not in LAZY]
        return [*ORDER, *own, *GROUPS]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        found = super().get_command(ctx, cmd_name)
        if found is not None or cmd_name not in LAZY:
            return found
        if self._listing:  # the root's help needs only the summary
            return TyperCommand(cmd_name, help=LAZY[cmd_name].summary)
        command = load(cmd_name)
        self.add_command(command, cmd_name)
        return command

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False
