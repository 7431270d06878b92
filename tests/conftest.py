"""Shared test configuration.

``@pytest.mark.covers("ID", ...)`` ties a test to the requirement IDs of
``spec/requirements.md`` it checks; ``tests/test_requirement_coverage.py`` fails when
an ID is covered by no test and no proof obligation.
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "covers(*ids): the requirement IDs of spec/requirements.md this test checks"
    )
