"""``python -m imgpath``: the same as the ``imgpath`` command."""

from imgpath.cli.main import script

script()
