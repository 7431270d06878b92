"""What a run is judged by: the figures of the comparison table, and the series to plot.

All amounts are floats in whole units (quote, or collateral where named). Definitions,
the same for every policy:

- ``total_loss``: the protocol's total economic loss (LOSS-TOTAL, ``model.loss``), at the
  path's final price: LP loss + insurance and POL reserves paid for shortfalls + what
  POL paid for collateral minus its value at the end (when positive) + the open
  shortfall at the end. ``liquidation_loss`` is the same without the market's move on
  POL's inventory after purchase (POL's premium at purchase stays in):
  the quantity ZERO-LOSS-TOTAL proves zero inside the envelope.
- ``pol_market_loss``: what POL paid for its collateral minus that collateral's value at
  the end, when positive; ``pol_premium_market`` the part paid above the market price
  at the moment of purchase, ``pol_premium_mark`` above the engine's mark (the lower
  of spot and the reference; gen 3 never pays above it, GEN3-POL-FAIR-PRICE).
- ``inside_envelope``, ``first_breach``, ``envelope``: gen 3 only: whether every named
  assumption of the zero-loss theorem held along the run, the first that broke, and
  per assumption when and by how much (``simulation.monitor``).

- ``shortfall``: debt that liquidation did not recover, whoever covered it;
  ``lp_loss`` is the part written off LPs (the engine's ``ledger.bad_debt``), and
  ``insurance_shortfall`` / ``pol_shortfall`` the parts the buffers paid.
- ``underwater_at_end``: debt still on the books at the end that the collateral
  behind it does not cover at the final market price: losses not yet recognised.
- ``pol_collateral``, ``pol_cost``, ``pol_proceeds``, ``pol_mark_to_market``: what POL
  still holds at the end, what it paid at auction floors, what its sales raised, and its
  trading result: proceeds plus what it holds at the final market price, minus cost.
- ``bidder_discount``: what buyers (gen 1 liquidators included) received in collateral,
  valued at the market price just before their resale, minus what they paid: the
  value that left the system through liquidation. ``bidder_profit`` is after the
  resale's price impact and gas.
- ``max_sale_impact``: the largest price drop caused by one resale;
  ``max_displacement``: the furthest liquidation sales pushed the market below the path.
- ``liquidations``: gen 1 liquidation calls, or gen 2 / gen 3 kicks;
  ``positions_liquidated``: distinct positions touched; ``resets``: redos.
- ``time_to_recover``: seconds from the first liquidation until no position is below
  the policy's trigger and no auction is live; ``None`` if that never happens.
- ``liquidated_would_recover``: liquidated positions that, left alone, would not be
  liquidatable under the same policy's trigger at the path's final price.
- ``below_trigger_at_end``: positions still below the trigger when the path ends.
- ``refused_kicks``: keepers' kicks the engine refused, by code; after a refusal for a
  system-wide cap (depth, exposure) no other kick is tried in the same tick.
"""

from __future__ import annotations

from typing import Any

import attrs


@attrs.define
class Metrics:
    policy: str
    shortfall: float = 0.0
    lp_loss: float = 0.0
    insurance_shortfall: float = 0.0
    pol_shortfall: float = 0.0
    underwater_at_end: float = 0.0
    insurance_start: float = 0.0
    insurance_end: float = 0.0
    penalty_to_insurance: float = 0.0
    penalty_to_lps: float = 0.0
    keeper_incentives: float = 0.0
    keeper_gas: float = 0.0
    pol_collateral: float = 0.0
    pol_cost: float = 0.0
    pol_proceeds: float = 0.0
    pol_value: float = 0.0
    pol_mark_to_market: float = 0.0
    bidder_discount: float = 0.0
    bidder_profit: float = 0.0
    collateral_sold: float = 0.0
    max_sale_impact: float = 0.0
    max_displacement: float = 0.0
    liquidations: int = 0
    positions_liquidated: int = 0
    resets: int = 0
    time_to_recover: int | None = None
    liquidated_would_recover: int = 0
    below_trigger_at_end: int = 0
    collateral_returned: float = 0.0
    refused_kicks: dict[str, int] = attrs.Factory(dict)
    """Keeper kicks the engine refused, by refusal code (circuit breakers, depth, ...)."""
    total_loss: float = 0.0
    liquidation_loss: float = 0.0
    pol_market_loss: float = 0.0
    pol_premium_market: float = 0.0
    pol_premium_mark: float = 0.0
    inside_envelope: str = "no theorem"
    first_breach: str = "-"
    envelope: dict[str, Any] = attrs.Factory(dict)

    def as_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.define
class Series:
    """Samples for the plot: one row per tick (thinned for long runs) and event points."""

    times: list[int] = attrs.Factory(list)
    path_price: list[float] = attrs.Factory(list)
    market_price: list[float] = attrs.Factory(list)
    oracle_spot: list[float] = attrs.Factory(list)
    reference: list[float] = attrs.Factory(list)
    shortfall: list[float] = attrs.Factory(list)
    lp_loss: list[float] = attrs.Factory(list)
    total_loss: list[float] = attrs.Factory(list)
    """Total economic loss at each sample, open shortfall and POL valued at the path price."""
    pol_loss: list[float] = attrs.Factory(list)
    """POL's part of it: shortfalls it covered and its purchases marked to the path price."""
    first_breach: int | None = None
    """Gen 3: when the run first left the theorem's envelope."""
    sales: list[tuple[int, float]] = attrs.Factory(list)
    """(time, collateral) of every liquidation sale or POL purchase."""
    auction_prices: list[tuple[int, float, float]] = attrs.Factory(list)
    """(time, price, floor) of every take and POL purchase; floor 0 for gen 2."""

    def as_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen
class RunResult:
    policy: str
    metrics: Metrics
    series: Series
    seconds: float
    """Wall-clock time the run took."""


def money(value: float) -> str:
    return f"{value:,.0f}"


def hours(seconds: int | None) -> str:
    return "not recovered" if seconds is None else f"{seconds / 3600:.1f} h"


ROWS: tuple[tuple[str, str], ...] = (
    ("total_loss", "total economic loss (at end price)"),
    ("lp_loss", "  LP loss (written off)"),
    ("insurance_shortfall", "  insurance, paid for shortfalls"),
    ("pol_shortfall", "  POL reserves, paid for shortfalls"),
    ("pol_market_loss", "  POL purchases, paid minus value"),
    ("underwater_at_end", "  open shortfall at end"),
    ("liquidation_loss", "liquidation loss (no POL market move)"),
    ("pol_premium_market", "POL paid above market at purchase"),
    ("inside_envelope", "inside the theorem's assumptions"),
    ("first_breach", "first assumption broken"),
    ("shortfall", "shortfalls settled (all payers)"),
    ("keeper_incentives", "keeper incentives (from insurance)"),
    ("penalty_to_insurance", "penalties into insurance"),
    ("pol_cost", "POL bought at auction floors (paid)"),
    ("pol_proceeds", "POL sold into the market (proceeds)"),
    ("pol_collateral", "POL inventory at end (collateral)"),
    ("pol_mark_to_market", "POL trading result at end"),
    ("bidder_discount", "liquidator/bidder extraction"),
    ("bidder_profit", "  after impact and gas"),
    ("keeper_gas", "keeper gas spent"),
    ("collateral_sold", "collateral sold into market"),
    ("max_sale_impact", "largest impact of one sale"),
    ("max_displacement", "largest market depression"),
    ("liquidations", "liquidations (calls or kicks)"),
    ("positions_liquidated", "positions liquidated"),
    ("resets", "auction resets"),
    ("time_to_recover", "time to recover"),
    ("liquidated_would_recover", "liquidated but would recover"),
    ("below_trigger_at_end", "positions below trigger at end"),
)


def cell(metrics: Metrics, key: str) -> str:
    value = getattr(metrics, key)
    if key == "time_to_recover":
        return hours(value)
    if key in ("max_sale_impact", "max_displacement"):
        return f"{value * 100:.1f} %"
    if key in ("pol_collateral", "collateral_sold"):
        return f"{value:,.1f}"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    return money(value)
