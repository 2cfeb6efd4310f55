"""The CLI starts fast because sub-commands load when they run (``imgpath.cli.lazy``): the
root's help lists each with its real summary, and help never loads an engine.  Times are
measured by ``make bench`` (benchmarks/cli_startup.py), not asserted here."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest

from imgpath.cli.lazy import LAZY, load

HEAVY = (
    "numba",
    "numpy",
    "sqlalchemy",
    "imgpath.pathway",
    "imgpath.catalog",
    "imgpath.match",
    "fastapi",
)


@pytest.mark.parametrize("name", sorted(LAZY))
def test_the_root_help_shows_each_commands_own_summary(name: str) -> None:
    command = load(name)
    first = inspect.cleandoc(command.help or "").split("\n\n")[0]
    assert " ".join(LAZY[name].summary.split()) == " ".join(first.split())


@pytest.mark.parametrize("argv", [["--help"], ["plan", "--help"], ["--version"]])
def test_help_loads_no_engine(argv: list[str]) -> None:
    probe = (
        "import sys, contextlib, io\n"
        "from imgpath.cli.main import main\n"
        f"with contextlib.redirect_stdout(io.StringIO()): code = main({argv!r})\n"
        f"print(code, sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "0 []", done.stdout + done.stderr


def test_a_lazy_command_still_runs_and_reports_bad_input() -> None:
    from imgpath.cli.main import main

    assert main(["plan", "--on", "not-a-day", "x.yaml"]) == 2
