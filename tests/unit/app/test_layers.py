"""Every service module is either the library's (listed in the import-linter contract that keeps
it from the app) or the web app's: a new module cannot slip past the seam unclassified."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
APP = {
    "imgpath.services.accounts",
    "imgpath.services.inputs",  # form and email checks (email-validator: imgpath[web])
    "imgpath.services.mail",
    "imgpath.services.workspace",
}


def test_every_service_module_is_library_or_app() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [contract] = [c for c in config["tool"]["importlinter"]["contracts"]
                  if c["name"].startswith("the library services never import")]  # fmt: skip
    library = {m for m in contract["source_modules"] if m.startswith("imgpath.services.")}
    assert set(contract["forbidden_modules"]) == APP
    found = {f"imgpath.services.{p.stem}" for p in (ROOT / "src/imgpath/services").glob("*.py")} | {
        f"imgpath.services.{p.name}" for p in (ROOT / "src/imgpath/services").iterdir()
        if p.is_dir() and (p / "__init__.py").exists()
    }  # fmt: skip
    found.discard("imgpath.services.__init__")
    assert found == library | APP, (found - library - APP, library | APP - found)
    assert not library & APP
