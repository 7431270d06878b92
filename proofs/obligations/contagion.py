"""The contagion theorems of ``spec/markets.md`` over the unmodified ``system_step``.

Two-market symbolic systems (``system_world.py``): market A and market B, every number of
both free, A's policy gen 1 or gen 3, B's gen 3. What is proved, and what shows each
isolation rule is needed:

- CONTAGION-ISOLATED: under ISOLATED a step on A leaves B's state the very same value.
  Necessity: under SHARED a liquidation on A that writes debt off lowers what the shared
  LPs hold (a witness): the same step reaches B's lenders when they are A's too.
- CONTAGION-SHARED-BOUND: under SHARED a step on A lowers the shared pool's value by at
  most the growth of A's written-off debt.
- CONTAGION-LIVENESS: a step on B is accepted exactly when the engine alone accepts it on
  B, whatever A's state, with A shut down and A's venue halted; a kick on B also needs
  room under the global ``hole``, and a witness shows A's exposure can take that room.
- BACKSTOP-RESERVED and BACKSTOP-CAP: a draw for A takes at most A's remaining cap; the
  cap is kept. A hand mutant that drops the cap check is killed by it
  (``proofs/mutants/catalogue.py``).
- SYS-HOLE: kept by a kick on A; a hand mutant that ignores ``hole`` is killed by it.

The cheap ones are in the default tier; the ones that explore a gen 3 kick or settlement
are ``deep``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from model.actions import Borrow, Kick, Liquidate, Repay, Settle, Take, WithdrawCollateral
from model.engine import step
from model.invariants.state_invariants import STATE_INVARIANTS
from model.outcome import Accepted
from model.system import (
    Allocate,
    DrawBackstop,
    OnMarket,
    ShutdownMarket,
    SystemAccepted,
    Topology,
    shared_value,
    system_step,
    total_exposure,
)
from model.system.invariants import (
    SYSTEM_INVARIANTS,
    backstop_within_caps,
    halted_venue_still,
    shutdown_no_new_debt,
)
from proofs.obligation import Expect, Obligation, Task
from proofs.obligations.system_world import (
    RANGES,
    SystemShape,
    SystemSubject,
    build_system,
    shape_of,
)
from proofs.world import Source

ISOLATED = shape_of(Topology.ISOLATED)
SHARED = shape_of(Topology.SHARED)
B_LIVENESS = shape_of(
    Topology.ISOLATED,
    policies=("gen3", "gen3"),
    auctions=(True, False),
    shut_down=frozenset({"A"}),
    halted=frozenset({"terra"}),
)
"""A shut down and its venue halted; A's oracle, breakers and books anything (one auction
in A, whose tab is A's exposure); B without auctions, which keeps a kick's paths few."""


def _amount(source: Source, name: str) -> Any:
    return source.integer(f"act.{name}", 0, RANGES.amount)


ON_A: dict[str, Callable[[Source], object]] = {
    "Liquidate": lambda s: Liquidate("liquidator", 0, _amount(s, "repay")),
    "Kick": lambda s: Kick("keeper", 0),
    "Take": lambda s: Take("bidder", 0, _amount(s, "amount"), _amount(s, "max_price")),
    "Settle": lambda s: Settle(0),
    "Borrow": lambda s: Borrow("ann", 0, _amount(s, "amount")),
    "Repay": lambda s: Repay("anyone", 0, _amount(s, "amount")),
    "WithdrawCollateral": lambda s: WithdrawCollateral("ann", 0, _amount(s, "amount")),
}


def _on(market: str, shape: SystemShape, kind: str) -> Callable[[Source], SystemSubject]:
    """``OnMarket(market, kind)`` on a symbolic system, beside the engine's own step."""

    def build(source: Source) -> SystemSubject:
        pre = build_system(source, shape)
        inner = ON_A[kind](source)
        alone = step(pre.markets[market], inner) if market == "B" else None
        return SystemSubject(
            pre, OnMarket(market, inner), system_step(pre, OnMarket(market, inner)), alone
        )

    return build


def _system_action(
    shape: SystemShape, make: Callable[[Source], object]
) -> Callable[[Source], SystemSubject]:
    def build(source: Source) -> SystemSubject:
        pre = build_system(source, shape)
        action = make(source)
        return SystemSubject(pre, action, system_step(pre, action))

    return build


def _task(key: str, build: Callable[[Source], SystemSubject]) -> Task:
    return Task(key=f"system/{key}", build=build)


def accepted(subject: SystemSubject) -> bool:
    return isinstance(subject.outcome, SystemAccepted)


def market_invariants(market: str) -> Callable[[SystemSubject], object]:
    """Every single-market invariant holds in ``market`` before the step."""
    return lambda subject: all(
        holds(subject.pre.markets[market]) for holds in STATE_INVARIANTS.values()
    )


def system_invariants(subject: SystemSubject) -> object:
    """Every system invariant holds before the step (every market's included)."""
    return all(holds(subject.pre) for holds in SYSTEM_INVARIANTS.values())


# --- claims ---------------------------------------------------------------------------


def b_unchanged(subject: SystemSubject) -> object:
    """CONTAGION-ISOLATED: B's state after the step is the very value it was before."""
    return subject.outcome.system.markets["B"] is subject.pre.markets["B"]


def shared_lps_keep_their_value(subject: SystemSubject) -> object:
    """What CONTAGION-ISOLATED gives B's lenders, asked of the SHARED pool (it fails)."""
    return shared_value(subject.outcome.system) >= shared_value(subject.pre)


def shared_loss_within_a_write_off(subject: SystemSubject) -> object:
    """CONTAGION-SHARED-BOUND: ``value - value' <= bad_debt_A' - bad_debt_A``."""
    before, after = subject.pre, subject.outcome.system
    return shared_value(before) + before.markets["A"].ledger.bad_debt <= (
        shared_value(after) + after.markets["A"].ledger.bad_debt
    )


def b_as_alone(subject: SystemSubject) -> object:
    """CONTAGION-LIVENESS: the system accepts the step on B exactly when the engine alone
    does, and refuses it with the engine's very refusal otherwise. (That an accepted step
    leaves B in the engine's new state is ``on_market``'s construction: it installs
    ``step``'s own result; the unit tests compare the two states.)"""
    alone = subject.alone
    if isinstance(subject.outcome, SystemAccepted):
        return isinstance(alone, Accepted)
    return not isinstance(alone, Accepted) and subject.outcome.refusal == alone.refusal


def b_as_alone_within_hole(subject: SystemSubject) -> object:
    """CONTAGION-LIVENESS for a kick on B: accepted exactly when the engine alone accepts
    it and the markets' exposures after it fit in ``hole`` (SYS-HOLE)."""
    alone = subject.alone
    pre = subject.pre
    if isinstance(subject.outcome, SystemAccepted):
        return isinstance(alone, Accepted)
    if not isinstance(alone, Accepted):
        return subject.outcome.refusal == alone.refusal
    b_before = pre.markets["B"].exposure
    fits = total_exposure(pre) - b_before + alone.state.exposure <= pre.config.hole
    return alone.state.exposure > b_before and not fits


def b_kick_as_alone(subject: SystemSubject) -> object:
    """The liveness claim without the hole's exception (it fails: A's exposure uses room)."""
    return isinstance(subject.outcome, SystemAccepted) or not isinstance(subject.alone, Accepted)


def draw_within_remaining_cap(subject: SystemSubject) -> object:
    """BACKSTOP-RESERVED: a draw for A lowers the fund by at most ``caps[A] - drawn[A]``."""
    before = subject.pre.backstop
    after = subject.outcome.system.backstop
    if before is None or after is None:
        return True
    return before.fund - after.fund <= before.caps["A"] - before.drawn["A"]


def hole_kept(subject: SystemSubject) -> object:
    """SYS-HOLE after the step."""
    return total_exposure(subject.outcome.system) <= subject.outcome.system.config.hole


def _invariant_after(invariant: Callable[[Any], bool]) -> Callable[[SystemSubject], object]:
    return lambda subject: invariant(subject.outcome.system)


# --- tasks ------------------------------------------------------------------------------

ISOLATED_LIQUIDATE = _task("isolated/A-gen1/Liquidate", _on("A", ISOLATED, "Liquidate"))
SHARED_LIQUIDATE = _task("shared/A-gen1/Liquidate", _on("A", SHARED, "Liquidate"))
LIVENESS_BORROW = _task("liveness/B-gen3/Borrow", _on("B", B_LIVENESS, "Borrow"))
DRAW = _task(
    "isolated/DrawBackstop",
    _system_action(ISOLATED, lambda s: DrawBackstop("keeper", "A", _amount(s, "amount"))),
)
SHUTDOWN = _task(
    "isolated/ShutdownMarket", _system_action(ISOLATED, lambda s: ShutdownMarket("anyone", "A"))
)
GEN3_ON_A = shape_of(Topology.ISOLATED, policies=("gen3", "gen3"), auctions=(True, False))
KICK_ON_A = shape_of(Topology.ISOLATED, policies=("gen2", "gen3"), auctions=(False, True))
"""For a kick on A: gen 2 (whose kick the solver explores in a second, where gen 3's sizing
takes minutes), no auction in A (the kick opens one); B's one auction is B's exposure."""
KICK_ON_B = shape_of(
    Topology.ISOLATED,
    policies=("gen3", "gen2"),
    auctions=(True, False),
    shut_down=frozenset({"A"}),
    halted=frozenset({"terra"}),
)
"""B_LIVENESS with a gen 2 market B, for the same reason."""
KICK_A = _task("isolated/A-gen2/Kick", _on("A", KICK_ON_A, "Kick"))
KICK_B = _task("liveness/B-gen2/Kick", _on("B", KICK_ON_B, "Kick"))
DEEP_ON_A = {
    kind: _task(f"isolated/A-gen3/{kind}", _on("A", GEN3_ON_A, kind)) for kind in ("Take", "Settle")
}
HALTED_A = shape_of(Topology.ISOLATED, halted=frozenset({"terra"}))
SHUT_A = shape_of(Topology.ISOLATED, policies=("gen3", "gen3"), shut_down=frozenset({"A"}))
HALTED_REPAY = _task("halted/A-gen1/Repay", _on("A", HALTED_A, "Repay"))
SHUT_BORROW = _task("shut-down/A-gen3/Borrow", _on("A", SHUT_A, "Borrow"))
ALLOCATE = _task(
    "shared/Allocate",
    _system_action(SHARED, lambda s: Allocate("A", _amount(s, "amount"))),
)
DEEP_LIVENESS = {
    kind: _task(f"liveness/B-gen3/{kind}", _on("B", B_LIVENESS, kind))
    for kind in ("Repay", "WithdrawCollateral")
}


def obligations() -> list[Obligation]:
    found = [
        Obligation(
            name="CONTAGION-ISOLATED/all/A-gen1-Liquidate",
            requirement_ids=("CONTAGION-ISOLATED",),
            policy="all",
            task=ISOLATED_LIQUIDATE,
            claim=b_unchanged,
            relevant=accepted,
            summary="isolated: a liquidation on A leaves B's state the same value",
        ),
        Obligation(
            name="CONTAGION-ISOLATED/all/shared-lps-lose/witness",
            requirement_ids=("CONTAGION-ISOLATED",),
            policy="all",
            task=SHARED_LIQUIDATE,
            claim=shared_lps_keep_their_value,
            assume=market_invariants("A"),
            relevant=accepted,
            expect=Expect.FAILS,
            summary="shared: a liquidation on A that writes debt off lowers the shared LPs' value",
        ),
        Obligation(
            name="CONTAGION-SHARED-BOUND/all/A-gen1-Liquidate",
            requirement_ids=("CONTAGION-SHARED-BOUND",),
            policy="all",
            task=SHARED_LIQUIDATE,
            claim=shared_loss_within_a_write_off,
            relevant=accepted,
            summary="shared: a liquidation on A costs the shared LPs at most A's new write-off",
        ),
        Obligation(
            name="CONTAGION-ISOLATED/all/A-gen1-Liquidate-shared",
            requirement_ids=("CONTAGION-ISOLATED",),
            policy="all",
            task=SHARED_LIQUIDATE,
            claim=b_unchanged,
            relevant=accepted,
            summary="shared: B's own records are still untouched by a step on A",
        ),
        Obligation(
            name="CONTAGION-LIVENESS/all/B-gen3-Borrow",
            requirement_ids=("CONTAGION-LIVENESS",),
            policy="all",
            task=LIVENESS_BORROW,
            claim=b_as_alone,
            summary="A shut down, venue halted: a borrow on B accepted iff the engine accepts it",
        ),
        Obligation(
            name="BACKSTOP-RESERVED/all/DrawBackstop",
            requirement_ids=("BACKSTOP-RESERVED",),
            policy="all",
            task=DRAW,
            claim=draw_within_remaining_cap,
            assume=lambda s: backstop_within_caps(s.pre),
            relevant=accepted,
            summary="a draw for A takes at most A's remaining cap",
        ),
        Obligation(
            name="CONTAGION-ISOLATED/all/DrawBackstop",
            requirement_ids=("CONTAGION-ISOLATED",),
            policy="all",
            task=DRAW,
            claim=b_unchanged,
            relevant=accepted,
            summary="a draw for A leaves B's state the same value",
        ),
        Obligation(
            name="CONTAGION-ISOLATED/all/ShutdownMarket",
            requirement_ids=("CONTAGION-ISOLATED", "SHUTDOWN-IRREVERSIBLE"),
            policy="all",
            task=SHUTDOWN,
            claim=lambda s: b_unchanged(s) and "A" in s.outcome.system.shut_down,
            relevant=accepted,
            summary="shutting A down leaves B's state the same value",
        ),
    ]
    found += [
        Obligation(
            name=f"{invariant_id}/all/DrawBackstop",
            requirement_ids=(invariant_id,),
            policy="all",
            task=DRAW,
            claim=_invariant_after(invariant),
            assume=system_invariants,
            relevant=accepted,
            summary=f"DrawBackstop keeps {invariant_id}",
        )
        for invariant_id, invariant in SYSTEM_INVARIANTS.items()
    ]
    found += [
        Obligation(
            name=f"CONTAGION-ISOLATED/all/A-gen3-{kind}",
            requirement_ids=("CONTAGION-ISOLATED",),
            policy="all",
            task=task,
            claim=b_unchanged,
            relevant=accepted,
            summary=f"isolated: a gen 3 {kind} on A leaves B's state the same value",
            deep=True,
        )
        for kind, task in DEEP_ON_A.items()
    ]
    found += [
        Obligation(
            name="CONTAGION-ISOLATED/all/A-gen2-Kick",
            requirement_ids=("CONTAGION-ISOLATED",),
            policy="all",
            task=KICK_A,
            claim=b_unchanged,
            relevant=accepted,
            summary="isolated: a kick on A leaves B's state the same value",
        ),
        Obligation(
            name="SYS-HOLE/all/A-gen2-Kick",
            requirement_ids=("SYS-HOLE",),
            policy="all",
            task=KICK_A,
            claim=hole_kept,
            assume=lambda s: total_exposure(s.pre) <= s.pre.config.hole,
            relevant=accepted,
            summary="a kick on A keeps the markets' exposures within hole",
        ),
        Obligation(
            name="CONTAGION-LIVENESS/all/B-gen2-Kick",
            requirement_ids=("CONTAGION-LIVENESS", "SYS-HOLE"),
            policy="all",
            task=KICK_B,
            claim=b_as_alone_within_hole,
            summary="A shut down, venue halted: a kick on B as the engine decides, within hole",
        ),
        Obligation(
            name="CONTAGION-LIVENESS/all/B-gen2-Kick/hole-witness",
            requirement_ids=("CONTAGION-LIVENESS", "SYS-HOLE"),
            policy="all",
            task=KICK_B,
            claim=b_kick_as_alone,
            assume=lambda s: total_exposure(s.pre) <= s.pre.config.hole,
            expect=Expect.FAILS,
            summary="the stated exception: A's exposure takes the hole room a kick on B needs",
        ),
    ]
    found += [
        Obligation(
            name=f"CONTAGION-LIVENESS/all/B-gen3-{kind}",
            requirement_ids=("CONTAGION-LIVENESS",),
            policy="all",
            task=task,
            claim=b_as_alone,
            summary=f"A shut down, venue halted: a {kind} on B as the engine alone decides",
            deep=True,
        )
        for kind, task in DEEP_LIVENESS.items()
    ]
    found += [
        Obligation(
            name="SYS-VENUE-HALT/all/A-halted-Repay",
            requirement_ids=("SYS-VENUE-HALT",),
            policy="all",
            task=HALTED_REPAY,
            claim=lambda s: halted_venue_still(s.pre, s.action, s.outcome),
            summary="nothing moves a market on a halted venue",
        ),
        Obligation(
            name="SHUTDOWN-NO-NEW-DEBT/all/A-gen3-Borrow",
            requirement_ids=("SHUTDOWN-NO-NEW-DEBT",),
            policy="all",
            task=SHUT_BORROW,
            claim=lambda s: shutdown_no_new_debt(s.pre, s.action, s.outcome),
            summary="a shut-down market lends no more",
        ),
    ]
    found += [
        Obligation(
            name=f"{invariant_id}/all/Allocate",
            requirement_ids=(invariant_id, "ACT-ALLOCATE"),
            policy="all",
            task=ALLOCATE,
            claim=_invariant_after(invariant),
            assume=system_invariants,
            relevant=accepted,
            summary=f"Allocate keeps {invariant_id}",
        )
        for invariant_id, invariant in SYSTEM_INVARIANTS.items()
    ]
    return found
