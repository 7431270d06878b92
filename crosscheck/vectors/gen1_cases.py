"""Gen 1's vectors: the spot liquidation, its close factor, bonus and dust."""

from __future__ import annotations

from crosscheck.vectors.catalogue import (
    ACCEPTED,
    BASE,
    BIG,
    Catalogue,
    crash,
)
from model.actions import (
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
    Take,
)
from model.errors import RefusalCode as R
from model.numbers import RAY, WAD


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
