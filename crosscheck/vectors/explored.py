"""Vectors found by exploring the model: seeded random walks by honest and adversarial
actors (``crosscheck.strategies``), keeping the first case of every outcome signature
(the refusal code, or the kinds of the events emitted) not already in the catalogue.

Deterministic: the same seed and model give the same vectors. Walks start from a few
states of the catalogue (a funded book, after a crash, with a live auction) so that
liquidation branches are reached in a few steps.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator

from crosscheck.strategies import RandomChooser, next_action
from crosscheck.vectors.case import VectorCase, outcome_signature
from crosscheck.vectors.catalogue import BASE, Catalogue, crash
from model.engine import step as model_step
from model.params.presets import PRESETS
from model.state import State

WALKS = 60
STEPS = 120


def starting_states(policy: str) -> list[State]:
    cat = Catalogue(policy=policy, config=PRESETS[policy])
    from model.actions import Kick

    states = [
        cat.state("base", *BASE),
        cat.state("crashed", *BASE, *crash(1400)),
        cat.state("insolvent", *BASE, *crash(1050, reports=25)),
    ]
    if policy != "gen1":
        states.append(cat.state("kicked", *BASE, *crash(1400), Kick("kpr", 1)))
    return states


class ExploredCases:
    """A vector source: first occurrences of outcome signatures on seeded walks."""

    name = "explored"

    def __init__(
        self,
        known: Iterable[VectorCase] = (),
        seed: int = 5,
        walks: int = WALKS,
        steps: int = STEPS,
    ) -> None:
        self.seed = seed
        self.walks = walks
        self.steps = steps
        self.known = {(c.policy, c.handler, outcome_signature(c.outcome())) for c in known}

    def cases(self) -> Iterator[VectorCase]:
        for policy in ("gen1", "gen2", "gen3"):
            seen = {k for k in self.known if k[0] == policy}
            starts = starting_states(policy)
            rng = random.Random(f"{self.seed}/{policy}")
            chooser = RandomChooser(rng)
            for walk in range(self.walks):
                state = starts[walk % len(starts)]
                for _ in range(self.steps):
                    adversarial = rng.random() < 0.3
                    action = next_action(chooser, state, adversarial)
                    outcome = model_step(state, action)
                    case = VectorCase(
                        policy=policy,
                        name="",
                        config=state.config,
                        pre=state,
                        action=action,
                        description="",
                        source=f"explored (seed {self.seed})",
                    )
                    key = (policy, case.handler, outcome_signature(outcome))
                    if key not in seen:
                        seen.add(key)
                        yield VectorCase(
                            policy=policy,
                            name=f"explored_{key[2]}",
                            config=state.config,
                            pre=state,
                            action=action,
                            description=f"first {key[2]} on walk {walk}",
                            source=case.source,
                        )
                    state = outcome.state
