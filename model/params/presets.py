"""Reference parameter sets, with where each value comes from.

Gen 1 follows Aave v3 (liquidation threshold 82.5 %, 5 % bonus, 50 % close factor,
whole position below health factor 0.95). Gen 2 follows MakerDAO's ETH-A Liquidations
2.0 parameters (poll of 2021-04-26: stair-step 0.99 every 90 s, buf 1.3, cusp 0.4,
tail 8,400 s, chip 0.1 %, tip 0; mat 145 %, chop 13 %). Gen 3's values are ours,
chosen to satisfy the zero-loss safety inequality of ``spec/theorems.md`` for a 2 %
oracle step. ``spec/parameters.md`` explains each.
"""

from __future__ import annotations

from model.curves import StairstepExponentialDecrease
from model.numbers.fixed_point import RAY, WAD
from model.params.records import (
    Config,
    Gen1SpotParams,
    Gen2DutchParams,
    Gen3ZeroLossParams,
    OracleParams,
    PolicyParams,
    StewardBounds,
)


def percent(value: str) -> int:
    """A percentage written as a decimal string, as a RAY fraction: ``percent("82.5")`` is
    ``0.825 * RAY``. Exact for up to 25 decimal places."""
    whole, _, frac = value.partition(".")
    scale: int = 100 * 10 ** len(frac)
    return int(whole + frac) * RAY // scale


DUST = 1_000 * WAD
ORACLE = OracleParams(max_step=percent("2"), step_period=600, volatility_alpha=percent("10"))

GEN1_AAVE_V3 = Gen1SpotParams(
    liquidation_ratio=RAY * 1000 // 825,  # 1 / 0.825
    borrow_ratio=RAY * 100 // 80,  # 1 / 0.80 (LTV 80 %)
    close_factor=percent("50"),
    full_close_ratio=RAY * 1000 // 825 * 95 // 100,  # health factor 0.95
    bonus=percent("5"),
)

GEN2_MAKER_ETH_A = Gen2DutchParams(
    mat=percent("145"),
    chop=WAD * 113 // 100,
    buf=percent("130"),
    tail=8_400,
    cusp=percent("40"),
    chip=WAD // 1000,
    tip=0,
    hole=22_000_000 * WAD,
    curve=StairstepExponentialDecrease(step=90, cut=percent("99")),
)

GEN3_ZERO_LOSS = Gen3ZeroLossParams(
    liquidation_ratio=percent("125"),
    target_ratio=percent("145"),
    volatility_slope=2 * RAY,
    volatility_cap=percent("25"),
    warning_margin=percent("10"),
    penalty=percent("5"),
    penalty_to_insurance=percent("50"),
    start_premium=percent("105"),
    floor_ratio=percent("90"),
    decay_duration=1_200,
    auction_duration=1_800,
    reset_band=percent("10"),
    keeper_tip=0,
    keeper_chip=percent("0.1"),
    incentive_cap=500 * WAD,
    depth_fraction=percent("50"),
    unwind_period=600,
    exposure_cap=22_000_000 * WAD,
    stale_after=3_600,
    max_deviation=percent("25"),
)


STEWARD = StewardBounds(
    steward="risk-steward", max_change=percent("5"), min_delay=3_600, phase_in=3_600
)
"""Ours, in the shape of Aave's Risk Stewards (a bounded change per parameter, a delay
between changes): at most 5 points of a ratio per update, one update per parameter per
hour, a higher ``liquidation_ratio`` phased in over an hour. Not part of ``PRESETS``:
a configuration has a steward only when it says so."""


def config(policy: PolicyParams) -> Config:
    """A configuration with the shared oracle and dust settings and ``policy``."""
    return Config(oracle=ORACLE, dust=DUST, policy=policy)


PRESETS: dict[str, Config] = {
    "gen1": config(GEN1_AAVE_V3),
    "gen2": config(GEN2_MAKER_ETH_A),
    "gen3": config(GEN3_ZERO_LOSS),
}
