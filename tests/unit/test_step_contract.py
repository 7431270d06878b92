"""The step contract (spec/actions.md, ENGINE-STEP) and uint256 inputs (NUM-UINT256).

``step`` checks, in this order: every uint field of the action in ``[0, 2**256)`` (in the
order the fields are listed), that the policy supports the action's kind, the guard,
then the effect; an arithmetic result outside uint256 refuses the action. A refusal
returns the very state it was given.
"""

from __future__ import annotations

import attrs
import pytest

from model import Accepted, Refused, step
from model.actions import (
    ACTION_KINDS,
    AdvanceTime,
    Borrow,
    DepositCollateral,
    EndAuction,
    FundInsurance,
    FundPol,
    Kick,
    Liquidate,
    OpenPosition,
    PolSell,
    PreLiquidate,
    Redo,
    Repay,
    ReportDepth,
    ReportOracle,
    SetPreLiquidation,
    Settle,
    SupplyLiquidity,
    Take,
    UpdateParams,
    WithdrawCollateral,
    WithdrawLiquidity,
    uint_fields,
)
from model.errors import RefusalCode
from model.numbers import UINT256_MAX, WAD
from tests.builders import book, borrower, wad

POLICIES = ["gen1", "gen2", "gen3"]

#: one instance of every action kind, with every uint field at 1 and ids at 0
SAMPLES: dict[type, object] = {
    SupplyLiquidity: SupplyLiquidity("lp", 1),
    WithdrawLiquidity: WithdrawLiquidity("lp", 1),
    FundInsurance: FundInsurance("dao", 1),
    FundPol: FundPol("dao", 1),
    OpenPosition: OpenPosition("alice"),
    DepositCollateral: DepositCollateral("alice", 0, 1),
    WithdrawCollateral: WithdrawCollateral("alice", 0, 1),
    Borrow: Borrow("alice", 0, 1),
    Repay: Repay("alice", 0, 1),
    ReportOracle: ReportOracle(1),
    AdvanceTime: AdvanceTime(1),
    ReportDepth: ReportDepth(1),
    Liquidate: Liquidate("liquidator", 0, 1),
    Kick: Kick("keeper", 0),
    Take: Take("bidder", 0, 1, 1),
    Redo: Redo("keeper", 0),
    EndAuction: EndAuction(0),
    Settle: Settle(0),
    PolSell: PolSell("desk", WAD, WAD),
    SetPreLiquidation: SetPreLiquidation("alice", 0, 1, 1, 1, 1, 1),
    PreLiquidate: PreLiquidate("keeper", 0, 1),
    UpdateParams: UpdateParams("steward", 1, 1, 1),
}

PREDICTIVE = {SetPreLiquidation, PreLiquidate, UpdateParams}
SUPPORTED = {
    "gen1": {Liquidate},
    "gen2": {Kick, Take, Redo, Settle},
    "gen3": {Kick, Take, Redo, EndAuction, Settle, PolSell, *PREDICTIVE},
}
LIQUIDATION_KINDS = {Liquidate, Kick, Take, Redo, EndAuction, Settle, PolSell, *PREDICTIVE}
UINT_FIELDS = [(kind, name) for kind in ACTION_KINDS for name in uint_fields(kind)]


@pytest.mark.covers("ENGINE-STEP")
def test_every_action_kind_has_a_sample() -> None:
    assert set(SAMPLES) == set(ACTION_KINDS)


@pytest.mark.covers("ENGINE-STEP")
def test_the_uint_fields_are_the_amounts_the_spec_marks() -> None:
    marked = {(kind.__name__, name) for kind, name in UINT_FIELDS}
    assert marked == {
        ("SupplyLiquidity", "amount"),
        ("WithdrawLiquidity", "amount"),
        ("FundInsurance", "amount"),
        ("FundPol", "amount"),
        ("DepositCollateral", "amount"),
        ("WithdrawCollateral", "amount"),
        ("Borrow", "amount"),
        ("Repay", "amount"),
        ("ReportOracle", "spot"),
        ("AdvanceTime", "seconds"),
        ("ReportDepth", "depth"),
        ("Liquidate", "repay"),
        ("Take", "amount"),
        ("Take", "max_price"),
        ("PolSell", "amount"),
        ("PolSell", "proceeds"),
        ("SetPreLiquidation", "ratio"),
        ("SetPreLiquidation", "close_factor_start"),
        ("SetPreLiquidation", "close_factor_end"),
        ("SetPreLiquidation", "incentive_start"),
        ("SetPreLiquidation", "incentive_end"),
        ("PreLiquidate", "amount"),
        ("UpdateParams", "liquidation_ratio"),
        ("UpdateParams", "target_ratio"),
        ("UpdateParams", "warning_margin"),
    }


@pytest.mark.covers("ENGINE-STEP", "NUM-UINT256", "REFUSAL-NO-CHANGE")
@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize(("kind", "field"), UINT_FIELDS, ids=lambda x: getattr(x, "__name__", x))
@pytest.mark.parametrize("value", [-1, 2**256, -(2**300)])
def test_an_amount_outside_uint256_is_refused_naming_the_field(
    policy: str, kind: type, field: str, value: int
) -> None:
    """Before the support check and before any guard (the position 0 does not exist)."""
    b = book(policy, liquidity=0)
    refusal = b.refused(attrs.evolve(SAMPLES[kind], **{field: value}))  # type: ignore[misc]
    assert refusal.code is RefusalCode.AMOUNT_OUT_OF_RANGE
    assert refusal.detail == f"action.{field}"


@pytest.mark.covers("ENGINE-STEP", "NUM-UINT256")
@pytest.mark.parametrize("policy", POLICIES)
def test_the_first_field_out_of_range_is_the_one_named(policy: str) -> None:
    b = book(policy, liquidity=0)
    refusal = b.refused(Take("bidder", 0, amount=-1, max_price=2**256))
    assert (refusal.code, refusal.detail) == (RefusalCode.AMOUNT_OUT_OF_RANGE, "action.amount")
    refusal = b.refused(Take("bidder", 0, amount=1, max_price=2**256))
    assert (refusal.code, refusal.detail) == (RefusalCode.AMOUNT_OUT_OF_RANGE, "action.max_price")


@pytest.mark.covers("ENGINE-STEP", "NUM-UINT256")
@pytest.mark.parametrize("policy", POLICIES)
def test_the_largest_uint256_is_in_range(policy: str) -> None:
    b = book(policy, liquidity=0)
    b.do(ReportDepth(UINT256_MAX), AdvanceTime(UINT256_MAX), FundPol("dao", UINT256_MAX))
    assert b.state.market.depth == UINT256_MAX
    assert b.state.time == UINT256_MAX


@pytest.mark.covers("ENGINE-STEP")
@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("kind", sorted(LIQUIDATION_KINDS, key=lambda k: k.__name__))
def test_unsupported_liquidation_actions_are_refused_by_kind(policy: str, kind: type) -> None:
    b = book(policy, liquidity=0)
    outcome = b.step(SAMPLES[kind])
    if kind in SUPPORTED[policy]:
        assert not (
            isinstance(outcome, Refused) and outcome.refusal.code is RefusalCode.UNSUPPORTED_ACTION
        )
    else:
        assert isinstance(outcome, Refused)
        assert outcome.refusal.code is RefusalCode.UNSUPPORTED_ACTION
        assert outcome.refusal.detail == "params.policy"


@pytest.mark.covers("ENGINE-STEP")
@pytest.mark.parametrize("policy", POLICIES)
def test_the_range_check_comes_before_the_support_check(policy: str) -> None:
    b = book(policy, liquidity=0)
    unsupported = Liquidate if policy != "gen1" else Take
    sample = SAMPLES[unsupported]
    field = uint_fields(unsupported)[0]  # type: ignore[arg-type]
    refusal = b.refused(attrs.evolve(sample, **{field: -1}))  # type: ignore[misc]
    assert refusal.code is RefusalCode.AMOUNT_OUT_OF_RANGE


@pytest.mark.covers("ENGINE-STEP")
@pytest.mark.parametrize("policy", POLICIES)
def test_the_support_check_comes_before_the_guard(policy: str) -> None:
    """Position 0 and auction 0 do not exist, yet the refusal is about support."""
    b = book(policy, liquidity=0)
    for kind in LIQUIDATION_KINDS - SUPPORTED[policy]:
        assert b.refusal_code(SAMPLES[kind]) is RefusalCode.UNSUPPORTED_ACTION


@pytest.mark.covers("ENGINE-STEP")
@pytest.mark.parametrize("policy", POLICIES)
def test_common_actions_are_supported_by_every_policy(policy: str) -> None:
    b = book(policy, insurance=0)
    borrower(b, "alice", 10, 0)
    for action in (
        SupplyLiquidity("lp2", wad(1)),
        WithdrawLiquidity("lp2", wad(1)),
        FundInsurance("dao", wad(1)),
        FundPol("dao", wad(1)),
        OpenPosition("bob"),
        DepositCollateral("bob", 1, wad(1)),
        WithdrawCollateral("bob", 1, wad(1)),
        Borrow("alice", 0, wad(1_000)),
        Repay("alice", 0, wad(1_000)),
        ReportOracle(b.state.oracle.spot),
        AdvanceTime(1),
        ReportDepth(0),
    ):
        assert isinstance(b.step(action), Accepted), action


# --- results outside uint256 ----------------------------------------------------------


@pytest.mark.covers("NUM-UINT256", "ENGINE-STEP", "REFUSAL-NO-CHANGE")
@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize(
    "action",
    [
        SupplyLiquidity("lp", 1),
        FundInsurance("dao", 1),
        FundPol("dao", 1),
        DepositCollateral("alice", 0, 1),
        AdvanceTime(1),
    ],
    ids=lambda a: type(a).__name__,
)
def test_a_result_above_uint256_is_an_overflow_refusal(policy: str, action: object) -> None:
    b = book(policy, liquidity=0)
    b.do(OpenPosition("alice"))
    b.do(
        SupplyLiquidity("lp", UINT256_MAX),
        DepositCollateral("alice", 0, UINT256_MAX),
        AdvanceTime(UINT256_MAX),
    )
    # FundInsurance and FundPol add to quote_in, which the supply filled up
    assert b.refusal_code(action) is RefusalCode.OVERFLOW


@pytest.mark.covers("NUM-UINT256", "ENGINE-STEP")
def test_no_exception_escapes_step_from_an_effect() -> None:
    b = book("gen3", liquidity=0)
    b.do(SupplyLiquidity("lp", UINT256_MAX))
    outcome = step(b.state, SupplyLiquidity("lp2", 1))
    assert isinstance(outcome, Refused)
    assert outcome.refusal.code in {RefusalCode.OVERFLOW, RefusalCode.ZERO_SHARES}
