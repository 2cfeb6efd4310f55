"""Use cases: read inputs, call the pure core, write outputs.  The only layer below the entry points."""
