"""Run many ``imgpath`` command lines, each in its own process with a memory and time limit.

Starting Python and importing imgpath (numpy, numba, SQLAlchemy) takes about a second; 190 runs
would spend minutes doing only that.  This driver imports imgpath once, warms the Match engine's
JIT once, then forks a child per run.  Each child:

* limits its address space (``RLIMIT_AS``: the parent's size plus ``--memory-mb``) and its CPU
  time (``RLIMIT_CPU``), and gets an alarm after ``--seconds``;
* reads standard input from the case's file (or ``/dev/null``), writes standard output and
  error to files in the case's folder;
* calls :func:`imgpath.cli.main.main` exactly as the console script does, and exits with its code.

The parent waits for each child up to the time limit (then kills it: a hang) and records the
exit status.  Anything printed to standard error that contains ``Traceback`` is a traceback,
whatever the exit code.  Run as ``python -m tests.hostile.cli.runner CASES.json RESULTS.json``.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import sys
import time
from pathlib import Path
from typing import Any

__all__ = ["main"]


def _vm_size() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0  # pragma: no cover - Linux only


def _head(path: Path, size: int = 8000) -> str:
    with path.open("rb") as handle:
        return handle.read(size).decode("utf-8", errors="replace")


def _warm_up() -> None:
    """Compile (or load from the cache) the Match engine once, so that children share it."""
    from imgpath.match import Instance, solve

    doc = {"programs": {"P": {"quota": 1, "rol": ["a"]}}, "applicants": {"a": {"rol": ["P"]}}}
    solve(Instance.from_dict(doc))


def _child(case: dict[str, Any], memory: int, seconds: int) -> None:
    folder = Path(case["folder"])
    os.chdir(folder)
    stdin = os.open(case.get("stdin") or os.devnull, os.O_RDONLY)
    out = os.open(folder / "stdout.txt", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    err = os.open(folder / "stderr.txt", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(stdin, 0)
    os.dup2(out, 1)
    os.dup2(err, 2)
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))
    signal.alarm(seconds)
    for key, value in case.get("env", {}).items():
        os.environ[key] = value
    sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115
    code = 1
    try:
        from imgpath.cli.main import main as cli

        code = cli(list(case["argv"]))
    except BaseException:  # noqa: BLE001 - anything escaping main() is what we look for
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):  # a closed pipe must not hide the code
                stream.flush()
    os._exit(code)


def main(argv: list[str]) -> int:
    cases_path, results_path = Path(argv[0]), Path(argv[1])
    memory_mb = int(argv[2]) if len(argv) > 2 else 2048
    seconds = int(argv[3]) if len(argv) > 3 else 60
    cases: list[dict[str, Any]] = json.loads(cases_path.read_text(encoding="utf-8"))
    import imgpath.cli.main  # noqa: F401 - imported once, shared by every child

    _warm_up()
    memory = _vm_size() + memory_mb * 1024 * 1024
    results: dict[str, Any] = {}
    for case in cases:
        started = time.monotonic()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child never returns
            _child(case, memory, seconds)
        hung = False
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() - started > seconds + 10:
                os.kill(pid, signal.SIGKILL)
                _, status = os.waitpid(pid, 0)
                hung = True
                break
            time.sleep(0.005)
        folder = Path(case["folder"])
        results[case["name"]] = {
            "code": os.waitstatus_to_exitcode(status),
            "hung": hung,
            "seconds": round(time.monotonic() - started, 3),
            "stdout": _head(folder / "stdout.txt"),
            "stderr": _head(folder / "stderr.txt"),
        }
    results_path.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
