"""Events: the observable record of what an accepted action did.

Traces and conformance vectors compare events field by field, so each event carries
the numbers an outside observer needs to check the step (amounts actually moved,
prices actually used), not internal bookkeeping.
"""

from __future__ import annotations

import enum

import attrs

from model.numbers.units import Ray, Seconds, Shares, Wad


class Buffer(enum.Enum):
    """A rung of the loss waterfall."""

    INSURANCE = "INSURANCE"
    POL = "POL"
    LPS = "LPS"


@attrs.frozen
class LiquiditySupplied:
    lp: str
    amount: Wad
    shares: Shares


@attrs.frozen
class LiquidityWithdrawn:
    lp: str
    amount: Wad
    shares: Shares


@attrs.frozen
class InsuranceFunded:
    funder: str
    amount: Wad


@attrs.frozen
class PolFunded:
    funder: str
    amount: Wad


@attrs.frozen
class PositionOpened:
    position: int
    owner: str


@attrs.frozen
class CollateralDeposited:
    position: int
    amount: Wad


@attrs.frozen
class CollateralWithdrawn:
    position: int
    amount: Wad


@attrs.frozen
class Borrowed:
    position: int
    amount: Wad


@attrs.frozen
class Repaid:
    position: int
    amount: Wad


@attrs.frozen
class OracleUpdated:
    spot: Ray
    reference: Ray
    volatility: Ray


@attrs.frozen
class TimeAdvanced:
    time: Seconds


@attrs.frozen
class DepthReported:
    depth: Wad


@attrs.frozen
class Liquidated:
    """Gen 1: ``repaid`` quote paid by the liquidator, ``seized`` collateral received."""

    position: int
    liquidator: str
    repaid: Wad
    seized: Wad


@attrs.frozen
class Kicked:
    auction: int
    position: int
    keeper: str
    lot: Wad
    debt: Wad
    tab: Wad
    top: Ray
    floor: Ray


@attrs.frozen
class IncentivePaid:
    """``amount`` paid to the keeper; ``unpaid`` is what the buffer could not cover."""

    auction: int
    keeper: str
    amount: Wad
    unpaid: Wad


@attrs.frozen
class Taken:
    auction: int
    bidder: str
    collateral: Wad
    paid: Wad
    price: Ray


@attrs.frozen
class AuctionReset:
    auction: int
    keeper: str
    top: Ray
    floor: Ray


@attrs.frozen
class PolPurchased:
    auction: int
    collateral: Wad
    paid: Wad
    price: Ray


@attrs.frozen
class PolSold:
    collateral: Wad
    proceeds: Wad


@attrs.frozen
class PenaltyCollected:
    """Penalty income of a take: ``to_insurance`` to the fund, ``to_lps`` to LP claims."""

    auction: int
    to_insurance: Wad
    to_lps: Wad


@attrs.frozen
class CollateralReturned:
    auction: int
    position: int
    amount: Wad


@attrs.frozen
class ShortfallCovered:
    """One rung of the waterfall paid ``amount`` of a shortfall (LPS: written off)."""

    position: int
    source: Buffer
    amount: Wad


@attrs.frozen
class AuctionSettled:
    auction: int
    returned: Wad
    shortfall: Wad
    fee_forgone: Wad


@attrs.frozen
class PreLiquidationSet:
    """The position's pre-liquidation terms as now in force; all 0: opted out."""

    position: int
    ratio: Ray
    close_factor_start: Ray
    close_factor_end: Ray
    incentive_start: Ray
    incentive_end: Ray


@attrs.frozen
class PreLiquidated:
    """A keeper repaid ``repaid`` and received ``seized`` collateral, under the close factor
    and incentive factor the terms gave at the position's ratio."""

    position: int
    keeper: str
    repaid: Wad
    seized: Wad
    close_factor: Ray
    incentive: Ray


@attrs.frozen
class ParamsUpdated:
    """The steward's parameters as now set; a higher ``liquidation_ratio`` is fully in force
    from ``phase_end`` on."""

    steward: str
    liquidation_ratio: Ray
    target_ratio: Ray
    warning_margin: Ray
    phase_end: Seconds


Event = (
    LiquiditySupplied
    | LiquidityWithdrawn
    | InsuranceFunded
    | PolFunded
    | PositionOpened
    | CollateralDeposited
    | CollateralWithdrawn
    | Borrowed
    | Repaid
    | OracleUpdated
    | TimeAdvanced
    | DepthReported
    | Liquidated
    | Kicked
    | IncentivePaid
    | Taken
    | AuctionReset
    | PolPurchased
    | PolSold
    | PenaltyCollected
    | CollateralReturned
    | ShortfallCovered
    | AuctionSettled
    | PreLiquidationSet
    | PreLiquidated
    | ParamsUpdated
)
