"""The support directory: who helps IMGs, for whom, at what cost, as read when (pure)."""
