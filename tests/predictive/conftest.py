"""A small scenario for the predictive tests (the simulation tests' gap), and a tiny model."""

from __future__ import annotations

from pathlib import Path

import pytest

from predictive.early_warning import EarlyWarning
from predictive.features import FEATURES
from simulation.files import load_scenario
from simulation.scenario import Scenario
from tests.simulation.conftest import SMALL


@pytest.fixture
def small(tmp_path: Path) -> Scenario:
    path = tmp_path / "small.toml"
    path.write_text(SMALL)
    return load_scenario(path)


def constant(p: float) -> EarlyWarning:
    """A model that says ``p`` whatever it sees (``p`` in (0, 1))."""
    import math

    n = len(FEATURES)
    return EarlyWarning((0.0,) * n, (1.0,) * n, (0.0,) * n, math.log(p / (1 - p)))
