"""The hand-built vector catalogue: a named case for every guard's refusal and the
main branches of every action, under each policy.

Every pre-state is *reached* from genesis through accepted actions (never assembled
field by field), so each vector is a state the engine can be in. Each case declares
the outcome it is meant to reach; generation fails, naming the case, if the model no
longer reaches it, so the catalogue cannot silently drift from the model.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import attrs

from crosscheck.vectors.case import VectorCase, handler_name
from model.actions import (
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
    Redo,
    Repay,
    ReportDepth,
    ReportOracle,
    Settle,
    SupplyLiquidity,
    Take,
    WithdrawCollateral,
    WithdrawLiquidity,
)
from model.curves import ExponentialDecrease, LinearDecrease
from model.engine import step as model_step
from model.errors import RefusalCode as R
from model.numbers import RAY, UINT256_MAX, WAD, rmul_down, rmul_up
from model.outcome import Accepted
from model.params.derived import gen2_chost, gen3_chost
from model.params.presets import PRESETS
from model.params.records import Config, Gen2DutchParams, Gen3ZeroLossParams
from model.policies import policy_of
from model.state import Auction, State, genesis

ACCEPTED = "accepted"
BIG = 10**40
"""A ``max_price`` no auction reaches."""


class VectorBuildError(Exception):
    """A catalogue case no longer reaches the state or outcome it was written for."""


def run(state: State, actions: Sequence[object], what: str) -> State:
    """``state`` after ``actions``, each of which must be accepted."""
    for action in actions:
        outcome = model_step(state, action)
        if not isinstance(outcome, Accepted):
            raise VectorBuildError(f"{what}: set-up step {action} refused: {outcome.refusal}")
        state = outcome.state
    return state


def crash(to: int, reports: int = 20) -> list[object]:
    """``reports`` oracle reports at price ``to`` (whole units), ten minutes apart."""
    out: list[object] = []
    for _ in range(reports):
        out += [AdvanceTime(600), ReportOracle(to * RAY)]
    return out


BASE: tuple[object, ...] = (
    SupplyLiquidity("lp", 1_000_000 * WAD),
    FundInsurance("dao", 10_000 * WAD),
    FundPol("dao", 100_000 * WAD),
    OpenPosition("ann"),
    DepositCollateral("ann", 0, 10 * WAD),
    Borrow("ann", 0, 8_000 * WAD),
    OpenPosition("bob"),
    DepositCollateral("bob", 1, 10 * WAD),
    Borrow("bob", 1, 11_800 * WAD),
    OpenPosition("cat"),
    DepositCollateral("cat", 2, 5 * WAD),
)
"""Ann at 250 %, Bob at 169 % (liquidatable after a fall to 1,400), Cat with no debt."""

NO_POL: tuple[object, ...] = tuple(a for a in BASE if not isinstance(a, FundPol))
"""The same book without protocol-owned liquidity (gen 3 resets need POL unable to buy)."""


@attrs.define
class Catalogue:
    """The cases of one policy, built from named set-ups."""

    policy: str
    config: Config
    cases: list[VectorCase] = attrs.Factory(list)
    _states: dict[str, State] = attrs.Factory(dict)

    def state(self, name: str, *actions: object, config: Config | None = None) -> State:
        """The state after genesis and ``actions`` (memoised by ``name``)."""
        if name not in self._states:
            start = genesis(config or self.config, spot=2000 * RAY, depth=1_000 * WAD)
            self._states[name] = run(start, actions, f"{self.policy} set-up {name!r}")
        return self._states[name]

    def base(self, *more: object) -> tuple[object, ...]:
        return (*BASE, *more)

    def add(self, name: str, description: str, pre: State, action: object, expect: object) -> None:
        case = VectorCase(
            policy=self.policy,
            name=name,
            config=pre.config,
            pre=pre,
            action=action,
            description=description,
            source="constructed",
        )
        outcome = case.outcome()
        got = ACCEPTED if isinstance(outcome, Accepted) else outcome.refusal.code
        if got != expect:
            raise VectorBuildError(
                f"{self.policy}/{case.handler}/{name}: expected {expect}, got {got}"
            )
        self.cases.append(case)


def take_leaving_chost(state: State, auction_id: int, chost: int) -> Take:
    """A partial take that would leave less than ``chost`` of tab, so it is cut to leave
    exactly ``chost`` (dss Clipper's ``chost`` rule)."""
    auction = state.auctions[auction_id]
    price = auction_price(state, auction)
    return Take("bidder", auction_id, (auction.tab - chost // 2) * RAY // price, BIG)


def with_policy(config: Config, **changes: Any) -> Config:
    policy: Any = config.policy
    return attrs.evolve(config, policy=attrs.evolve(policy, **changes))


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


def gen1_cases(cat: Catalogue) -> None:
    crashed = cat.state("crashed", *BASE, *crash(1400))
    deeper = cat.state("deeper", *BASE, *crash(1300))
    wiped = cat.state("wiped", *BASE, *crash(1000))
    add = cat.add
    add("unsupported_kick", "gen 1 has no auctions", crashed, Kick("k", 1), R.UNSUPPORTED_ACTION)
    add("unsupported_take", "", crashed, Take("b", 0, WAD, BIG), R.UNSUPPORTED_ACTION)
    add("unsupported_redo", "", crashed, Redo("k", 0), R.UNSUPPORTED_ACTION)
    add("unsupported_end", "", crashed, EndAuction(0), R.UNSUPPORTED_ACTION)
    add("unsupported_pol_sell", "", crashed, PolSell("desk", WAD, WAD), R.UNSUPPORTED_ACTION)
    add("unsupported_settle", "", crashed, Settle(0), R.UNSUPPORTED_ACTION)
    add(
        "close_factor",
        "repays half the debt, seizes at spot plus bonus",
        crashed,
        Liquidate("liq", 1, 5_900 * WAD),
        ACCEPTED,
    )
    add(
        "close_factor_exceeded",
        "",
        crashed,
        Liquidate("liq", 1, 5_901 * WAD),
        R.CLOSE_FACTOR_EXCEEDED,
    )
    add("unknown", "", crashed, Liquidate("liq", 9, WAD), R.UNKNOWN_POSITION)
    add("zero", "", crashed, Liquidate("liq", 1, 0), R.ZERO_AMOUNT)
    add("no_debt", "", crashed, Liquidate("liq", 2, WAD), R.NOTHING_TO_LIQUIDATE)
    add("healthy", "", crashed, Liquidate("liq", 0, WAD), R.NOT_LIQUIDATABLE)
    add(
        "full_close",
        "below full_close_ratio the whole debt may go",
        deeper,
        Liquidate("liq", 1, 11_800 * WAD),
        ACCEPTED,
    )
    add("leaves_dust", "", deeper, Liquidate("liq", 1, 11_300 * WAD), R.DUST)
    small = cat.state(
        "small_debt",
        *BASE,
        OpenPosition("dan"),
        DepositCollateral("dan", 3, WAD),
        Borrow("dan", 3, 1_500 * WAD),
        ReportOracle(1_800 * RAY),
    )
    add(
        "close_factor_whole_when_rest_is_dust",
        "half the debt would leave less than dust: all of it may go",
        small,
        Liquidate("liq", 3, 1_500 * WAD),
        ACCEPTED,
    )
    add(
        "bad_debt",
        "the collateral runs out: the rest is written off against LPs",
        wiped,
        Liquidate("liq", 1, 11_800 * WAD),
        ACCEPTED,
    )


def gen2_cases(cat: Catalogue) -> None:
    p = PRESETS["gen2"].policy
    assert isinstance(p, Gen2DutchParams)
    crashed = cat.state("crashed", *BASE, *crash(1400))
    kicked = cat.state("kicked", *BASE, *crash(1400), Kick("kpr", 1))
    add = cat.add
    add("unsupported_liquidate", "", crashed, Liquidate("l", 1, WAD), R.UNSUPPORTED_ACTION)
    add("unsupported_end", "", kicked, EndAuction(0), R.UNSUPPORTED_ACTION)
    add("unsupported_pol_sell", "", kicked, PolSell("desk", WAD, WAD), R.UNSUPPORTED_ACTION)
    add("kick", "the whole position, top = spot * buf", crashed, Kick("kpr", 1), ACCEPTED)
    add("kick_unknown", "", crashed, Kick("kpr", 9), R.UNKNOWN_POSITION)
    add("kick_no_debt", "", crashed, Kick("kpr", 2), R.NOTHING_TO_LIQUIDATE)
    add("kick_safe", "", crashed, Kick("kpr", 0), R.NOT_LIQUIDATABLE)
    holed = Config(
        oracle=cat.config.oracle, dust=cat.config.dust, policy=attrs.evolve(p, hole=5_000 * WAD)
    )
    partial = cat.state("holed", *BASE, *crash(1400), config=holed)
    add("kick_partial_hole", "only what fits under hole", partial, Kick("kpr", 1), ACCEPTED)
    full = cat.state("holed_full", *BASE, *crash(1400), Kick("kpr", 1), config=holed)
    add("kick_hole_full", "", full, Kick("kpr", 1), R.EXPOSURE_CAP_REACHED)
    tiny = Config(
        oracle=cat.config.oracle, dust=cat.config.dust, policy=attrs.evolve(p, hole=1_000 * WAD)
    )
    add(
        "kick_dusty",
        "the room under hole is below dust",
        cat.state("tiny_hole", *BASE, *crash(1400), config=tiny),
        Kick("kpr", 1),
        R.DUSTY_AUCTION,
    )
    add("take_partial", "", kicked, Take("bidder", 0, 2 * WAD, BIG), ACCEPTED)
    later = cat.state("kicked_later", *BASE, *crash(1400), Kick("kpr", 1), AdvanceTime(90))
    rounds = Take("bidder", 0, WAD + 1, BIG)
    add("take_rounds_up", "the bidder pays ceil(collateral * price)", later, rounds, ACCEPTED)
    add("take_all", "pays the tab, leaves lot", kicked, Take("bidder", 0, 10 * WAD, BIG), ACCEPTED)
    add("take_too_expensive", "", kicked, Take("bidder", 0, WAD, 1400 * RAY), R.TOO_EXPENSIVE)
    add("take_unknown", "", kicked, Take("bidder", 5, WAD, BIG), R.UNKNOWN_AUCTION)
    add("take_zero", "amount 0 is a no-op, as in dss", kicked, Take("bidder", 0, 0, BIG), ACCEPTED)
    add("take_out_of_range", "", kicked, Take("bidder", 0, WAD, 2**256), R.AMOUNT_OUT_OF_RANGE)
    after_tail = cat.state("after_tail", *BASE, *crash(1400), Kick("kpr", 1), AdvanceTime(8_401))
    add(
        "take_needs_reset",
        "past tail",
        after_tail,
        Take("bidder", 0, WAD, BIG),
        R.AUCTION_NEEDS_RESET,
    )
    add("redo", "restarts from spot, pays the keeper", after_tail, Redo("kpr2", 0), ACCEPTED)
    add("redo_fresh", "", kicked, Redo("kpr2", 0), R.AUCTION_CANNOT_RESET)
    add("redo_unknown", "", kicked, Redo("kpr2", 5), R.UNKNOWN_AUCTION)
    sold = cat.state("sold", *BASE, *crash(1400), Kick("kpr", 1), Take("bidder", 0, 10 * WAD, BIG))
    add("take_finished", "", sold, Take("bidder", 0, WAD, BIG), R.AUCTION_FINISHED)
    add("redo_finished", "", sold, Redo("kpr", 0), R.AUCTION_FINISHED)
    add("settle_returns_collateral", "leftover lot goes back", sold, Settle(0), ACCEPTED)
    add("settle_unfinished", "", kicked, Settle(0), R.AUCTION_NOT_FINISHED)
    add("settle_unknown", "", kicked, Settle(5), R.UNKNOWN_AUCTION)
    cheap = cat.state(
        "sold_short",
        *BASE,
        *crash(1400),
        Kick("kpr", 1),
        AdvanceTime(7_200),
        Take("bidder", 0, 10 * WAD, BIG),
    )
    add("settle_shortfall", "the lot sold short: surplus covers it", cheap, Settle(0), ACCEPTED)
    chost = gen2_chost(p, cat.config.dust)
    cut = take_leaving_chost(kicked, 0, chost)
    add("take_cut_to_chost", "a partial take may not leave less than chost", kicked, cut, ACCEPTED)
    at_chost = cat.state("at_chost", *BASE, *crash(1400), Kick("kpr", 1), cut)
    add(
        "take_no_partial",
        "tab <= chost: only the whole",
        at_chost,
        Take("bidder", 0, 10**14, BIG),
        R.NO_PARTIAL_PURCHASE,
    )
    insolvent_pool = cat.state(
        "insolvent_pool",
        SupplyLiquidity("lp", 20_000 * WAD),
        OpenPosition("bob"),
        DepositCollateral("bob", 0, 10 * WAD),
        Borrow("bob", 0, 13_000 * WAD),
        WithdrawLiquidity("lp", 7_000 * WAD),
        *crash(1400),
        Kick("kpr", 0),
        AdvanceTime(7_200),
        Take("bidder", 0, 10 * WAD, BIG),
    )
    paid = insolvent_pool.pool.cash
    written_off = run(insolvent_pool, [WithdrawLiquidity("lp", paid), Settle(0)], "gen2 insolvent")
    add(
        "settle_shortfall_lps",
        "no surplus: LPs write the shortfall off",
        run(insolvent_pool, [WithdrawLiquidity("lp", paid)], "gen2 insolvent"),
        Settle(0),
        ACCEPTED,
    )
    add(
        "supply_pool_insolvent",
        "shares outstanding, no claims",
        written_off,
        SupplyLiquidity("lp2", WAD),
        R.POOL_INSOLVENT,
    )
    whale = cat.state(
        "one_wei_collateral",
        SupplyLiquidity("lp", 1_000_000 * WAD),
        OpenPosition("zed"),
        DepositCollateral("zed", 0, 1),
        AdvanceTime(600),
        ReportOracle(2 * 10**49),
        Borrow("zed", 0, 11_800 * WAD),
        AdvanceTime(600),
        ReportOracle(10**49),
        config=holed,
    )
    add(
        "kick_null_auction", "the partial lot rounds to zero", whale, Kick("kpr", 0), R.NULL_AUCTION
    )
    near = cat.state(
        "hole_near", *BASE, *crash(1400), config=with_policy(cat.config, hole=12_900 * WAD)
    )
    add(
        "kick_whole_when_rest_is_dust",
        "hole would leave dust: the whole debt",
        near,
        Kick("kpr", 1),
        ACCEPTED,
    )
    unpaid = with_policy(cat.config, chip=0, tip=0)
    add(
        "kick_no_incentive",
        "tip and chip are zero",
        cat.state("no_incentive", *BASE, *crash(1400), config=unpaid),
        Kick("kpr", 1),
        ACCEPTED,
    )
    add(
        "redo_no_incentive",
        "",
        cat.state(
            "no_incentive_tail",
            *BASE,
            *crash(1400),
            Kick("kpr", 1),
            AdvanceTime(8_401),
            config=unpaid,
        ),
        Redo("kpr", 0),
        ACCEPTED,
    )
    for curve in (LinearDecrease(tau=3_600), ExponentialDecrease(cut=RAY * 999 // 1_000)):
        label = handler_name(curve)
        shaped = with_policy(cat.config, curve=curve)
        later = cat.state(
            f"{label}_later", *BASE, *crash(1400), Kick("kpr", 1), AdvanceTime(601), config=shaped
        )
        add(
            f"take_{label}",
            f"a take on the {type(curve).__name__} curve",
            later,
            Take("bidder", 0, WAD, BIG),
            ACCEPTED,
        )
        gone = cat.state(
            f"{label}_gone", *BASE, *crash(1400), Kick("kpr", 1), AdvanceTime(3_000), config=shaped
        )
        add(
            f"take_{label}_below_cusp", "", gone, Take("bidder", 0, WAD, BIG), R.AUCTION_NEEDS_RESET
        )


def gen3_cases(cat: Catalogue) -> None:
    p = PRESETS["gen3"].policy
    assert isinstance(p, Gen3ZeroLossParams)
    crashed = cat.state("crashed", *BASE, *crash(1400))
    kicked = cat.state("kicked", *BASE, *crash(1400), Kick("kpr", 1))
    add = cat.add
    add("unsupported_liquidate", "", crashed, Liquidate("l", 1, WAD), R.UNSUPPORTED_ACTION)
    add("kick_to_target", "a slice restoring the target ratio", crashed, Kick("kpr", 1), ACCEPTED)
    add("kick_unknown", "", crashed, Kick("kpr", 9), R.UNKNOWN_POSITION)
    add("kick_no_debt", "", crashed, Kick("kpr", 2), R.NOTHING_TO_LIQUIDATE)
    add("kick_safe", "", crashed, Kick("kpr", 0), R.NOT_LIQUIDATABLE)
    stale = cat.state("crashed_stale", *BASE, *crash(1400), AdvanceTime(3_601))
    add("kick_stale_oracle", "", stale, Kick("kpr", 1), R.ORACLE_STALE)
    add("withdraw_collateral_stale", "", stale, WithdrawCollateral("ann", 0, WAD), R.ORACLE_STALE)
    add("borrow_stale", "", stale, Borrow("ann", 0, WAD), R.ORACLE_STALE)
    deviated = cat.state("deviated", *BASE, *crash(1400), *crash(1000, reports=1))
    add(
        "kick_deviation",
        "spot too far from reference",
        deviated,
        Kick("kpr", 1),
        R.DEVIATION_BREAKER,
    )
    no_depth = cat.state("no_depth", *BASE, *crash(1400), ReportDepth(0))
    add("kick_no_depth", "", no_depth, Kick("kpr", 1), R.DEPTH_EXHAUSTED)
    capped = Config(
        oracle=cat.config.oracle,
        dust=cat.config.dust,
        policy=attrs.evolve(p, exposure_cap=2_000 * WAD),
    )
    add(
        "kick_exposure_room",
        "cut to the exposure room",
        cat.state("capped", *BASE, *crash(1400), config=capped),
        Kick("kpr", 1),
        ACCEPTED,
    )
    add(
        "kick_exposure_full",
        "",
        cat.state("capped_full", *BASE, *crash(1400), Kick("kpr", 1), config=capped),
        Kick("kpr", 1),
        R.EXPOSURE_CAP_REACHED,
    )
    insolvent = cat.state("insolvent", *BASE, *crash(1050, reports=25))
    add("kick_insolvent", "the backstop: pro rata, whole lot", insolvent, Kick("kpr", 1), ACCEPTED)
    add("take_partial", "", kicked, Take("bidder", 0, WAD, BIG), ACCEPTED)
    later = cat.state("kicked_later", *BASE, *crash(1400), Kick("kpr", 1), AdvanceTime(7))
    rounds = Take("bidder", 0, WAD + 1, BIG)
    add("take_rounds_up", "the bidder pays ceil(collateral * price)", later, rounds, ACCEPTED)
    add("take_all", "pays the tab", kicked, Take("bidder", 0, 100 * WAD, BIG), ACCEPTED)
    add("take_too_expensive", "", kicked, Take("bidder", 0, WAD, 1400 * RAY), R.TOO_EXPENSIVE)
    add("take_unknown", "", kicked, Take("bidder", 5, WAD, BIG), R.UNKNOWN_AUCTION)
    add("take_zero", "", kicked, Take("bidder", 0, 0, BIG), R.ZERO_AMOUNT)
    decayed = cat.state("decayed", *BASE, *crash(1400), Kick("kpr", 1), AdvanceTime(600))
    add(
        "take_mid_decay",
        "price halfway from top to floor",
        decayed,
        Take("bidder", 0, WAD, BIG),
        ACCEPTED,
    )
    at_floor = cat.state("at_floor", *BASE, *crash(1400), Kick("kpr", 1), AdvanceTime(1_800))
    add("take_at_floor", "never below the floor", at_floor, Take("bidder", 0, WAD, BIG), ACCEPTED)
    frozen = cat.state("frozen", *BASE, *crash(1050, reports=25), Kick("kpr", 1))
    add(
        "withdraw_frozen",
        "an unbacked auction is live",
        frozen,
        WithdrawLiquidity("lp", WAD),
        R.WITHDRAWALS_FROZEN,
    )
    # a reset needs: the stage expired, POL unable to buy the lot, the reference moved
    moved = cat.state("moved", *NO_POL, *crash(1400), Kick("kpr", 1), *crash(1200, reports=8))
    add("redo", "expired, POL cannot buy, the reference moved", moved, Redo("kpr2", 0), ACCEPTED)
    add("redo_not_expired", "", kicked, Redo("kpr2", 0), R.AUCTION_NOT_EXPIRED)
    add("redo_unknown", "", kicked, Redo("kpr2", 5), R.UNKNOWN_AUCTION)
    pol_covers = cat.state(
        "moved_up_pol", *BASE, *crash(1400), Kick("kpr", 1), *crash(1600, reports=8)
    )
    add(
        "redo_pol_covers",
        "POL can still buy the lot, at a floor below the mark",
        pol_covers,
        Redo("kpr2", 0),
        R.AUCTION_CANNOT_RESET,
    )
    above_mark = cat.state(
        "moved_pol", *BASE, *crash(1400), Kick("kpr", 1), *crash(1200, reports=8)
    )
    add(
        "redo_floor_above_mark",
        "POL has the reserves, but the floor is above the mark: the stage resets",
        above_mark,
        Redo("kpr2", 0),
        ACCEPTED,
    )
    add(
        "end_would_overpay",
        "the floor is above min(spot, reference): POL does not buy",
        above_mark,
        EndAuction(0),
        R.POL_WOULD_OVERPAY,
    )
    moved_stale = cat.state(
        "moved_stale",
        *NO_POL,
        *crash(1400),
        Kick("kpr", 1),
        *crash(1200, reports=8),
        AdvanceTime(3_601),
    )
    add("redo_stale", "", moved_stale, Redo("kpr2", 0), R.ORACLE_STALE)
    expired = cat.state("expired", *BASE, *crash(1400), Kick("kpr", 1), AdvanceTime(3_600))
    add("end", "POL buys the lot at the floor", expired, EndAuction(0), ACCEPTED)
    add("end_early", "", kicked, EndAuction(0), R.AUCTION_NOT_EXPIRED)
    add("end_unknown", "", kicked, EndAuction(5), R.UNKNOWN_AUCTION)
    no_pol = cat.state(
        "no_pol",
        *(a for a in BASE if not isinstance(a, FundPol)),
        *crash(1400),
        Kick("kpr", 1),
        AdvanceTime(3_600),
    )
    add("end_no_reserves", "", no_pol, EndAuction(0), R.POL_NO_RESERVES)
    # POL passes on what it bought (ACT-POL-SELL): 7.99 collateral at the floor of 1,260
    holding = cat.state("pol_holding", *BASE, *crash(1400), Kick("kpr", 1), AdvanceTime(1_800))
    holding = run(holding, [EndAuction(0)], "gen3 POL buys")
    least = rmul_up(WAD, rmul_down(holding.oracle.reference, p.floor_ratio))
    add("pol_sell", "at the floor of the reference", holding, PolSell("desk", WAD, least), ACCEPTED)
    add("pol_sell_zero", "", holding, PolSell("desk", 0, least), R.ZERO_AMOUNT)
    add(
        "pol_sell_below_floor",
        "one unit of quote short of amount * floor",
        holding,
        PolSell("desk", WAD, least - 1),
        R.BELOW_FLOOR,
    )
    add(
        "pol_sell_more_than_held",
        "",
        holding,
        PolSell("desk", holding.buffers.pol_collateral + 1, BIG),
        R.INSUFFICIENT_COLLATERAL,
    )
    add(
        "pol_sell_stale",
        "",
        run(holding, [AdvanceTime(3_601)], "gen3 POL stale"),
        PolSell("desk", WAD, BIG),
        R.ORACLE_STALE,
    )
    add(
        "pol_sell_depth",
        "more than depth_fraction of a shallow market in one period",
        run(holding, [ReportDepth(10 * WAD)], "gen3 POL shallow"),
        PolSell("desk", 6 * WAD, BIG),
        R.DEPTH_EXHAUSTED,
    )
    add("pol_sell_out_of_range", "", holding, PolSell("desk", 2**256, 0), R.AMOUNT_OUT_OF_RANGE)
    add(
        "redo_not_moved",
        "the reference is within reset_band",
        no_pol,
        Redo("kpr2", 0),
        R.AUCTION_CANNOT_RESET,
    )
    sold = cat.state("sold", *BASE, *crash(1400), Kick("kpr", 1), Take("bidder", 0, 100 * WAD, BIG))
    add("take_finished", "", sold, Take("bidder", 0, WAD, BIG), R.AUCTION_FINISHED)
    add("redo_finished", "", sold, Redo("kpr", 0), R.AUCTION_FINISHED)
    add("end_finished", "", sold, EndAuction(0), R.AUCTION_FINISHED)
    add("settle_returns_collateral", "", sold, Settle(0), ACCEPTED)
    add("settle_unfinished", "", kicked, Settle(0), R.AUCTION_NOT_FINISHED)
    add("settle_unknown", "", kicked, Settle(5), R.UNKNOWN_AUCTION)
    add(
        "supply_zero_shares",
        "claims grew past shares: 1 wei buys no share",
        sold,
        SupplyLiquidity("lp2", 1),
        R.ZERO_SHARES,
    )
    insolvent_sold = cat.state(
        "insolvent_sold",
        *BASE,
        *crash(1050, reports=25),
        Kick("kpr", 1),
        AdvanceTime(3_600),
        Take("bidder", 0, 100 * WAD, BIG),  # the whole lot at the floor, short of the debt
    )
    add(
        "settle_shortfall",
        "insurance covers the shortfall first",
        insolvent_sold,
        Settle(0),
        ACCEPTED,
    )
    chost = gen3_chost(p, cat.config.dust)
    cut = take_leaving_chost(kicked, 0, chost)
    add("take_cut_to_chost", "a partial take may not leave less than chost", kicked, cut, ACCEPTED)
    at_chost = cat.state("at_chost", *BASE, *crash(1400), Kick("kpr", 1), cut)
    add(
        "take_no_partial",
        "tab <= chost: only the whole",
        at_chost,
        Take("bidder", 0, 10**14, BIG),
        R.NO_PARTIAL_PURCHASE,
    )
    tiny_cap = with_policy(cat.config, exposure_cap=1_000 * WAD)
    add(
        "kick_room_below_dust",
        "the exposure room is below a dust-sized slice",
        cat.state("tiny_cap", *BASE, *crash(1400), config=tiny_cap),
        Kick("kpr", 1),
        R.EXPOSURE_CAP_REACHED,
    )
    shallow = cat.state("shallow", *BASE, *crash(1400), ReportDepth(10 * WAD))
    add("kick_depth_room", "cut to the depth room of the period", shallow, Kick("kpr", 1), ACCEPTED)
    thin = cat.state("thin", *BASE, *crash(1400), ReportDepth(WAD))
    add(
        "kick_depth_room_below_dust",
        "the depth room is below a dust-sized slice",
        thin,
        Kick("kpr", 1),
        R.DEPTH_EXHAUSTED,
    )
    used = cat.state("depth_used", *BASE, *crash(1400), ReportDepth(10 * WAD), Kick("kpr", 1))
    add("kick_depth_used", "the period's depth is used up", used, Kick("kpr", 1), R.DEPTH_EXHAUSTED)
    rolled = cat.state(
        "depth_rolled", *BASE, *crash(1400), ReportDepth(10 * WAD), Kick("kpr", 1), AdvanceTime(600)
    )
    add("kick_next_period", "a new unwind period", rolled, Kick("kpr", 1), ACCEPTED)
    jumpy = attrs.evolve(
        cat.config, oracle=attrs.evolve(cat.config.oracle, max_step=RAY * 99 // 100)
    )
    to_one_wei = [a for _ in range(20) for a in (AdvanceTime(600), ReportOracle(1))]
    floorless = cat.state("floorless", *BASE, *to_one_wei, config=jumpy)
    add("kick_zero_floor", "the floor rounds to zero", floorless, Kick("kpr", 1), R.INVALID_PRICE)
    kicked_jumpy = cat.state(
        "kicked_jumpy", *NO_POL, *crash(1400), Kick("kpr", 1), AdvanceTime(3_600), config=jumpy
    )
    sunk = run(kicked_jumpy, to_one_wei, "gen3 sunk")
    add("redo_zero_floor", "the new floor rounds to zero", sunk, Redo("kpr", 0), R.INVALID_PRICE)
    near_cap = with_policy(cat.config, exposure_cap=12_000 * WAD)
    add(
        "kick_cut_leaves_dust",
        "cut to the room, leaving exactly dust",
        cat.state("near_cap", *BASE, *crash(1400), config=near_cap),
        Kick("kpr", 1),
        ACCEPTED,
    )
    insolvent_shallow = cat.state(
        "insolvent_shallow", *BASE, *crash(1050, reports=25), ReportDepth(10 * WAD)
    )
    add(
        "kick_insolvent_slice",
        "an insolvent position, pro rata, cut to depth",
        insolvent_shallow,
        Kick("kpr", 1),
        ACCEPTED,
    )
    unpaid = with_policy(cat.config, keeper_chip=0, keeper_tip=0)
    add(
        "kick_no_incentive",
        "tip and chip are zero",
        cat.state("no_incentive", *BASE, *crash(1400), config=unpaid),
        Kick("kpr", 1),
        ACCEPTED,
    )
    capped_incentive = with_policy(cat.config, incentive_cap=1)
    add(
        "redo_incentive_cap_reached",
        "the kick used the whole incentive cap",
        cat.state(
            "incentive_capped",
            *NO_POL,
            *crash(1400),
            Kick("kpr", 1),
            *crash(1200, reports=8),
            config=capped_incentive,
        ),
        Redo("kpr", 0),
        ACCEPTED,
    )
    lps_loss = cat.state(
        "lps_loss",
        SupplyLiquidity("lp", 1_000_000 * WAD),
        OpenPosition("bob"),
        DepositCollateral("bob", 0, 10 * WAD),
        Borrow("bob", 0, 11_800 * WAD),
        *crash(1050, reports=25),
        Kick("kpr", 0),
        AdvanceTime(1_800),
        Take("bidder", 0, 10 * WAD, BIG),
    )
    add(
        "settle_shortfall_lps",
        "no insurance, no POL: LPs write it off",
        lps_loss,
        Settle(0),
        ACCEPTED,
    )
    pol_loss = run(lps_loss, [FundPol("dao", 100_000 * WAD)], "gen3 pol")
    add("settle_shortfall_pol", "no insurance: POL covers it", pol_loss, Settle(0), ACCEPTED)


BUILDERS = {"gen1": gen1_cases, "gen2": gen2_cases, "gen3": gen3_cases}


class ConstructedCases:
    """The hand-built catalogue, as a vector source."""

    name = "constructed"

    def cases(self) -> Iterator[VectorCase]:
        from crosscheck.vectors.fidelity import FIDELITY_BUILDERS
        from crosscheck.vectors.predictive import PREDICTIVE_BUILDERS

        for policy, build in BUILDERS.items():
            cat = Catalogue(policy=policy, config=PRESETS[policy])
            common_cases(cat)
            build(cat)
            if policy in FIDELITY_BUILDERS:
                FIDELITY_BUILDERS[policy](cat)
            PREDICTIVE_BUILDERS[policy](cat)
            yield from cat.cases


def auction_price(state: State, auction: Auction) -> int:
    """The live auction's price now, as the policy's ``Take`` pays it."""
    price = policy_of(state.config).auction_price
    assert price is not None, "a policy without auctions has no auction price"
    return price(state, auction)
