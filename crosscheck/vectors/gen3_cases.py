"""Gen 3's vectors: zones and breakers, the kick's slice, the floored auction, resets, POL's
backstop at expiry and its sales.
"""

from __future__ import annotations

import attrs

from crosscheck.vectors.catalogue import (
    ACCEPTED,
    BASE,
    BIG,
    NO_POL,
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
    FundPol,
    Kick,
    Liquidate,
    OpenPosition,
    PolSell,
    Redo,
    ReportDepth,
    ReportOracle,
    Settle,
    SupplyLiquidity,
    Take,
    WithdrawCollateral,
    WithdrawLiquidity,
)
from model.errors import RefusalCode as R
from model.numbers import RAY, WAD, rmul_down, rmul_up
from model.params.derived import gen3_chost
from model.params.presets import PRESETS
from model.params.records import Config, Gen3ZeroLossParams


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
