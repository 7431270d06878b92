"""Shared test configuration.

``@pytest.mark.covers("ID", ...)`` ties a test to the requirement IDs of
``spec/requirements.md`` it checks; ``tests/test_requirement_coverage.py`` fails when
an ID is covered by no test and no proof obligation.

Hypothesis settings profiles, chosen with ``HYPOTHESIS_PROFILE`` (default ``ci``):

- ``ci``: deterministic (``derandomize=True``, no example database), so ``make test``
  gives the same answer on every run and every machine;
- ``dev``: random and quick, with the example database, for working on a test;
- ``deep``: random and long, for the nightly ``make deep``.

A profile sets how Hypothesis runs; how much the stateful machines explore under each
profile is ``tests/stateful/budget.py``.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

PROFILE_VARIABLE = "HYPOTHESIS_PROFILE"
PROFILES = ("ci", "dev", "deep")

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "dev",
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "deep",
    max_examples=1_000,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get(PROFILE_VARIABLE, "ci"))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "covers(*ids): the requirement IDs of spec/requirements.md this test checks"
    )


def pytest_report_header(config: pytest.Config) -> str:
    return f"hypothesis profile: {settings.get_current_profile_name()}"
