"""The engine as a Hypothesis state machine: one state, every action, every check.

:class:`EngineMachine` holds an engine state and applies actions to it through
``model.engine.step``, the engine's one entry point. After every step it evaluates
every state invariant and every step property of ``model.invariants`` (the one
definition of each; REFUSAL-NO-CHANGE is the check that a refused action returns the
very state it was given) and fails if an exception escaped ``step``. It also measures
the step (``worst_cases.measure``) and, at teardown, ``target()``s the run's worst
values so that Hypothesis searches towards the worst cases.

A step must also do what ``effect_checks`` restates from the spec (the volatility
update, gen 3 tabs, incentives and backing, gen 2's status and redo incentive), and an
arithmetic fault it answers with must come from values beyond ASM-RANGES (within
them the proofs show there is none). A run launches under the policy's preset or one
of its ``variants``.

The actors are rule families in their own modules (``honest.py`` and one module per
adversary), all subclasses of this class; ``machines.py`` combines them into one
machine per policy. Model functions are looked up as module attributes at call time
(``engine.step``, ``invariants.violated_invariants``), so a mutant monkeypatched into
the model in-process is what the machines run.
"""

from __future__ import annotations

from typing import ClassVar

import attrs
from hypothesis import strategies as st
from hypothesis import target
from hypothesis.stateful import (
    Bundle,
    MultipleResults,
    RuleBasedStateMachine,
    initialize,
    multiple,
)

import model.invariants as invariants
from model import engine
from model.actions import (
    Borrow,
    DepositCollateral,
    FundInsurance,
    FundPol,
    OpenPosition,
    ReportDepth,
    SupplyLiquidity,
)
from model.numbers import RAY, WAD
from model.outcome import Outcome, Refused
from model.params.presets import PRESETS
from model.params.records import Config, StewardBounds
from model.state import State, genesis
from proofs.obligations import predictive_guards
from proofs.obligations.iff import SPECS, spec_refusal
from tests.stateful import effect_checks, views, worst_cases
from tests.stateful.effect_checks import EFFECT_FAULTS, within_ranges
from tests.stateful.variants import VARIANTS, launch_config
from tests.stateful.worst_cases import Observations

START_SPOT = 2_000 * RAY
LPS = ("lp", "lp2")
EARLY_LP = "early"
OWNERS = ("ann", "bob", "cat")

OBSERVED: dict[str, Observations] = {}
"""Per policy: the worst values and counts over every run since the last reset."""


def observed(policy: str) -> Observations:
    return OBSERVED.setdefault(policy, Observations())


def guard_disagreement(policy: str, pre: State, action: object, outcome: Outcome) -> list[str]:
    """The succeeds-iff check: the step was refused with exactly the code of the first
    failing check of the spec's guard list (``proofs/obligations/iff/``, the same
    definition the succeeds-iff obligations prove), or accepted when none fails.

    The guard lists do not restate the effects' arithmetic (within ASM-RANGES, where the
    proofs quantify, it never leaves uint256); beyond it ENGINE-STEP's step 4 refuses
    with the arithmetic fault, so such a refusal after a passing guard list conforms,
    there and only there.
    """
    kind = type(action).__name__
    spec = SPECS[policy].get(kind)
    if spec is not None:
        expected = spec_refusal(spec.refusal, pre, action)
        requirement = spec.requirement_ids[0]
    elif policy == "gen3" and kind in predictive_guards.SPECS:
        predictive = predictive_guards.SPECS[kind]
        expected = predictive_guards.spec_refusal(predictive, pre, action)
        requirement = predictive.requirement_ids[0]
    else:
        return []
    got = outcome.refusal.code if isinstance(outcome, Refused) else None
    if got == expected:
        return []
    if expected is None and got in EFFECT_FAULTS and not within_ranges(pre, action):
        return []
    return [f"{requirement} (succeeds-iff: spec {expected}, engine {got})"]


class EngineFailure(AssertionError):
    """A step broke an invariant or a step property, or raised."""


class EngineMachine(RuleBasedStateMachine):
    """The engine under one policy (``policy``), and the checks after every step."""

    policy: ClassVar[str] = "gen3"
    positions: ClassVar[Bundle[int]] = Bundle("positions")
    auctions: ClassVar[Bundle[int]] = Bundle("auctions")
    steward: ClassVar[StewardBounds | None] = None
    """Gen 3: the risk steward's bounds the machine launches with (``None``: no steward)."""
    name: ClassVar[str] = ""
    """What the machine's observations are kept under (default: ``policy``)."""

    def __init__(self) -> None:
        super().__init__()
        self.state: State = genesis(self.configured(PRESETS[self.policy]), spot=START_SPOT)
        self.seen = Observations(runs=1)

    def configured(self, config: Config) -> Config:
        """``config`` with the machine's steward bounds, if it has any."""
        return config if self.steward is None else attrs.evolve(config, steward=self.steward)

    @property
    def key(self) -> str:
        return self.name or self.policy

    # --- the one way to act -----------------------------------------------------------

    def apply(self, action: object) -> Outcome:
        """Step the engine with ``action`` and check everything; the outcome."""
        pre = self.state
        try:
            outcome = engine.step(pre, action)
        except Exception as exc:
            raise EngineFailure(f"{action!r} raised {exc!r}: no exception may escape step") from exc
        broken = [
            *invariants.violated_step_properties(pre, action, outcome),
            *guard_disagreement(self.policy, pre, action, outcome),
            *effect_checks.effect_disagreements(pre, action, outcome),
        ]
        if outcome.state is not pre:  # a refusal returns ``pre``, already checked
            broken += invariants.violated_invariants(outcome.state)
        if broken:
            detail = outcome.refusal if isinstance(outcome, Refused) else outcome.events
            raise EngineFailure(f"{action!r} broke {', '.join(broken)}: {detail}")
        worst_cases.measure(pre, action, outcome, self.seen)
        self.state = outcome.state
        return outcome

    def accepted(self, action: object) -> bool:
        return not isinstance(self.apply(action), Refused)

    def has_live_auction(self) -> bool:
        return any(not auction.finished for auction in self.state.auctions.values())

    def live_auction(self, data: st.DataObject) -> int:
        """One of the auctions still selling (call under ``has_live_auction``)."""
        live = sorted(i for i, auction in self.state.auctions.items() if not auction.finished)
        return data.draw(st.sampled_from(live), label="auction")

    def owner(self, position: int) -> str:
        return self.state.positions[position].owner

    def liquidate(self, keeper: str, position: int, share: int = 100) -> MultipleResults[int]:
        """``keeper`` liquidates ``position`` (gen 1) or kicks it (gen 2, gen 3); the new
        auction's id, if one started."""
        auction = self.state.next_auction
        self.apply(views.liquidation(self.state, keeper, position, share))
        return multiple(auction) if self.state.next_auction > auction else multiple()

    # --- launch -------------------------------------------------------------------------

    @initialize(
        target=positions,
        variant=st.sampled_from(range(8)),
        liquidity=st.sampled_from([5_000_000, 1_000_000, 300_000]),
        early=st.sampled_from([50_000, 0]),
        insurance=st.sampled_from([100_000, 2_000, 0]),
        pol=st.sampled_from([50_000, 0, 1_000_000]),
        depth=st.sampled_from([1_000, 20, 1_000_000]),
        book=st.lists(
            st.tuples(st.integers(1, 1_000), st.sampled_from([100, 98, 90, 60])),
            min_size=1,
            max_size=4,
        ),
    )
    def protocol_launches(
        self,
        variant: int,
        liquidity: int,
        early: int,
        insurance: int,
        pol: int,
        depth: int,
        book: list[tuple[int, int]],
    ) -> MultipleResults[int]:
        """Under the preset (``variant`` < 3) or one of the policy's variant configurations,
        LPs fill the pool, the treasury funds the buffers, the market reports depth, and
        borrowers open a book of loans: ``(collateral, % of the debt limit)`` each."""
        names = sorted(VARIANTS[self.policy])
        if variant >= 3 and names:
            name = names[(variant - 3) % len(names)]
            self.state = genesis(self.configured(launch_config(self.policy, name)), spot=START_SPOT)
        self.apply(SupplyLiquidity(LPS[0], liquidity * WAD))
        if early:
            self.apply(SupplyLiquidity(EARLY_LP, early * WAD))
        if insurance:
            self.apply(FundInsurance("treasury", insurance * WAD))
        if pol:
            self.apply(FundPol("treasury", pol * WAD))
        self.apply(ReportDepth(depth * WAD))
        opened = []
        for index, (collateral, leverage) in enumerate(book):
            owner = OWNERS[index % len(OWNERS)]
            position = self.state.next_position
            debt = views.debt_limit(self.state, collateral * WAD) * leverage // 100
            self.apply(OpenPosition(owner))
            self.apply(DepositCollateral(owner, position, collateral * WAD))
            self.apply(Borrow(owner, position, max(debt, self.state.config.dust)))
            opened.append(position)
        return multiple(*opened)

    # --- end of a run -----------------------------------------------------------------

    def teardown(self) -> None:
        """Target this run's worst values (once per label), then add them to the policy's."""
        for label, score in self.seen.targets():
            target(score, label=label)
        observed(self.key).absorb(self.seen)
