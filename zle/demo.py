"""The built-in demo: one crash, the same book of positions, three policies side by side.

This is a deliberately small driver, not the simulation layer: honest keepers kick and
reset whenever the engine allows, bidders buy whenever an auction's price is at least
2 % below the market, a gen 1 liquidator repays as much as the close factor allows,
and each gen 3 auction that runs its course is bought by POL at the floor.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import attrs

from model import step
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
    Redo,
    ReportDepth,
    ReportOracle,
    Settle,
    SupplyLiquidity,
    Take,
)
from model.events import Buffer, IncentivePaid, Liquidated, ShortfallCovered, Taken
from model.numbers.fixed_point import RAY, WAD
from model.outcome import Accepted
from model.params.presets import PRESETS
from model.policies import gen1_spot
from model.state import State, genesis

REPORT_EVERY = 600
BID_DISCOUNT = 2  # percent below market at which bidders buy


def crash_path() -> list[int]:
    """Market prices (quote per collateral, whole units) every 10 minutes.

    Flat at 2,000, a 3-hour slide to 1,700, a one-report gap of -25 %, a 3-hour slide
    to 1,100, and a 3-hour partial recovery to 1,400.
    """

    def slide(start: int, end: int, steps: int) -> list[int]:
        return [start + (end - start) * (i + 1) // steps for i in range(steps)]

    path = [2000] * 6
    path += slide(2000, 1700, 18)
    path += [1275]
    path += slide(1275, 1100, 18)
    path += slide(1100, 1400, 18)
    return path


@attrs.frozen
class Book:
    """The positions every policy starts from: (collateral, debt) in whole units."""

    positions: tuple[tuple[int, int], ...]

    @staticmethod
    def default(count: int = 30, price: int = 2000) -> Book:
        rows = []
        for i in range(count):
            ratio_bp = 15_500 + i * 350  # collateral ratios 155 % .. 256.5 %
            collateral = 10 + (i % 5) * 5
            rows.append((collateral, collateral * price * 10_000 // ratio_bp))
        return Book(tuple(rows))


@attrs.define
class Tally:
    liquidations: int = 0
    resets: int = 0
    incentives: int = 0
    shortfall_insurance: int = 0
    shortfall_pol: int = 0
    extraction: int = 0


def _apply(state: State, action: object, tally: Tally, market: int) -> State:
    outcome = step(state, action)
    if not isinstance(outcome, Accepted):
        return state
    for event in outcome.events:
        if isinstance(event, IncentivePaid):
            tally.incentives += event.amount
        elif isinstance(event, Taken):
            tally.extraction += event.collateral * market - event.paid
        elif isinstance(event, Liquidated):
            tally.liquidations += 1
            tally.extraction += event.seized * market - event.repaid
        elif isinstance(event, ShortfallCovered) and event.source is Buffer.INSURANCE:
            tally.shortfall_insurance += event.amount
        elif isinstance(event, ShortfallCovered) and event.source is Buffer.POL:
            tally.shortfall_pol += event.amount
    if isinstance(action, Kick):
        tally.liquidations += 1
    if isinstance(action, Redo):
        tally.resets += 1
    return outcome.state


def _setup(policy: str, book: Book) -> State:
    state = genesis(PRESETS[policy], spot=2000 * RAY, depth=1_000 * WAD)
    setup: list[object] = [
        SupplyLiquidity("lp", 5_000_000 * WAD),
        FundInsurance("treasury", 50_000 * WAD),
        FundPol("treasury", 500_000 * WAD),
    ]
    for i, (collateral, debt) in enumerate(book.positions):
        setup += [
            OpenPosition(f"borrower{i}"),
            DepositCollateral(f"borrower{i}", i, collateral * WAD),
            Borrow(f"borrower{i}", i, debt * WAD),
        ]
    for action in setup:
        outcome = step(state, action)
        if not isinstance(outcome, Accepted):
            raise RuntimeError(f"demo set-up refused {action}: {outcome.refusal}")
        state = outcome.state
    return state


def _keepers(state: State, policy: str, market: int, tally: Tally) -> State:
    for position_id, position in state.positions.items():
        if position.debt == 0:
            continue
        if policy == "gen1":
            if gen1_spot.liquidatable(state, position):
                repay = gen1_spot.max_repay(state, position)
                state = _apply(state, Liquidate("liquidator", position_id, repay), tally, market)
        else:
            state = _apply(state, Kick("keeper", position_id), tally, market)
    for auction_id in list(state.auctions.keys()):
        state = _apply(state, Redo("keeper", auction_id), tally, market)
        bid_limit = market * RAY * (100 - BID_DISCOUNT) // 100
        state = _apply(state, Take("bidder", auction_id, 10**30, bid_limit), tally, market)
        state = _apply(state, EndAuction(auction_id), tally, market)
        state = _apply(state, Settle(auction_id), tally, market)
    return state


def run_policy(policy: str, book: Book, path: list[int]) -> tuple[State, Tally]:
    """Run the crash under ``policy``; the final state and what happened."""
    state = _setup(policy, book)
    tally = Tally()
    state = _apply(state, ReportDepth(200 * WAD), tally, path[0])
    for price in path:
        for _ in range(REPORT_EVERY // 60):
            state = _apply(state, AdvanceTime(60), tally, price)
            state = _keepers(state, policy, price, tally)
        state = _apply(state, ReportOracle(price * RAY), tally, price)
        state = _keepers(state, policy, price, tally)
    return state, tally


def _money(amount: int) -> str:
    return f"{amount / WAD:,.0f}"


def comparison_rows(
    book: Book | None = None, path: list[int] | None = None
) -> Iterator[dict[str, Any]]:
    """One row of figures per policy, for the demo table."""
    book = book or Book.default()
    path = path or crash_path()
    final_market = path[-1]
    for policy in ("gen1", "gen2", "gen3"):
        state, tally = run_policy(policy, book, path)
        pol_value = state.buffers.pol_collateral * final_market
        pol_paid = 500_000 * WAD - state.buffers.pol_quote - tally.shortfall_pol
        yield {
            "policy": policy,
            "liquidations": tally.liquidations,
            "resets": tally.resets,
            "lp_loss": _money(state.ledger.bad_debt),
            "insurance_drawn": _money(tally.shortfall_insurance + tally.incentives),
            "pol_collateral": f"{state.buffers.pol_collateral / WAD:,.2f}",
            "pol_pnl": _money(pol_value - pol_paid),
            "keeper_incentives": _money(tally.incentives),
            "buyer_gain": _money(tally.extraction),
        }


COLUMNS: tuple[tuple[str, str], ...] = (
    ("policy", "policy"),
    ("liquidations", "liquidations"),
    ("resets", "resets"),
    ("lp_loss", "LP loss (bad debt)"),
    ("insurance_drawn", "insurance drawn"),
    ("pol_collateral", "POL collateral bought"),
    ("pol_pnl", "POL mark-to-market"),
    ("keeper_incentives", "keeper incentives"),
    ("buyer_gain", "buyers' gain vs market"),
)


def render(rows: list[dict[str, Any]], echo: Callable[[Any], None]) -> None:
    from rich.table import Table

    table = Table(title="Demo: one crash (2,000 -> 1,100, one -25 % gap), 30 positions")
    for _, header in COLUMNS:
        table.add_column(header, justify="right")
    for row in rows:
        table.add_row(*(str(row[key]) for key, _ in COLUMNS))
    echo(table)
