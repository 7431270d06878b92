"""Invariants of a system of markets and its step properties, one predicate per ID
(``spec/markets.md``). Like ``model.invariants`` they only compare, add and multiply,
so they evaluate on concrete and symbolic systems alike.
"""

from __future__ import annotations

from collections.abc import Callable

from model.invariants.state_invariants import STATE_INVARIANTS
from model.state import State
from model.system.outcome import SystemAccepted, SystemOutcome
from model.system.state import SYSTEM_ACCOUNT, System, Topology, in_flight, total_exposure


def every_market_invariant(system: System) -> bool:
    """SYS-MARKET-INVARIANTS: every single-market invariant holds for every market."""
    return all(
        holds(state) for state in system.markets.values() for holds in STATE_INVARIANTS.values()
    )


def exposure_within_hole(system: System) -> bool:
    """SYS-HOLE: the markets' exposures together are within the global ``hole``."""
    return total_exposure(system) <= system.config.hole


def backstop_within_caps(system: System) -> bool:
    """BACKSTOP-CAP: what the fund paid for each market is within its cap and within the
    market's written-off debt; only markets of the system have caps."""
    backstop = system.backstop
    if backstop is None:
        return True
    return all(
        market in system.markets
        and backstop.drawn.get(market, 0) <= cap
        and backstop.drawn.get(market, 0) <= system.markets[market].ledger.bad_debt
        for market, cap in backstop.caps.items()
    ) and all(market in backstop.caps for market in backstop.drawn)


def conserve_system_quote(system: System) -> bool:
    """SYS-CONSERVE-QUOTE and MSG-CONSERVE: the system layer's quote (shared cash, backstop
    fund, the venues' treasuries and the messages in flight) is what came in from
    outsiders and from markets minus what went out to either."""
    fund = system.backstop.fund if system.backstop is not None else 0
    ledger = system.ledger
    treasuries = sum(system.treasury.values())
    inside = system.shared.cash + fund + treasuries + in_flight(system)
    return inside + ledger.quote_out + ledger.to_markets == ledger.quote_in + ledger.from_markets


def shared_ownership(system: System) -> bool:
    """SYS-SHARED-OWNERSHIP: in SHARED, the system account is every market's only LP and the
    LPs' system shares add up; in ISOLATED, the shared pool is empty."""
    shared = system.shared
    if system.config.topology is Topology.ISOLATED:
        return shared.cash == 0 and shared.total_shares == 0 and len(shared.lp_shares) == 0
    return sum(shared.lp_shares.values()) == shared.total_shares and all(
        all(lp == SYSTEM_ACCOUNT for lp in state.lp_shares) for state in system.markets.values()
    )


def messages_well_formed(system: System) -> bool:
    """MSG-AT-MOST-ONCE: every message in flight has an id below ``next_message`` (ids are
    never reused) and goes between venues of the system."""
    venues = set(system.venue_of.values())
    return all(
        0 <= i < system.next_message and m.source in venues and m.destination in venues
        for i, m in system.messages.items()
    ) and all(venue in venues for venue in system.treasury)


def venues_known(system: System) -> bool:
    """SYS-VENUE-HALT: every market sits on one venue; shut-down markets exist."""
    return all(market in system.venue_of for market in system.markets) and all(
        market in system.markets for market in system.shut_down
    )


SYSTEM_INVARIANTS: dict[str, Callable[[System], bool]] = {
    "SYS-MARKET-INVARIANTS": every_market_invariant,
    "SYS-HOLE": exposure_within_hole,
    "BACKSTOP-CAP": backstop_within_caps,
    "SYS-CONSERVE-QUOTE": conserve_system_quote,
    "SYS-SHARED-OWNERSHIP": shared_ownership,
    "SYS-VENUE-HALT": venues_known,
    "MSG-AT-MOST-ONCE": messages_well_formed,
}


def receivables(state: State) -> int:
    """What a market's borrowers owe its pool: positions' and auctions' debt."""
    return sum(p.debt for p in state.positions.values()) + sum(
        a.debt for a in state.auctions.values()
    )


def shutdown_irreversible(pre: System, action: object, outcome: SystemOutcome) -> bool:
    """SHUTDOWN-IRREVERSIBLE: no step takes a market off the shut-down set."""
    return pre.shut_down <= outcome.system.shut_down


def shutdown_no_new_debt(pre: System, action: object, outcome: SystemOutcome) -> bool:
    """SHUTDOWN-NO-NEW-DEBT: a market shut down before the step owes its pool no more
    after it (its receivables never rise)."""
    if not isinstance(outcome, SystemAccepted):
        return True
    return all(
        receivables(outcome.system.markets[m]) <= receivables(pre.markets[m]) for m in pre.shut_down
    )


def halted_venue_still(pre: System, action: object, outcome: SystemOutcome) -> bool:
    """SYS-VENUE-HALT: the markets on a venue halted before the step are unchanged by it."""
    return all(
        outcome.system.markets[m] is pre.markets[m]
        for m in pre.markets
        if pre.venue_of.get(m, "") in pre.halted
    )


def delivered_once_after_latency(pre: System, action: object, outcome: SystemOutcome) -> bool:
    """MSG-LATENCY and MSG-AT-MOST-ONCE: a message leaves the map only by its delivery, at
    most one per step, no earlier than ``sent_at + latency``, to a live destination; no id
    below ``next_message`` comes back; ``next_message`` never falls."""
    after = outcome.system
    if after.next_message < pre.next_message:
        return False
    gone = [i for i in pre.messages if i not in after.messages]
    back = [i for i in after.messages if i not in pre.messages and i < pre.next_message]
    if back or len(gone) > 1:
        return False
    return all(
        after.clock >= pre.messages[i].sent_at + pre.config.latency
        and pre.messages[i].destination not in pre.halted
        for i in gone
    )


def halted_treasury_still(pre: System, action: object, outcome: SystemOutcome) -> bool:
    """MSG-HALT: a halted venue's treasury does not move."""
    return all(outcome.system.treasury.get(v, 0) == pre.treasury.get(v, 0) for v in pre.halted)


SYSTEM_STEP_PROPERTIES: dict[str, Callable[[System, object, SystemOutcome], bool]] = {
    "SHUTDOWN-IRREVERSIBLE": shutdown_irreversible,
    "SHUTDOWN-NO-NEW-DEBT": shutdown_no_new_debt,
    "SYS-VENUE-HALT": halted_venue_still,
    "MSG-LATENCY": delivered_once_after_latency,
    "MSG-HALT": halted_treasury_still,
}


def violated_system_invariants(system: System) -> tuple[str, ...]:
    """IDs of the system invariants ``system`` breaks (concrete systems only)."""
    return tuple(name for name, holds in SYSTEM_INVARIANTS.items() if not holds(system))


def violated_system_step_properties(
    pre: System, action: object, outcome: SystemOutcome
) -> tuple[str, ...]:
    """IDs of the system step properties a step breaks (concrete steps only)."""
    return tuple(
        name for name, holds in SYSTEM_STEP_PROPERTIES.items() if not holds(pre, action, outcome)
    )
