"""Borrowers: open a position, deposit and withdraw collateral, borrow and repay.

Whether a position may hold more debt or less collateral is the policy's call
(``Policy.leverage_refusal``): gen 1 and gen 2 test the collateral ratio at spot,
gen 3 requires the safe zone at the reference price and a fresh oracle.
A debt is either zero or at least ``dust``.
"""

from __future__ import annotations

import attrs

from model.actions import Borrow, DepositCollateral, OpenPosition, Repay, WithdrawCollateral
from model.errors import Refusal, RefusalCode, refuse
from model.events import Borrowed, CollateralDeposited, CollateralWithdrawn, PositionOpened, Repaid
from model.numbers.fixed_point import add, sub
from model.policies import policy_of
from model.rules.rule import Rule, Transition
from model.state import Position, State


def _owned(state: State, position_id: int, owner: str) -> Refusal | Position:
    position = state.positions.get(position_id)
    if position is None:
        return refuse(RefusalCode.UNKNOWN_POSITION, "action.position")
    if position.owner != owner:
        return refuse(RefusalCode.NOT_OWNER, "action.owner")
    return position


def _open_guard(state: State, action: OpenPosition) -> Refusal | None:
    """ACT-OPEN-POSITION guard: none (anyone may open a position)."""
    return None


def _open_effect(state: State, action: OpenPosition) -> Transition:
    """ACT-OPEN-POSITION effect: an empty position under the next id."""
    position_id = state.next_position
    state = attrs.evolve(
        state,
        positions=state.positions.set(position_id, Position(action.owner, 0, 0)),
        next_position=position_id + 1,
    )
    return state, (PositionOpened(position=position_id, owner=action.owner),)


def _deposit_guard(state: State, action: DepositCollateral) -> Refusal | None:
    """ACT-DEPOSIT-COLLATERAL guard: a known position, a positive amount (anyone may deposit)."""
    if action.position not in state.positions:
        return refuse(RefusalCode.UNKNOWN_POSITION, "action.position")
    if action.amount == 0:
        return refuse(RefusalCode.ZERO_AMOUNT, "action.amount")
    return None


def _deposit_effect(state: State, action: DepositCollateral) -> Transition:
    """ACT-DEPOSIT-COLLATERAL effect: the position's collateral grows, through the ledger."""
    position = state.positions[action.position]
    position = attrs.evolve(
        position, collateral=add(position.collateral, action.amount, "position.collateral")
    )
    ledger = attrs.evolve(
        state.ledger,
        collateral_in=add(state.ledger.collateral_in, action.amount, "state.ledger.collateral_in"),
    )
    state = attrs.evolve(
        state, positions=state.positions.set(action.position, position), ledger=ledger
    )
    return state, (CollateralDeposited(position=action.position, amount=action.amount),)


def _withdraw_guard(state: State, action: WithdrawCollateral) -> Refusal | None:
    """ACT-WITHDRAW-COLLATERAL guard: the owner, enough collateral, and the policy's leverage
    rule on what is left."""
    position = _owned(state, action.position, action.owner)
    if isinstance(position, Refusal):
        return position
    if action.amount == 0:
        return refuse(RefusalCode.ZERO_AMOUNT, "action.amount")
    if action.amount > position.collateral:
        return refuse(RefusalCode.INSUFFICIENT_COLLATERAL, "action.amount")
    return policy_of(state.config).leverage_refusal(
        state, position.collateral - action.amount, position.debt
    )


def _withdraw_effect(state: State, action: WithdrawCollateral) -> Transition:
    """ACT-WITHDRAW-COLLATERAL effect: collateral leaves the position and the system."""
    position = state.positions[action.position]
    position = attrs.evolve(
        position, collateral=sub(position.collateral, action.amount, "position.collateral")
    )
    ledger = attrs.evolve(
        state.ledger,
        collateral_out=add(
            state.ledger.collateral_out, action.amount, "state.ledger.collateral_out"
        ),
    )
    state = attrs.evolve(
        state, positions=state.positions.set(action.position, position), ledger=ledger
    )
    return state, (CollateralWithdrawn(position=action.position, amount=action.amount),)


def _borrow_guard(state: State, action: Borrow) -> Refusal | None:
    """ACT-BORROW guard: the owner, the pool's cash, DEBT-DUST, and the policy's leverage rule."""
    position = _owned(state, action.position, action.owner)
    if isinstance(position, Refusal):
        return position
    if action.amount == 0:
        return refuse(RefusalCode.ZERO_AMOUNT, "action.amount")
    if action.amount > state.pool.cash:
        return refuse(RefusalCode.INSUFFICIENT_LIQUIDITY, "action.amount")
    debt = add(position.debt, action.amount, "position.debt")
    if debt < state.config.dust:
        return refuse(RefusalCode.DUST, "params.dust")
    return policy_of(state.config).leverage_refusal(state, position.collateral, debt)


def _borrow_effect(state: State, action: Borrow) -> Transition:
    """ACT-BORROW effect: debt up, cash down by the amount."""
    position = state.positions[action.position]
    position = attrs.evolve(position, debt=add(position.debt, action.amount, "position.debt"))
    pool = attrs.evolve(state.pool, cash=sub(state.pool.cash, action.amount, "state.pool.cash"))
    ledger = attrs.evolve(
        state.ledger, quote_out=add(state.ledger.quote_out, action.amount, "state.ledger.quote_out")
    )
    state = attrs.evolve(
        state, positions=state.positions.set(action.position, position), pool=pool, ledger=ledger
    )
    return state, (Borrowed(position=action.position, amount=action.amount),)


def _repay_guard(state: State, action: Repay) -> Refusal | None:
    """ACT-REPAY guard: a known position, at most its debt, and no dust left (DEBT-DUST)."""
    position = state.positions.get(action.position)
    if position is None:
        return refuse(RefusalCode.UNKNOWN_POSITION, "action.position")
    if action.amount == 0:
        return refuse(RefusalCode.ZERO_AMOUNT, "action.amount")
    if action.amount > position.debt:
        return refuse(RefusalCode.REPAY_EXCEEDS_DEBT, "action.amount")
    left = position.debt - action.amount
    if 0 < left < state.config.dust:
        return refuse(RefusalCode.DUST, "params.dust")
    return None


def _repay_effect(state: State, action: Repay) -> Transition:
    """ACT-REPAY effect: debt down, cash up by the amount (anyone may repay)."""
    position = state.positions[action.position]
    position = attrs.evolve(position, debt=sub(position.debt, action.amount, "position.debt"))
    pool = attrs.evolve(state.pool, cash=add(state.pool.cash, action.amount, "state.pool.cash"))
    ledger = attrs.evolve(
        state.ledger, quote_in=add(state.ledger.quote_in, action.amount, "state.ledger.quote_in")
    )
    state = attrs.evolve(
        state, positions=state.positions.set(action.position, position), pool=pool, ledger=ledger
    )
    return state, (Repaid(position=action.position, amount=action.amount),)


OPEN = Rule(guard=_open_guard, effect=_open_effect)
DEPOSIT = Rule(guard=_deposit_guard, effect=_deposit_effect)
WITHDRAW_COLLATERAL = Rule(guard=_withdraw_guard, effect=_withdraw_effect)
BORROW = Rule(guard=_borrow_guard, effect=_borrow_effect)
REPAY = Rule(guard=_repay_guard, effect=_repay_effect)
