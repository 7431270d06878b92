"""Refusals: the typed reasons an action may be turned down.

Every guard in the model answers "may this happen?" with either ``None`` or a
:class:`Refusal` naming the rule that failed. The codes are the error names of
``spec/actions.md``; traces and conformance vectors compare them by name, so a
code, once published, is never renamed.

Arithmetic that would leave the uint256 range is refused too. Such faults are
raised deep inside the fixed-point kernels as :class:`EngineFault` and turned into
a :class:`Refusal` by ``model.engine.step``, the only place that catches them: no
exception ever escapes ``step``.
"""

from __future__ import annotations

import enum
from typing import TypeVar

import attrs


class RefusalCode(enum.Enum):
    """Why an action was refused. The value is the stable error name."""

    # input
    AMOUNT_OUT_OF_RANGE = "AMOUNT_OUT_OF_RANGE"
    INVALID_FIELD = "INVALID_FIELD"
    ZERO_AMOUNT = "ZERO_AMOUNT"
    UNKNOWN_POSITION = "UNKNOWN_POSITION"
    UNKNOWN_AUCTION = "UNKNOWN_AUCTION"
    NOT_OWNER = "NOT_OWNER"
    UNSUPPORTED_ACTION = "UNSUPPORTED_ACTION"
    # arithmetic
    OVERFLOW = "OVERFLOW"
    UNDERFLOW = "UNDERFLOW"
    DIVISION_BY_ZERO = "DIVISION_BY_ZERO"
    # lending pool
    INSUFFICIENT_LIQUIDITY = "INSUFFICIENT_LIQUIDITY"
    INSUFFICIENT_SHARES = "INSUFFICIENT_SHARES"
    ZERO_SHARES = "ZERO_SHARES"
    POOL_INSOLVENT = "POOL_INSOLVENT"
    WITHDRAWALS_FROZEN = "WITHDRAWALS_FROZEN"
    # positions
    INSUFFICIENT_COLLATERAL = "INSUFFICIENT_COLLATERAL"
    REPAY_EXCEEDS_DEBT = "REPAY_EXCEEDS_DEBT"
    DUST = "DUST"
    UNDERCOLLATERALIZED = "UNDERCOLLATERALIZED"
    # oracle and circuit breakers
    INVALID_PRICE = "INVALID_PRICE"
    ORACLE_STALE = "ORACLE_STALE"
    DEVIATION_BREAKER = "DEVIATION_BREAKER"
    EXPOSURE_CAP_REACHED = "EXPOSURE_CAP_REACHED"
    DEPTH_EXHAUSTED = "DEPTH_EXHAUSTED"
    # liquidation
    NOTHING_TO_LIQUIDATE = "NOTHING_TO_LIQUIDATE"
    NOT_LIQUIDATABLE = "NOT_LIQUIDATABLE"
    CLOSE_FACTOR_EXCEEDED = "CLOSE_FACTOR_EXCEEDED"
    DUSTY_AUCTION = "DUSTY_AUCTION"
    NULL_AUCTION = "NULL_AUCTION"
    AUCTION_FINISHED = "AUCTION_FINISHED"
    AUCTION_NOT_FINISHED = "AUCTION_NOT_FINISHED"
    AUCTION_NEEDS_RESET = "AUCTION_NEEDS_RESET"
    AUCTION_CANNOT_RESET = "AUCTION_CANNOT_RESET"
    AUCTION_NOT_EXPIRED = "AUCTION_NOT_EXPIRED"
    TOO_EXPENSIVE = "TOO_EXPENSIVE"
    NO_PARTIAL_PURCHASE = "NO_PARTIAL_PURCHASE"
    POL_NO_RESERVES = "POL_NO_RESERVES"
    POL_WOULD_OVERPAY = "POL_WOULD_OVERPAY"
    BELOW_FLOOR = "BELOW_FLOOR"
    # pre-liquidation
    NOT_CONSENTED = "NOT_CONSENTED"
    INVALID_TERMS = "INVALID_TERMS"
    POSITION_LIQUIDATABLE = "POSITION_LIQUIDATABLE"
    # risk steward
    NOT_STEWARD = "NOT_STEWARD"
    UPDATE_TOO_LARGE = "UPDATE_TOO_LARGE"
    UPDATE_TOO_SOON = "UPDATE_TOO_SOON"
    INVALID_PARAMS = "INVALID_PARAMS"
    UNSAFE_PARAMS = "UNSAFE_PARAMS"
    # many markets (spec/markets.md)
    UNKNOWN_MARKET = "UNKNOWN_MARKET"
    MARKET_SHUT_DOWN = "MARKET_SHUT_DOWN"
    SHUTDOWN_NOT_WARRANTED = "SHUTDOWN_NOT_WARRANTED"
    VENUE_HALTED = "VENUE_HALTED"
    UNKNOWN_VENUE = "UNKNOWN_VENUE"
    LIQUIDITY_IS_SHARED = "LIQUIDITY_IS_SHARED"
    LIQUIDITY_IS_ISOLATED = "LIQUIDITY_IS_ISOLATED"
    NO_BACKSTOP = "NO_BACKSTOP"
    BACKSTOP_CAP_REACHED = "BACKSTOP_CAP_REACHED"
    NOTHING_TO_COVER = "NOTHING_TO_COVER"
    UNKNOWN_MESSAGE = "UNKNOWN_MESSAGE"
    MESSAGE_TOO_EARLY = "MESSAGE_TOO_EARLY"


SYSTEM_CODES = frozenset(
    {
        RefusalCode.UNKNOWN_MARKET,
        RefusalCode.MARKET_SHUT_DOWN,
        RefusalCode.SHUTDOWN_NOT_WARRANTED,
        RefusalCode.VENUE_HALTED,
        RefusalCode.UNKNOWN_VENUE,
        RefusalCode.LIQUIDITY_IS_SHARED,
        RefusalCode.LIQUIDITY_IS_ISOLATED,
        RefusalCode.NO_BACKSTOP,
        RefusalCode.BACKSTOP_CAP_REACHED,
        RefusalCode.NOTHING_TO_COVER,
        RefusalCode.UNKNOWN_MESSAGE,
        RefusalCode.MESSAGE_TOO_EARLY,
    }
)
"""Codes only a system of many markets gives (``model.system``); the engine's step never does."""


@attrs.frozen
class Refusal:
    """A guard's "no": the code, and which input or rule it concerns.

    ``detail`` is a fixed string chosen at the refusal site (a field or rule name),
    never text formatted from amounts: amounts may be symbolic during proofs.
    """

    code: RefusalCode
    detail: str = ""


class EngineFault(Exception):
    """A refusal discovered inside a computation rather than by a guard.

    Raised by the fixed-point kernels (overflow, underflow, division by zero) and
    caught by ``model.engine.step``, which turns it into a refused outcome.
    """

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.code.value, refusal.detail)
        self.refusal = refusal


T = TypeVar("T")


def expect(planned: Refusal | T) -> T:
    """The plan a guard already approved; re-raises a refusal as an ``EngineFault``.

    Effects recompute the plan their guard checked (both are pure); this keeps the
    effect total without an ``assert``.
    """
    if isinstance(planned, Refusal):
        raise EngineFault(planned)
    return planned


def refuse(code: RefusalCode, detail: str = "") -> Refusal:
    """Shorthand used by guards: ``return refuse(RefusalCode.DUST, "params.dust")``.

    Requirement: REFUSAL-DETAIL (the detail is a path such as ``action.amount``)."""
    return Refusal(code, detail)
