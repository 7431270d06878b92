"""Two markets, one system, and an adversary who attacks market A to reach market B.

The machine drives a system of two markets (``spec/markets.md``) through
``system_step``: A (the adversary's) on venue ``a-chain`` and B (the bystander) on
``b-chain``, each under a policy drawn at launch (gen 1, 2 or 3), with a shared backstop
capped per market and the topology the machine is built for (ISOLATED or SHARED). The
adversary borrows A to its limit, crashes, spikes and silences A's oracle, liquidates A
into a shortfall, shuts A down, halts A's venue, draws the backstop for A beyond its cap,
moves the shared pool's cash in and out of A and floods the venues with messages; B's
borrowers, keepers and bidders carry on, and strangers send edge cases to both.

After every step (``apply``), besides every system invariant, every market's invariants
and every system step property:

- **CONTAGION-ISOLATED**: a step that names A leaves B the very same value;
- **CONTAGION-SHARED-BOUND**: under SHARED, an ``OnMarket(A, ·)`` step lowers the shared
  pool's value by at most the growth of A's ``bad_debt``;
- **BACKSTOP-RESERVED**: a step that names A lowers the fund by at most A's remaining cap;
- **CONTAGION-LIVENESS**: every ``OnMarket(B, x)`` step, and a probe of a few B actions
  after each attack, is answered as ``model.engine.step`` alone answers ``x`` on B's
  state (same refusal, or acceptance with the same new B), but for the global ``hole``
  (refused only when B's new exposure would take the total beyond it), LP actions under
  SHARED and new debt on a shut-down B;
- for an ``OnMarket`` step, the market's own engine step properties.

Model functions are looked up as module attributes at call time, so a mutant
monkeypatched into ``model.system`` in-process is what the machine runs.
"""

from __future__ import annotations

from collections import Counter
from typing import ClassVar

import attrs
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    precondition,
    rule,
    run_state_machine_as_test,
)
from immutables import Map

import model.invariants as invariants
import model.system.invariants as system_invariants
from crosscheck.strategies import DrawChooser, next_action
from model import engine
from model.actions import (
    AdvanceTime,
    Borrow,
    DepositCollateral,
    EndAuction,
    FundInsurance,
    FundPol,
    OpenPosition,
    Repay,
    ReportDepth,
    ReportOracle,
    Settle,
    SupplyLiquidity,
    Take,
    WithdrawLiquidity,
)
from model.errors import RefusalCode
from model.numbers import RAY, WAD
from model.outcome import Accepted, Outcome, Refused
from model.params.presets import PRESETS
from model.state import State, genesis
from model.system import (
    Allocate,
    DrawBackstop,
    FundBackstop,
    HaltVenue,
    OnMarket,
    Recall,
    ShutdownMarket,
    SupplyShared,
    System,
    SystemAccepted,
    SystemConfig,
    SystemOutcome,
    SystemRefused,
    Topology,
    WithdrawShared,
    compose,
    shared_value,
    system_step,
    total_exposure,
)
from model.system.actions import DeliverMessage, FundVenue, SendMessage, Tick
from tests.stateful import views
from tests.stateful.budget import machine_settings

A, B = "A", "B"
VENUES = {A: "a-chain", B: "b-chain"}
OWNERS = {A: ("mallory", "mallet"), B: ("ann", "bob")}
START_SPOT = 2_000 * RAY
POLICIES = ("gen1", "gen2", "gen3")
NO_HOLE = 2**200
NEW_DEBT = (Borrow, OpenPosition)
LP_ACTIONS = (SupplyLiquidity, WithdrawLiquidity)
SHARED_LP = "saver"


class ContagionFailure(AssertionError):
    """A step broke an invariant, a step property or an isolation rule, or raised."""


def names_market(action: object) -> str | None:
    """The market a step acts on, if it names one."""
    market = getattr(action, "market", None)
    return market if isinstance(market, str) else None


def liveness_disagreement(
    pre: System, action: OnMarket, outcome: SystemOutcome, alone: Outcome | None = None
) -> str | None:
    """CONTAGION-LIVENESS for ``action`` on a market of a live venue: the system answers as
    the engine alone answers on that market (``alone``, computed when not given), but for
    the stated couplings."""
    market = action.market
    if market not in pre.markets or pre.venue_of[market] in pre.halted:
        return None
    inner = action.action
    if pre.config.topology is Topology.SHARED and isinstance(inner, LP_ACTIONS):
        return None
    if market in pre.shut_down and isinstance(inner, NEW_DEBT):
        return None
    before = pre.markets[market]
    if alone is None:
        alone = engine.step(before, inner)
    if isinstance(alone, Refused):
        if isinstance(outcome, SystemRefused) and outcome.refusal == alone.refusal:
            return None
        return f"engine alone refuses {alone.refusal}, the system answers {outcome}"
    if isinstance(outcome, SystemAccepted):
        if outcome.system.markets[market] == alone.state:
            return None
        return "the system's new market state differs from the engine's"
    room = total_exposure(pre) - before.exposure + alone.state.exposure > pre.config.hole
    raised = alone.state.exposure > before.exposure
    if outcome.refusal.code is RefusalCode.EXPOSURE_CAP_REACHED and raised and room:
        return None
    return f"engine alone accepts, the system refuses {outcome.refusal}"


def isolation_disagreements(pre: System, action: object, outcome: SystemOutcome) -> list[str]:
    """CONTAGION-ISOLATED, CONTAGION-SHARED-BOUND and BACKSTOP-RESERVED for a step that
    names one market: the other is the same value, the shared LPs lose at most the named
    market's new write-off, the fund pays at most the named market's remaining cap."""
    named = names_market(action)
    if named is None or named not in pre.markets or not isinstance(outcome, SystemAccepted):
        return []
    after = outcome.system
    broken = [
        f"CONTAGION-ISOLATED ({other} changed)"
        for other in pre.markets
        if other != named and after.markets[other] != pre.markets[other]
    ]
    if pre.config.topology is Topology.SHARED and isinstance(action, OnMarket):
        written_off = after.markets[named].ledger.bad_debt - pre.markets[named].ledger.bad_debt
        if shared_value(pre) - shared_value(after) > written_off:
            broken.append("CONTAGION-SHARED-BOUND")
    if pre.backstop is not None and after.backstop is not None:
        remaining = pre.backstop.caps.get(named, 0) - pre.backstop.drawn.get(named, 0)
        if pre.backstop.fund - after.backstop.fund > remaining:
            broken.append("BACKSTOP-RESERVED")
    return broken


class SystemMachine(RuleBasedStateMachine):
    """Two markets under ``topology``; every step checked (module docstring)."""

    topology: ClassVar[Topology] = Topology.ISOLATED
    outcomes: ClassVar[Counter[str]] = Counter()
    """Every outcome of every run since the last reset: ``kind`` or ``kind: REFUSAL``."""

    def __init__(self) -> None:
        super().__init__()
        self.system = compose(
            SystemConfig(self.topology, NO_HOLE, RAY, 86_400), Map(), Map(), Map()
        )

    # --- the one way to act -----------------------------------------------------------

    def apply(self, action: object) -> SystemOutcome:
        pre = self.system
        try:
            outcome = system_step(pre, action)
        except Exception as exc:
            raise ContagionFailure(f"{action!r} raised {exc!r}") from exc
        broken = [
            *system_invariants.violated_system_step_properties(pre, action, outcome),
            *isolation_disagreements(pre, action, outcome),
        ]
        if isinstance(outcome, SystemRefused) and outcome.system is not pre:
            broken.append("REFUSAL-NO-CHANGE")
        if isinstance(action, OnMarket):
            broken += self.market_checks(pre, action, outcome)
        if outcome.system is not pre:
            broken += system_invariants.violated_system_invariants(outcome.system)
        if broken:
            raise ContagionFailure(f"{action!r} broke {', '.join(broken)}: {outcome}")
        self.count(action, outcome)
        self.system = outcome.system
        return outcome

    def market_checks(self, pre: System, action: OnMarket, outcome: SystemOutcome) -> list[str]:
        """The market's own step properties, and CONTAGION-LIVENESS."""
        market = pre.markets.get(action.market)
        if market is None:
            return []
        alone = engine.step(market, action.action)
        broken: list[str] = []
        if isinstance(outcome, SystemAccepted) and isinstance(alone, Accepted):
            broken += invariants.violated_step_properties(market, action.action, alone)
        disagreement = liveness_disagreement(pre, action, outcome, alone)
        if disagreement is not None:
            broken.append(f"CONTAGION-LIVENESS on {action.market}: {disagreement}")
        return broken

    def count(self, action: object, outcome: SystemOutcome) -> None:
        inner = action.action if isinstance(action, OnMarket) else action
        kind = type(inner).__name__
        key = kind if outcome.accepted else f"{kind}: {outcome.refusal.code.value}"  # type: ignore[union-attr]
        self.outcomes[key] += 1
        if isinstance(outcome, SystemAccepted) and isinstance(action, OnMarket):
            before = self.system.markets[action.market].ledger.bad_debt
            if outcome.system.markets[action.market].ledger.bad_debt > before:
                self.outcomes[f"shortfall on {action.market}"] += 1

    def on(self, market: str, action: object) -> SystemOutcome:
        return self.apply(OnMarket(market, action))

    def market(self, market: str) -> State:
        return self.system.markets[market]

    def probe_bystander(self) -> None:
        """CONTAGION-LIVENESS right after an attack: a few B actions, asked of the system
        and of the engine alone, without keeping either answer."""
        state = self.market(B)
        probes: list[object] = [ReportOracle(state.oracle.spot), AdvanceTime(60)]
        for position_id, position in sorted(state.positions.items())[:3]:
            probes += [
                Borrow(position.owner, position_id, max(1, state.config.dust)),
                Repay(position.owner, position_id, 1),
                views.liquidation(state, "keeper", position_id),
            ]
        for probe in probes:
            action = OnMarket(B, probe)
            disagreement = liveness_disagreement(
                self.system, action, system_step(self.system, action)
            )
            if disagreement is not None:
                raise ContagionFailure(f"probe {probe!r}: CONTAGION-LIVENESS on B: {disagreement}")

    # --- launch -------------------------------------------------------------------------

    @initialize(
        policy_a=st.sampled_from(POLICIES),
        policy_b=st.sampled_from(POLICIES),
        hole=st.sampled_from([NO_HOLE, 2_000_000 * WAD, 20_000 * WAD, 1_000 * WAD]),
        caps=st.tuples(st.sampled_from([5_000, 1_000_000]), st.sampled_from([0, 5_000])),
        fund=st.sampled_from([3_000, 2_000_000]),
        latency=st.sampled_from([0, 600]),
        liquidity=st.sampled_from([1_000_000, 200_000]),
        buffers=st.sampled_from([0, 2_000, 100_000]),
        book=st.lists(st.tuples(st.integers(1, 100), st.sampled_from([100, 95, 60])), max_size=3),
    )
    def launch(
        self,
        policy_a: str,
        policy_b: str,
        hole: int,
        caps: tuple[int, int],
        fund: int,
        latency: int,
        liquidity: int,
        buffers: int,
        book: list[tuple[int, int]],
    ) -> None:
        """Two funded markets with buffers, a backstop capped per market, a book of loans
        on each, and treasuries on both venues."""
        markets = Map(
            {
                A: genesis(PRESETS[policy_a], spot=START_SPOT),
                B: genesis(PRESETS[policy_b], spot=START_SPOT),
            }
        )
        config = SystemConfig(self.topology, hole, RAY, 86_400, latency)
        self.system = compose(
            config, markets, Map(VENUES), Map({A: caps[0] * WAD, B: caps[1] * WAD})
        )
        if fund:
            self.apply(FundBackstop("treasury", fund * WAD))
        if self.topology is Topology.SHARED:
            self.apply(SupplyShared(SHARED_LP, 2 * liquidity * WAD))
        for market in (A, B):
            if self.topology is Topology.SHARED:
                self.apply(Allocate(market, liquidity * WAD))
            else:
                self.on(market, SupplyLiquidity(f"lp-{market}", liquidity * WAD))
            if buffers:
                self.on(market, FundInsurance("treasury", buffers * WAD))
                self.on(market, FundPol("treasury", buffers * WAD))
            self.on(market, ReportDepth(1_000 * WAD))
            self.apply(FundVenue("treasury", VENUES[market], 10_000 * WAD))
            for index, (collateral, leverage) in enumerate(book):
                self.borrow(market, OWNERS[market][index % 2], collateral, leverage)

    def borrow(self, market: str, owner: str, collateral: int, leverage: int) -> None:
        """``owner`` opens a position on ``market`` and borrows ``leverage`` % of its room."""
        state = self.market(market)
        position = state.next_position
        self.on(market, OpenPosition(owner))
        self.on(market, DepositCollateral(owner, position, collateral * WAD))
        room = views.debt_limit(self.market(market), collateral * WAD)
        self.on(market, Borrow(owner, position, max(room * leverage // 100, state.config.dust)))

    # --- the adversary on A -------------------------------------------------------------

    @rule(collateral=st.integers(1, 200), leverage=st.sampled_from([100, 99]))
    def attacker_borrows_to_the_limit(self, collateral: int, leverage: int) -> None:
        self.borrow(A, OWNERS[A][0], collateral, leverage)
        self.probe_bystander()

    @rule(
        divisor=st.sampled_from([2, 3, 10, 10**6]),
        reports=st.integers(1, 20),
        then_liquidate=st.booleans(),
    )
    def attacker_crashes_a(self, divisor: int, reports: int, then_liquidate: bool) -> None:
        """Report spot / ``divisor`` ``reports`` times a minute apart (the reference of a
        bounded-step oracle follows step by step), then perhaps liquidate A at once."""
        low = max(1, self.market(A).oracle.spot // divisor)
        for _ in range(reports):
            self.on(A, AdvanceTime(60))
            self.on(A, ReportOracle(low))
        if then_liquidate:
            self.liquidate_a(wait=0)
        self.probe_bystander()

    @rule(step=st.sampled_from([200, 150]), reports=st.integers(3, 30))
    def attacker_bleeds_a_while_liquidating(self, step: int, reports: int) -> None:
        """A decline gen 3's reference can follow (``step`` basis points every 10 minutes),
        liquidating A at every report: gen 3's kicks come only this way."""
        for _ in range(reports):
            self.on(A, AdvanceTime(600))
            spot = self.market(A).oracle.spot
            self.on(A, ReportOracle(max(1, spot * (10_000 - step) // 10_000)))
            self.liquidate_a(wait=0)
        self.probe_bystander()

    @rule(factor=st.sampled_from([2, 10]))
    def attacker_spikes_a(self, factor: int) -> None:
        self.on(A, ReportOracle(self.market(A).oracle.spot * factor))
        self.probe_bystander()

    @rule(hours=st.integers(1, 30))
    def attacker_silences_a(self, hours: int) -> None:
        """No report on A for ``hours`` hours: A's oracle goes stale (and A may be shut
        down for it after a day)."""
        self.on(A, AdvanceTime(hours * 3_600 + 1))
        self.probe_bystander()

    @rule(wait=st.sampled_from([0, 1_800, 7_200]))
    def attacker_liquidates_a_into_a_shortfall(self, wait: int) -> None:
        """Then anyone has the backstop cover what it may of A's write-off."""
        self.liquidate_a(wait)
        self.backstop_covers_a_markets_write_off(A)
        self.probe_bystander()

    def liquidate_a(self, wait: int) -> None:
        """Liquidate every unsafe position on A, buy every lot at its current price after
        ``wait`` seconds (or let POL end it), and settle: what the lots do not cover is
        A's shortfall."""
        state = self.market(A)
        for position_id, position in sorted(state.positions.items()):
            if views.unsafe(self.market(A), position):
                self.on(A, views.liquidation(self.market(A), "mallet", position_id))
        if wait:
            self.on(A, AdvanceTime(wait))
        for auction_id, auction in sorted(self.market(A).auctions.items()):
            if not auction.finished:
                price = views.price(self.market(A), auction_id)
                self.on(A, Take("mallet", auction_id, 10**30, max(price, 1)))
                if views.has_pol_backstop(self.market(A)):
                    self.on(A, EndAuction(auction_id))
            self.on(A, Settle(auction_id))

    @rule()
    def attacker_shuts_a_down(self) -> None:
        """Then tries to borrow from A all the same."""
        self.apply(ShutdownMarket("mallory", A))
        self.borrow(A, OWNERS[A][1], 1, 100)
        self.probe_bystander()

    @precondition(
        lambda self: (
            VENUES[A] not in self.system.halted
            and (self.market(A).ledger.bad_debt > 0 or A in self.system.shut_down)
        )
    )
    @rule()
    def a_chain_halts(self) -> None:
        """A's venue stops, once A has a shortfall or is shut down (earlier, it would
        freeze the attack before it starts); the attacker still tries to borrow there."""
        self.apply(HaltVenue(VENUES[A]))
        self.borrow(A, OWNERS[A][1], 1, 100)
        self.probe_bystander()

    @rule(how=st.sampled_from(["remaining cap", "one above", "bad debt", "everything"]))
    def attacker_draws_the_backstop_for_a(self, how: str) -> None:
        backstop = self.system.backstop
        assert backstop is not None
        remaining = backstop.caps.get(A, 0) - backstop.drawn.get(A, 0)
        amounts = {
            "remaining cap": remaining,
            "one above": remaining + 1,
            "bad debt": self.market(A).ledger.bad_debt - backstop.drawn.get(A, 0),
            "everything": backstop.fund,
        }
        self.apply(DrawBackstop("mallory", A, max(1, amounts[how])))
        self.probe_bystander()

    @rule(share=st.sampled_from([100, 50]), recall=st.booleans())
    def attacker_moves_liquidity_at_a(self, share: int, recall: bool) -> None:
        """SHARED: allocate the pool's idle cash to A, or recall A's cash; ISOLATED: A's LP
        withdraws (both refused under the other topology)."""
        cash = self.market(A).pool.cash * share // 100
        if self.topology is Topology.SHARED:
            action: object = (
                Recall(A, max(1, cash))
                if recall
                else Allocate(A, max(1, self.system.shared.cash * share // 100))
            )
            self.apply(action)
        else:
            self.on(A, WithdrawLiquidity(f"lp-{A}", max(1, cash)))
        self.probe_bystander()

    @rule(share=st.sampled_from([100, 50, 1]), deliver=st.booleans())
    def attacker_floods_messages(self, share: int, deliver: bool) -> None:
        """Send part of A's venue's treasury to B's venue and try to deliver it at once
        (before the latency when there is one)."""
        treasury = self.system.treasury.get(VENUES[A], 0)
        self.apply(SendMessage(VENUES[A], VENUES[B], max(1, treasury * share // 100)))
        if deliver and self.system.messages:
            self.apply(DeliverMessage("relayer", max(self.system.messages)))
        self.probe_bystander()

    # --- the bystander B and the system -------------------------------------------------

    @rule(
        owner=st.sampled_from(OWNERS[B]),
        collateral=st.integers(1, 100),
        leverage=st.integers(1, 100),
    )
    def b_borrower_takes_a_loan(self, owner: str, collateral: int, leverage: int) -> None:
        self.borrow(B, owner, collateral, leverage)

    @rule(move=st.integers(-300, 300), reports=st.integers(1, 6))
    def b_oracle_moves(self, move: int, reports: int) -> None:
        for _ in range(reports):
            self.on(B, AdvanceTime(600))
            spot = self.market(B).oracle.spot
            self.on(B, ReportOracle(max(1, spot * (10_000 + move) // 10_000)))

    @rule()
    def b_keepers_and_bidders_work(self) -> None:
        """Kick every unsafe B position, buy every live lot at its price, settle."""
        for position_id, position in sorted(self.market(B).positions.items()):
            if views.unsafe(self.market(B), position):
                self.on(B, views.liquidation(self.market(B), "keeper", position_id))
        for auction_id, auction in sorted(self.market(B).auctions.items()):
            if not auction.finished:
                price = views.price(self.market(B), auction_id)
                self.on(B, Take("bidder", auction_id, 10**30, max(price, 1)))
            self.on(B, Settle(auction_id))

    @rule(data=st.data(), market=st.sampled_from([A, B]))
    def stranger_sends_an_edge_case(self, data: st.DataObject, market: str) -> None:
        """``crosscheck.strategies``' adversarial generator on either market."""
        self.on(market, next_action(DrawChooser(data), self.market(market), adversarial=True))

    @rule(seconds=st.sampled_from([1, 599, 600, 3_600]))
    def relayer_delivers_after_a_while(self, seconds: int) -> None:
        self.apply(Tick(seconds))
        for message in sorted(self.system.messages)[:3]:
            self.apply(DeliverMessage("relayer", message))

    @rule(amount=st.sampled_from([0, 1, 10_000, 1_000_000]), withdraw=st.booleans())
    def shared_lp_moves(self, amount: int, withdraw: bool) -> None:
        """The shared pool's LP supplies or withdraws (refused under ISOLATED); 0 stands
        for all the pool's idle cash."""
        quote = amount * WAD if amount else max(1, self.system.shared.cash)
        action = WithdrawShared if withdraw else SupplyShared
        self.apply(action(SHARED_LP, quote))

    @rule(amount=st.sampled_from([1_000, 1_000_000]))
    def treasury_funds_the_backstop(self, amount: int) -> None:
        self.apply(FundBackstop("treasury", amount * WAD))

    @rule(market=st.sampled_from([A, B]))
    def backstop_covers_a_markets_write_off(self, market: str) -> None:
        """Anyone draws what the market's cap and write-off allow."""
        backstop = self.system.backstop
        assert backstop is not None
        drawn = backstop.drawn.get(market, 0)
        amount = min(
            backstop.caps.get(market, 0) - drawn,
            self.market(market).ledger.bad_debt - drawn,
            backstop.fund,
        )
        if amount > 0:
            self.apply(DrawBackstop("keeper", market, amount))


class IsolatedSystem(SystemMachine):
    topology = Topology.ISOLATED


class SharedSystem(SystemMachine):
    topology = Topology.SHARED


SYSTEM_MACHINES: dict[str, type[SystemMachine]] = {
    "system-isolated": IsolatedSystem,
    "system-shared": SharedSystem,
}


BUDGETS = {"ci": (150, 25), "deep": (1_500, 60)}
"""Per profile: runs of each topology's machine, most rules in a run."""


@attrs.frozen
class SystemRun:
    failure: str | None
    outcomes: Counter[str]


def run_system_machine(name: str, *, find_only: bool = False) -> SystemRun:
    """Run ``name``'s machine under the loaded profile's budget (``ci`` unless ``deep``);
    never raises for a failing machine. For the tests and for ``mutation_run``."""
    profile = "deep" if settings.get_current_profile_name() == "deep" else "ci"
    examples, steps = BUDGETS[profile]
    chosen = settings(
        machine_settings(profile, find_only=find_only),
        max_examples=examples,
        stateful_step_count=steps,
    )
    machine = SYSTEM_MACHINES[name]
    machine.outcomes = Counter()
    try:
        run_state_machine_as_test(machine, settings=chosen)
    except Exception as exc:
        return SystemRun(f"{type(exc).__name__}: {exc}"[:3_000], machine.outcomes)
    return SystemRun(None, machine.outcomes)
