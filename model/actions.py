"""Actions: everything that can be asked of the engine, one frozen record per kind.

Each kind's guard and effect are in ``spec/actions.md``. Fields marked ``uint()`` are
amounts or times and must be uint256; ``step`` refuses any that is not
(``AMOUNT_OUT_OF_RANGE``, naming the field) before any guard runs.
Actors (``lp``, ``owner``, ``keeper`` ...) are opaque account names, ``str``; ids
(``position``, ``auction``) are ``int``; ``step`` refuses a field of another type
(``INVALID_FIELD``), so ``False`` or ``0.0`` never finds position 0.
"""

from __future__ import annotations

from typing import Any

import attrs

from model.numbers.units import Ray, Seconds, Wad


def uint() -> Any:
    """An action field that must lie in [0, 2**256)."""
    return attrs.field(metadata={"uint256": True})


# --- lending pool -------------------------------------------------------------------


@attrs.frozen
class SupplyLiquidity:
    """An LP deposits quote into the pool and receives shares."""

    lp: str
    amount: Wad = uint()


@attrs.frozen
class WithdrawLiquidity:
    """An LP takes ``amount`` quote out of the pool, burning shares."""

    lp: str
    amount: Wad = uint()


@attrs.frozen
class FundInsurance:
    """Anyone adds quote to the insurance fund."""

    funder: str
    amount: Wad = uint()


@attrs.frozen
class FundPol:
    """Anyone adds quote to the protocol-owned liquidity reserves."""

    funder: str
    amount: Wad = uint()


# --- positions ----------------------------------------------------------------------


@attrs.frozen
class OpenPosition:
    """Open an empty position owned by ``owner``; its id is ``state.next_position``."""

    owner: str


@attrs.frozen
class DepositCollateral:
    """Anyone adds collateral to a position."""

    sender: str
    position: int
    amount: Wad = uint()


@attrs.frozen
class WithdrawCollateral:
    """The owner takes collateral out of a position."""

    owner: str
    position: int
    amount: Wad = uint()


@attrs.frozen
class Borrow:
    """The owner draws quote from the pool against a position."""

    owner: str
    position: int
    amount: Wad = uint()


@attrs.frozen
class Repay:
    """Anyone repays part of a position's debt."""

    payer: str
    position: int
    amount: Wad = uint()


# --- oracle, time, market -----------------------------------------------------------


@attrs.frozen
class ReportOracle:
    """A new spot price (RAY). Updates the reference price and the volatility."""

    spot: Ray = uint()


@attrs.frozen
class AdvanceTime:
    """Time moves forward by ``seconds`` (> 0)."""

    seconds: Seconds = uint()


@attrs.frozen
class ReportDepth:
    """New market depth: collateral the market absorbs per unwind period."""

    depth: Wad = uint()


# --- liquidation --------------------------------------------------------------------


@attrs.frozen
class Liquidate:
    """Gen 1: a liquidator repays up to the close factor and seizes collateral at spot."""

    liquidator: str
    position: int
    repay: Wad = uint()


@attrs.frozen
class Kick:
    """Gen 2 and gen 3: start an auction of (a slice of) an unhealthy position."""

    keeper: str
    position: int


@attrs.frozen
class Take:
    """Buy up to ``amount`` collateral from an auction at its current price, if <= ``max_price``."""

    bidder: str
    auction: int
    amount: Wad = uint()
    max_price: Ray = uint()


@attrs.frozen
class Redo:
    """Reset an auction to a new start price, when its reset condition holds."""

    keeper: str
    auction: int


@attrs.frozen
class EndAuction:
    """Gen 3: once an auction has run its duration, POL buys what it can at the floor."""

    auction: int


@attrs.frozen
class Settle:
    """Close a finished auction: return leftover collateral, or cover the shortfall."""

    auction: int


@attrs.frozen
class PolSell:
    """Gen 3: the protocol sells ``amount`` of POL's collateral on the market for ``proceeds``.

    The swap happens outside the engine (as a keeper contract would do it, atomically);
    the engine bounds its price and its pace (ACT-POL-SELL), so that POL passes on what
    it bought instead of holding the market's risk.
    """

    operator: str
    amount: Wad = uint()
    proceeds: Wad = uint()


# --- predictive de-risking (gen 3) ------------------------------------------------------


@attrs.frozen
class SetPreLiquidation:
    """The owner opts a position in to pre-liquidation under these terms, or out of it with
    every term 0 (``spec/preliquidation.md``)."""

    owner: str
    position: int
    ratio: Ray = uint()
    close_factor_start: Ray = uint()
    close_factor_end: Ray = uint()
    incentive_start: Ray = uint()
    incentive_end: Ray = uint()


@attrs.frozen
class PreLiquidate:
    """A keeper repays ``amount`` of a consenting position's debt inside its pre-liquidation
    band and receives collateral at the reference price times the terms' incentive."""

    keeper: str
    position: int
    amount: Wad = uint()


@attrs.frozen
class UpdateParams:
    """The risk steward sets ``liquidation_ratio``, ``target_ratio`` and ``warning_margin``
    within its bounds (``spec/steward.md``); an unchanged value is left as it is."""

    steward: str
    liquidation_ratio: Ray = uint()
    target_ratio: Ray = uint()
    warning_margin: Ray = uint()


Action = (
    SupplyLiquidity
    | WithdrawLiquidity
    | FundInsurance
    | FundPol
    | OpenPosition
    | DepositCollateral
    | WithdrawCollateral
    | Borrow
    | Repay
    | ReportOracle
    | AdvanceTime
    | ReportDepth
    | Liquidate
    | Kick
    | Take
    | Redo
    | EndAuction
    | Settle
    | PolSell
    | SetPreLiquidation
    | PreLiquidate
    | UpdateParams
)

ACTION_KINDS: tuple[type[Action], ...] = (
    SupplyLiquidity,
    WithdrawLiquidity,
    FundInsurance,
    FundPol,
    OpenPosition,
    DepositCollateral,
    WithdrawCollateral,
    Borrow,
    Repay,
    ReportOracle,
    AdvanceTime,
    ReportDepth,
    Liquidate,
    Kick,
    Take,
    Redo,
    EndAuction,
    Settle,
    PolSell,
    SetPreLiquidation,
    PreLiquidate,
    UpdateParams,
)


def field_kinds(kind: type[Action]) -> tuple[tuple[str, str], ...]:
    """Each field of ``kind`` in order, with what it holds: ``uint`` (an amount or a
    time), ``account`` (a ``str``) or ``id`` (an ``int``)."""
    return tuple(
        (f.name, "uint" if f.metadata.get("uint256") else "account" if f.type == "str" else "id")
        for f in attrs.fields(kind)
    )


FIELD_KINDS: dict[type[Action], tuple[tuple[str, str], ...]] = {
    kind: field_kinds(kind) for kind in ACTION_KINDS
}
"""``field_kinds`` of every kind, computed once (a constant, not state)."""


def uint_fields(kind: type[Action]) -> tuple[str, ...]:
    """Names of the fields of ``kind`` that must be uint256."""
    return tuple(f.name for f in attrs.fields(kind) if f.metadata.get("uint256"))
