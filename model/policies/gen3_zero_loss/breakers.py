"""Gen 3's circuit breakers: a stale oracle and the deviation breaker pause kicks; whether
POL can buy a stage's lot.
"""

from __future__ import annotations

from model.errors import Refusal, RefusalCode, refuse
from model.loss import mark_price
from model.numbers.fixed_point import (
    RAY,
    distance,
    rmul_up,
)
from model.policies.gen3_zero_loss.zones import params
from model.state import Auction, State

# --- circuit breakers -----------------------------------------------------------------


def pol_can_buy(state: State, auction: Auction) -> bool:
    """Whether POL can buy all of ``auction``'s lot at its floor without overpaying."""
    return (
        auction.floor <= mark_price(state)
        and rmul_up(auction.lot, auction.floor, "formula.lot_at_floor") <= state.buffers.pol_quote
    )


def oracle_stale(state: State) -> bool:
    return state.time - state.oracle.last_update > params(state).stale_after


def deviation_tripped(state: State) -> bool:
    """``|spot - reference| > max_deviation * reference``, exactly."""
    oracle = state.oracle
    return (
        distance(oracle.spot, oracle.reference) * RAY
        > params(state).max_deviation * oracle.reference
    )


def _breaker_refusal(state: State) -> Refusal | None:
    if oracle_stale(state):
        return refuse(RefusalCode.ORACLE_STALE, "params.stale_after")
    if deviation_tripped(state):
        return refuse(RefusalCode.DEVIATION_BREAKER, "params.max_deviation")
    return None
