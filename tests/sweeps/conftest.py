"""A small sweep over the shipped Black Thursday day: seconds, not minutes."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
SERIES = ROOT / "scenarios" / "data" / "blackthursday2020_ETHUSD-coinapi_10min.csv"

SMALL_SWEEP = f"""
name = "small sweep"
scenarios = ["blackthursday2020-10min"]
seeds = 4

[override]
tick = 600
population.count = 12
population.total_collateral = 2_400
funding.insurance = 20_000

[path]
source = "bootstrap"
file = "{SERIES}"
block = 6

[grid]
params.gen3.liquidation_ratio = [1.25, 1.3]

[draw]
funding.pol = {{ uniform = [50_000, 150_000] }}
"""


@pytest.fixture
def small_sweep(tmp_path: Path) -> Path:
    path = tmp_path / "small.toml"
    path.write_text(SMALL_SWEEP)
    return path
