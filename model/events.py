"""Events: the observable record of what an accepted action did.

Traces and conformance vectors compare events field by field, so each event carries
the numbers an outside observer needs to check the step (amounts actually moved,
prices actually used), not internal bookkeeping.
"""

from __future__ import annotations

import enum

import attrs


class Buffer(enum.Enum):
    """A rung of the loss waterfall."""

    INSURANCE = "INSURANCE"
    POL = "POL"
    LPS = "LPS"


@attrs.frozen
class LiquiditySupplied:
    lp: str
    amount: int
    shares: int


@attrs.frozen
class LiquidityWithdrawn:
    lp: str
    amount: int
    shares: int


@attrs.frozen
class InsuranceFunded:
    funder: str
    amount: int


@attrs.frozen
class PolFunded:
    funder: str
    amount: int


@attrs.frozen
class PositionOpened:
    position: int
    owner: str


@attrs.frozen
class CollateralDeposited:
    position: int
    amount: int


@attrs.frozen
class CollateralWithdrawn:
    position: int
    amount: int


@attrs.frozen
class Borrowed:
    position: int
    amount: int


@attrs.frozen
class Repaid:
    position: int
    amount: int


@attrs.frozen
class OracleUpdated:
    spot: int
    reference: int
    volatility: int


@attrs.frozen
class TimeAdvanced:
    time: int


@attrs.frozen
class DepthReported:
    depth: int


@attrs.frozen
class Liquidated:
    """Gen 1: ``repaid`` quote paid by the liquidator, ``seized`` collateral received."""

    position: int
    liquidator: str
    repaid: int
    seized: int


@attrs.frozen
class Kicked:
    auction: int
    position: int
    keeper: str
    lot: int
    debt: int
    tab: int
    top: int
    floor: int


@attrs.frozen
class IncentivePaid:
    """``amount`` paid to the keeper; ``unpaid`` is what the buffer could not cover."""

    auction: int
    keeper: str
    amount: int
    unpaid: int


@attrs.frozen
class Taken:
    auction: int
    bidder: str
    collateral: int
    paid: int
    price: int


@attrs.frozen
class AuctionReset:
    auction: int
    keeper: str
    top: int
    floor: int


@attrs.frozen
class PolPurchased:
    auction: int
    collateral: int
    paid: int
    price: int


@attrs.frozen
class PolSold:
    collateral: int
    proceeds: int


@attrs.frozen
class PenaltyCollected:
    """Penalty income of a take: ``to_insurance`` to the fund, ``to_lps`` to LP claims."""

    auction: int
    to_insurance: int
    to_lps: int


@attrs.frozen
class CollateralReturned:
    auction: int
    position: int
    amount: int


@attrs.frozen
class ShortfallCovered:
    """One rung of the waterfall paid ``amount`` of a shortfall (LPS: written off)."""

    position: int
    source: Buffer
    amount: int


@attrs.frozen
class AuctionSettled:
    auction: int
    returned: int
    shortfall: int
    fee_forgone: int


@attrs.frozen
class PreLiquidationSet:
    """The position's pre-liquidation terms as now in force; all 0: opted out."""

    position: int
    ratio: int
    close_factor_start: int
    close_factor_end: int
    incentive_start: int
    incentive_end: int


@attrs.frozen
class PreLiquidated:
    """A keeper repaid ``repaid`` and received ``seized`` collateral, under the close factor
    and incentive factor the terms gave at the position's ratio."""

    position: int
    keeper: str
    repaid: int
    seized: int
    close_factor: int
    incentive: int


@attrs.frozen
class ParamsUpdated:
    """The steward's parameters as now set; a higher ``liquidation_ratio`` is fully in force
    from ``phase_end`` on."""

    steward: str
    liquidation_ratio: int
    target_ratio: int
    warning_margin: int
    phase_end: int


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
