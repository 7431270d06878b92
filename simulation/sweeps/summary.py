"""The tail of a sweep: per parameter set and policy, how much is lost and how often.

For the total economic loss and the LP loss of every run that finished: the mean, the
median, the 95th and 99th percentiles, the maximum and the expected shortfall at 99 %;
the probability that LPs lose anything; for gen 3, the share of runs that left the
zero-loss theorem's envelope. Definitions, so that two tables can be compared:

- ``p95``, ``p99``: nearest rank, the ``ceil(q n)``-th smallest of ``n`` values;
- ``es99``: expected shortfall, the mean of the ``ceil(0.01 n)`` largest values (the
  worst 1 %: the worst 10 of 1,000 runs);
- ``p_lp_loss``: the share of runs whose LP loss is above 0.

Sums use ``math.fsum``, so the figures do not depend on the order runs finished in.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from typing import Any

from simulation.sweeps.spec import Sweep

TAIL_COLUMNS = ("total_loss", "lp_loss")
FIGURES = ("mean", "median", "p95", "p99", "max", "es99")


def _ceil(x: float) -> int:
    """``ceil`` of a count computed in floats (``0.01 * 1000`` is 10, not 11)."""
    return math.ceil(round(x, 9))


def nearest_rank(ordered: Sequence[float], q: float) -> float:
    """The ``ceil(q n)``-th smallest value of the sorted ``ordered``."""
    return ordered[max(0, _ceil(q * len(ordered)) - 1)]


def expected_shortfall(ordered: Sequence[float], q: float) -> float:
    """The mean of the ``ceil((1 - q) n)`` largest values of the sorted ``ordered``."""
    worst = ordered[len(ordered) - max(1, _ceil((1 - q) * len(ordered))) :]
    return math.fsum(worst) / len(worst)


def tail(values: Sequence[float]) -> dict[str, float | None]:
    """The figures of ``values``; all None when there are none."""
    if not values:
        return dict.fromkeys(FIGURES)
    ordered = sorted(values)
    return {
        "mean": math.fsum(ordered) / len(ordered),
        "median": statistics.median(ordered),
        "p95": nearest_rank(ordered, 0.95),
        "p99": nearest_rank(ordered, 0.99),
        "max": ordered[-1],
        "es99": expected_shortfall(ordered, 0.99),
    }


def summarise(sweep: Sweep, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per variant and policy, in the sweep's order."""
    groups: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((row["variant"], row["policy"]), []).append(row)
    found = []
    for variant in sweep.variants:
        for policy in sweep.policies:
            group = groups.get((variant.index, policy), [])
            ok = [r for r in group if r["status"] == "ok"]
            entry: dict[str, Any] = {
                "scenario": variant.scenario_label,
                "variant": variant.index,
                "parameters": {k: v for k, v in variant.values},
                "policy": policy,
                "runs": len(ok),
                "failed": len(group) - len(ok),
            }
            for column in TAIL_COLUMNS:
                entry[column] = tail([float(r[column]) for r in ok])
            entry["p_lp_loss"] = (
                sum(1 for r in ok if float(r["lp_loss"]) > 0) / len(ok) if ok else None
            )
            judged = [r for r in ok if r.get("inside_envelope") is not None]
            entry["p_outside_envelope"] = (
                sum(1 for r in judged if not r["inside_envelope"]) / len(judged) if judged else None
            )
            found.append(entry)
    return found


def flat(entry: dict[str, Any]) -> dict[str, Any]:
    """A summary entry as one flat row (for CSV): ``total_loss_p99``, ``params...``."""
    row = {k: v for k, v in entry.items() if k not in ("parameters", *TAIL_COLUMNS)}
    row.update(entry["parameters"])
    for column in TAIL_COLUMNS:
        for figure, value in entry[column].items():
            row[f"{column}_{figure}"] = value
    return row
