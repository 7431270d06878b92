"""Parameter records: one per concern, frozen, in the units of ``spec/parameters.md``.

A :class:`Config` fixes everything that does not change while the engine runs: the
oracle's smoothing, the dust limit, and the liquidation policy with its parameters.
The policy record's type selects the policy (gen 1, gen 2 or gen 3); all three run
over the same state.
"""

from __future__ import annotations

import attrs

from model.curves import Curve
from model.numbers.fixed_point import Ray, Seconds, Wad


@attrs.frozen
class OracleParams:
    """How the reference price follows spot (all policies compute it; gen 3 uses it)."""

    max_step: Ray
    """Largest relative move of the reference price per ``step_period``, e.g. 0.02 RAY = 2 %."""
    step_period: Seconds
    """Seconds over which the reference may move ``max_step``; a report sooner after the
    last one may move it proportionally less (ORACLE-REFERENCE)."""
    volatility_alpha: Ray
    """Weight of the newest absolute return in the volatility average (EWMA)."""


@attrs.frozen
class Gen1SpotParams:
    """Generation 1: a liquidator repays debt and seizes collateral at spot plus a bonus."""

    liquidation_ratio: Ray
    """Collateral ratio (at spot) below which a position may be liquidated."""
    borrow_ratio: Ray
    """Collateral ratio a position must keep after borrowing or withdrawing."""
    close_factor: Ray
    """Largest share of the debt one liquidation may repay."""
    full_close_ratio: Ray
    """Below this collateral ratio the whole debt may be repaid at once (Aave's HF < 0.95)."""
    bonus: Ray
    """Liquidator's bonus: collateral worth ``repay * (1 + bonus)`` at spot."""


@attrs.frozen
class Gen2DutchParams:
    """Generation 2: MakerDAO Liquidations 2.0 (Dog + Clipper + Abacus), one collateral type."""

    mat: Ray
    """Liquidation ratio: a position is unsafe when ``collateral * spot < debt * mat``."""
    chop: Wad
    """Penalty multiplier on the liquidated debt (``>= WAD``); tab = debt * chop."""
    buf: Ray
    """Start price multiplier: ``top = spot * buf``."""
    tail: Seconds
    """Seconds after which an auction needs a reset."""
    cusp: Ray
    """Fraction of ``top`` below which an auction needs a reset."""
    chip: Wad
    """Keeper incentive proportional to the tab."""
    tip: Wad
    """Keeper incentive, flat, in quote."""
    hole: Wad
    """Cap on the total tab under auction (Maker's ``Hole``/``hole``; one collateral type)."""
    curve: Curve
    """Price curve: LinearDecrease, StairstepExponentialDecrease or ExponentialDecrease."""


@attrs.frozen
class Gen3ZeroLossParams:
    """Generation 3: zones, depth-aligned partial unwinding, floored auctions, POL backstop."""

    liquidation_ratio: Ray
    """Unwinding starts when ``collateral * reference < debt * liquidation_ratio``."""
    target_ratio: Ray
    """Collateral ratio a partial unwind aims to restore."""
    volatility_slope: Ray
    """Warning buffer per unit of volatility (see ``warning_margin``)."""
    volatility_cap: Ray
    """Largest warning buffer."""
    penalty: Ray
    """Liquidation penalty: tab = debt * (1 + penalty)."""
    penalty_to_insurance: Ray
    """Share of collected penalties paid to the insurance fund; the rest goes to LPs."""
    start_premium: Ray
    """Auction start price = reference * start_premium (``>= RAY``)."""
    floor_ratio: Ray
    """Auction floor = reference * floor_ratio (``< RAY``)."""
    decay_duration: Seconds
    """Seconds for the price to fall from start to floor."""
    auction_duration: Seconds
    """Seconds after which protocol-owned liquidity may buy what is left, at the floor."""
    reset_band: Ray
    """A reset is allowed once the reference moved more than this fraction from the anchor."""
    keeper_tip: Wad
    """Flat keeper incentive per kick or reset, in quote."""
    keeper_chip: Ray
    """Keeper incentive proportional to the tab."""
    incentive_cap: Wad
    """Most incentives one liquidation pays out, over its kick and all its resets."""
    depth_fraction: Ray
    """Share of reported market depth that may be put up for auction per unwind period."""
    unwind_period: Seconds
    """Length of the period over which ``depth_fraction`` applies."""
    exposure_cap: Wad
    """Circuit breaker: most tab under auction at once."""
    stale_after: Seconds
    """Circuit breaker: no new kicks once the last oracle report is older than this."""
    max_deviation: Ray
    """Circuit breaker: no new kicks while ``|spot - reference| > max_deviation * reference``."""
    warning_margin: Ray = 0
    """Width of the guarded band at zero volatility: warning = liquidation + margin + buffer."""


PolicyParams = Gen1SpotParams | Gen2DutchParams | Gen3ZeroLossParams


@attrs.frozen
class StewardBounds:
    """Gen 3: the bounds of the risk steward (``spec/steward.md``).

    Without governance, the steward may change ``liquidation_ratio``, ``target_ratio`` and
    ``warning_margin``, each by at most ``max_change`` per update and at most once per
    ``min_delay``."""

    steward: str
    """The one account that may send ``UpdateParams``."""
    max_change: Ray
    """Largest absolute change of one parameter in one update (RAY: 0.04 RAY = 4 points)."""
    min_delay: Seconds
    """Seconds a parameter stays locked after the steward changed it."""
    phase_in: Seconds
    """Seconds over which a higher ``liquidation_ratio`` comes into force."""


@attrs.frozen
class Config:
    """Everything fixed for a run: oracle smoothing, dust limit, and the policy."""

    oracle: OracleParams
    dust: Wad
    """Smallest non-zero debt a position may carry; also the smallest partial auction."""
    policy: PolicyParams
    steward: StewardBounds | None = None
    """Gen 3: the risk steward's bounds; ``None``: no steward, ``UpdateParams`` is refused."""
