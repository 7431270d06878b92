"""Vectors for the places an outside check found a port could read differently (issue 13).

Gen 2 where it follows MakerDAO's deployed Liquidations 2.0 at a boundary (the
Spotter's rounded ``spot``, a take of nothing, a take worth within one unit of the tab,
the redo incentive at ``chost``, a zero or overflowing ``top``, the largest ``tip``) or
departs from it on purpose (a tab rounded to WAD); gen 3 where the spec now says one
thing (a kick whose cap leaves nothing, POL's purchase with huge reserves, bounds on the
clock that are compared exactly). Every case names, in its description, what dss or
the spec does there, so an implementer who disagrees knows which rule to read.
"""

from __future__ import annotations

from crosscheck.vectors.catalogue import (
    ACCEPTED,
    BASE,
    BIG,
    Catalogue,
    crash,
    run,
    with_policy,
)
from model.actions import (
    AdvanceTime,
    Borrow,
    DepositCollateral,
    EndAuction,
    FundInsurance,
    FundPol,
    Kick,
    OpenPosition,
    Redo,
    ReportDepth,
    ReportOracle,
    SupplyLiquidity,
    Take,
)
from model.errors import RefusalCode as R
from model.numbers import RAY, UINT256_MAX, WAD
from model.params.records import Config
from model.state import State, genesis

BOUNDARY_MAT = 3 * RAY // 2
BOUNDARY_PRICE = 1_000 * RAY + 10**9
"""At mat 1.5, 3 collateral against ``2000 + 2e-18`` of debt is exactly safe at this price
(``C * price == D * mat``); the Spotter's ``price / mat``, rounded down, makes it unsafe."""
BOUNDARY_DEBT = 2_000 * WAD + 2


def _boundary(cat: Catalogue) -> None:
    config = with_policy(cat.config, mat=BOUNDARY_MAT)
    setup = (
        SupplyLiquidity("lp", 1_000_000 * WAD),
        OpenPosition("ann"),
        DepositCollateral("ann", 0, 3 * WAD),
    )
    opened = cat.state("boundary_open", *setup, ReportOracle(BOUNDARY_PRICE), config=config)
    cat.add(
        "borrow_boundary_not_safe",
        "C * price == D * mat exactly, but C * floor(price / mat) < D: dss Vat/not-safe",
        opened,
        Borrow("ann", 0, BOUNDARY_DEBT),
        R.UNDERCOLLATERALIZED,
    )
    borrowed = cat.state(
        "boundary_borrowed",
        *setup,
        Borrow("ann", 0, BOUNDARY_DEBT),
        ReportOracle(BOUNDARY_PRICE),
        config=config,
    )
    cat.add(
        "kick_boundary_spotter_rounding",
        "C * price == D * mat exactly; the Spotter's spot rounds down, so dss barks",
        borrowed,
        Kick("kpr", 0),
        ACCEPTED,
    )


def _one_unit_take(cat: Catalogue) -> None:
    """Bob (10 collateral, 11,800 debt; tab 13,334) kicked at a spot chosen so that 6
    collateral at the start price is worth less than the tab by less than one base unit."""
    amount = 6 * WAD
    tab = 13_334 * WAD
    spot = (tab * RAY - 1) // amount * RAY // (13 * RAY // 10)  # top = floor(spot * 1.3)
    kicked = cat.state("one_unit", *BASE, ReportOracle(spot), Kick("kpr", 1))
    auction = kicked.auctions[0]
    assert auction.tab == tab and tab * RAY - RAY < amount * auction.top < tab * RAY
    cat.add(
        "take_within_one_unit_of_tab",
        "6 * price is below the tab by less than a base unit: a partial purchase, cut to "
        "leave chost (dss compares owe < tab in RAD); rounding up to the tab would close it",
        kicked,
        Take("bidder", 0, amount, BIG),
        ACCEPTED,
    )
    # The documented departure: the tab is rounded up to WAD where dss keeps it in RAD
    # (13,334.00000000000000000113 here, 13,334.000000000000000002 in the model).
    odd_tab = 13_334 * WAD + 2
    odd_spot = (odd_tab * RAY - 1) // amount * RAY // (13 * RAY // 10)
    odd = cat.state(
        "odd_tab",
        *BASE[:-3],  # Bob's collateral, not his borrow
        Borrow("bob", 1, 11_800 * WAD + 1),
        ReportOracle(odd_spot),
        Kick("kpr", 1),
    )
    dss_tab = (11_800 * WAD + 1) * 113 * RAY // 100  # RAD, exact
    assert odd.auctions[0].tab == odd_tab
    assert dss_tab < amount * odd.auctions[0].top < odd_tab * RAY
    cat.add(
        "take_between_rad_tab_and_wad_tab",
        "worth more than dss's RAD tab, less than the WAD tab rounded up: dss closes the "
        "auction, here it is a partial purchase cut to chost (gen2.md: tab in WAD)",
        odd,
        Take("bidder", 0, amount, BIG),
        ACCEPTED,
    )


def _redo_at_chost(cat: Catalogue) -> None:
    """dust * chop / WAD = 1,130.00000000000000000113: dss compares the lot's value with
    it exactly, in RAD; rounding the value down (or chost up) would pay nothing."""
    config = Config(oracle=cat.config.oracle, dust=1_000 * WAD + 1, policy=cat.config.policy)
    after_tail = cat.state(
        "odd_dust_tail",
        *BASE,
        *crash(1400),
        Kick("kpr", 1),
        AdvanceTime(8_401),
        ReportOracle(113 * RAY + 150_000_000),  # 10 * spot = chost + 0.00000000000000000037
        config=config,
    )
    cat.add(
        "redo_incentive_lot_worth_chost",
        "the lot is worth chost plus less than one base unit: dss pays the incentive",
        after_tail,
        Redo("kpr2", 0),
        ACCEPTED,
    )


def _top(cat: Catalogue) -> None:
    zero = with_policy(cat.config, buf=1)
    cheap = (
        SupplyLiquidity("lp", 1_000_000 * WAD),
        OpenPosition("ann"),
        DepositCollateral("ann", 0, 10**30),
        ReportOracle(RAY),
        Borrow("ann", 0, 1_000 * WAD),
        ReportOracle(10**18),
    )
    cat.add(
        "kick_zero_top",
        "spot * buf < RAY: top rounds down to 0 (dss Clipper/zero-top-price)",
        cat.state("zero_top", *cheap, config=zero),
        Kick("kpr", 0),
        R.INVALID_PRICE,
    )
    after_tail = cat.state("after_tail", *BASE, *crash(1400), Kick("kpr", 1), AdvanceTime(8_401))
    cat.add(
        "redo_top_overflow",
        "spot * buf is not a uint256 (dss rmul reverts): a curve could not price the stage",
        run(after_tail, [ReportOracle(2**255)], "gen2 huge spot"),
        Redo("kpr2", 0),
        R.OVERFLOW,
    )
    tip = (2**192 - 1) // RAY
    rich = with_policy(cat.config, tip=tip)
    cat.add(
        "kick_largest_tip",
        "the largest tip dss can store (uint192 in RAD): (2**192 - 1) // 10**27",
        cat.state("largest_tip", *BASE, FundInsurance("dao", tip), *crash(1400), config=rich),
        Kick("kpr", 1),
        ACCEPTED,
    )


def _incentive_of_zero(cat: Catalogue) -> None:
    """``tip = 0`` and ``chip * tab`` below one base unit: dss still calls ``suck`` with
    ``coin = 0``, and gen 2 emits ``IncentivePaid(amount 0, unpaid 0)`` (gen 3 does not)."""
    config = Config(oracle=cat.config.oracle, dust=0, policy=cat.config.policy)
    tiny = (
        SupplyLiquidity("lp", 1_000_000 * WAD),
        OpenPosition("ann"),
        DepositCollateral("ann", 0, 500),
        Borrow("ann", 0, 500),
        ReportOracle(RAY),
    )
    cat.add(
        "kick_incentive_rounds_to_zero",
        "the incentive owed rounds to 0: IncentivePaid(0, 0) is still emitted, as dss sucks 0",
        cat.state("tiny_debt", *tiny, config=config),
        Kick("kpr", 0),
        ACCEPTED,
    )


def gen2_dss_cases(cat: Catalogue) -> None:
    _incentive_of_zero(cat)
    _boundary(cat)
    _one_unit_take(cat)
    _redo_at_chost(cat)
    _top(cat)


def _reports(start: int, end: int, step_percent: int = 2) -> list[object]:
    """Oracle reports ten minutes apart from ``start`` down to ``end`` (RAY prices),
    ``step_percent`` at a time, so the reference follows within ``max_step``."""
    out: list[object] = []
    price = start
    while price > end:
        price = max(end, price * (100 - step_percent) // 100)
        out += [AdvanceTime(600), ReportOracle(price)]
    return [*out, AdvanceTime(600), ReportOracle(end), AdvanceTime(600), ReportOracle(end)]


def _from(config: Config, spot: int, actions: list[object], what: str) -> State:
    return run(genesis(config, spot=spot, depth=10**60), actions, what)


def gen3_edge_cases(cat: Catalogue) -> None:
    # A kick whose exposure cap leaves room for nothing, with dust 0: no empty auction.
    dustless = Config(oracle=cat.config.oracle, dust=0, policy=cat.config.policy)
    first = _from(dustless, 2_000 * RAY, [*BASE, *crash(1400, 40), Kick("kpr", 1)], "gen3 dust 0")
    capped = Config(
        oracle=cat.config.oracle,
        dust=0,
        policy=with_policy(cat.config, exposure_cap=first.exposure + 1).policy,
    )
    full = _from(capped, 2_000 * RAY, [*BASE, *crash(900, 45), Kick("kpr", 1)], "gen3 capped")
    cat.add(
        "kick_cap_leaves_nothing",
        "dust 0 and a binding cap that leaves room for no debt: refused, never an empty auction",
        full,
        Kick("kpr", 0),
        R.EXPOSURE_CAP_REACHED,
    )
    # POL with huge reserves and a tiny floor: the purchase is capped at the lot first.
    tiny = [
        SupplyLiquidity("lp", 10**30),
        FundPol("dao", 10**55),
        OpenPosition("ann"),
        DepositCollateral("ann", 0, 2 * 10**44),
        Borrow("ann", 0, 1_000 * WAD),
        *_reports(10**4, 5_000),
        ReportDepth(10**60),
        Kick("kpr", 0),
        AdvanceTime(3_600),
    ]
    ended = _from(cat.config, 10**4, tiny, "gen3 tiny floor")
    cat.add(
        "end_auction_huge_reserves",
        "pol_quote / floor leaves uint256: POL's purchase is capped at the lot before dividing",
        ended,
        EndAuction(0),
        ACCEPTED,
    )
    # Bounds on the clock are compared exactly (NUM-UINT256): never OVERFLOW.
    late = [
        *BASE,
        *crash(900, 45),
        ReportDepth(10**30),
        AdvanceTime(UINT256_MAX - 100 - 45 * 600),
        ReportOracle(900 * RAY),
        Kick("kpr", 1),
    ]
    at_the_end = _from(cat.config, 2_000 * RAY, late, "gen3 end of time")
    cat.add(
        "end_auction_tic_plus_duration_beyond_uint256",
        "tic + auction_duration is not a uint256: compared exactly, so not yet expired",
        at_the_end,
        EndAuction(0),
        R.AUCTION_NOT_EXPIRED,
    )
    cat.add(
        "kick_period_start_plus_period_beyond_uint256",
        "period_start + unwind_period is not a uint256: compared exactly, same period",
        at_the_end,
        Kick("kpr", 0),
        ACCEPTED,
    )


FIDELITY_BUILDERS = {"gen2": gen2_dss_cases, "gen3": gen3_edge_cases}
