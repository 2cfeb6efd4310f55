"""Shared test configuration: Hypothesis profiles.

``ci`` (the default) derandomizes so that a failure is reproducible from a clean clone; set
``HYPOTHESIS_PROFILE=dev`` to explore new random inputs locally.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    max_examples=200,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("dev", deadline=None, max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
