"""The web app and its services stay in small modules of small functions (issue 14): no module
over 500 lines, no function over 80, in ``imgpath.web`` and the app's services.  A module that
grows past the limit is split by what it does (see docs/explanation/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[3] / "src" / "imgpath"
MOST_LINES = 500
MOST_FUNCTION_LINES = 80


def app_modules() -> list[Path]:
    """Every module of the web app and of the app's services (the import-linter contract's
    forbidden list, less ``inputs``), and the claims desk the web calls."""
    services = SRC / "services"
    found = [*(SRC / "web").rglob("*.py"), *(services / "workspace").rglob("*.py"),
             *(services / "accounts").rglob("*.py"),
             *(services / f"{name}.py" for name in ("claim_desk", "outcome_desk", "mail"))]  # fmt: skip
    return sorted(found)


def long_functions(source: str) -> list[tuple[str, int]]:
    """Each function (method, nested function) over the limit, with its length in lines (from
    its first decorator to its last line)."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            length = (node.end_lineno or node.lineno) - first + 1
            if length > MOST_FUNCTION_LINES:
                out.append((node.name, length))
    return out


def test_the_scope_is_found() -> None:
    modules = app_modules()
    assert all(p.exists() for p in modules)
    names = {p.relative_to(SRC).as_posix() for p in modules}
    assert {"web/app.py", "services/accounts/__init__.py", "services/workspace/season.py",
            "services/mail.py", "services/claim_desk.py"} <= names  # fmt: skip
    assert len(modules) > 40


def test_no_app_module_is_over_500_lines() -> None:
    sizes = {p.relative_to(SRC).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
             for p in app_modules()}  # fmt: skip
    assert {name: n for name, n in sizes.items() if n > MOST_LINES} == {}


def test_no_app_function_is_over_80_lines() -> None:
    found = {p.relative_to(SRC).as_posix(): long_functions(p.read_text(encoding="utf-8"))
             for p in app_modules()}  # fmt: skip
    assert {name: fs for name, fs in found.items() if fs} == {}


def test_the_checks_can_fail() -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(MOST_FUNCTION_LINES))
    assert long_functions(f"@decorator\ndef long():\n{body}\n") == [("long", 82)]
    assert long_functions(f"def fits():\n{body[: body.rindex(chr(10))]}\n") == []
