"""Symbolic systems of two markets, ``A`` and ``B``, for the contagion theorems.

Each market is a symbolic single-market state of ``proofs.world.build_state``, its
variables prefixed with the market's id (``A.pos0.debt``, ``B.oracle.spot``), so that a
witness names the market it is about. The system's own numbers (``sys.hole``, the shared
pool, the backstop) are free too; which markets are shut down and which venues halted is
part of the shape (sets are concrete).
"""

from __future__ import annotations

from typing import Any

import attrs
from immutables import Map

from model.numbers import RAY
from model.numbers.fixed_point import UINT256_MAX
from model.params.presets import PRESETS
from model.system import (
    SYSTEM_ACCOUNT,
    Backstop,
    SharedPool,
    System,
    SystemConfig,
    SystemLedger,
    Topology,
)
from model.system.outcome import SystemOutcome
from model.system.state import Message
from proofs.world import Number, Ranges, Shape, Source, build_state

RANGES = Ranges()
VENUES = Map({"A": "terra", "B": "ethereum"})


@attrs.frozen
class Prefixed:
    """``source`` with every variable's name prefixed: one market's numbers."""

    source: Source
    prefix: str

    def integer(self, name: str, low: int | None = 0, high: int | None = UINT256_MAX) -> Number:
        return self.source.integer(f"{self.prefix}{name}", low, high)

    def boolean(self, name: str) -> Any:
        return self.source.boolean(f"{self.prefix}{name}")


@attrs.frozen
class SystemShape:
    """Which policy each market runs, its records, and the system's concrete sets."""

    topology: Topology
    policies: tuple[str, str] = ("gen1", "gen3")
    """Market A's policy and market B's."""
    shapes: tuple[Shape, Shape] = (Shape(), Shape())
    shut_down: frozenset[str] = frozenset()
    halted: frozenset[str] = frozenset()
    backstop: bool = True
    messages: int = 0
    """Messages in flight, ids ``0 ..``, each from terra (A's venue) to ethereum (B's)."""


def market_shape(policy: str, topology: Topology, auctions: bool = True) -> Shape:
    """One borrower and one LP (the system account under SHARED); one auction unless gen 1
    (which has none) or ``auctions`` is false."""
    lps = (SYSTEM_ACCOUNT,) if topology is Topology.SHARED else ("lp",)
    kept = (0,) if auctions and policy != "gen1" else ()
    return Shape(owners=("ann",), auctions=kept, lps=lps)


def shape_of(
    topology: Topology,
    policies: tuple[str, str] = ("gen1", "gen3"),
    auctions: tuple[bool, bool] = (True, True),
    **fields: Any,
) -> SystemShape:
    shapes = (
        market_shape(policies[0], topology, auctions[0]),
        market_shape(policies[1], topology, auctions[1]),
    )
    return SystemShape(topology, policies, shapes, **fields)


def build_system(source: Source, shape: SystemShape) -> System:
    """A two-market system of ``shape`` whose every number comes from ``source``."""
    markets = Map(
        {
            market: build_state(
                Prefixed(source, f"{market}."), PRESETS[policy], market_shape_, RANGES
            )
            for market, policy, market_shape_ in zip(
                ("A", "B"), shape.policies, shape.shapes, strict=True
            )
        }
    )

    def n(name: str) -> Number:
        return source.integer(name, 0, RANGES.amount)

    def t(name: str) -> Number:
        return source.integer(name, 0, RANGES.time)

    config = SystemConfig(
        topology=shape.topology,
        hole=n("sys.hole"),
        shutdown_ratio=RAY,
        shutdown_stale_after=86_400,
        latency=source.integer("sys.latency", 0, RANGES.time),
    )
    messages = Map(
        {
            i: Message("terra", "ethereum", n(f"sys.msg{i}.amount"), t(f"sys.msg{i}.sent_at"))
            for i in range(shape.messages)
        }
    )
    if shape.topology is Topology.SHARED:
        shared = SharedPool(
            cash=n("sys.shared.cash"),
            total_shares=n("sys.shared.total_shares"),
            lp_shares=Map({"lp": n("sys.shared.lp")}),
        )
    else:
        shared = SharedPool(cash=0, total_shares=0, lp_shares=Map())
    backstop = (
        Backstop(
            fund=n("sys.backstop.fund"),
            caps=Map({"A": n("sys.backstop.cap.A"), "B": n("sys.backstop.cap.B")}),
            drawn=Map({"A": n("sys.backstop.drawn.A"), "B": n("sys.backstop.drawn.B")}),
        )
        if shape.backstop
        else None
    )
    ledger = SystemLedger(
        quote_in=n("sys.ledger.quote_in"),
        quote_out=n("sys.ledger.quote_out"),
        to_markets=n("sys.ledger.to_markets"),
        from_markets=n("sys.ledger.from_markets"),
    )
    return System(
        config=config,
        markets=markets,
        venue_of=VENUES,
        shared=shared,
        backstop=backstop,
        ledger=ledger,
        shut_down=shape.shut_down,
        halted=shape.halted,
        clock=t("sys.clock"),
        treasury=Map({venue: n(f"sys.treasury.{venue}") for venue in ("terra", "ethereum")}),
        messages=messages,
        next_message=shape.messages,
    )


@attrs.frozen
class SystemSubject:
    """A system step on a symbolic system; ``alone`` is the engine's own step on the
    market the action names, where the claim compares with it (else ``None``)."""

    pre: System
    action: object
    outcome: SystemOutcome
    alone: Any = None
