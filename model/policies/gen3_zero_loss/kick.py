"""Gen 3's hooks into the common rules (leverage, LP withdrawals) and its kick."""

from __future__ import annotations

import attrs

from model.actions import Kick
from model.errors import Refusal, RefusalCode, expect, refuse
from model.events import Event, Kicked
from model.numbers.fixed_point import (
    RAY,  # noqa: F401 (the PEP 316 contracts below use it)
    Wad,
    add,
    minimum,
    rmul_down,
    sub,
)
from model.params.records import Gen3ZeroLossParams
from model.policies.gen3_zero_loss.breakers import _breaker_refusal, oracle_stale
from model.policies.gen3_zero_loss.sizing import plan_kick
from model.policies.gen3_zero_loss.zones import below_liquidation_ratio, params, warning_ratio
from model.rules.rule import Transition
from model.rules.steward import in_force
from model.rules.waterfall import pay_incentive
from model.state import Auction, Position, State

# --- hooks into the common rules ------------------------------------------------------


def _leverage_refusal(state: State, collateral: Wad, debt: Wad) -> Refusal | None:
    """ACT-BORROW and ACT-WITHDRAW-COLLATERAL, gen 3 (GEN3-ZONES, GEN3-BREAKERS).

    Borrowing and withdrawing need a fresh oracle and must leave the position SAFE."""
    if debt == 0:
        return None
    if oracle_stale(state):
        return refuse(RefusalCode.ORACLE_STALE, "params.stale_after")
    ratio = warning_ratio(in_force(state), state.oracle.volatility)
    if collateral * state.oracle.reference < debt * ratio:
        return refuse(RefusalCode.UNDERCOLLATERALIZED, "formula.warning_ratio")
    return None


def _lp_withdrawal_refusal(state: State) -> Refusal | None:
    """LP-WITHDRAWAL-FREEZE (ACT-WITHDRAW-LIQUIDITY, gen 3).

    LPs may not exit ahead of a write-off: frozen while an unbacked auction is live."""
    if state.unbacked > 0:
        return refuse(RefusalCode.WITHDRAWALS_FROZEN, "state.unbacked")
    return None


# --- kick -----------------------------------------------------------------------------


def _incentive(p: Gen3ZeroLossParams, tab: Wad, paid_so_far: Wad) -> Wad:
    """``min(tip + chip * tab, incentive_cap - paid_so_far)``: never above the cap in total.

    pre: 0 <= tab < 2**128 and 0 <= paid_so_far < 2**128
    pre: 0 <= p.keeper_tip < 2**128 and 0 <= p.keeper_chip <= RAY and 0 <= p.incentive_cap < 2**128
    post: 0 <= __return__
    post: paid_so_far + __return__ <= max(p.incentive_cap, paid_so_far)
    post: __return__ * RAY <= p.keeper_tip * RAY + tab * p.keeper_chip
    """
    room = p.incentive_cap - paid_so_far if paid_so_far < p.incentive_cap else 0
    return minimum(p.keeper_tip + rmul_down(tab, p.keeper_chip, "formula.chip"), room)


def _kick_guard(state: State, action: Kick) -> Refusal | None:
    """ACT-KICK guard, gen 3 (GEN3-BREAKERS, GEN3-ZONES, GEN3-SLICE): debt, a fresh and calm
    oracle, below L, a slice that fits."""
    position = state.positions.get(action.position)
    if position is None:
        return refuse(RefusalCode.UNKNOWN_POSITION, "action.position")
    if position.debt == 0:
        return refuse(RefusalCode.NOTHING_TO_LIQUIDATE, "position.debt")
    breaker = _breaker_refusal(state)
    if breaker is not None:
        return breaker
    if not below_liquidation_ratio(state, position):
        return refuse(RefusalCode.NOT_LIQUIDATABLE, "params.liquidation_ratio")
    planned = plan_kick(state, position)
    return planned if isinstance(planned, Refusal) else None


def _kick_effect(state: State, action: Kick) -> Transition:
    """ACT-KICK effect, gen 3 (GEN3-SLICE, INCENTIVE-CAP): the slice, the stage from the current
    reference, the incentive."""
    p = params(state)
    position = state.positions[action.position]
    cut = expect(plan_kick(state, position))
    auction_id = state.next_auction
    position = Position(
        owner=position.owner,
        collateral=sub(position.collateral, cut.lot, "position.collateral"),
        debt=sub(position.debt, cut.debt, "position.debt"),
    )
    events: list[Event] = [
        Kicked(
            auction=auction_id,
            position=action.position,
            keeper=action.keeper,
            lot=cut.lot,
            debt=cut.debt,
            tab=cut.tab,
            top=cut.top,
            floor=cut.floor,
        )
    ]
    paid = 0
    owed = _incentive(p, cut.tab, 0)
    if owed > 0:
        state, paid, event = pay_incentive(state, auction_id, action.keeper, owed)
        events.append(event)
    auction = Auction(
        position=action.position,
        lot=cut.lot,
        debt=cut.debt,
        fee=cut.tab - cut.debt,
        top=cut.top,
        floor=cut.floor,
        tic=state.time,
        anchor=state.oracle.reference,
        incentives_paid=paid,
        resets=0,
        backed=cut.backed,
    )
    state = attrs.evolve(
        state,
        positions=state.positions.set(action.position, position),
        auctions=state.auctions.set(auction_id, auction),
        next_auction=auction_id + 1,
        market=cut.market,
        exposure=add(state.exposure, cut.tab, "state.exposure"),
        unbacked=state.unbacked if cut.backed else state.unbacked + 1,
    )
    return state, tuple(events)
