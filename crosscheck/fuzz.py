"""Differential fuzzing: the model and an implementation, side by side, step by step.

Requirement: DIFFERENTIAL-FUZZ.

Hypothesis draws a starting state (a funded book, after a crash, an insolvent
position, a live auction) and a sequence of honest and adversarial actions
(``crosscheck.strategies``), each drawn in view of the model's current state. After
every action the two must agree on the outcome, the error name, the events and the
whole observable state. At the first disagreement Hypothesis shrinks the sequence to a
minimal one, which is written as the implementation's trace: ``zle replay`` on that
file points at the same step and fields.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import attrs

from crosscheck import wire
from crosscheck.adapter import AdapterError, Implementation, checked_result, checked_state
from crosscheck.changes import FieldDiff, compare_events, compare_snapshots
from crosscheck.parameter_sets import changed_fields, draw_config
from crosscheck.record import record_implementation
from crosscheck.strategies import MODES, DrawChooser, next_action, sandwich
from crosscheck.wire import JsonObject
from model.engine import step as model_step
from model.outcome import Accepted
from model.params.presets import PRESETS
from model.params.records import Config
from model.state import State

MAX_LENGTH = 30
"""Longest action sequence of one example."""


Params = Literal["preset", "random"] | Config
"""What ``fuzz`` runs under: the policy's preset, a valid set drawn per sequence
(``crosscheck.parameter_sets``), or one given configuration (a parameter file)."""


@attrs.frozen
class ShrunkDivergence:
    """A fuzzed run on which the implementation and the model disagree, shrunk to the
    shortest sequence that still does (replay's ``Divergence`` is one step of a trace)."""

    policy: str
    start: State = attrs.field(repr=False)
    actions: tuple[object, ...]
    """The minimal sequence; its last action is the divergent one."""
    diffs: tuple[FieldDiff, ...]
    config: Config = attrs.field(repr=False)
    """The parameters it ran under (recorded in the trace's header)."""

    @property
    def parameters(self) -> dict[str, int | str]:
        """The parameters that differ from the policy's preset."""
        return changed_fields(self.config, self.policy)


@attrs.frozen
class FuzzReport:
    policy: str
    examples: int
    steps: int
    divergence: ShrunkDivergence | None
    trace: Path | None


class _Diverged(Exception):
    pass


def starting_states(policy: str, config: Config | None = None) -> list[State]:
    """Simplest first: a funded book; after a crash; an insolvent position; a live auction.

    Under ``config`` (default: the preset), the set-ups its parameters refuse (a borrow
    above a drawn ``mat``, a kick a drawn cap stops) are left out; at worst the start is
    the bare genesis state.
    """
    from crosscheck.vectors.catalogue import BASE, Catalogue, VectorBuildError, crash
    from crosscheck.vectors.explored import starting_states as explored_starts
    from model.actions import Kick
    from model.numbers import RAY, WAD
    from model.state import genesis

    if config is None or config == PRESETS[policy]:
        return explored_starts(policy)
    cat = Catalogue(policy=policy, config=config)
    setups: list[tuple[str, tuple[object, ...]]] = [
        ("base", BASE),
        ("crashed", (*BASE, *crash(1400))),
        ("insolvent", (*BASE, *crash(1050, reports=25))),
    ]
    if policy != "gen1":
        setups.append(("kicked", (*BASE, *crash(1400), Kick("kpr", 1))))
    states = []
    for name, actions in setups:
        try:
            states.append(cat.state(name, *actions))
        except VectorBuildError:
            continue
    return states or [genesis(config, spot=2000 * RAY, depth=1_000 * WAD)]


def compare_with_model(
    state: State, action: object, implementation: Implementation
) -> tuple[State, list[FieldDiff]]:
    """Apply ``action`` to both; the model's next state and every difference."""
    outcome = model_step(state, action)
    result = checked_result(implementation.apply(wire.encode_action(action)))  # type: ignore[arg-type]
    if isinstance(outcome, Accepted):
        if "accepted" not in result:
            return outcome.state, [
                FieldDiff("outcome", "accepted", f"refused: {result['refused']['error']}")
            ]
        diffs = compare_events(wire.encode_events(outcome.events), result["accepted"]["events"])
    else:
        code = outcome.refusal.code.value
        if "refused" not in result:
            return outcome.state, [FieldDiff("outcome", f"refused: {code}", "accepted")]
        if result["refused"]["error"] != code:
            return outcome.state, [FieldDiff("error", code, result["refused"]["error"])]
        diffs = []
    observed = checked_state(implementation.observe())
    diffs += compare_snapshots(wire.encode_state(outcome.state), observed)
    return outcome.state, diffs


def fuzz(
    implementation: Implementation,
    policy: str,
    steps: int = 2_000,
    seed: int = 0,
    out: Path | None = None,
    params: Params = "preset",
    on_step: Callable[[int], object] = lambda steps: None,
) -> FuzzReport:
    """Fuzz ``implementation`` under ``policy`` for about ``steps`` actions.

    ``params``: the preset, ``"random"`` (a valid parameter set drawn per sequence,
    shrinking towards the preset), or a configuration. On a divergence, the shrunk
    sequence is written to ``out`` as the implementation's trace (when ``out`` is
    given); its header records the parameters. ``on_step`` hears the number of actions
    tried, after each sequence. Whatever the implementation raises, ``SystemExit``
    included, is a divergence (or, from ``reset``, an :class:`AdapterError`).
    """
    from hypothesis import HealthCheck, Phase, given, reporting, settings
    from hypothesis import seed as hypothesis_seed
    from hypothesis import strategies as st

    fixed = PRESETS[policy] if params == "preset" else params
    starts_by_config: dict[Config, list[State]] = {}

    def starts_for(config: Config) -> list[State]:
        if config not in starts_by_config:
            starts_by_config[config] = starting_states(policy, config)
        return starts_by_config[config]

    examples = max(1, steps // 10)  # sequences average about ten actions
    counters = {"examples": 0, "steps": 0}
    last: list[ShrunkDivergence] = []

    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate, Phase.shrink],
        report_multiple_bugs=False,
    )
    @hypothesis_seed(seed)
    @given(st.data())
    def run(data: st.DataObject) -> None:
        chooser = DrawChooser(data)
        config = draw_config(chooser, policy) if not isinstance(fixed, Config) else fixed
        start = chooser.choice(starts_for(config))
        try:
            implementation.reset(wire.encode_config(config), wire.encode_state(start))
        except (Exception, SystemExit) as error:
            raise AdapterError(f"reset() raised {type(error).__name__}: {error}") from error
        counters["examples"] += 1
        state = start
        done: list[object] = []
        length = chooser.integer(1, MAX_LENGTH)
        while len(done) < length:
            mode = chooser.choice(MODES)
            if mode == "sandwich":
                batch = sandwich(chooser, state)
            else:
                batch = [next_action(chooser, state, adversarial=mode == "adversarial")]
            for action in batch:
                done.append(action)
                counters["steps"] += 1
                try:
                    state, diffs = compare_with_model(state, action, implementation)
                except (Exception, SystemExit) as error:  # its failure is a divergence
                    diffs = [
                        FieldDiff("outcome", "a result", f"raised {type(error).__name__}: {error}")
                    ]
                if diffs:
                    last[:] = [ShrunkDivergence(policy, start, tuple(done), tuple(diffs), config)]
                    raise _Diverged()
        on_step(counters["steps"])

    with reporting.with_reporter(lambda _: None), contextlib.suppress(_Diverged):
        run()
    divergence = last[0] if last else None
    written = None
    if divergence is not None and out is not None:
        try:
            record_implementation(
                out,
                implementation,
                wire.encode_config(divergence.config),
                wire.encode_state(divergence.start),
                [wire.encode_action(a) for a in divergence.actions],  # type: ignore[arg-type]
                producer=f"zle fuzz (seed {seed}): shrunk divergent sequence",
            )
        except (Exception, SystemExit) as error:
            raise AdapterError(
                f"recording the divergent sequence failed: {type(error).__name__}: {error}"
            ) from error
        written = Path(out)
    return FuzzReport(policy, counters["examples"], counters["steps"], divergence, written)


def divergence_json(divergence: ShrunkDivergence) -> JsonObject:
    return {
        "policy": divergence.policy,
        "steps": len(divergence.actions),
        "actions": [wire.encode_action(a) for a in divergence.actions],  # type: ignore[arg-type]
        "diffs": [d.to_json() for d in divergence.diffs],
        "parameters": {k: str(v) for k, v in divergence.parameters.items()},
        "config": wire.encode_config(divergence.config),
    }
