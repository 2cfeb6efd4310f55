"""imgpath: open software for international medical graduates (IMGs).

The library API lives in topic modules; ``imgpath.match`` is the Match engine.
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
