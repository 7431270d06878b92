"""The many-market figure: one panel per market, over the same hours.

Each panel shows the market's path price and, per policy (ISOLATED runs; a topology never
changes what happens inside a market), the price its oracle reported: where the two part
(a floored feed, a breaker holding the price) is where positions looked safer than they
were. Log price scale, since a collapsing market spans orders of magnitude.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from model.system import Topology
from simulation.many_markets import SystemLoss
from simulation.plot import COLOURS, pyplot


def plot_markets(title: str, rows: Sequence[SystemLoss], out: Path) -> None:
    """Write one panel per market of ``rows`` (one per topology and policy) to ``out``."""
    plt = pyplot()
    shown = [r for r in rows if r.topology is Topology.ISOLATED] or list(rows)
    markets = [m.market for m in shown[0].markets]
    fig, axes = plt.subplots(len(markets), 1, figsize=(10, 3 * len(markets)), squeeze=False)
    for axis, market in zip(axes[:, 0], markets, strict=True):
        drawn_path = False
        for row in shown:
            found = next(m for m in row.markets if m.market == market)
            series = found.series
            if series is None or not series.times:
                continue
            hours = [t / 3_600 for t in series.times]
            if not drawn_path:
                axis.plot(hours, series.path_price, color="black", lw=1.2, label="path price")
                drawn_path = True
            axis.plot(
                hours,
                series.oracle_spot,
                color=COLOURS.get(row.policy, "grey"),
                lw=0.9,
                ls="--",
                label=f"{row.policy} oracle (written off {found.written_off:,.0f}, "
                f"underwater {found.underwater:,.0f})",
            )
        axis.set_yscale("log")
        axis.set_title(market, loc="left")
        axis.set_ylabel("price (quote)")
        axis.legend(fontsize=7, loc="lower left")
    axes[-1, 0].set_xlabel("hours")
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)
