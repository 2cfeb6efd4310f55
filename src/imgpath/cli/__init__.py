"""The ``imgpath`` command line: parse, make one library call, render."""
