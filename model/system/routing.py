"""``OnMarket``: a single-market action routed to ``model.engine.step`` on its market,
after the system's guards (SYS-ON-MARKET).

The guards look at the named market, its venue and the system's totals only: nothing
about another market's oracle, breakers or shutdown can refuse an action here
(CONTAGION-LIVENESS); the one coupling is the global exposure cap ``hole``.
"""

from __future__ import annotations

from model.actions import Borrow, OpenPosition, SupplyLiquidity, WithdrawLiquidity
from model.engine import step
from model.errors import Refusal, RefusalCode, refuse
from model.outcome import Refused
from model.state import State
from model.system.actions import OnMarket
from model.system.events import OnMarketEvent
from model.system.outcome import SystemTransition
from model.system.state import System, Topology, market_detail, total_exposure

NEW_DEBT = (Borrow, OpenPosition)
"""What a shut-down market refuses (SHUTDOWN-NO-NEW-DEBT); everything else still runs."""
LP_ACTIONS = (SupplyLiquidity, WithdrawLiquidity)
"""What the SHARED topology refuses on a market: its LPs hold system shares instead."""


def market_refusal(system: System, market: str) -> Refusal | None:
    """The market exists and its venue has not halted (SYS-VENUE-HALT)."""
    if market not in system.markets:
        return refuse(RefusalCode.UNKNOWN_MARKET, "system.markets")
    if system.venue_of.get(market, "") in system.halted:
        return refuse(RefusalCode.VENUE_HALTED, market_detail(market, "venue"))
    return None


def hole_refusal(system: System, market: str, before: State, after: State) -> Refusal | None:
    """SYS-HOLE: a step that raises its market's exposure must leave the markets' total
    within ``hole`` (as Maker's Dog checks ``Dirt`` against ``Hole``)."""
    if after.exposure <= before.exposure:
        return None
    if total_exposure(system) - before.exposure + after.exposure > system.config.hole:
        return refuse(RefusalCode.EXPOSURE_CAP_REACHED, "system.hole")
    return None


def on_market(system: System, action: OnMarket) -> Refusal | SystemTransition:
    """SYS-ON-MARKET: the system's guards in order (unknown market, halted venue, shutdown's
    SHUTDOWN-NO-NEW-DEBT, topology), then the engine's own step on the market, then the
    global ``hole``. The engine's refusal is passed on unchanged; an accepted step
    replaces that market only."""
    market = action.market
    refusal = market_refusal(system, market)
    if refusal is not None:
        return refusal
    if market in system.shut_down and isinstance(action.action, NEW_DEBT):
        return refuse(RefusalCode.MARKET_SHUT_DOWN, market_detail(market, "shut_down"))
    if system.config.topology is Topology.SHARED and isinstance(action.action, LP_ACTIONS):
        return refuse(RefusalCode.LIQUIDITY_IS_SHARED, "system.topology")
    before = system.markets[market]
    outcome = step(before, action.action)
    if isinstance(outcome, Refused):
        return outcome.refusal
    refusal = hole_refusal(system, market, before, outcome.state)
    if refusal is not None:
        return refusal
    events = tuple(OnMarketEvent(market, event) for event in outcome.events)
    return system_with(system, market, outcome.state), events


def system_with(system: System, market: str, state: State) -> System:
    """``system`` with ``market``'s state replaced; every other market is the same object
    (CONTAGION-ISOLATED: nothing a step on one market does reaches another's state)."""
    return System(
        config=system.config,
        markets=system.markets.set(market, state),
        venue_of=system.venue_of,
        shared=system.shared,
        backstop=system.backstop,
        ledger=system.ledger,
        shut_down=system.shut_down,
        halted=system.halted,
        clock=system.clock,
        treasury=system.treasury,
        messages=system.messages,
        next_message=system.next_message,
    )
