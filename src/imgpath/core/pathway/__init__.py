"""The pathway engine: where an IMG stands on a given day, from cited, date-aware rules."""
