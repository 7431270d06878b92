"""Training and scoring the early-warning model on synthetic paths.

A training path runs reactive gen 3 (no controller acts: the run is the ordinary one)
with a :class:`Recorder` that, every ``SAMPLE_EVERY`` seconds, notes the features and the
engine's tallies; :func:`predictive.distress.distress_within` labels each sample. Paths
are split by seed: the model is fitted on the first ones and scored (ROC AUC,
reliability table) on paths it never saw. Same seeds, same samples, same coefficients:
every draw is seeded and the solver (lbfgs) is deterministic.

scikit-learn is imported inside :func:`fit` and :func:`roc_auc`, only when used.
"""

from __future__ import annotations

import attrs

from predictive.distress import HORIZON, Tally, distress_within
from predictive.early_warning import EarlyWarning
from predictive.features import FeatureTracker, observe
from predictive.synthetic import template, training_scenario
from simulation.runner import PolicyRun, run_policy
from simulation.scenario import Scenario

SAMPLE_EVERY = 600
"""Seconds between samples (consecutive ticks say almost the same thing)."""


class Recorder:
    """A controller that only watches: features and tallies every ``SAMPLE_EVERY`` s."""

    def __init__(self, positions: int) -> None:
        self.tracker = FeatureTracker(positions)
        self.rows: list[tuple[float, ...]] = []
        self.tallies: list[Tally] = []

    def act(self, run: PolicyRun, t: int) -> None:
        self.tracker.add(observe(run.state, run.metrics.liquidations))
        if t % SAMPLE_EVERY == 0:
            self.rows.append(self.tracker.features())
            self.tallies.append(Tally(t, run.metrics.liquidations, run.metrics.shortfall))


@attrs.frozen
class Samples:
    features: list[tuple[float, ...]]
    labels: list[bool]
    paths: int

    @property
    def positives(self) -> int:
        return sum(self.labels)


def path_samples(scenario: Scenario, horizon: int = HORIZON) -> Samples:
    """The labelled samples of one run of reactive gen 3 on ``scenario``."""
    recorder = Recorder(scenario.population.count)
    result = run_policy(scenario, "gen3", controller=recorder)
    m = result.metrics
    final = Tally(scenario.path.end + scenario.tick, m.liquidations, m.shortfall)
    labels = distress_within(recorder.tallies, final, horizon)
    kept = [(x, y) for x, y in zip(recorder.rows, labels, strict=True) if y is not None]
    return Samples([x for x, _ in kept], [bool(y) for _, y in kept], 1)


@attrs.frozen
class TrainingPlan:
    """Which synthetic paths: seeds ``first .. first + paths - 1``, each ``duration`` s
    with ``positions`` borrowers."""

    paths: int = 40
    first: int = 1
    duration: int = 3 * 86_400
    positions: int = 100
    horizon: int = HORIZON


def samples(plan: TrainingPlan) -> Samples:
    base = template()
    features: list[tuple[float, ...]] = []
    labels: list[bool] = []
    for seed in range(plan.first, plan.first + plan.paths):
        scenario = training_scenario(base, seed, plan.duration, plan.positions)
        drawn = path_samples(scenario, plan.horizon)
        features += drawn.features
        labels += drawn.labels
    return Samples(features, labels, plan.paths)


def fit(data: Samples, horizon: int = HORIZON) -> EarlyWarning:
    """Logistic regression on standardised features (scikit-learn, lbfgs: deterministic)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    if len(set(data.labels)) < 2:
        raise ValueError("the training paths show only one class: draw more or longer paths")
    scaler = StandardScaler().fit(data.features)
    scaled = scaler.transform(data.features)
    classifier = LogisticRegression(C=1.0, max_iter=1_000).fit(scaled, data.labels)
    return EarlyWarning(
        mean=tuple(float(v) for v in scaler.mean_),
        scale=tuple(float(v) if v > 0 else 1.0 for v in scaler.scale_),
        coefficients=tuple(float(v) for v in classifier.coef_[0]),
        intercept=float(classifier.intercept_[0]),
        horizon=horizon,
    )


def train(plan: TrainingPlan) -> EarlyWarning:
    return fit(samples(plan), plan.horizon)


@attrs.frozen
class Bin:
    low: float
    high: float
    count: int
    predicted: float
    """Mean predicted probability in the bin."""
    observed: float
    """Share of the bin's samples followed by distress."""


@attrs.frozen
class Score:
    samples: int
    positives: int
    roc_auc: float
    brier: float
    reliability: list[Bin]


def score(model: EarlyWarning, data: Samples, bins: int = 10) -> Score:
    """ROC AUC, Brier score and the reliability table of ``model`` on ``data``."""
    p = [model.probability(x) for x in data.features]
    y = [1.0 if label else 0.0 for label in data.labels]
    table = []
    for i in range(bins):
        low, high = i / bins, (i + 1) / bins
        inside = [(q, v) for q, v in zip(p, y, strict=True) if low <= q < high or q == high == 1]
        if inside:
            table.append(
                Bin(
                    low,
                    high,
                    len(inside),
                    sum(q for q, _ in inside) / len(inside),
                    sum(v for _, v in inside) / len(inside),
                )
            )
    brier = sum((q - v) ** 2 for q, v in zip(p, y, strict=True)) / max(1, len(p))
    return Score(len(p), int(sum(y)), roc_auc(y, p), brier, table)


def roc_auc(labels: list[float], predicted: list[float]) -> float:
    """Area under the ROC curve; NaN when the samples hold one class only."""
    from sklearn.metrics import roc_auc_score

    if len(set(labels)) < 2:
        return float("nan")
    return float(roc_auc_score(labels, predicted))
