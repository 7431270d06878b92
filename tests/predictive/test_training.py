"""Training the early-warning model: labels, determinism, scores."""

from __future__ import annotations

import pytest

from predictive.distress import Tally, distress_within
from predictive.training import Samples, TrainingPlan, fit, samples, score, train
from tests.predictive.conftest import constant

TINY = TrainingPlan(paths=2, first=7, duration=86_400, positions=30)
"""Seed 7 (regimes, calm all day) and seed 8 (a jump-diffusion that kicks): both classes."""


def test_distress_is_a_kick_or_a_shortfall_within_the_horizon() -> None:
    tallies = [
        Tally(0, 0, 0.0),
        Tally(600, 0, 0.0),
        Tally(1_200, 1, 0.0),  # a kick between 600 and 1,200
        Tally(1_800, 1, 0.0),
        Tally(2_400, 1, 5.0),  # a shortfall between 1,800 and 2,400
        Tally(3_000, 1, 5.0),
    ]
    final = Tally(3_600, 1, 5.0)
    assert distress_within(tallies, final, horizon=600) == [
        False,
        True,
        False,
        True,
        False,
        False,
    ]
    assert distress_within(tallies, final, horizon=1_200)[:3] == [True, True, True]
    assert distress_within(tallies, final, horizon=3_000)[-1] is None  # past the end


def test_same_seeds_same_samples_same_coefficients() -> None:
    first, second = samples(TINY), samples(TINY)
    assert first == second
    assert 0 < first.positives < len(first.labels)
    assert fit(first) == fit(second) == train(TINY)


def test_a_model_scores_and_bins_every_sample() -> None:
    data = samples(TINY)
    model = fit(data)
    result = score(model, data)
    assert result.samples == len(data.labels) == sum(b.count for b in result.reliability)
    assert result.positives == data.positives
    assert result.roc_auc > 0.5
    flat = score(constant(0.3), data)
    assert flat.roc_auc == 0.5
    assert [(b.low, b.count) for b in flat.reliability] == [(0.3, len(data.labels))]
    assert flat.reliability[0].observed == pytest.approx(data.positives / len(data.labels))


def test_one_class_cannot_be_fitted() -> None:
    with pytest.raises(ValueError, match="one class"):
        fit(Samples([(0.0,) * 6, (1.0,) * 6], [False, False], 1))
