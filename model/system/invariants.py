"""Invariants of a system of markets and its step properties, one predicate per ID
(``spec/markets.md``). Like ``model.invariants`` they only compare, add and multiply,
so they evaluate on concrete and symbolic systems alike.
"""

from __future__ import annotations

from collections.abc import Callable

from model.invariants.state_invariants import STATE_INVARIANTS
from model.state import State
from model.system.outcome import SystemAccepted, SystemOutcome
from model.system.state import SYSTEM_ACCOUNT, System, Topology, total_exposure


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
    """SYS-CONSERVE-QUOTE: the system layer's quote (shared cash, backstop fund) is what
    came in from outsiders and from markets minus what went out to either."""
    fund = system.backstop.fund if system.backstop is not None else 0
    ledger = system.ledger
    inside = system.shared.cash + fund
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


SYSTEM_STEP_PROPERTIES: dict[str, Callable[[System, object, SystemOutcome], bool]] = {
    "SHUTDOWN-IRREVERSIBLE": shutdown_irreversible,
    "SHUTDOWN-NO-NEW-DEBT": shutdown_no_new_debt,
    "SYS-VENUE-HALT": halted_venue_still,
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
