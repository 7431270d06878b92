"""Vectors every policy shares: the lending pool, positions, the oracle, time and depth."""

from __future__ import annotations

from crosscheck.vectors.catalogue import (
    ACCEPTED,
    BASE,
    Catalogue,
    crash,
)
from model.actions import (
    AdvanceTime,
    Borrow,
    DepositCollateral,
    FundInsurance,
    FundPol,
    OpenPosition,
    Repay,
    ReportDepth,
    ReportOracle,
    SupplyLiquidity,
    WithdrawCollateral,
    WithdrawLiquidity,
)
from model.errors import RefusalCode as R
from model.numbers import RAY, UINT256_MAX, WAD


def common_cases(cat: Catalogue) -> None:
    """Lending, positions, oracle, time and depth: shared by all policies."""
    empty = cat.state("genesis")
    base = cat.state("base", *BASE)
    crashed = cat.state("crashed", *BASE, *crash(1400))
    stale = cat.state("stale", *BASE, AdvanceTime(7_200))
    aged = cat.state("aged", *BASE, AdvanceTime(600))
    add = cat.add

    # lending pool
    add(
        "first_supply",
        "an empty pool mints shares 1:1",
        empty,
        SupplyLiquidity("lp", 1000 * WAD),
        ACCEPTED,
    )
    add(
        "pro_rata_supply",
        "shares pro rata to claims",
        base,
        SupplyLiquidity("lp2", 5 * WAD),
        ACCEPTED,
    )
    add("zero_supply", "", base, SupplyLiquidity("lp", 0), R.ZERO_AMOUNT)
    add(
        "supply_2_256",
        "2**256 is not a uint256",
        base,
        SupplyLiquidity("lp", 2**256),
        R.AMOUNT_OUT_OF_RANGE,
    )
    add("supply_negative", "", base, SupplyLiquidity("lp", -1), R.AMOUNT_OUT_OF_RANGE)
    add(
        "supply_overflow",
        "cash + amount leaves uint256",
        base,
        SupplyLiquidity("lp", UINT256_MAX),
        R.OVERFLOW,
    )
    add("withdraw", "burns shares rounded up", base, WithdrawLiquidity("lp", 1000 * WAD), ACCEPTED)
    add("withdraw_zero", "", base, WithdrawLiquidity("lp", 0), R.ZERO_AMOUNT)
    add(
        "withdraw_above_claims",
        "more than all LP claims",
        base,
        WithdrawLiquidity("lp", 2_000_000 * WAD),
        R.INSUFFICIENT_SHARES,
    )
    add(
        "withdraw_without_shares",
        "an LP with no shares",
        base,
        WithdrawLiquidity("eve", 1),
        R.INSUFFICIENT_SHARES,
    )
    add(
        "withdraw_lent_out",
        "claims are there but the cash is lent out",
        base,
        WithdrawLiquidity("lp", 999_000 * WAD),
        R.INSUFFICIENT_LIQUIDITY,
    )
    add("fund_insurance", "", base, FundInsurance("dao", WAD), ACCEPTED)
    add("fund_insurance_zero", "", base, FundInsurance("dao", 0), R.ZERO_AMOUNT)
    add("fund_pol", "", base, FundPol("dao", WAD), ACCEPTED)
    add("fund_pol_zero", "", base, FundPol("dao", 0), R.ZERO_AMOUNT)
    add("fund_pol_overflow", "", base, FundPol("dao", UINT256_MAX), R.OVERFLOW)

    # positions
    add("open", "ids count up from next_position", base, OpenPosition("dan"), ACCEPTED)
    add("deposit", "anyone may deposit", base, DepositCollateral("zed", 0, WAD), ACCEPTED)
    add("deposit_zero", "", base, DepositCollateral("ann", 0, 0), R.ZERO_AMOUNT)
    add("deposit_unknown", "", base, DepositCollateral("ann", 9, WAD), R.UNKNOWN_POSITION)
    add("deposit_overflow", "", base, DepositCollateral("ann", 0, UINT256_MAX), R.OVERFLOW)
    add(
        "withdraw_collateral",
        "stays over the ratio",
        base,
        WithdrawCollateral("ann", 0, WAD),
        ACCEPTED,
    )
    add(
        "withdraw_collateral_all_no_debt", "", base, WithdrawCollateral("cat", 2, 5 * WAD), ACCEPTED
    )
    add(
        "withdraw_collateral_unknown",
        "",
        base,
        WithdrawCollateral("ann", 9, WAD),
        R.UNKNOWN_POSITION,
    )
    add("withdraw_collateral_not_owner", "", base, WithdrawCollateral("bob", 0, WAD), R.NOT_OWNER)
    add("withdraw_collateral_zero", "", base, WithdrawCollateral("ann", 0, 0), R.ZERO_AMOUNT)
    add(
        "withdraw_collateral_too_much",
        "",
        base,
        WithdrawCollateral("ann", 0, 11 * WAD),
        R.INSUFFICIENT_COLLATERAL,
    )
    add(
        "withdraw_collateral_undercollateralized",
        "leaves the position under its ratio",
        base,
        WithdrawCollateral("ann", 0, 9 * WAD),
        R.UNDERCOLLATERALIZED,
    )
    add("borrow", "", base, Borrow("ann", 0, 1000 * WAD), ACCEPTED)
    add("borrow_unknown", "", base, Borrow("ann", 9, WAD), R.UNKNOWN_POSITION)
    add("borrow_not_owner", "", base, Borrow("bob", 0, WAD), R.NOT_OWNER)
    add("borrow_zero", "", base, Borrow("ann", 0, 0), R.ZERO_AMOUNT)
    add("borrow_above_cash", "", base, Borrow("ann", 0, 2_000_000 * WAD), R.INSUFFICIENT_LIQUIDITY)
    add("borrow_dust", "a first debt below dust", base, Borrow("cat", 2, 999 * WAD), R.DUST)
    add(
        "borrow_undercollateralized", "", base, Borrow("ann", 0, 9_000 * WAD), R.UNDERCOLLATERALIZED
    )
    add("repay_partial", "anyone may repay", base, Repay("zed", 0, 1000 * WAD), ACCEPTED)
    add("repay_all", "", base, Repay("ann", 0, 8000 * WAD), ACCEPTED)
    add("repay_unknown", "", base, Repay("ann", 9, WAD), R.UNKNOWN_POSITION)
    add("repay_zero", "", base, Repay("ann", 0, 0), R.ZERO_AMOUNT)
    add("repay_above_debt", "", base, Repay("ann", 0, 8001 * WAD), R.REPAY_EXCEEDS_DEBT)
    add("repay_leaves_dust", "", base, Repay("ann", 0, 7500 * WAD), R.DUST)
    add("repay_out_of_range", "", base, Repay("ann", 0, 2**256), R.AMOUNT_OUT_OF_RANGE)

    # oracle, time, depth
    add("report_small_move", "reference follows spot", aged, ReportOracle(1990 * RAY), ACCEPTED)
    add(
        "report_spike_up",
        "reference moves at most max_step per step_period",
        aged,
        ReportOracle(3000 * RAY),
        ACCEPTED,
    )
    add(
        "report_gap_down",
        "a move of more than 100 % caps volatility's input",
        aged,
        ReportOracle(RAY),
        ACCEPTED,
    )
    add(
        "report_same_second",
        "a second report in the same second cannot move the reference",
        base,
        ReportOracle(RAY),
        ACCEPTED,
    )
    add(
        "report_part_period",
        "a report a minute after the last moves the reference a tenth of max_step",
        cat.state("aged_a_minute", *BASE, AdvanceTime(60)),
        ReportOracle(RAY),
        ACCEPTED,
    )
    add("report_crash_follows", "", crashed, ReportOracle(1400 * RAY), ACCEPTED)
    add("report_zero", "", base, ReportOracle(0), R.INVALID_PRICE)
    add("report_overflow", "", aged, ReportOracle(UINT256_MAX), ACCEPTED)
    add("advance", "", base, AdvanceTime(60), ACCEPTED)
    add("advance_zero", "", base, AdvanceTime(0), R.ZERO_AMOUNT)
    add(
        "advance_overflow",
        "time + seconds leaves uint256",
        stale,
        AdvanceTime(UINT256_MAX),
        R.OVERFLOW,
    )
    add("depth", "", base, ReportDepth(500 * WAD), ACCEPTED)
    add("depth_zero", "a market with no depth", base, ReportDepth(0), ACCEPTED)
    add("depth_out_of_range", "", base, ReportDepth(2**256), R.AMOUNT_OUT_OF_RANGE)
