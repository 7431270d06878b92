"""``zle simulate`` on a file that declares several markets (``[[market]]`` tables): every
topology and policy it names, through ``simulation.many_markets``; a table per market,
the totals per topology and policy, and ``--plot`` with a panel per market."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from simulation.file_text import ConfigFileError
from simulation.many_markets import SystemLoss, run_system
from simulation.runner import SimulationError
from simulation.system_files import SystemScenario, load_system
from zle.exits import BadInput
from zle.output import emit_json, report_console, wants_report, write_into_place


def market_table(system: SystemScenario, rows: list[SystemLoss]) -> Table:
    """Per market, per topology and policy: what it lent, wrote off and left underwater."""
    table = Table(title=f"{system.name}: per market (quote)", title_justify="left")
    for name in ("market", "topology", "policy", "supplied", "written off", "underwater"):
        table.add_column(
            name, justify="left" if name in ("market", "topology", "policy") else "right"
        )
    for market in system.markets:
        for row in rows:
            found = next(m for m in row.markets if m.market == market)
            table.add_row(
                market,
                row.topology.value,
                row.policy,
                f"{found.supplied:,.0f}",
                f"{found.written_off:,.0f}",
                f"{found.underwater:,.0f}",
            )
    return table


def totals_table(system: SystemScenario, rows: list[SystemLoss]) -> Table:
    """Per topology and policy: the system's totals, and what each market's lenders lost
    (their own market's losses under ISOLATED, everyone's under SHARED)."""
    table = Table(title="totals per topology and policy (quote)", title_justify="left")
    for name in ("topology", "policy"):
        table.add_column(name, justify="left")
    for name in ("written off", "underwater"):
        table.add_column(name, justify="right")
    for market in system.markets:
        table.add_column(f"{market} lenders lose", justify="right")
    for row in rows:
        table.add_row(
            row.topology.value,
            row.policy,
            f"{row.written_off:,.0f}",
            f"{row.underwater:,.0f}",
            *(f"{row.lenders_loss(m):.4%}" for m in system.markets),
        )
    return table


def report(system: SystemScenario, path: Path, rows: list[SystemLoss]) -> dict[str, Any]:
    return {
        "system": {"file": str(path), "name": system.name, "markets": list(system.markets)},
        "runs": [
            {
                "topology": row.topology.value,
                "policy": row.policy,
                "markets": {
                    m.market: {
                        "supplied": m.supplied,
                        "written_off": m.written_off,
                        "underwater": m.underwater,
                        "lenders_lose": row.lenders_loss(m.market),
                    }
                    for m in row.markets
                },
            }
            for row in rows
        ],
    }


def write_plot(title: str, rows: list[SystemLoss], target: Path) -> None:
    """The figure, written beside ``target`` and renamed into place when complete."""
    from simulation.system_plot import plot_markets

    write_into_place(target, lambda path: plot_markets(title, rows, path))


def simulate_system(
    name: str,
    path: Path,
    policy: str,
    plot_file: Path | None,
    json_target: Path | str | None,
) -> None:
    """Load, run every topology x policy (``policy`` narrows the file's list), report."""
    try:
        system = load_system(path)
    except ConfigFileError as error:
        raise BadInput(
            f"{name} is not a usable scenario: {len(error.problems)} problem(s)", error.problems
        ) from None
    policies = system.policies if policy == "all" else (policy,)
    started = time.perf_counter()
    try:
        rows = [
            run_system(system.markets, t, p, system.adversaries)
            for t in system.topologies
            for p in policies
        ]
    except SimulationError as error:
        raise BadInput(f"{name} cannot be run: {error}") from None
    seconds = time.perf_counter() - started
    shown = wants_report(json_target)
    console: Console = report_console()
    if shown:
        console.print(market_table(system, rows))
        console.print(totals_table(system, rows))
        console.print(system.description.strip(), style="dim", markup=False)
        console.print(f"{len(rows)} runs in {seconds:.1f} s", style="dim")
    emit_json(json_target, report(system, path, rows), console if shown else None)
    if plot_file is not None:
        write_plot(system.name, rows, plot_file)
        if shown:
            console.print(f"wrote {plot_file}")
