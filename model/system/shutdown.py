"""Market shutdown: irreversible, as a Liquity v2 branch's (SHUTDOWN-TEST,
SHUTDOWN-IRREVERSIBLE, SHUTDOWN-NO-NEW-DEBT).

A market whose collateral at its mark is worth less than ``shutdown_ratio`` times its
receivables, or whose oracle has been silent longer than ``shutdown_stale_after``, may be
shut down by anyone. From then on it refuses new debt (``Borrow``, ``OpenPosition``);
repayments, deposits, withdrawals within the policy's rules, auctions and settlements
still run, so that it winds down.
"""

from __future__ import annotations

import attrs

from model.errors import Refusal, RefusalCode, refuse
from model.loss import mark_price
from model.state import State
from model.system.actions import ShutdownMarket
from model.system.events import MarketShutDown
from model.system.outcome import SystemTransition
from model.system.routing import market_refusal
from model.system.state import System, market_detail


def collateral_short(state: State, shutdown_ratio: int) -> bool:
    """SHUTDOWN-TEST (ratio): ``(sum collateral + sum lots) * mark < receivables * ratio``,
    exactly (both sides scaled by RAY), so a market with no debt is never short."""
    collateral = sum(p.collateral for p in state.positions.values()) + sum(
        a.lot for a in state.auctions.values()
    )
    receivables = sum(p.debt for p in state.positions.values()) + sum(
        a.debt for a in state.auctions.values()
    )
    return collateral * mark_price(state) < receivables * shutdown_ratio


def oracle_stale(state: State, stale_after: int) -> bool:
    """SHUTDOWN-TEST (oracle): the last report is older than ``stale_after`` seconds."""
    return state.time > state.oracle.last_update + stale_after


def _shutdown_guard(system: System, action: ShutdownMarket) -> Refusal | None:
    """SHUTDOWN-TEST: the market exists on a live venue, is not already shut down, and its
    collateral ratio or its oracle fails the test."""
    refusal = market_refusal(system, action.market)
    if refusal is not None:
        return refusal
    if action.market in system.shut_down:
        return refuse(RefusalCode.MARKET_SHUT_DOWN, market_detail(action.market, "shut_down"))
    state = system.markets[action.market]
    config = system.config
    if not collateral_short(state, config.shutdown_ratio) and not oracle_stale(
        state, config.shutdown_stale_after
    ):
        return refuse(
            RefusalCode.SHUTDOWN_NOT_WARRANTED, market_detail(action.market, "collateral_ratio")
        )
    return None


def shut_down(system: System, action: ShutdownMarket) -> Refusal | SystemTransition:
    """SHUTDOWN-IRREVERSIBLE: the market joins ``shut_down``; no action removes it."""
    refusal = _shutdown_guard(system, action)
    if refusal is not None:
        return refusal
    state = system.markets[action.market]
    stale = oracle_stale(state, system.config.shutdown_stale_after)
    new = attrs.evolve(system, shut_down=system.shut_down | {action.market})
    return new, (MarketShutDown(action.market, stale),)
