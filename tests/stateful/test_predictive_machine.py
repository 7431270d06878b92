"""Gen 3 with a risk steward: every actor of ``machines.py`` with a hostile steward and a
hostile pre-liquidator (``hostile_steward.py``, ``hostile_pre_liquidator.py``). Neither
may break an invariant or a step property at any step, and the guards of the three new
actions agree with the spec's (``proofs/obligations/predictive_guards.py``) at every step.

And the machine has teeth: seeded mutants of the steward and of pre-liquidation,
monkeypatched in-process, are killed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import pytest
from hypothesis import settings

import model.rules.preliquidation
import model.rules.steward
from model.state import State
from tests.stateful.harness import MachineRun, describe, run_machine
from tests.stateful.machines import PREDICTIVE
from tests.stateful.test_machines import skip_if_quick

REACHED = {
    "SetPreLiquidation",
    "SetPreLiquidation: NOT_OWNER",
    "SetPreLiquidation: INVALID_TERMS",
    "PreLiquidate",
    "PreLiquidate: NOT_CONSENTED",
    "PreLiquidate: CLOSE_FACTOR_EXCEEDED",
    "PreLiquidate: NOT_LIQUIDATABLE",
    "UpdateParams",
    "UpdateParams: NOT_STEWARD",
    "UpdateParams: UPDATE_TOO_LARGE",
    "UpdateParams: UPDATE_TOO_SOON",
    "UpdateParams: INVALID_PARAMS",
    "Kick",
    "Take",
}


@functools.cache
def run() -> MachineRun:
    result = run_machine(PREDICTIVE)
    print(describe(result))
    return result


@pytest.mark.covers(
    "ACT-SET-PRE-LIQUIDATION",
    "ACT-PRE-LIQUIDATE",
    "ACT-UPDATE-PARAMS",
    "PRELIQ-TERMS",
    "PRELIQ-CONSENT",
    "PRELIQ-RATIO-NEVER-WORSE",
    "PRELIQ-KEEPER-GAIN",
    "PRELIQ-CLOSE-FACTOR",
    "STEWARD-SAFE",
    "STEWARD-BOUNDED",
    "STEWARD-PHASE-IN",
    "NO-HEALTHY-LIQUIDATION",
)
def test_a_hostile_steward_and_pre_liquidator_break_nothing() -> None:
    result = run()
    assert result.failure is None, result.failure
    assert result.beyond_bounds() == []


def test_the_search_reaches_the_new_actions_and_their_refusals() -> None:
    skip_if_quick()
    seen = run().observed
    missing = {kind for kind in REACHED if seen.outcomes[kind] == 0}
    assert not missing, f"no run reached {sorted(missing)}"


def _no_phase_in(state: State) -> int:
    record = state.steward
    return (
        model.rules.steward.configured(state).liquidation_ratio
        if record is None
        else (record.liquidation_ratio)
    )


MUTANTS: list[tuple[object, str, Callable[..., object], tuple[str, ...]]] = [
    (
        model.rules.steward,
        "liquidation_ratio_now",
        _no_phase_in,
        ("liquidatable", "HEALTHY", "succeeds-iff", "STEWARD-PHASE-IN"),
    ),
    (model.rules.steward, "distance", lambda new, old: 0, ("STEWARD-BOUNDED", "ACT-UPDATE-PARAMS")),
    (
        model.rules.preliquidation,
        "interpolate",
        lambda start, end, where: end,
        ("ACT-PRE-LIQUIDATE", "PRELIQ-"),
    ),
]
"""``(module, name, replacement, what the failure names)``: a higher ``L`` in force at
once (no phase-in) for gen 3's kicks and leverage checks; a steward whose changes are
never too large; pre-liquidation at the close factor and incentive of ``L`` wherever the
position is in its band."""


@pytest.mark.parametrize(
    ("module", "name", "replacement", "named"), MUTANTS, ids=[m[1] for m in MUTANTS]
)
def test_a_seeded_mutant_is_killed(
    monkeypatch: pytest.MonkeyPatch,
    module: object,
    name: str,
    replacement: Callable[..., object],
    named: tuple[str, ...],
) -> None:
    monkeypatch.setattr(module, name, replacement)
    profile = "deep" if settings.get_current_profile_name() == "deep" else "ci"
    result = run_machine(PREDICTIVE, profile, find_only=True)
    assert result.failure is not None, f"the mutant {name} survived {result.observed.steps} steps"
    assert any(text in result.failure for text in named), result.failure[-2000:]
