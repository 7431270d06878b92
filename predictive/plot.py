"""The evaluation's figures (matplotlib, the ``plot`` extra, imported only here).

- calibration: the reliability diagram and the ROC curve on held-back synthetic paths;
- comparison: per scenario, reactive against predictive gen 3's total economic loss and
  what borrowers paid (liquidation penalties, and pre-liquidators' incentives);
- timeline: one scenario hour by hour: the path and gen 3's reference, the predicted
  probability with the controller's thresholds and the liquidation ratio in force, and
  both runs' total economic loss as it grows.
"""

from __future__ import annotations

from pathlib import Path

from predictive.controller import Settings
from predictive.evaluation import Comparison, penalties
from predictive.study import Study
from simulation.plot import pyplot

REACTIVE, PREDICTIVE = "#2ca02c", "#1f77b4"


def plot_calibration(study: Study, out: Path) -> None:
    from sklearn.metrics import roc_curve

    plt = pyplot()
    fig, (reliability, roc) = plt.subplots(1, 2, figsize=(10, 4.5))
    bins = study.score.reliability
    reliability.plot([0, 1], [0, 1], color="grey", lw=0.8, ls="--", label="perfectly calibrated")
    reliability.plot(
        [b.predicted for b in bins],
        [b.observed for b in bins],
        "o-",
        color=PREDICTIVE,
        label="held-back paths",
    )
    for b in bins:
        reliability.annotate(
            f"{b.count}",
            (b.predicted, b.observed),
            fontsize=7,
            textcoords="offset points",
            xytext=(3, -9),
        )
    reliability.set_xlabel("predicted P(distress within horizon)")
    reliability.set_ylabel("observed share followed by distress")
    reliability.set_title("reliability (samples per bin)")
    reliability.legend(loc="upper left", fontsize=8)
    p = [study.model.probability(x) for x in study.held_back.features]
    fpr, tpr, _ = roc_curve(study.held_back.labels, p)
    roc.plot([0, 1], [0, 1], color="grey", lw=0.8, ls="--")
    roc.plot(fpr, tpr, color=PREDICTIVE, label=f"AUC {study.score.roc_auc:.3f}")
    roc.set_xlabel("false positive rate")
    roc.set_ylabel("true positive rate")
    roc.set_title("ROC, held-back synthetic paths")
    roc.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def plot_comparison(study: Study, out: Path) -> None:
    plt = pyplot()
    comparisons = study.comparisons
    names = [c.scenario for c in comparisons]
    x = list(range(len(names)))
    fig, (loss, cost) = plt.subplots(2, 1, figsize=(11, 7.5), sharex=True)
    width = 0.38
    left = [i - width / 2 for i in x]
    right = [i + width / 2 for i in x]
    loss.bar(
        left,
        [c.reactive.total_loss for c in comparisons],
        width,
        color=REACTIVE,
        label="reactive gen 3",
    )
    loss.bar(
        right,
        [c.predictive.total_loss for c in comparisons],
        width,
        color=PREDICTIVE,
        label="predictive gen 3",
    )
    loss.set_ylabel("total economic loss (quote)")
    loss.legend(fontsize=8)
    cost.bar(
        left,
        [penalties(c.reactive) for c in comparisons],
        width,
        color=REACTIVE,
        label="reactive: liquidation penalties",
    )
    cost.bar(
        right,
        [penalties(c.predictive) for c in comparisons],
        width,
        color=PREDICTIVE,
        label="predictive: liquidation penalties",
    )
    cost.bar(
        right,
        [c.log.borrowers_paid for c in comparisons],
        width,
        bottom=[penalties(c.predictive) for c in comparisons],
        color="#9ecae1",
        label="predictive: paid to pre-liquidators",
    )
    cost.set_ylabel("what borrowers paid (quote)")
    cost.legend(fontsize=8)
    cost.set_xticks(x)
    cost.set_xticklabels(names, rotation=35, ha="right", fontsize=8)
    fig.suptitle("Reactive against predictive gen 3, shipped scenarios (never trained on)")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def plot_timeline(comparison: Comparison, settings: Settings, out: Path) -> None:
    plt = pyplot()
    fig, (prices, signal, losses) = plt.subplots(3, 1, figsize=(10, 8.5), sharex=True)
    r, p = comparison.reactive_series, comparison.predictive_series
    hours = [t / 3_600 for t in p.times]
    prices.plot(hours, p.path_price, color="black", lw=1.0, label="path")
    prices.plot(hours, p.reference, color=PREDICTIVE, lw=1.0, label="gen 3 reference")
    prices.set_ylabel("price")
    prices.legend(fontsize=8)
    log = comparison.log
    signal.plot(
        [t / 3_600 for t, _ in log.probabilities],
        [q for _, q in log.probabilities],
        color=PREDICTIVE,
        lw=0.8,
        label="P(distress within horizon)",
    )
    for level, name in (
        (settings.raise_above, "raise L"),
        (settings.preliquidate_above, "pre-liquidate"),
        (settings.relax_below, "relax"),
    ):
        signal.axhline(level, color="grey", lw=0.6, ls=":")
        signal.annotate(name, (0, level), fontsize=7, xytext=(2, 2), textcoords="offset points")
    signal.set_ylabel("probability")
    ratio = signal.twinx()
    ratio.plot(
        [t / 3_600 for t, _ in log.liquidation_ratio],
        [v for _, v in log.liquidation_ratio],
        color="#d62728",
        lw=1.0,
        label="L in force",
    )
    ratio.set_ylabel("L in force", color="#d62728")
    losses.plot([t / 3_600 for t in r.times], r.total_loss, color=REACTIVE, label="reactive gen 3")
    losses.plot(hours, p.total_loss, color=PREDICTIVE, label="predictive gen 3")
    losses.set_ylabel("total economic loss")
    losses.set_xlabel("hours")
    losses.legend(fontsize=8)
    fig.suptitle(comparison.scenario)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
