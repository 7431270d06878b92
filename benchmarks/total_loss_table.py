"""The total-loss comparison over every shipped scenario, as the README shows it.

For each scenario in ``scenarios/``: each policy's total economic loss (LOSS-TOTAL, at the
path's final price), gen 3's parts of it, and whether gen 3's run stayed inside the
zero-loss theorem's envelope (SIM-ASSUMPTION-MONITOR), with the first assumption it
broke and by how much. Figures are reported, never asserted (the assertions are in
``tests/simulation/test_runs.py``).

    python -m benchmarks.total_loss_table            # markdown, every shipped scenario
    python -m benchmarks.total_loss_table luna2022-1h
"""

from __future__ import annotations

import sys
from pathlib import Path

from simulation.files import load_scenario
from simulation.metrics import Metrics, hours
from simulation.runner import run_policy

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
POLICIES = ("gen1", "gen2", "gen3")


def money(value: float) -> str:
    return f"{value:,.0f}"


def breach(metrics: Metrics) -> str:
    """The first assumption gen 3's run broke, when, and its worst excess."""
    if metrics.inside_envelope == "yes":
        return "inside"
    found = metrics.envelope["assumptions"]
    first = min(
        (b for b in found.values() if not b["held"] and b["first_time"] is not None),
        key=lambda b: b["first_time"],
    )
    name = next(k for k, b in found.items() if b is first)
    worst = first["worst"]
    amount = f"{worst:.1%}" if "reference" in first["unit"] else f"{worst:,.0f}"
    return f"{name.removeprefix('ASM-')} from {hours(first['first_time'])}, worst {amount}"


def bound(metrics: Metrics) -> str:
    """LOSS-BOUND: what settled short against the bound from the reference's falls."""
    envelope = metrics.envelope
    return f"{money(envelope['realised_shortfall'])} / {money(envelope['loss_bound'])}"


def rows(names: list[str]) -> list[str]:
    out = [
        "| scenario | gen1 total | gen2 total | gen3 total | gen3: LPs | insurance | "
        "POL cover | POL market | open | liquidation | envelope (first breach) | "
        "short / LOSS-BOUND |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for name in names:
        scenario = load_scenario(SCENARIOS / f"{name}.toml")
        m = {p: run_policy(scenario, p).metrics for p in POLICIES}
        g3 = m["gen3"]
        out.append(
            f"| `{name}` | {money(m['gen1'].total_loss)} | {money(m['gen2'].total_loss)} | "
            f"**{money(g3.total_loss)}** | {money(g3.lp_loss)} | "
            f"{money(g3.insurance_shortfall)} | {money(g3.pol_shortfall)} | "
            f"{money(g3.pol_market_loss)} | {money(g3.underwater_at_end)} | "
            f"{money(g3.liquidation_loss)} | {breach(g3)} | {bound(g3)} |"
        )
    return out


def main() -> None:
    names = sys.argv[1:] or sorted(p.stem for p in SCENARIOS.glob("*.toml"))
    for line in rows(names):
        print(line, flush=True)


if __name__ == "__main__":
    main()
