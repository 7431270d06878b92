"""``zle params``: is a parameter file safe, and what is the least conservative safe ratio.

``zle params check FILE`` loads a parameter (or scenario) file with
``simulation.files.load_config`` (every problem as ``file:line: field: ...``, exit 2).
For gen 3 it states whether ASM-SAFETY-INEQUALITY holds for the file's
``params.oracle.max_step`` twice: the closed form ``L (1 - s) f >= 1 + 1e-9`` on the
RAY integers, and the KICK-BACKED obligation discharged on the real engine with the
file's configuration. When the inequality fails it prints the solver's counterexample
replayed (pre-state, report, kick, the unbacked auction) and the buffer that closes the
gap (BUFFER-SIZING: the worst shortfall of such a kick, maximised by ``z3.Optimize``).
For gen 1 it reports the worst shortfall of a ``--gap`` percent gap.
Exit status: 0 safe, 1 unsafe (or not established), 2 a file or an argument that cannot
be used (every problem of the file at once, sorted by line, in the file's own units).

``zle params suggest [FILE] --max-step PERCENT`` minimises gen 3's ``liquidation_ratio``
with ``z3.Optimize`` over the integer inequality (and the engine's own rule that it
exceed the backstop ratio), keeping every other parameter, then confirms the result by
discharging KICK-BACKED with it: by default on the steepest fall the oracle passes, from
a concrete price and collateral (the case the inequality is tight for; seconds), with
``--full`` over every report within ``max_step`` (the lemma itself; near the minimum Z3
needs minutes: 92 s for a 2 % step, measured).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import click
import z3

from model.numbers import RAY, WAD, Unit, plain
from model.params import validate
from model.params.derived import gen3_backstop_ratio
from model.params.presets import PRESETS
from model.params.records import Config, Gen3ZeroLossParams
from proofs.obligation import Expect, Obligation, Result, Task, Verdict
from proofs.obligations import buffer, theorems, total_loss
from proofs.runner import discharge
from proofs.world import ModelSource
from simulation.files import ConfigFileError, load_config, read_percent
from zle.exits import FINDING, BadInput
from zle.output import OutputDir, emit_json, json_option, wants_report
from zle.progress import no_progress_option, progress
from zle.prove import counterexample_lines

Say = Callable[[str], object]

ETA = RAY // 10**9
"""The margin ``η = 1e-9`` of ASM-SAFETY-INEQUALITY, in RAY."""


def _gen3(config: Config) -> Gen3ZeroLossParams:
    policy = config.policy
    assert isinstance(policy, Gen3ZeroLossParams)
    return policy


def inequality_holds(config: Config) -> bool:
    """``L (1 - s) f >= 1 + η`` exactly, on the RAY integers."""
    p = _gen3(config)
    lhs = p.liquidation_ratio * (RAY - config.oracle.max_step) * p.floor_ratio
    return lhs >= (RAY + ETA) * RAY * RAY


def stage_inequality_holds(config: Config) -> bool:
    """ASM-SAFETY-INEQUALITY (b), ``f + s (A + P) / P <= 1``, exactly: ``f P + s (A + P)
    <= RAY P`` on the RAY integers."""
    p = _gen3(config)
    period = config.oracle.step_period
    s = config.oracle.max_step
    return p.floor_ratio * period + s * (p.auction_duration + period) <= RAY * period


def per_time_lines(config: Config, interval: int) -> list[str]:
    """What ``max_step`` per ``step_period`` means for reports ``interval`` seconds apart:
    the most one report, one hour and one auction stage may move the reference."""
    s = Decimal(config.oracle.max_step) / RAY
    period = config.oracle.step_period
    p = _gen3(config)
    per_report = s * min(interval, period) / period
    reports_per_hour = max(1, 3_600 // interval)
    hour = 1 - (1 - per_report) ** reports_per_hour
    stage = s * (p.auction_duration + period) / period
    return [
        f"the reference moves at most max_step = {_percent(config.oracle.max_step)} per "
        f"step_period = {period} s (ORACLE-REFERENCE); with reports every {interval} s:",
        f"  one report: at most {per_report:.4%} (ASM-BOUNDED-MOVE holds while spot moves no "
        "more between two reports)",
        f"  one hour ({reports_per_hour} report(s)): a fall of at most {hour:.4%}, compounded",
        f"  one auction stage (auction_duration {p.auction_duration} s, plus one period for the "
        f"first report after the kick): at most {stage:.4%}, against the floor's "
        f"{1 - Decimal(p.floor_ratio) / RAY:.4%} below the anchor",
    ]


def _ray(value: int) -> str:
    """A RAY value as a plain decimal (``1.25``, ``1530``)."""
    return plain(value, Unit.RAY)


def _ratio(value: int) -> str:
    return f"{_ray(value)} ({value} in RAY)"


def _percent(value: int) -> str:
    return f"{Decimal(value) * 100 / RAY:.4f}".rstrip("0").rstrip(".") + " %"


def _quote(value: int) -> str:
    return f"{Decimal(value) / WAD:,.6f}"


def kick_backed_obligation(task: Task) -> Obligation:
    """KICK-BACKED (``theorems.obligations``) on ``task``: the user's configuration."""
    return Obligation(
        name="KICK-BACKED/gen3/params",
        requirement_ids=("KICK-BACKED", "ASM-SAFETY-INEQUALITY"),
        policy="gen3",
        task=task,
        claim=theorems.kick_backed,
        assume=theorems._world,
        relevant=theorems._below_after_reports,
        summary="kicked one report after crossing L: the auction is backed",
    )


def prove_kick_backed(config: Config, slide: bool = False) -> Result:
    """Discharge KICK-BACKED with ``config``: every report within ``max_step`` (or, with
    ``slide``, only the steepest fall from a concrete price: a sub-family, quick to refute)."""
    label = "params-slide" if slide else "params"
    task = theorems.kick_after_reports(config, 1, theorems._world, label, slide=slide)
    return discharge(task, [kick_backed_obligation(task)])[0]


def _load(file: Path, policy: str) -> Config:
    try:
        return load_config(file, policy)
    except ConfigFileError as error:
        raise BadInput(
            f"{file}: {len(error.problems)} problem(s); nothing checked", error.problems
        ) from None


def _sayer(json_target: Path | str | None) -> Say:
    return click.echo if wants_report(json_target) else (lambda text: None)


@click.group("params")
def params_group() -> None:
    """Check parameter files against the zero-loss safety inequality; suggest ratios."""


@params_group.command("check")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--policy", type=click.Choice(["gen1", "gen3"]), default="gen3", show_default=True)
@click.option(
    "--gap",
    type=click.IntRange(1, 99),
    default=30,
    show_default=True,
    help="Gen 1: the one-report gap, in percent.",
)
@click.option(
    "--report-interval",
    "interval",
    type=click.IntRange(1, 10**9),
    default=600,
    show_default=True,
    help="Gen 3: seconds between oracle reports, to state what the per-time bound allows.",
)
@json_option("the verdict")
def check_command(
    file: Path, policy: str, gap: int, interval: int, json_target: Path | str | None
) -> None:
    """Load FILE and say whether its parameters are safe (exit 0) or not (exit 1).

    FILE must set the policy's table ([params.gen3], or [params.gen1] with --policy
    gen1); every field it does not set keeps its preset value. Exit status 2: FILE
    cannot be used.
    """
    config = _load(file, policy)
    say = _sayer(json_target)
    say(f"{file}: valid {policy} parameters")
    found: dict[str, Any] = {"file": str(file), "policy": policy}
    if policy == "gen1":
        found.update(_check_gen1(config, gap, say))
    else:
        found.update(_check_gen3(config, interval, say))
    emit_json(json_target, found)
    raise SystemExit(0 if found["safe"] else FINDING)


def _check_gen1(config: Config, gap: int, say: Say) -> dict[str, Any]:
    debt = buffer.DEBT
    worst = buffer.worst_shortfall(gap, config)
    say(
        f"gen 1, a {gap} % one-report gap, one position of debt {_quote(debt)} healthy "
        f"before it, one liquidation (BUFFER-SIZING, z3.Optimize on every path):"
    )
    share = _percent(worst * RAY // debt)
    say(f"  worst shortfall {_quote(worst)} quote ({share} of the debt)")
    if worst > 0:
        say(f"  buffer: an insurance fund of {share} of the debt")
    else:
        say("  no shortfall: no buffer needed for this gap")
    return {
        "gap_percent": gap,
        "debt": str(debt),
        "worst_shortfall": str(worst),
        "safe": worst == 0,
    }


def _check_gen3(config: Config, interval: int, say: Say) -> dict[str, Any]:
    for line in per_time_lines(config, interval):
        say(line)
    kick = _check_kick(config, say)
    stage = _check_stage(config, say)
    return {
        "report_interval": interval,
        "kick": kick,
        "stage": stage,
        "safe": bool(kick["safe"] and stage["safe"]),
    }


def _check_stage(config: Config, say: Say) -> dict[str, Any]:
    """ASM-SAFETY-INEQUALITY (b): closed form, then ZERO-LOSS-TOTAL's POL lemma."""
    p = _gen3(config)
    period, s = config.oracle.step_period, config.oracle.max_step
    lhs = Decimal(p.floor_ratio) / RAY + Decimal(s) / RAY * (p.auction_duration + period) / period
    closed = stage_inequality_holds(config)
    say(
        f"ASM-SAFETY-INEQUALITY (b)  f + s (A + P) / P <= 1  with f = {_ray(p.floor_ratio)}, "
        f"A = auction_duration = {p.auction_duration} s, P = step_period = {period} s"
    )
    say(f"  closed form: {lhs:.6f}: {'holds' if closed else 'FAILS'}")
    expect = Expect.HOLDS if closed else Expect.FAILS
    obligation = total_loss.pol_buys_at_expiry(config, "params", expect)
    result = discharge(obligation.task, [obligation])[0]
    say(
        "  POL buys a backed stage whole at expiry (ZERO-LOSS-TOTAL, z3 on the real engine): "
        f"{result.verdict.value} ({result.paths} paths, "
        f"{result.explore_seconds + result.seconds:.1f} s)"
    )
    found: dict[str, Any] = {
        "closed_form": closed,
        "pol_buys_at_expiry": result.verdict.value,
        "safe": closed and result.verdict is Verdict.PROVED,
    }
    if result.verdict is Verdict.REFUTED and result.witness is not None:
        say("  the reference can pass the floor before expiry; POL may not buy then:")
        for line in counterexample_lines(result.obligation, result.witness):
            say(f"    {line}")
    return found


def _check_kick(config: Config, say: Say) -> dict[str, Any]:
    p = _gen3(config)
    s = config.oracle.max_step
    product = p.liquidation_ratio * (RAY - s) * p.floor_ratio // (RAY * RAY)
    closed = inequality_holds(config)
    say(
        f"ASM-SAFETY-INEQUALITY (a)  L (1 - s) f >= 1 + 1e-9  with L = "
        f"{_ray(p.liquidation_ratio)}, s = max_step = {_percent(s)}, "
        f"f = {_ray(p.floor_ratio)}"
    )
    say(f"  closed form: L (1 - s) f = {_ray(product)}: {'holds' if closed else 'FAILS'}")
    if closed:
        result = prove_kick_backed(config)
    else:
        # a counterexample in the steepest-slide sub-family refutes KICK-BACKED at once;
        # the full one-report task is the fallback
        result = prove_kick_backed(config, slide=True)
        if result.verdict is not Verdict.COUNTEREXAMPLE:
            result = prove_kick_backed(config)
    say(
        f"  KICK-BACKED with this file's parameters (one report of at most {_percent(s)}, "
        f"then a kick; z3 on the real engine): {result.verdict.value} "
        f"({result.paths} paths, {result.explore_seconds + result.seconds:.1f} s)"
    )
    found: dict[str, Any] = {
        "closed_form": closed,
        "kick_backed": result.verdict.value,
        "safe": result.verdict is Verdict.PROVED,
    }
    if result.verdict is Verdict.PROVED:
        say(f"the zero-loss safety inequality (a) holds for a worst step of {_percent(s)}")
        return found
    if result.verdict is not Verdict.COUNTEREXAMPLE or result.witness is None:
        say(f"safety not established: {result.verdict.value} {result.detail}")
        return found
    say(f"the zero-loss safety inequality (a) FAILS for a worst step of {_percent(s)}")
    found["counterexample"] = _print_counterexample(result, say)
    found["buffer"] = _print_buffer(config, say)
    return found


def _print_counterexample(result: Result, say: Say) -> dict[str, str]:
    assert result.witness is not None
    say("counterexample (the solver's witness, replayed through the engine):")
    for line in counterexample_lines(result.obligation, result.witness):
        say(f"  {line}")
    run = result.obligation.task.build(ModelSource(result.witness))
    auction = run.final.auctions[0]
    raised = auction.lot * auction.floor // RAY
    say(
        f"  unbacked auction: lot {_quote(auction.lot)} at floor "
        f"{_ray(auction.floor)} raises {_quote(raised)} of its debt "
        f"{_quote(auction.debt)}: short by {_quote(auction.debt - raised)} quote "
        f"({auction.debt - raised} base units)"
    )
    return {k: str(v) for k, v in sorted(result.witness.items())}


def _print_buffer(config: Config, say: Say) -> dict[str, str]:
    debt = buffer.DEBT
    worst = buffer.worst_kick_shortfall(config)
    shortfall = -(-worst.value // RAY) if worst.value > 0 else 0
    say(
        f"buffer (BUFFER-SIZING, z3.Optimize): a position of debt {_quote(debt)} at or above "
        f"L, one report falling {_percent(config.oracle.max_step)}, then the kick:"
    )
    say(
        f"  worst shortfall {_quote(shortfall)} quote = {_percent(shortfall * RAY // debt)} "
        f"of the debt: the insurance fund that keeps LP loss at zero"
    )
    if worst.witness is not None:
        collateral = worst.witness.get("pos0.collateral", 0)
        say(f"  reached with collateral {_quote(collateral)} at spot {_ray(buffer.SPOT)}")
    return {"debt": str(debt), "worst_shortfall": str(shortfall)}


# --- suggest ------------------------------------------------------------------------


def least_liquidation_ratio(config: Config) -> tuple[int, str]:
    """The lowest ``liquidation_ratio`` (RAY) with ``L (1 - s) f >= 1 + η`` and above the
    backstop ratio (``model.params.validate``), by ``z3.Optimize``; and which binds."""
    p = _gen3(config)
    s = config.oracle.max_step
    ratio = z3.Int("liquidation_ratio")
    inequality = ratio * ((RAY - s) * p.floor_ratio) >= (RAY + ETA) * RAY * RAY
    backstop = gen3_backstop_ratio(p)
    optimizer = z3.Optimize()
    optimizer.add(inequality, ratio > backstop)
    goal = optimizer.minimize(ratio)
    if optimizer.check() != z3.sat:
        raise click.ClickException("z3 found no liquidation ratio")
    best: int = goal.value().as_long()
    binds = (
        "the backstop ratio (1 + penalty) / floor_ratio"
        if best == backstop + 1
        else ("the safety inequality")
    )
    return best, binds


def _max_step(ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
    """``--max-step``: a percentage in (0, 100) written with ASCII digits (``2``, ``2.5``)."""
    if value is None:
        return None
    step = read_percent(value)
    if isinstance(step, str) or not 0 < step < RAY:
        why = step if isinstance(step, str) else "must be in (0, 100)"
        raise click.BadParameter(f"{value!r}: {why}; a percentage such as 2 or 2.5")
    return step


@params_group.command("suggest")
@click.argument(
    "file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--max-step",
    "max_step",
    callback=_max_step,
    help="The assumed worst oracle step, in percent (0 < PERCENT < 100).",
)
@click.option(
    "--full",
    is_flag=True,
    help="Confirm over every report within max_step (near the minimum this takes minutes), "
    "not only the steepest fall.",
)
@click.option(
    "--sweep",
    "sweep",
    metavar="SWEEP",
    help="Instead: among the sweep's gen3 parameter sets that are certified safe (the "
    "safety inequality, KICK-BACKED proved), the one with the lowest tail loss on the sweep.",
)
@click.option("--out", type=OutputDir(), help="With --sweep: the sweep's results folder.")
@click.option("--workers", type=click.IntRange(1, 512), help="With --sweep: local workers.")
@click.option("--scheduler", metavar="ADDRESS", help="With --sweep: an existing Dask cluster.")
@json_option("the suggested ratio and its confirmation")
@no_progress_option
@click.pass_context
def suggest_command(
    ctx: click.Context,
    file: Path | None,
    max_step: int | None,
    full: bool,
    sweep: str | None,
    out: Path | None,
    workers: int | None,
    scheduler: str | None,
    json_target: Path | str | None,
    no_progress: bool,
) -> None:
    """The least conservative gen 3 liquidation ratio for a worst step of MAX_STEP percent;
    with --sweep SWEEP, the certified parameter set of the sweep with the lightest tail.

    Exit status 0: found and confirmed by the proof; 1: not confirmed (or invalid with
    the file's other parameters; with --sweep: no set certified, or runs failed); 2:
    FILE, --max-step or SWEEP cannot be used.
    """
    from zle.sweep_suggest import (
        suggest_from_sweep,
        sweep_options_problem,
        unused_options_problem,
    )

    problem = sweep_options_problem(file, max_step, full, sweep) or unused_options_problem(
        ctx, sweep
    )
    if problem is not None:
        raise BadInput(problem)
    if sweep is not None:
        suggest_from_sweep(sweep, out, workers, scheduler, json_target, no_progress)
        return
    assert max_step is not None
    base = _load(file, "gen3") if file is not None else PRESETS["gen3"]
    say = _sayer(json_target)
    step = max_step
    config = attrs.evolve(base, oracle=attrs.evolve(base.oracle, max_step=step))
    ratio, binds = least_liquidation_ratio(config)
    p = _gen3(config)
    say(
        f"worst step {_percent(step)}, floor_ratio {_ray(p.floor_ratio)}, "
        f"penalty {_ray(p.penalty)} ({'file ' + str(file) if file else 'presets'})"
    )
    say(f"least liquidation_ratio: {_ratio(ratio)} = {_percent(ratio)}")
    say(f"  z3.Optimize minimum; bound by {binds}")
    alone = -(-(RAY + ETA) * RAY * RAY // ((RAY - step) * p.floor_ratio))
    say(f"  (the safety inequality alone: {_percent(alone)}; closed form, rounded up)")
    suggested = attrs.evolve(config, policy=attrs.evolve(p, liquidation_ratio=ratio))
    errors = validate(suggested)
    found: dict[str, Any] = {
        "max_step": str(step),
        "liquidation_ratio": str(ratio),
        "bound_by": binds,
        "invalid": [str(e) for e in errors],
    }
    for error in errors:
        say(f"  invalid with it: {error}")
    if errors:
        emit_json(json_target, {**found, "confirmed": False})
        raise SystemExit(FINDING)
    with progress("proving KICK-BACKED", no_progress=no_progress or not full):
        result = prove_kick_backed(suggested, slide=not full)
    scope = (
        "every report within max_step"
        if full
        else "the steepest fall, from a concrete price and collateral; --full for every report"
    )
    say(
        f"confirmation: KICK-BACKED with liquidation_ratio = {_ray(ratio)} ({scope}): "
        f"{result.verdict.value} ({result.paths} paths, "
        f"{result.explore_seconds + result.seconds:.1f} s)"
    )
    confirmed = result.verdict is Verdict.PROVED
    emit_json(json_target, {**found, "confirmed": confirmed, "verdict": result.verdict.value})
    if not confirmed:
        raise SystemExit(FINDING)
