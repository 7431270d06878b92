"""A sweep's figures (matplotlib, the optional ``plot`` extra, imported only here).

``loss_distribution.png``: for each parameter set (at most four), the probability that
a run's total economic loss, and its LP loss, exceeds x, per policy, on a log scale
down to one run in n: the tail at a glance, with each policy's ES99 marked.
``tail_by_parameters.png`` (when the sweep has a grid): each policy's ES99 and 99th
percentile of total economic loss, and its probability of any LP loss, over the
parameter sets.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from simulation.plot import COLOURS, pyplot
from simulation.sweeps.execute import SweepRun
from simulation.sweeps.results import replaced
from simulation.sweeps.spec import Sweep

SHOWN_SETS = 4


def _save(fig: Any, target: Path) -> None:
    with replaced(target, ".png") as temporary:
        fig.savefig(temporary, dpi=110)


def _exceedance(ax: Any, values: Sequence[float], colour: str, label: str) -> None:
    """P(loss > x) against x, a step at each distinct loss, down to the largest."""
    ordered = sorted(values)
    n = len(ordered)
    xs: list[float] = []
    ys: list[float] = []
    for value in sorted({0.0, *ordered}):
        above = n - bisect.bisect_right(ordered, value)
        if above == 0:
            break
        xs.append(value)
        ys.append(above / n)
    if xs:
        ax.step([*xs, ordered[-1]], [*ys, ys[-1]], where="post", color=colour, label=label, lw=1.4)
    else:
        ax.plot([], [], color=colour, label=f"{label.split()[0]}: no run above 0")


def write_plots(sweep: Sweep, run: SweepRun, out: Path) -> list[Path]:
    """Write the figures into ``out``; their paths."""
    plt = pyplot()
    written = [_distribution(plt, sweep, run, out / "loss_distribution.png")]
    if sweep.grid_keys and len(sweep.variants) > 1:
        written.append(_over_grid(plt, sweep, run, out / "tail_by_parameters.png"))
    return written


def _distribution(plt: Any, sweep: Sweep, run: SweepRun, target: Path) -> Path:
    variants = sweep.variants[:SHOWN_SETS]
    fig, axes = plt.subplots(len(variants), 2, figsize=(11, 3.6 * len(variants)), squeeze=False)
    by_group: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for row in run.rows:
        if row["status"] == "ok":
            by_group.setdefault((row["variant"], row["policy"]), []).append(row)
    summary = {(e["variant"], e["policy"]): e for e in run.summary}
    for (total_ax, lp_ax), variant in zip(axes, variants, strict=True):
        for policy in sweep.policies:
            rows = by_group.get((variant.index, policy), [])
            if not rows:
                continue
            colour = COLOURS.get(policy, "black")
            for ax, column in ((total_ax, "total_loss"), (lp_ax, "lp_loss")):
                es = summary[(variant.index, policy)][column]["es99"]
                label = f"{policy} (ES99 {es:,.0f})"
                _exceedance(ax, [float(r[column]) for r in rows], colour, label)
                ax.axvline(es, color=colour, lw=0.8, ls=":")
        for ax, what in ((total_ax, "total economic loss"), (lp_ax, "LP loss")):
            ax.set_yscale("log")
            ax.set_ylim(0.5 / len(sweep.seeds), 1.05)
            ax.set_xlabel(f"{what}, quote units")
            ax.set_ylabel("P(loss > x)")
            ax.grid(alpha=0.3, which="both")
            ax.legend(fontsize=8)
            ax.set_title(f"{what}: {variant.label()}", fontsize=9)
    runs = len(sweep.seeds)
    fig.suptitle(f"{sweep.name}: {runs:,} seeds per policy and parameter set", fontsize=11)
    fig.tight_layout()
    _save(fig, target)
    plt.close(fig)
    return target


def _over_grid(plt: Any, sweep: Sweep, run: SweepRun, target: Path) -> Path:
    fig, (tail_ax, lp_ax) = plt.subplots(2, 1, figsize=(10, 7), sharex=True)
    labels = [v.label() for v in sweep.variants]
    xs = list(range(len(labels)))
    summary = {(e["variant"], e["policy"]): e for e in run.summary}
    for policy in sweep.policies:
        colour = COLOURS.get(policy, "black")
        entries = [summary[(v.index, policy)] for v in sweep.variants]
        es = [e["total_loss"]["es99"] for e in entries]
        p99 = [e["total_loss"]["p99"] for e in entries]
        tail_ax.plot(xs, es, color=colour, marker="o", label=f"{policy} ES99")
        tail_ax.plot(xs, p99, color=colour, marker=".", ls="--", label=f"{policy} p99")
        lp_ax.plot(xs, [e["p_lp_loss"] for e in entries], color=colour, marker="o", label=policy)
    tail_ax.set_ylabel("total economic loss, quote")
    tail_ax.legend(fontsize=8, ncol=len(sweep.policies))
    tail_ax.grid(alpha=0.3)
    lp_ax.set_ylabel("P(any LP loss)")
    lp_ax.grid(alpha=0.3)
    lp_ax.set_xticks(xs, labels, rotation=30, ha="right", fontsize=8)
    fig.suptitle(f"{sweep.name}: tail over the parameter sets", fontsize=11)
    fig.tight_layout()
    _save(fig, target)
    plt.close(fig)
    return target
