"""Gen 2's vectors: dss bark, take, redo and settle on the three abaci curves."""

from __future__ import annotations

import attrs

from crosscheck.vectors.case import handler_name
from crosscheck.vectors.catalogue import (
    ACCEPTED,
    BASE,
    BIG,
    Catalogue,
    crash,
    run,
    take_leaving_chost,
    with_policy,
)
from model.actions import (
    AdvanceTime,
    Borrow,
    DepositCollateral,
    EndAuction,
    Kick,
    Liquidate,
    OpenPosition,
    PolSell,
    Redo,
    ReportOracle,
    Settle,
    SupplyLiquidity,
    Take,
    WithdrawLiquidity,
)
from model.curves import ExponentialDecrease, LinearDecrease
from model.errors import RefusalCode as R
from model.numbers import RAY, WAD
from model.params.derived import gen2_chost
from model.params.presets import PRESETS
from model.params.records import Config, Gen2DutchParams


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
