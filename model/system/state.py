"""The state of many markets: each a whole single-market ``State``, composed under one
exposure cap, one liquidity topology, an optional shared backstop and a set of venues.

Field by field in ``spec/markets.md``. The single-market engine is the one-market special
case: a market's ``State`` is exactly what ``model.engine.step`` takes and returns.
"""

from __future__ import annotations

import enum

import attrs
from immutables import Map

from model.numbers.fixed_point import Ray, Seconds, Wad
from model.numbers.units import Shares
from model.state import State

SYSTEM_ACCOUNT = "system"
"""The LP account through which the shared pool lends to every market (SYS-TOPOLOGY)."""


class Topology(enum.Enum):
    """Who the LPs lend to (SYS-TOPOLOGY)."""

    ISOLATED = "ISOLATED"
    """Each market has its own pool and its own LPs (Morpho Blue, Euler, Liquity v2)."""
    SHARED = "SHARED"
    """One system pool lends to every market; LPs hold its shares (Aave)."""


@attrs.frozen
class SystemConfig:
    """What does not change while the system runs."""

    topology: Topology
    hole: Wad
    """Global exposure cap: the markets' ``exposure`` added up never exceeds it (``Hole``)."""
    shutdown_ratio: Ray
    """A market whose collateral, at its mark, is worth less than ``shutdown_ratio`` times
    its receivables may be shut down (Liquity v2's ``SCR``)."""
    shutdown_stale_after: Seconds
    """A market whose oracle has not reported for longer than this may be shut down."""
    latency: Seconds = 0
    """A message between venues is delivered no earlier than this after it was sent."""


@attrs.frozen
class SharedPool:
    """The system pool of the SHARED topology: idle cash, and the LPs' system shares.

    Its value is ``cash`` plus every market's ``pool.lp_claims``, all held by
    :data:`SYSTEM_ACCOUNT` (SYS-SHARED-OWNERSHIP)."""

    cash: Wad
    total_shares: Shares
    lp_shares: Map[str, Shares]


@attrs.frozen
class Backstop:
    """A fund shared by the markets that covers written-off debt, up to a cap per market."""

    fund: Wad
    caps: Map[str, Wad]
    """Most the fund ever pays for each market, over the system's life."""
    drawn: Map[str, Wad]
    """What the fund has paid for each market so far (``<= caps``, BACKSTOP-CAP)."""


@attrs.frozen
class SystemLedger:
    """Cumulative quote across the system layer's own boundary (SYS-CONSERVE-QUOTE).

    ``quote_in``/``quote_out``: from and to outsiders (shared LPs, backstop funders).
    ``to_markets``/``from_markets``: into and out of the markets' own accounts
    (allocations and backstop draws; recalls), which the markets' ledgers count too."""

    quote_in: Wad
    quote_out: Wad
    to_markets: Wad
    from_markets: Wad


@attrs.frozen
class Message:
    """Quote in flight from one venue's treasury to another's (MSG-CONSERVE)."""

    source: str
    destination: str
    amount: Wad
    sent_at: Seconds


@attrs.frozen
class System:
    """Many markets, keyed by id; each a full single-market state.

    Requirement: SYS-STATE."""

    config: SystemConfig
    markets: Map[str, State]
    venue_of: Map[str, str]
    """The venue (chain) each market lives on."""
    shared: SharedPool
    """The shared pool (empty and unused in the ISOLATED topology)."""
    backstop: Backstop | None
    ledger: SystemLedger
    shut_down: frozenset[str] = frozenset()
    """Markets shut down, for good (SHUTDOWN-IRREVERSIBLE)."""
    halted: frozenset[str] = frozenset()
    """Venues that have halted: nothing on them moves (SYS-VENUE-HALT)."""
    clock: Seconds = 0
    """The system's time, for messages between venues (each market keeps its own)."""
    treasury: Map[str, Wad] = attrs.field(factory=Map)
    """Quote the protocol holds on each venue, which messages move between venues."""
    messages: Map[int, Message] = attrs.field(factory=Map)
    """Messages in flight, by id; a delivered message leaves the map (MSG-AT-MOST-ONCE)."""
    next_message: int = 0
    """The id the next message receives; ids are never reused."""


def compose(
    config: SystemConfig,
    markets: Map[str, State],
    venue_of: Map[str, str] | None = None,
    backstop_caps: Map[str, Wad] | None = None,
) -> System:
    """A system of ``markets`` (each built by ``model.state.genesis`` or replayed), all on
    one venue ``"main"`` unless ``venue_of`` says otherwise; a backstop with an empty fund
    and the given caps when ``backstop_caps`` is given, none otherwise."""
    venues = venue_of if venue_of is not None else Map({m: "main" for m in markets})
    backstop = (
        None
        if backstop_caps is None
        else Backstop(fund=0, caps=backstop_caps, drawn=Map({m: 0 for m in backstop_caps}))
    )
    return System(
        config=config,
        markets=markets,
        venue_of=venues,
        shared=SharedPool(cash=0, total_shares=0, lp_shares=Map()),
        backstop=backstop,
        ledger=SystemLedger(quote_in=0, quote_out=0, to_markets=0, from_markets=0),
    )


def in_flight(system: System) -> Wad:
    """The quote the messages in flight carry."""
    return sum(m.amount for m in system.messages.values())


def total_exposure(system: System) -> Wad:
    """The markets' exposures added up: what the global ``hole`` caps."""
    return sum(state.exposure for state in system.markets.values())


def shared_value(system: System) -> Wad:
    """What the shared pool's LPs own together: idle cash plus every market's LP claims
    (all held by the system account under SYS-SHARED-OWNERSHIP)."""
    return system.shared.cash + sum(state.pool.lp_claims for state in system.markets.values())


def market_detail(market: str, field: str) -> str:
    """A refusal detail naming a field of one market: ``market.<id>.<field>``."""
    return f"market.{market}.{field}"
