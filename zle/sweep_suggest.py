"""``zle params suggest --sweep FILE``: the safe parameter set with the lightest tail.

Proofs bound the worst case; simulation ranks the rest. Each parameter set of the
sweep is certified first, on its gen 3 configuration: ASM-SAFETY-INEQUALITY (a) and
(b) in closed form on the RAY integers, then KICK-BACKED discharged by Z3 on the real
engine with those parameters on the steepest fall the oracle passes (what ``zle params
suggest`` confirms by default). The sweep then runs (resumably, on Dask, as ``zle
sweep``), and among the certified sets the suggestion is the one whose gen 3 runs have
the lowest expected shortfall at 99 % of total economic loss (ties: the 99th
percentile, then the mean, then the order of the sweep).
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Any

import attrs
import click
from rich.table import Table

from model.params.records import Config
from proofs.obligation import Verdict
from simulation.sweeps.cluster import ClusterError
from simulation.sweeps.execute import FolderError, run_sweep
from simulation.sweeps.spec import Sweep
from simulation.sweeps.variants import Variant
from zle.exits import FINDING, BadInput
from zle.output import emit_json, report_console, wants_report
from zle.progress import default_jobs, progress
from zle.sweep import load, out_dir


@attrs.frozen
class Certificate:
    inequality: bool
    """ASM-SAFETY-INEQUALITY (a), closed form."""
    stage: bool
    """ASM-SAFETY-INEQUALITY (b), closed form."""
    kick_backed: str
    """KICK-BACKED's verdict with these parameters, or why it was not tried."""

    @property
    def safe(self) -> bool:
        return self.inequality and self.stage and self.kick_backed == Verdict.PROVED.value


def certify(config: Config) -> Certificate:
    """The closed forms, then (when they hold) KICK-BACKED proved on the engine."""
    from zle.params import inequality_holds, prove_kick_backed, stage_inequality_holds

    a, b = inequality_holds(config), stage_inequality_holds(config)
    if not (a and b):
        return Certificate(a, b, "not tried: the inequality fails")
    return Certificate(a, b, prove_kick_backed(config, slide=True).verdict.value)


def _gen3_entry(summary: list[dict[str, Any]], variant: Variant) -> dict[str, Any]:
    return next(e for e in summary if e["variant"] == variant.index and e["policy"] == "gen3")


def _rank(entry: dict[str, Any], variant: Variant) -> tuple[float, float, float, int]:
    total = entry["total_loss"]
    if total["es99"] is None:
        return (float("inf"), float("inf"), float("inf"), variant.index)
    return (total["es99"], total["p99"], total["mean"], variant.index)


def _checked_sweep(sweep: Sweep) -> None:
    if "gen3" not in sweep.policies:
        raise BadInput(f"{sweep.file}: the sweep runs no gen3; add it to policies")
    drawn = [d.key for d in sweep.draws if d.key.startswith("params.")]
    if drawn:
        raise BadInput(
            f"{sweep.file}: draw {', '.join(drawn)}: each run would have its own parameters; "
            "put them in [grid] to rank parameter sets"
        )


def suggest_from_sweep(
    file: str,
    out: Path | None,
    workers: int | None,
    scheduler: str | None,
    json_target: Path | str | None,
    no_progress: bool,
) -> None:
    console = report_console()
    shown = wants_report(json_target)
    with ExitStack() as stack:
        sweep = load(file, stack)
    _checked_sweep(sweep)
    target = out_dir(file, out)
    certificates: dict[Config, Certificate] = {}
    with progress("certifying", len(sweep.variants), "sets", no_progress=no_progress) as bar:
        for variant in sweep.variants:
            config = variant.scenario.configs["gen3"]
            if config not in certificates:
                certificates[config] = certify(config)
            bar.advance()
    with progress("sweep", sweep.runs, "runs", no_progress=no_progress) as bar:
        try:
            run = run_sweep(
                sweep,
                target,
                workers=workers or default_jobs(),
                scheduler=scheduler,
                started=lambda to_run, *_: bar.update(completed=sweep.runs - to_run),
                advance=bar.advance,
            )
        except ClusterError as error:
            raise BadInput(f"--scheduler: {error}") from None
        except FolderError as error:
            raise BadInput(f"--out {error}") from None
    sets = []
    for variant in sweep.variants:
        certificate = certificates[variant.scenario.configs["gen3"]]
        entry = _gen3_entry(run.summary, variant)
        sets.append((variant, certificate, entry))
    safe = [s for s in sets if s[1].safe and s[2]["runs"] > 0]
    best = min(safe, key=lambda s: _rank(s[2], s[0]), default=None)
    if shown:
        console.print(_table(sweep, sets, best[0] if best else None))
        if best is None:
            console.print("[red]no parameter set is certified safe[/red]: nothing to suggest")
        else:
            chosen = best[0].label()
            console.print(f"suggested: {chosen} (the lowest gen3 ES99 among the certified)")
        console.print(f"runs: {run.table}", style="dim")
    emit_json(json_target, _report(sweep, sets, best, run.table), console if shown else None)
    if best is None or best[2]["failed"] or run.failed:
        raise SystemExit(FINDING)


def _money(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _table(
    sweep: Sweep, sets: list[tuple[Variant, Certificate, dict[str, Any]]], best: Variant | None
) -> Table:
    table = Table(
        title=f"{sweep.name}: gen3 parameter sets, certified, then ranked by their tail",
        title_justify="left",
    )
    for name, justify in (
        ("parameter set", "left"),
        ("(a) closed form", "left"),
        ("(b) closed form", "left"),
        ("KICK-BACKED", "left"),
        ("runs", "right"),
        ("total ES99", "right"),
        ("total p99", "right"),
        ("total mean", "right"),
        ("P(LP loss)", "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for variant, certificate, entry in sets:
        total = entry["total_loss"]
        mark = " <- suggested" if variant is best else ""
        share = entry["p_lp_loss"]
        table.add_row(
            variant.label() + mark,
            "holds" if certificate.inequality else "FAILS",
            "holds" if certificate.stage else "FAILS",
            certificate.kick_backed,
            f"{entry['runs']:,}" + (f" ({entry['failed']} failed)" if entry["failed"] else ""),
            _money(total["es99"]),
            _money(total["p99"]),
            _money(total["mean"]),
            "-" if share is None else f"{share:.1%}",
        )
    table.caption = (
        "certified = (a) and (b) hold and KICK-BACKED is proved on the steepest fall; "
        "total = gen3's total economic loss per run, quote units"
    )
    table.caption_justify = "left"
    return table


def _report(
    sweep: Sweep,
    sets: list[tuple[Variant, Certificate, dict[str, Any]]],
    best: tuple[Variant, Certificate, dict[str, Any]] | None,
    table: Path,
) -> dict[str, Any]:
    return {
        "sweep": str(sweep.file),
        "table": str(table),
        "sets": [
            {
                "parameters": dict(variant.values),
                "scenario": variant.scenario_label,
                "certified": certificate.safe,
                "inequality_a": certificate.inequality,
                "inequality_b": certificate.stage,
                "kick_backed": certificate.kick_backed,
                "gen3": entry,
            }
            for variant, certificate, entry in sets
        ],
        "suggested": None
        if best is None
        else {"parameters": dict(best[0].values), "scenario": best[0].scenario_label},
    }


def sweep_options_problem(
    file: Path | None, max_step: int | None, full: bool, sweep: str | None
) -> str | None:
    """Why the arguments of ``zle params suggest`` do not go together, or None."""
    if sweep is None:
        return None if max_step is not None else "give --max-step PERCENT (or --sweep FILE)"
    if file is not None or max_step is not None or full:
        return "--sweep ranks the sweep's own parameter sets: no FILE, --max-step or --full"
    return None


def unused_options_problem(ctx: click.Context, sweep: str | None) -> str | None:
    """Sweep options given without ``--sweep``."""
    if sweep is not None:
        return None
    given = [
        f"--{name.replace('_', '-')}"
        for name in ("out", "workers", "scheduler")
        if ctx.params.get(name) is not None
    ]
    return f"{', '.join(given)} only go with --sweep" if given else None
