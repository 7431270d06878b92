"""Two markets and an adversary on one of them (``system_machine.py``), under each
topology: nothing the adversary does to A may break an invariant, reach B, or refuse B
an action the engine alone would accept (but for the stated couplings).

And the machine has teeth: each isolation rule of ``model/system``, dropped by a mutant
monkeypatched in-process, is caught.
"""

from __future__ import annotations

import functools

import pytest

import model.system.routing
from model.errors import Refusal, RefusalCode, refuse
from model.system import System
from tests.stateful.system_machine import SYSTEM_MACHINES, SystemRun, run_system_machine
from tests.stateful.test_machines import skip_if_quick


@functools.cache
def run(name: str) -> SystemRun:
    result = run_system_machine(name)
    print(name, sum(result.outcomes.values()), "system steps;", dict(result.outcomes))
    return result


COVERS = pytest.mark.covers(
    "CONTAGION-ISOLATED",
    "CONTAGION-SHARED-BOUND",
    "CONTAGION-LIVENESS",
    "BACKSTOP-RESERVED",
    "BACKSTOP-CAP",
    "SYS-HOLE",
    "SYS-MARKET-INVARIANTS",
    "SYS-CONSERVE-QUOTE",
    "MSG-CONSERVE",
    "MSG-AT-MOST-ONCE",
    "MSG-LATENCY",
    "MSG-HALT",
    "SYS-VENUE-HALT",
    "SHUTDOWN-IRREVERSIBLE",
    "SHUTDOWN-NO-NEW-DEBT",
    "SYS-SHARED-OWNERSHIP",
)

REACHED = {
    "shortfall on A",
    "ShutdownMarket",
    "ShutdownMarket: SHUTDOWN_NOT_WARRANTED",
    "HaltVenue",
    "DrawBackstop",
    "DrawBackstop: BACKSTOP_CAP_REACHED",
    "DeliverMessage",
    "Borrow: VENUE_HALTED",
    "Borrow: MARKET_SHUT_DOWN",
}
"""Outcomes both topologies' runs must include (a search that never attacks proves nothing)."""

REACHED_BY = {
    "system-isolated": {"SupplyShared: LIQUIDITY_IS_ISOLATED", "WithdrawLiquidity"},
    "system-shared": {
        "Recall",
        "Allocate",
        "WithdrawShared",
        "SupplyLiquidity: LIQUIDITY_IS_SHARED",
    },
}


@COVERS
@pytest.mark.parametrize("name", sorted(SYSTEM_MACHINES))
def test_an_attack_on_one_market_reaches_no_other(name: str) -> None:
    result = run(name)
    assert result.failure is None, result.failure


@pytest.mark.parametrize("name", sorted(SYSTEM_MACHINES))
def test_the_search_reaches_the_attacks(name: str) -> None:
    skip_if_quick()
    seen = run(name).outcomes
    missing = {kind for kind in REACHED | REACHED_BY[name] if seen[kind] == 0}
    assert not missing, f"no run reached {sorted(missing)}"


def _no_hole(system: object, market: str, before: object, after: object) -> None:
    return None


def _halt_ignored(system: System, market: str) -> Refusal | None:
    if market not in system.markets:
        return refuse(RefusalCode.UNKNOWN_MARKET, "system.markets")
    return None


def _any_halt_freezes_all(system: System, market: str) -> Refusal | None:
    if market not in system.markets:
        return refuse(RefusalCode.UNKNOWN_MARKET, "system.markets")
    if system.halted:
        return refuse(RefusalCode.VENUE_HALTED, f"market.{market}.venue")
    return None


MUTANTS: list[tuple[str, object, str, object, str]] = [
    ("hole-ignored", model.system.routing, "hole_refusal", _no_hole, "SYS-HOLE"),
    (
        "halted-venue-ignored",
        model.system.routing,
        "market_refusal",
        _halt_ignored,
        "SYS-VENUE-HALT",
    ),
    (
        "a-halt-freezes-every-market",
        model.system.routing,
        "market_refusal",
        _any_halt_freezes_all,
        "CONTAGION-LIVENESS",
    ),
    ("shutdown-still-lends", model.system.routing, "NEW_DEBT", (), "SHUTDOWN-NO-NEW-DEBT"),
]
"""``(id, module, name, replacement, what the failure names)``."""


@pytest.mark.parametrize(
    ("mutant", "module", "name", "replacement", "named"), MUTANTS, ids=[m[0] for m in MUTANTS]
)
def test_a_seeded_isolation_mutant_is_killed(
    monkeypatch: pytest.MonkeyPatch,
    mutant: str,
    module: object,
    name: str,
    replacement: object,
    named: str,
) -> None:
    monkeypatch.setattr(module, name, replacement)
    result = run_system_machine("system-isolated", find_only=True)
    assert result.failure is not None, f"the mutant {mutant} survived"
    assert named in result.failure, result.failure
