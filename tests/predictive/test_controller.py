"""The controller is untrusted: whatever it sends, the engine's guards decide, and a
refusal is logged with the state left as it was."""

from __future__ import annotations

from typing import Any

import pytest

from model import Accepted
from model.actions import PreLiquidate, UpdateParams
from model.numbers import RAY
from model.params.presets import GEN3_ZERO_LOSS
from predictive.controller import PredictiveController, Settings, Terms
from predictive.evaluation import drive, with_steward
from simulation.runner import PolicyRun
from simulation.scenario import Scenario
from tests.predictive.conftest import constant

Submitted = list[tuple[object, Any, Any, Any]]


@pytest.fixture
def submitted(monkeypatch: pytest.MonkeyPatch) -> Submitted:
    """Every action a controller submits: (action, outcome, state before, state after)."""
    calls: Submitted = []
    original = PolicyRun.submit

    def spy(self: PolicyRun, action: object, t: int) -> Any:
        before = self.state
        outcome = original(self, action, t)
        calls.append((action, outcome, before, self.state))
        return outcome

    monkeypatch.setattr(PolicyRun, "submit", spy)
    return calls


def test_a_hostile_steward_is_refused_every_time_and_changes_nothing(
    small: Scenario, submitted: Submitted
) -> None:
    controller = PredictiveController(constant(0.99), Settings(account="mallory", retry=0))
    _, run = drive(with_steward(small), controller)
    proposals = [c for c in submitted if isinstance(c[0], UpdateParams)]
    assert proposals and controller.log.proposals_accepted == 0
    assert controller.log.proposals_refused == {"NOT_STEWARD": len(proposals)}
    assert all(after is before for _, _, before, after in proposals)
    assert run.state.steward is None


def test_proposals_inside_the_lock_are_refused_and_logged(
    small: Scenario, submitted: Submitted
) -> None:
    """Retrying every tick, the steward's second raise comes inside the hour's lock."""
    controller = PredictiveController(constant(0.99), Settings(retry=0, preliquidate_above=2))
    _, run = drive(with_steward(small), controller)
    log = controller.log
    refused = [c for c in submitted if not isinstance(c[1], Accepted)]
    assert log.proposals_accepted >= 2
    assert log.proposals_refused["UPDATE_TOO_SOON"] == len(refused) > 0
    assert all(after is before for _, _, before, after in refused)
    steward = run.state.steward
    assert steward is not None
    assert steward.liquidation_ratio == GEN3_ZERO_LOSS.liquidation_ratio + RAY // 10  # the cap
    assert log.pre_liquidations == 0


def test_a_calm_model_proposes_nothing(small: Scenario, submitted: Submitted) -> None:
    controller = PredictiveController(constant(0.01))
    _, run = drive(with_steward(small), controller)
    assert [type(c[0]).__name__ for c in submitted] == ["SetPreLiquidation"] * len(run.book)
    assert run.state.steward is None and controller.log.pre_liquidations == 0


def test_only_consenting_positions_are_pre_liquidated_inside_their_band(
    small: Scenario, submitted: Submitted
) -> None:
    """Half the borrowers consent (the even positions); the reference walks down through
    the band after the gap. Without the steward the band is [L, L + 0.15)."""
    settings = Settings(terms=Terms(opt_in=0.5))
    controller = PredictiveController(constant(0.99), settings)
    drive(small, controller)
    log = controller.log
    done = [c for c in submitted if isinstance(c[0], PreLiquidate)]
    assert log.pre_liquidations == sum(isinstance(c[1], Accepted) for c in done) > 0
    assert log.pre_liquidated and all(pid % 2 == 0 for pid in log.pre_liquidated)
    assert log.consents == (small.population.count + 1) // 2 and not log.consents_refused
    for action, outcome, before, _ in done:
        assert isinstance(action, PreLiquidate)
        position = before.positions[action.position]
        value = position.collateral * before.oracle.reference
        ratio = before.pre_liquidation[action.position].ratio
        if isinstance(outcome, Accepted):
            assert position.debt * GEN3_ZERO_LOSS.liquidation_ratio <= value
            assert value < position.debt * ratio
    assert log.borrowers_paid > 0 and log.repaid > 0
