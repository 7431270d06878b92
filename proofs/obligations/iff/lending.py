"""The common actions' guards (pool, positions, oracle, time, depth), restated from the spec."""

from __future__ import annotations

from model.actions import (
    AdvanceTime,
    Borrow,
    DepositCollateral,
    FundInsurance,
    FundPol,
    Repay,
    ReportOracle,
    SupplyLiquidity,
    WithdrawCollateral,
    WithdrawLiquidity,
)
from model.numbers.fixed_point import (
    UINT256_MAX,
    mul_div_down,
    mul_div_up,
)
from model.params.records import Gen3ZeroLossParams
from model.state import Position, State
from proofs.obligations.iff.quantities import Code, Expected, _leverage_ok, _leverage_refusal

# --- the common actions -------------------------------------------------------------------


def _supply_refusal(pre: State, action: SupplyLiquidity) -> Expected:
    pool = pre.pool
    if action.amount == 0:
        return Code.ZERO_AMOUNT
    if pool.total_shares > 0 and pool.lp_claims == 0:
        return Code.POOL_INSOLVENT
    if pool.total_shares == 0:
        shares = action.amount
    else:
        shares = mul_div_down(action.amount, pool.total_shares, pool.lp_claims)
    if shares == 0:
        return Code.ZERO_SHARES
    if pool.total_shares + shares > UINT256_MAX:
        return Code.OVERFLOW  # the effect's ``total_shares += shares`` (ENGINE-STEP 4)
    return None


def _supply_accepts(pre: State, action: SupplyLiquidity) -> object:
    pool = pre.pool
    if action.amount == 0:
        return False
    if pool.total_shares == 0:
        return True
    if pool.lp_claims == 0:
        return False
    shares = mul_div_down(action.amount, pool.total_shares, pool.lp_claims)
    # ENGINE-STEP 4: the new share count must be a uint256. Reachable under the invariants
    # and ASM-RANGES once lp_claims is tiny against total_shares (after a write-off):
    # e.g. lp_claims = 1, total_shares = 2^128, amount = 2^128 - 1 is refused OVERFLOW.
    return shares > 0 and pool.total_shares + shares <= UINT256_MAX


def _lp_frozen(pre: State) -> object:
    """``P.lp_withdrawal_refusal``: gen 3 only, ``unbacked > 0`` (LP-WITHDRAWAL-FREEZE)."""
    return isinstance(pre.config.policy, Gen3ZeroLossParams) and pre.unbacked > 0


def _withdraw_liquidity_refusal(pre: State, action: WithdrawLiquidity) -> Expected:
    pool = pre.pool
    if action.amount == 0:
        return Code.ZERO_AMOUNT
    if _lp_frozen(pre):
        return Code.WITHDRAWALS_FROZEN
    if pool.total_shares == 0 or action.amount > pool.lp_claims:
        return Code.INSUFFICIENT_SHARES
    burn = mul_div_up(action.amount, pool.total_shares, pool.lp_claims)
    if burn > pre.lp_shares.get(action.lp, 0):
        return Code.INSUFFICIENT_SHARES
    if action.amount > pool.cash:
        return Code.INSUFFICIENT_LIQUIDITY
    return None


def _withdraw_liquidity_accepts(pre: State, action: WithdrawLiquidity) -> object:
    pool = pre.pool
    held = pre.lp_shares.get(action.lp, 0)
    return (
        0 < action.amount <= pool.lp_claims
        and not _lp_frozen(pre)
        and pool.total_shares > 0
        # ceil(amount * total_shares / lp_claims) <= held, without dividing
        and action.amount * pool.total_shares <= held * pool.lp_claims
        and action.amount <= pool.cash
    )


def _fund_refusal(pre: State, action: FundInsurance | FundPol) -> Expected:
    return Code.ZERO_AMOUNT if action.amount == 0 else None


def _fund_accepts(pre: State, action: FundInsurance | FundPol) -> object:
    return action.amount > 0


def _no_guard_refusal(pre: State, action: object) -> Expected:
    return None


def _no_guard_accepts(pre: State, action: object) -> object:
    return True


def _deposit_refusal(pre: State, action: DepositCollateral) -> Expected:
    if action.position not in pre.positions:
        return Code.UNKNOWN_POSITION
    return Code.ZERO_AMOUNT if action.amount == 0 else None


def _deposit_accepts(pre: State, action: DepositCollateral) -> object:
    return action.position in pre.positions and action.amount > 0


def _owned(pre: State, position_id: int, owner: str) -> Position | Code:
    position = pre.positions.get(position_id)
    if position is None:
        return Code.UNKNOWN_POSITION
    if position.owner != owner:
        return Code.NOT_OWNER
    return position


def _withdraw_collateral_refusal(pre: State, action: WithdrawCollateral) -> Expected:
    position = _owned(pre, action.position, action.owner)
    if isinstance(position, Code):
        return position
    if action.amount == 0:
        return Code.ZERO_AMOUNT
    if action.amount > position.collateral:
        return Code.INSUFFICIENT_COLLATERAL
    return _leverage_refusal(pre, position.collateral - action.amount, position.debt)


def _withdraw_collateral_accepts(pre: State, action: WithdrawCollateral) -> object:
    position = _owned(pre, action.position, action.owner)
    if isinstance(position, Code):
        return False
    c, d = position.collateral, position.debt
    return 0 < action.amount <= c and _leverage_ok(pre, c - action.amount, d)


def _borrow_refusal(pre: State, action: Borrow) -> Expected:
    position = _owned(pre, action.position, action.owner)
    if isinstance(position, Code):
        return position
    if action.amount == 0:
        return Code.ZERO_AMOUNT
    if action.amount > pre.pool.cash:
        return Code.INSUFFICIENT_LIQUIDITY
    if position.debt + action.amount < pre.config.dust:
        return Code.DUST
    return _leverage_refusal(pre, position.collateral, position.debt + action.amount)


def _borrow_accepts(pre: State, action: Borrow) -> object:
    position = _owned(pre, action.position, action.owner)
    if isinstance(position, Code):
        return False
    after = position.debt + action.amount
    return (
        0 < action.amount <= pre.pool.cash
        and after >= pre.config.dust
        and _leverage_ok(pre, position.collateral, after)
    )


def _repay_refusal(pre: State, action: Repay) -> Expected:
    position = pre.positions.get(action.position)
    if position is None:
        return Code.UNKNOWN_POSITION
    if action.amount == 0:
        return Code.ZERO_AMOUNT
    if action.amount > position.debt:
        return Code.REPAY_EXCEEDS_DEBT
    if 0 < position.debt - action.amount < pre.config.dust:
        return Code.DUST
    return None


def _repay_accepts(pre: State, action: Repay) -> object:
    position = pre.positions.get(action.position)
    if position is None:
        return False
    left = position.debt - action.amount
    return 0 < action.amount <= position.debt and not (0 < left < pre.config.dust)


def _report_oracle_refusal(pre: State, action: ReportOracle) -> Expected:
    return Code.INVALID_PRICE if action.spot == 0 else None


def _report_oracle_accepts(pre: State, action: ReportOracle) -> object:
    return action.spot > 0


def _advance_time_refusal(pre: State, action: AdvanceTime) -> Expected:
    return Code.ZERO_AMOUNT if action.seconds == 0 else None


def _advance_time_accepts(pre: State, action: AdvanceTime) -> object:
    return action.seconds > 0
