"""Regenerate the reference pages that are derived from code and data: ``make docs``.

``docs/reference/cli.md`` is every command's ``--help``; ``instance.schema.json`` and
``profile.schema.json`` are the input formats' JSON Schemas; ``pathway-rules.md`` is every rule
with its sources; ``market-model.md`` is the market model with every figure's source; ``settings.md`` is every
``IMGPATH_*`` variable.  ``tests/integration/test_docs.py`` fails when any of them is stale.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

COMMANDS = [
    [],
    ["plan"],
    ["rules"],
    ["programs"],
    ["programs", "search"],
    ["programs", "show"],
    ["programs", "claims"],
    ["programs", "claims", "import"],
    ["programs", "claims", "export"],
    ["programs", "claims", "fields"],
    ["costs"],
    ["match"],
    ["market"],
    ["market", "generate"],
    ["market", "simulate"],
    ["market", "calibrate"],
    ["market", "backtest"],
    ["odds"],
    ["serve"],
    ["worker"],
    ["rol"],
    ["rol", "export"],
    ["rol", "import"],
    ["schema"],
    ["demo"],
    ["support"],
]


def help_text(argv: list[str]) -> str:
    from imgpath.cli.main import main

    os.environ.update({"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        main([*argv, "--help"])
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()).strip("\n")


def cli_reference() -> str:
    parts = [
        "# Reference: the `imgpath` command line",
        "",
        "Generated from `--help` by `scripts/gen_docs.py` (`make docs`); a test keeps it current.",
        "Exit codes: 0 success; 2 bad input or usage (the message names the record and field);",
        "70 an engine bug (please report it); 1 anything else, such as a file that cannot be written.",
    ]
    for argv in COMMANDS:
        title = " ".join(["imgpath", *argv])
        parts += ["", f"## {title}", "", "```text", help_text(argv), "```"]
    return "\n".join(parts) + "\n"


def schema_text() -> str:
    from imgpath.match import instance_json_schema

    return json.dumps(instance_json_schema(), indent=2) + "\n"


def profile_schema_text() -> str:
    from imgpath.pathway import profile_json_schema

    return json.dumps(profile_json_schema(), indent=2) + "\n"


def rules_reference() -> str:
    """Every rule with its sources, and first the table of how each is used and tested."""
    from imgpath.pathway import load_rulebook, rulebook_markdown
    from imgpath.services.pathway import uses

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from tests.unit.pathway.test_rule_cases import coverage

    return rulebook_markdown(load_rulebook(), uses(), coverage())


def market_reference() -> str:
    from imgpath.market import model_markdown

    return model_markdown()


def support_reference() -> str:
    """``support.md``: the support directory, every entry with its source, grade and review day."""
    from imgpath.support import directory_markdown, load_directory

    return directory_markdown(load_directory())


def settings_reference() -> str:
    """``settings.md``: every IMGPATH_* variable, its default and meaning (src/imgpath/settings.py)."""
    from imgpath.settings import settings_markdown

    return settings_markdown()


TARGETS = {
    ROOT / "docs" / "reference" / "cli.md": cli_reference,
    ROOT / "docs" / "reference" / "instance.schema.json": schema_text,
    ROOT / "docs" / "reference" / "profile.schema.json": profile_schema_text,
    ROOT / "docs" / "reference" / "pathway-rules.md": rules_reference,
    ROOT / "docs" / "reference" / "market-model.md": market_reference,
    ROOT / "docs" / "reference" / "support.md": support_reference,
    ROOT / "docs" / "reference" / "settings.md": settings_reference,
}


def main() -> int:
    for path, make in TARGETS.items():
        path.write_text(make(), encoding="utf-8")
        sys.stdout.write(f"wrote {path.relative_to(ROOT)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
