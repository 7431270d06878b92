"""The lending pool and the buffers: LPs supply and withdraw; anyone funds a buffer.

LPs hold shares of ``pool.lp_claims``. Minting rounds the shares down and burning
rounds them up, so rounding never moves value from the pool to an LP.
"""

from __future__ import annotations

import attrs

from model.actions import FundInsurance, FundPol, SupplyLiquidity, WithdrawLiquidity
from model.errors import Refusal, RefusalCode, refuse
from model.events import InsuranceFunded, LiquiditySupplied, LiquidityWithdrawn, PolFunded
from model.numbers.fixed_point import Wad, add, mul_div_down, mul_div_up, sub
from model.policies import policy_of
from model.rules.rule import Rule, Transition
from model.state import Pool, State


def shares_for_supply(pool: Pool, amount: Wad) -> int:
    """Shares minted for ``amount``: 1:1 into an empty pool, else pro rata, rounded down."""
    if pool.total_shares == 0:
        return amount
    return mul_div_down(amount, pool.total_shares, pool.lp_claims, "formula.shares")


def shares_for_withdrawal(pool: Pool, amount: Wad) -> int:
    """Shares burned for ``amount``: pro rata, rounded up."""
    return mul_div_up(amount, pool.total_shares, pool.lp_claims, "formula.shares")


def _supply_guard(state: State, action: SupplyLiquidity) -> Refusal | None:
    """ACT-SUPPLY-LIQUIDITY guard: a positive amount, a solvent pool, at least one share minted."""
    if action.amount == 0:
        return refuse(RefusalCode.ZERO_AMOUNT, "action.amount")
    if state.pool.total_shares > 0 and state.pool.lp_claims == 0:
        return refuse(RefusalCode.POOL_INSOLVENT, "state.pool.lp_claims")
    if shares_for_supply(state.pool, action.amount) == 0:
        return refuse(RefusalCode.ZERO_SHARES, "action.amount")
    return None


def _supply_effect(state: State, action: SupplyLiquidity) -> Transition:
    """ACT-SUPPLY-LIQUIDITY effect: cash and claims up by the amount, shares minted rounded
    down."""
    pool = state.pool
    shares = shares_for_supply(pool, action.amount)
    pool = Pool(
        cash=add(pool.cash, action.amount, "state.pool.cash"),
        lp_claims=add(pool.lp_claims, action.amount, "state.pool.lp_claims"),
        total_shares=add(pool.total_shares, shares, "state.pool.total_shares"),
    )
    held = state.lp_shares.get(action.lp, 0)
    state = attrs.evolve(
        state,
        pool=pool,
        lp_shares=state.lp_shares.set(action.lp, held + shares),
        ledger=attrs.evolve(
            state.ledger,
            quote_in=add(state.ledger.quote_in, action.amount, "state.ledger.quote_in"),
        ),
    )
    return state, (LiquiditySupplied(lp=action.lp, amount=action.amount, shares=shares),)


def _withdraw_guard(state: State, action: WithdrawLiquidity) -> Refusal | None:
    """ACT-WITHDRAW-LIQUIDITY guard: the policy's freeze (LP-WITHDRAWAL-FREEZE), claims and
    shares enough (burn rounded up), cash enough."""
    if action.amount == 0:
        return refuse(RefusalCode.ZERO_AMOUNT, "action.amount")
    frozen = policy_of(state.config).lp_withdrawal_refusal(state)
    if frozen is not None:
        return frozen
    if state.pool.total_shares == 0 or action.amount > state.pool.lp_claims:
        return refuse(RefusalCode.INSUFFICIENT_SHARES, "action.amount")
    if shares_for_withdrawal(state.pool, action.amount) > state.lp_shares.get(action.lp, 0):
        return refuse(RefusalCode.INSUFFICIENT_SHARES, "action.amount")
    if action.amount > state.pool.cash:
        return refuse(RefusalCode.INSUFFICIENT_LIQUIDITY, "action.amount")
    return None


def _withdraw_effect(state: State, action: WithdrawLiquidity) -> Transition:
    """ACT-WITHDRAW-LIQUIDITY effect: cash and claims down by the amount, the shares burned."""
    pool = state.pool
    shares = shares_for_withdrawal(pool, action.amount)
    pool = Pool(
        cash=sub(pool.cash, action.amount, "state.pool.cash"),
        lp_claims=sub(pool.lp_claims, action.amount, "state.pool.lp_claims"),
        total_shares=sub(pool.total_shares, shares, "state.pool.total_shares"),
    )
    left = sub(state.lp_shares.get(action.lp, 0), shares, "state.lp_shares")
    lp_shares = (
        state.lp_shares.delete(action.lp) if left == 0 else state.lp_shares.set(action.lp, left)
    )
    state = attrs.evolve(
        state,
        pool=pool,
        lp_shares=lp_shares,
        ledger=attrs.evolve(
            state.ledger,
            quote_out=add(state.ledger.quote_out, action.amount, "state.ledger.quote_out"),
        ),
    )
    return state, (LiquidityWithdrawn(lp=action.lp, amount=action.amount, shares=shares),)


def _fund_guard(state: State, action: FundInsurance | FundPol) -> Refusal | None:
    """ACT-FUND-INSURANCE and ACT-FUND-POL guard: a positive amount."""
    if action.amount == 0:
        return refuse(RefusalCode.ZERO_AMOUNT, "action.amount")
    return None


def _fund_insurance_effect(state: State, action: FundInsurance) -> Transition:
    """ACT-FUND-INSURANCE effect: the insurance fund grows, through the ledger."""
    buffers = attrs.evolve(
        state.buffers,
        insurance=add(state.buffers.insurance, action.amount, "state.buffers.insurance"),
    )
    ledger = attrs.evolve(
        state.ledger, quote_in=add(state.ledger.quote_in, action.amount, "state.ledger.quote_in")
    )
    state = attrs.evolve(state, buffers=buffers, ledger=ledger)
    return state, (InsuranceFunded(funder=action.funder, amount=action.amount),)


def _fund_pol_effect(state: State, action: FundPol) -> Transition:
    """ACT-FUND-POL effect: POL's quote reserves grow, through the ledger."""
    buffers = attrs.evolve(
        state.buffers,
        pol_quote=add(state.buffers.pol_quote, action.amount, "state.buffers.pol_quote"),
    )
    ledger = attrs.evolve(
        state.ledger, quote_in=add(state.ledger.quote_in, action.amount, "state.ledger.quote_in")
    )
    state = attrs.evolve(state, buffers=buffers, ledger=ledger)
    return state, (PolFunded(funder=action.funder, amount=action.amount),)


SUPPLY = Rule(guard=_supply_guard, effect=_supply_effect)
WITHDRAW = Rule(guard=_withdraw_guard, effect=_withdraw_effect)
FUND_INSURANCE: Rule[FundInsurance] = Rule(guard=_fund_guard, effect=_fund_insurance_effect)
FUND_POL: Rule[FundPol] = Rule(guard=_fund_guard, effect=_fund_pol_effect)
