"""Optional parts of imgpath, installed as extras, and the hint when one is missing.

The library (the Match engine, the pathway rules, the catalog, odds in one process) needs none
of them; ``pip install 'imgpath[web]'`` adds the web app, ``[dask]`` a Dask cluster for large
simulations, ``[postgres]`` PostgreSQL, ``[plots]`` PNG/SVG plots.  ``make run`` and ``make test``
install every one (``.[dev]``).  Each is imported only where it is used.
"""

from __future__ import annotations

import importlib.util

from imgpath.errors import MissingExtraError

__all__ = ["EXTRAS", "require_extra"]

EXTRAS: dict[str, tuple[str, tuple[str, ...]]] = {
    "web": ("the web app", ("fastapi", "uvicorn", "jinja2", "multipart", "argon2", "itsdangerous",
                            "icalendar", "email_validator")),
    "dask": ("a Dask cluster (--executor dask)", ("dask", "distributed")),
    "postgres": ("a PostgreSQL database", ("psycopg",)),
    "plots": ("plots (PNG or SVG)", ("matplotlib",)),
}  # fmt: skip
"""Extra name -> (what it gives, the modules it installs)."""


def require_extra(extra: str) -> None:
    """Raise :class:`MissingExtraError`, with the command to install it, unless ``extra`` is here."""
    what, modules = EXTRAS[extra]
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        msg = (f"{what} needs the optional part '{extra}' ({', '.join(missing)} missing); "
               f"install it with: pip install 'imgpath[{extra}]'")  # fmt: skip
        raise MissingExtraError(msg)
