"""A small scenario, written on the fly, that every simulation test can run in seconds."""

from __future__ import annotations

from pathlib import Path

import pytest

SMALL = """
name = "small gap"
seed = 7
tick = 60

[path]
source = "gap"
start_price = 2_000
gap = 0.35
at = 1_800
duration = 14_400

[oracle]
interval = 600
delay = 0

[market]
model = "constant_product"
collateral_reserve = 5_000
fee = 0.003
half_life = 1_800

[gas]
gwei = 30

[[keepers.profile]]
name = "keeper"
latency = 60
max_gas_gwei = 1_000

[[bidders.profile]]
name = "bidder"
latency = 60
max_gas_gwei = 1_000
margin = 0.02

[population]
count = 25
total_collateral = 3_000
min_ratio = 1.5
median_ratio = 1.9
ratio_sigma = 0.5

[funding]
insurance = 100_000
pol = 500_000

[params]
dust = 1_000
"""


@pytest.fixture
def small_scenario(tmp_path: Path) -> Path:
    path = tmp_path / "small.toml"
    path.write_text(SMALL)
    return path
