"""The CLI hostile-file corpus: 0 tracebacks, 0 hangs, the right exit code and message shape.

Each case of :mod:`tests.hostile.cli.corpus` runs in its own forked process limited to 2 GB of
address space beyond the interpreter's and 60 s (:mod:`tests.hostile.cli.runner`); all of them
run once per session in one driver process, then each case is one test here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.hostile.cli.corpus import SPARSE, Case, cases

ROOT = Path(__file__).resolve().parents[3]
CASES = cases()
MEMORY_MB = 2048
SECONDS = 60

pytestmark = pytest.mark.xdist_group("hostile-cli")


def test_the_corpus_is_large_and_covers_every_command() -> None:
    assert len(CASES) >= 150
    commands = {c.argv[0] if c.argv[0] != "programs" else " ".join(c.argv[:3]) for c in CASES}
    assert {"match", "plan", "rol", "programs claims import"} <= commands
    assert any("--batch" in c.argv for c in CASES)
    assert sum(c.code == 0 for c in CASES) >= 10  # valid inputs must still be accepted


def _write(folder: Path, case: Case) -> None:
    folder.mkdir(parents=True)
    for name, content in case.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if content == SPARSE:
            with path.open("wb") as handle:
                handle.truncate(600 * 1024 * 1024)
        else:
            path.write_bytes(content)


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory, built_sqlite: Path) -> dict[str, Any]:
    """Run the whole corpus once; returns each case's exit code, output and folder."""
    base = tmp_path_factory.mktemp("hostile-cli")
    database = base / "catalog.sqlite3"
    shutil.copy(built_sqlite, database)
    db = f"sqlite:///{database}"
    runs = []
    for number, case in enumerate(CASES):
        folder = base / f"{number:03d}"
        _write(folder, case)
        run = case.to_json(folder)
        run["argv"] = [a.replace("{db}", db) for a in run["argv"]]
        runs.append(run)
    (base / "cases.json").write_text(json.dumps(runs), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "COLUMNS": "200"}
    env.pop("IMGPATH_TRACEBACK", None)
    subprocess.run(
        [sys.executable, "-m", "tests.hostile.cli.runner", str(base / "cases.json"),
         str(base / "results.json"), str(MEMORY_MB), str(SECONDS)],
        cwd=ROOT, env=env, check=True, timeout=1800,
    )  # fmt: skip
    out: dict[str, Any] = json.loads((base / "results.json").read_text(encoding="utf-8"))
    for number, case in enumerate(CASES):
        out[case.name]["folder"] = str(base / f"{number:03d}")
    return out


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input(case: Case, results: dict[str, Any]) -> None:
    result = results[case.name]
    err, out = result["stderr"], result["stdout"]
    assert not result["hung"], f"hung (killed after {SECONDS} s)"
    assert "Traceback" not in err, err
    assert "internal error" not in err, err
    assert result["code"] == case.code, f"exit {result['code']}; stderr: {err[:2000]}"
    folder = Path(result["folder"])
    for name in case.unchanged:
        assert (folder / name).read_bytes() == case.files[name], f"{name} was changed"
    for name in case.absent:
        assert not (folder / name).exists(), f"{name} exists: something was executed"
    if case.code == 0:
        return
    source = case.source or _first_file(case)
    value = r"( .+?)?" if source.startswith("-") or source == "FILE" else ""  # "--db URL: ..."
    shape = rf"(?m)^error: {re.escape(source)}{value}(, line \d+(, column \d+)?)?: \S"
    assert re.search(shape, err), f"message does not start with 'error: {source}': {err[:2000]}"
    assert len(err) < 20_000 or case.kind in {"claims-csv", "batch"}, "message is too long"
    assert re.search(case.where, out + err), f"{case.where!r} not named in: {err[:2000]}"
    assert re.search(case.words, out + err, re.IGNORECASE), f"{case.words!r} not in: {err[:2000]}"


def _first_file(case: Case) -> str:
    for name in case.argv:
        if name in case.files or name.startswith("/"):
            return name
    msg = f"{case.name}: say which file the message names (source=...)"
    raise AssertionError(msg)
