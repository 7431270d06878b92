"""System vectors: multi-market traces (format version 3), one catalogue per topology.

Requirement: CONFORMANCE-SYSTEM-VECTORS.

Each case is a sequence vector, ``<topology>/sequences/<case>/trace.jsonl`` (topology
``isolated`` or ``shared``), that starts from two markets at genesis, composed, and
routes every action through ``model.system.system_step``. The two markets: LUNA (gen 1,
venue ``terra``) and ETH (gen 3, venue ``ethereum``), funded by their own LPs
(ISOLATED) or by the shared pool (SHARED); alice borrows 16,000 against 10 LUNA, bob
10,000 against 20 ETH. Each case then shows one rule of ``spec/markets.md``; building a
case checks that each of its steps is accepted or refused as the case says.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs
from immutables import Map

from crosscheck.vectors.catalogue import VectorBuildError
from model.actions import (
    AdvanceTime,
    Borrow,
    DepositCollateral,
    Kick,
    Liquidate,
    OpenPosition,
    Repay,
    ReportOracle,
    SupplyLiquidity,
)
from model.errors import RefusalCode as Code
from model.numbers import RAY, WAD
from model.params.presets import PRESETS
from model.state import genesis
from model.system import System, SystemAccepted, SystemConfig, Topology, compose, system_step
from model.system.actions import (
    Allocate,
    DeliverMessage,
    DrawBackstop,
    FundBackstop,
    FundVenue,
    HaltVenue,
    OnMarket,
    SendMessage,
    ShutdownMarket,
    SupplyShared,
    Tick,
)

LATENCY = 1_200
CAP = 1_000 * WAD
"""Each market's backstop cap."""
HOLE = 100_000_000 * WAD


@attrs.frozen
class SystemSequenceCase:
    """A system vector: a version 3 trace of ``actions`` from ``pre``."""

    topology: str
    name: str
    pre: System = attrs.field(repr=False)
    actions: tuple[object, ...] = attrs.field(repr=False)
    description: str
    source: str = "constructed"

    @property
    def policy(self) -> str:
        """The top-level directory (``isolated`` or ``shared``), as a policy's is."""
        return self.topology


def genesis_system(topology: Topology, hole: int = HOLE) -> System:
    """LUNA (gen 1, on terra) and ETH (gen 3, on ethereum) at genesis, a backstop with a
    cap of 1,000 each and a 20-minute latency between venues."""
    markets = Map(
        {
            "LUNA": genesis(PRESETS["gen1"], spot=2_000 * RAY, depth=1_000 * WAD),
            "ETH": genesis(PRESETS["gen3"], spot=2_000 * RAY, depth=1_000 * WAD),
        }
    )
    config = SystemConfig(
        topology=topology,
        hole=hole,
        shutdown_ratio=RAY,
        shutdown_stale_after=86_400,
        latency=LATENCY,
    )
    venues = Map({"LUNA": "terra", "ETH": "ethereum"})
    return compose(config, markets, venues, Map({"LUNA": CAP, "ETH": CAP}))


def funded(topology: Topology) -> list[object]:
    """Routing to two markets: liquidity into each, and a borrower in each."""
    if topology is Topology.SHARED:
        actions: list[object] = [
            SupplyShared("lp", 150_000 * WAD),
            Allocate("LUNA", 100_000 * WAD),
            Allocate("ETH", 50_000 * WAD),
        ]
    else:
        actions = [
            OnMarket("LUNA", SupplyLiquidity("lp", 100_000 * WAD)),
            OnMarket("ETH", SupplyLiquidity("lp2", 50_000 * WAD)),
        ]
    for market, owner, collateral, debt in (
        ("LUNA", "alice", 10, 16_000),
        ("ETH", "bob", 20, 10_000),
    ):
        actions += [
            OnMarket(market, OpenPosition(owner)),
            OnMarket(market, DepositCollateral(owner, 0, collateral * WAD)),
            OnMarket(market, Borrow(owner, 0, debt * WAD)),
        ]
    return actions


LUNA_CRASH = (
    OnMarket("LUNA", ReportOracle(1_500 * RAY)),
    OnMarket("LUNA", Liquidate("liq", 0, 16_000 * WAD)),
)
"""LUNA's spot falls to 1,500 and alice's whole debt is repaid: a shortfall on LUNA."""

ETH_FALLS = tuple(
    a
    for _ in range(60)
    for a in (OnMarket("ETH", AdvanceTime(600)), OnMarket("ETH", ReportOracle(600 * RAY)))
)
"""ETH's reference price walks down to 600, report by report: bob's position is unsafe."""

ACCEPTED = "accepted"
Expected = tuple[object, object]
"""An action and what it must give: ``ACCEPTED`` or a refusal code."""


def _cases(topology: Topology) -> Iterator[tuple[str, str, int, list[Expected]]]:
    """``(name, description, hole, steps)`` of each case after the funded set-up."""
    yield (
        "routing",
        "routing to two markets: each action reaches its own market only",
        HOLE,
        [
            (OnMarket("ETH", Repay("bob", 0, 1_000 * WAD)), ACCEPTED),
            (OnMarket("LUNA", DepositCollateral("alice", 0, 1 * WAD)), ACCEPTED),
            (OnMarket("SOL", OpenPosition("eve")), Code.UNKNOWN_MARKET),
        ],
    )
    yield (
        "shortfall_in_a",
        "a shortfall in LUNA is written off in LUNA; ETH's state does not change",
        HOLE,
        [
            *((action, ACCEPTED) for action in LUNA_CRASH),
            (OnMarket("ETH", Borrow("bob", 0, 100 * WAD)), ACCEPTED),
        ],
    )
    yield (
        "hole_refuses_kick_in_b",
        "a kick in ETH that would take the markets' exposure over the global hole is refused",
        1_000 * WAD,
        [
            *((action, ACCEPTED) for action in ETH_FALLS),
            (OnMarket("ETH", Kick("keeper", 0)), Code.EXPOSURE_CAP_REACHED),
        ],
    )
    yield (
        "shutdown",
        "LUNA's collateral no longer covers its debt: it shuts down, refuses "
        "new debt, and ETH lends on",
        HOLE,
        [
            (ShutdownMarket("anyone", "LUNA"), Code.SHUTDOWN_NOT_WARRANTED),
            (OnMarket("LUNA", ReportOracle(1_500 * RAY)), ACCEPTED),
            (ShutdownMarket("anyone", "LUNA"), ACCEPTED),
            (OnMarket("LUNA", Borrow("alice", 0, 1 * WAD)), Code.MARKET_SHUT_DOWN),
            (OnMarket("LUNA", Repay("alice", 0, 1_000 * WAD)), ACCEPTED),
            (OnMarket("ETH", Borrow("bob", 0, 100 * WAD)), ACCEPTED),
            (ShutdownMarket("anyone", "LUNA"), Code.MARKET_SHUT_DOWN),
        ],
    )
    yield (
        "backstop_up_to_cap",
        "the backstop pays LUNA's write-off up to LUNA's cap and no further",
        HOLE,
        [
            (FundBackstop("dao", 2 * CAP), ACCEPTED),
            (DrawBackstop("keeper", "LUNA", 1), Code.NOTHING_TO_COVER),
            *((action, ACCEPTED) for action in LUNA_CRASH),
            (DrawBackstop("keeper", "LUNA", CAP + 1), Code.BACKSTOP_CAP_REACHED),
            (DrawBackstop("keeper", "LUNA", CAP - 1), ACCEPTED),
            (DrawBackstop("keeper", "LUNA", 1), ACCEPTED),
            (DrawBackstop("keeper", "LUNA", 1), Code.BACKSTOP_CAP_REACHED),
        ],
    )
    yield (
        "messages",
        "a message between venues: refused before the latency, delivered "
        "once after it, and held in flight while its destination has halted",
        HOLE,
        [
            (FundVenue("dao", "terra", 1_000 * WAD), ACCEPTED),
            (SendMessage("terra", "ethereum", 400 * WAD), ACCEPTED),
            (Tick(LATENCY - 1), ACCEPTED),
            (DeliverMessage("relayer", 0), Code.MESSAGE_TOO_EARLY),
            (Tick(1), ACCEPTED),
            (DeliverMessage("relayer", 0), ACCEPTED),
            (DeliverMessage("relayer", 0), Code.UNKNOWN_MESSAGE),
            (SendMessage("terra", "ethereum", 100 * WAD), ACCEPTED),
            (HaltVenue("ethereum"), ACCEPTED),
            (Tick(LATENCY), ACCEPTED),
            (DeliverMessage("relayer", 1), Code.VENUE_HALTED),
            (OnMarket("ETH", Repay("bob", 0, 1 * WAD)), Code.VENUE_HALTED),
            (OnMarket("LUNA", Repay("alice", 0, 1 * WAD)), ACCEPTED),
        ],
    )


def _checked(name: str, pre: System, steps: list[Expected]) -> tuple[object, ...]:
    """The actions of ``steps``, each checked to give what it must."""
    system = pre
    for index, (action, expect) in enumerate(steps, start=1):
        outcome = system_step(system, action)
        got = ACCEPTED if isinstance(outcome, SystemAccepted) else outcome.refusal.code
        if got != expect:
            raise VectorBuildError(f"{name}: step {index} ({action}): expected {expect}, got {got}")
        system = outcome.system
    return tuple(action for action, _ in steps)


def system_cases() -> Iterator[SystemSequenceCase]:
    """Every system vector, ISOLATED then SHARED."""
    for topology in (Topology.ISOLATED, Topology.SHARED):
        directory = topology.value.lower()
        for name, description, hole, steps in _cases(topology):
            pre = genesis_system(topology, hole)
            setup = [(action, ACCEPTED) for action in funded(topology)]
            actions = _checked(f"{directory}/{name}", pre, [*setup, *steps])
            yield SystemSequenceCase(directory, name, pre, actions, description)
