"""Writing a command's output: to standard output, or to a file that is replaced whole or not at all.

``imgpath rol import market.json P1 p1.csv -o market.json`` rewrites the file it read.  Writing it
in place would leave a cut-short instance behind if the disk filled or the command was stopped
half-way; :func:`write_output` writes a temporary file beside the target and renames it over the
target only once everything is written (an atomic rename on POSIX and Windows), so the old
file survives any failure.  A file that cannot be written is the user's to fix: exit 2, with
the path and the reason.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import NoReturn

from imgpath.errors import InvalidInputError

__all__ = ["write_output"]


def write_output(text: str, output: Path | None, *, option: str = "--output") -> None:
    """Write ``text`` to ``output`` (replaced atomically), or to standard output when None.

    Raises :class:`~imgpath.errors.InvalidInputError` naming the path when it cannot be written
    (a folder, a missing folder, no permission, a full disk).
    """
    if output is None:
        sys.stdout.write(text)
        return
    data = text.encode("utf-8")
    try:
        target = output.resolve() if output.is_symlink() else output
        info = target.stat() if target.exists() else None
        if info is not None and stat.S_ISDIR(info.st_mode):
            _fail(option, output, "is a folder; give a file name")
        if info is not None and not stat.S_ISREG(info.st_mode):  # /dev/null, a pipe: write as is
            with target.open("wb") as handle:
                handle.write(data)
            return
        _replace(target, data, None if info is None else stat.S_IMODE(info.st_mode))
    except InvalidInputError:
        raise
    except FileNotFoundError:
        if output.parent.is_dir():
            _fail(option, output, "cannot be written in that folder; choose another place")
        _fail(option, output, f"the folder {output.parent} does not exist; create it first")
    except PermissionError:
        _fail(option, output, "permission denied; choose a file you may write")
    except OSError as exc:  # a full disk, a read-only file system, too long a name
        _fail(option, output, f"cannot be written: {exc.strerror or exc}")


def _replace(target: Path, data: bytes, mode: int | None) -> None:
    if mode is None:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)  # noqa: PTH101 - one call on a path string
        os.replace(temporary, target)  # noqa: PTH105 - the atomic rename is the point
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)  # noqa: PTH108
        raise


def _fail(option: str, output: Path, reason: str) -> NoReturn:
    msg = f"{option} {output}: {reason}"
    raise InvalidInputError(msg)
