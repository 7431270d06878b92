"""``zle predict``: the early-warning model trained, scored, and run against reactive gen 3."""

from __future__ import annotations

from pathlib import Path

import attrs
import click
from rich.console import Console

from predictive.evaluation import evaluated_scenarios
from predictive.study import TRAINING, as_json, lines, run
from simulation.shipped import scenario_names
from zle.exits import BadInput
from zle.output import emit_json, json_option, report_console, wants_report
from zle.progress import no_progress_option, progress


def _sklearn_present() -> bool:
    try:
        import sklearn  # noqa: F401
    except ImportError:
        return False
    return True


@click.command("predict")
@click.argument("scenarios", nargs=-1)
@click.option(
    "--paths",
    type=click.IntRange(2, 10_000),
    default=TRAINING.paths,
    show_default=True,
    help="Synthetic training paths.",
)
@json_option("the evaluation (model, scores, both runs' metrics per scenario)")
@no_progress_option
def predict_command(
    scenarios: tuple[str, ...], paths: int, json_target: Path | str | None, no_progress: bool
) -> None:
    """Train the early-warning model on synthetic paths, score it on held-back ones, and
    run reactive against predictive gen 3 on SCENARIOS (shipped scenario names; default
    every shipped one but the synthetic template the training paths are drawn on).

    Prints the model's coefficients, its reliability table and ROC AUC, and the
    comparison table (README, "Predictive de-risking"). Needs scikit-learn
    (pip install 'zero-loss-engine[predict]').

    Exit status 0: the evaluation ran; 2: an unknown scenario, a missing scikit-learn, or
    an unusable output path (checked before the run).
    """
    known = scenario_names()
    unknown = [name for name in scenarios if name not in known]
    if unknown:
        raise BadInput(f"no shipped scenario {', '.join(map(repr, unknown))} ({', '.join(known)})")
    if not _sklearn_present():
        raise BadInput("zle predict needs scikit-learn: pip install 'zero-loss-engine[predict]'")
    names = list(scenarios) or evaluated_scenarios()
    console: Console = report_console()
    with progress("predict", len(names) + 2, "stages", no_progress=no_progress) as bar:
        study = run(names, attrs.evolve(TRAINING, paths=paths), done=lambda _: bar.advance())
    shown = wants_report(json_target)
    if shown:
        for line in lines(study):
            console.print(line, markup=False, highlight=False)
    emit_json(json_target, as_json(study), console if shown else None)
