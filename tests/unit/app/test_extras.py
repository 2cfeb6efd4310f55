"""Optional parts: the library loads none of them, and a missing one says how to install it."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from imgpath import extras
from imgpath.errors import MissingExtraError

ROOT = Path(__file__).resolve().parents[3]


def test_the_library_and_the_cli_import_no_optional_part() -> None:
    code = (
        "import sys, imgpath.match, imgpath.pathway, imgpath.catalog, imgpath.support, "
        "imgpath.market, imgpath.cli.main\n"
        "from imgpath.extras import EXTRAS\n"
        "print(sorted(m for _, ms in EXTRAS.values() for m in ms if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})  # fmt: skip
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_a_missing_part_names_the_extra_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name: None if name == "matplotlib" else real(name)
    )
    with pytest.raises(MissingExtraError, match=r"pip install 'imgpath\[plots\]'"):
        extras.require_extra("plots")
    extras.require_extra("web")  # installed here


def test_dev_installs_every_extra_and_each_extra_is_declared() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    optional = project["optional-dependencies"]
    assert set(extras.EXTRAS) <= set(optional)
    assert f"imgpath[{','.join(extras.EXTRAS)}]" in optional["dev"]
    required = " ".join(project["dependencies"]).lower()
    for extra in extras.EXTRAS:
        for package in optional[extra]:
            assert package.split(">")[0].split("[")[0].lower() not in required, (extra, package)
