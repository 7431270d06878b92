"""The comparison figure (matplotlib, the optional ``plot`` extra, imported only here).

Four panels over the same hours: the path price, each policy's market price (the path
less the impact of its own liquidation sales) and gen 3's reference price; the
collateral each policy sold or POL bought, per bin; every auction sale price with the
gen 3 floor it was bound by; and each policy's total economic loss as it grows (LOSS-TOTAL,
open shortfall and POL valued at the path price), with the part LPs bore dashed and POL's
part dotted, and a marker where gen 3's run first left the zero-loss theorem's
assumptions.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from simulation.metrics import RunResult

COLOURS = {"gen1": "#d62728", "gen2": "#ff7f0e", "gen3": "#2ca02c"}


def pyplot() -> Any:
    """matplotlib's pyplot on the file-only Agg backend, imported only when a plot is asked
    for (the ``plot`` extra), or a clear error naming the extra to install."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise RuntimeError(
            "plotting needs matplotlib: pip install 'zero-loss-engine[plot]'"
        ) from error
    return plt


def plot_comparison(title: str, results: Sequence[RunResult], out: Path) -> None:
    """Write the four-panel figure for ``results`` (one per policy) to ``out`` (PNG)."""
    plt = pyplot()
    fig, axes = plt.subplots(4, 1, figsize=(10, 11), sharex=True)
    prices, volume, auctions, losses = axes
    first = results[0].series
    hours = [t / 3600 for t in first.times]
    prices.plot(hours, first.path_price, color="black", lw=1.2, label="path (no liquidations)")
    for result in results:
        s = result.series
        colour = COLOURS.get(result.policy, "grey")
        h = [t / 3600 for t in s.times]
        prices.plot(h, s.market_price, color=colour, lw=0.8, label=f"market under {result.policy}")
        if result.policy == "gen3":
            prices.plot(h, s.reference, color=colour, lw=1.2, ls="--", label="gen3 reference")
        name = result.policy
        losses.plot(h, s.total_loss, color=colour, lw=1.5, label=f"{name} total economic loss")
        losses.plot(h, s.lp_loss, color=colour, lw=1.0, ls="--", label=f"{name} LP loss")
        if any(s.pol_loss):
            losses.plot(h, s.pol_loss, color=colour, lw=1.0, ls=":", label=f"{name} POL's part")
        if s.first_breach is not None:
            for axis in (prices, losses):
                axis.axvline(s.first_breach / 3600, color=colour, lw=0.8, ls="-.")
            prices.annotate(
                f"{name}: first assumption broken",
                (s.first_breach / 3600, prices.get_ylim()[1]),
                fontsize=7,
                color=colour,
                va="top",
            )
    prices.set_ylabel("price (quote)")
    prices.legend(fontsize=7, loc="best")
    prices.set_title(title, fontsize=10)

    span = max(hours[-1], 1.0)
    width = max(span / 60, 1 / 6)
    offsets = {r.policy: i for i, r in enumerate(results)}
    for result in results:
        bins: dict[int, float] = {}
        for t, amount in result.series.sales:
            key = int(t / 3600 / width)
            bins[key] = bins.get(key, 0.0) + amount
        shift = (offsets[result.policy] - (len(results) - 1) / 2) * width / len(results)
        volume.bar(
            [k * width + width / 2 + shift for k in bins],
            list(bins.values()),
            width=width / len(results),
            color=COLOURS.get(result.policy, "grey"),
            label=result.policy,
        )
    volume.set_ylabel("collateral liquidated\nper bin")
    volume.legend(fontsize=7)

    auctions.plot(hours, first.path_price, color="black", lw=0.8, label="path")
    for result in results:
        points = result.series.auction_prices
        if not points:
            continue
        colour = COLOURS.get(result.policy, "grey")
        auctions.scatter(
            [t / 3600 for t, _, _ in points],
            [p for _, p, _ in points],
            s=6,
            color=colour,
            label=f"{result.policy} sale price",
        )
        floors = [(t / 3600, f) for t, _, f in points if f > 0]
        if floors:
            auctions.scatter(
                [t for t, _ in floors],
                [f for _, f in floors],
                s=10,
                marker="_",
                color="black",
                label=f"{result.policy} floor",
            )
    auctions.set_ylabel("auction price")
    auctions.legend(fontsize=7)

    losses.set_ylabel("economic loss (quote)")
    losses.set_xlabel("hours from start of path")
    losses.legend(fontsize=7, ncol=3)
    fig.tight_layout()
    fig.savefig(out, dpi=90)
    plt.close(fig)
