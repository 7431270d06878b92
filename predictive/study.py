"""The whole evaluation: train on synthetic paths, score on held-back ones, then compare
reactive and predictive gen 3 on every shipped scenario. What ``make predictive-eval``
and ``zle predict`` print.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import attrs

from predictive.controller import Settings
from predictive.early_warning import EarlyWarning
from predictive.evaluation import (
    Comparison,
    compare,
    inside_until,
    markdown,
    penalties,
    predictive_only,
)
from predictive.training import Samples, Score, TrainingPlan, fit, samples, score

TRAINING = TrainingPlan(paths=40, first=1)
HELD_BACK = TrainingPlan(paths=20, first=1_001)
"""Seeds the model never saw: scored for ROC AUC and calibration."""


@attrs.frozen
class Study:
    training: TrainingPlan
    trained_on: Samples
    model: EarlyWarning
    held_back: Samples
    score: Score
    comparisons: list[Comparison]
    ablations: dict[str, tuple[float, float]] = attrs.Factory(dict)
    """Per scenario: the total loss with the steward alone and with pre-liquidation alone."""


def run(
    names: Sequence[str],
    training: TrainingPlan = TRAINING,
    held_back: TrainingPlan = HELD_BACK,
    settings: Settings | None = None,
    done: Callable[[str], None] = lambda _: None,
    ablate: bool = False,
) -> Study:
    """Train, score, compare on ``names``; ``done(what)`` after each stage. With
    ``ablate``, each half of the controller also runs alone."""
    settings = settings or Settings()
    trained_on = samples(training)
    model = fit(trained_on, training.horizon)
    done("trained")
    unseen = samples(held_back)
    scored = score(model, unseen)
    done("scored")
    comparisons = []
    ablations = {}
    for name in names:
        comparisons.append(compare(name, model, settings))
        if ablate:
            steward = predictive_only(name, model, attrs.evolve(settings, preliquidate_above=2.0))
            pre = predictive_only(name, model, attrs.evolve(settings, raise_above=2.0))
            ablations[name] = (steward.total_loss, pre.total_loss)
        done(name)
    return Study(training, trained_on, model, unseen, scored, comparisons, ablations)


def model_lines(study: Study) -> list[str]:
    t, s = study.training, study.score
    lines = [
        f"Trained on {t.paths} synthetic paths ({t.duration // 86_400} days, {t.positions} "
        f"positions each; {len(study.trained_on.labels):,} samples, "
        f"{study.trained_on.positives:,} followed by distress within "
        f"{study.model.horizon // 3_600} h); scored on {study.held_back.paths} held-back "
        f"paths ({s.samples:,} samples, {s.positives:,} positive): ROC AUC {s.roc_auc:.3f}, "
        f"Brier score {s.brier:.3f}.",
        "",
        "| feature | coefficient (standardised) |",
        "|---|---:|",
    ]
    lines += [f"| {name} | {c:+.3f} |" for name, c in study.model.describe()]
    lines += [f"| intercept | {study.model.intercept:+.3f} |", ""]
    lines += [
        "| predicted p | samples | mean predicted | observed distress |",
        "|---|---:|---:|---:|",
    ]
    lines += [
        f"| {b.low:.1f}–{b.high:.1f} | {b.count:,} | {b.predicted:.2f} | {b.observed:.2f} |"
        for b in s.reliability
    ]
    return lines


def ablation_lines(study: Study) -> list[str]:
    if not study.ablations:
        return []
    out = [
        "| scenario | reactive | steward alone | pre-liquidation alone | both |",
        "|---|---:|---:|---:|---:|",
    ]
    for c in study.comparisons:
        steward, pre = study.ablations[c.scenario]
        out.append(
            f"| `{c.scenario}` | {c.reactive.total_loss:,.0f} | {steward:,.0f} | {pre:,.0f} | "
            f"{c.predictive.total_loss:,.0f} |"
        )
    return ["", "Total economic loss, each half of the controller alone:", "", *out]


def lines(study: Study) -> list[str]:
    return [*model_lines(study), "", *markdown(study.comparisons), *ablation_lines(study)]


def as_json(study: Study) -> dict[str, Any]:
    return {
        "model": attrs.asdict(study.model),
        "training": attrs.asdict(study.training),
        "score": attrs.asdict(study.score),
        "scenarios": {
            c.scenario: {
                "reactive": c.reactive.as_dict(),
                "predictive": c.predictive.as_dict(),
                "pre_liquidations": c.log.pre_liquidations,
                "pre_liquidated_positions": len(c.log.pre_liquidated),
                "false_positives": c.false_positives,
                "kicked_only_predictive": c.kicked_only_predictive,
                "borrowers_paid_pre_liquidators": c.log.borrowers_paid,
                "pre_liquidator_profit": c.log.pre_liquidator_profit,
                "penalties": {
                    "reactive": penalties(c.reactive),
                    "predictive": penalties(c.predictive),
                },
                "inside_envelope_until": {
                    "reactive": inside_until(c.reactive, c.duration),
                    "predictive": inside_until(c.predictive, c.duration),
                },
                "proposals_accepted": c.log.proposals_accepted,
                "proposals_refused": c.log.proposals_refused,
                "pre_liquidations_refused": c.log.pre_liquidations_refused,
            }
            for c in study.comparisons
        },
        "ablations": {
            name: {"steward_alone": s, "pre_liquidation_alone": p}
            for name, (s, p) in study.ablations.items()
        },
    }
