"""Reactive against predictive gen 3 on every shipped scenario, as the README shows it.

Trains the early-warning model on synthetic paths (``predictive.study.TRAINING``),
scores it on held-back ones, then runs both gen 3 variants on each shipped scenario but
the synthetic template (never trained on). Prints markdown; with ``--plots DIR`` writes
the three figures there. Figures are reported, never asserted.

    python -m benchmarks.predictive_evaluation --plots docs      # make predictive-eval
    python -m benchmarks.predictive_evaluation luna2022-1h --paths 10
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import attrs

from predictive.controller import Settings
from predictive.evaluation import evaluated_scenarios
from predictive.study import TRAINING, as_json, lines, run

TIMELINE = "blackthursday2020-1h"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", help="shipped scenario names (default: all)")
    parser.add_argument("--paths", type=int, default=TRAINING.paths, help="training paths")
    parser.add_argument("--plots", type=Path, help="directory for the figures")
    parser.add_argument("--json", type=Path, help="write every figure as JSON")
    parser.add_argument(
        "--no-ablation", action="store_true", help="skip each half of the controller alone"
    )
    args = parser.parse_args()
    names = args.scenarios or evaluated_scenarios()
    started = time.perf_counter()

    def done(what: str) -> None:
        print(f"  {what} ({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)

    settings = Settings()
    training = attrs.evolve(TRAINING, paths=args.paths)
    study = run(names, training, settings=settings, done=done, ablate=not args.no_ablation)
    for line in lines(study):
        print(line)
    if args.json is not None:
        args.json.write_text(json.dumps(as_json(study), indent=1) + "\n")
    if args.plots is not None:
        from predictive.plot import plot_calibration, plot_comparison, plot_timeline

        args.plots.mkdir(parents=True, exist_ok=True)
        plot_calibration(study, args.plots / "predictive-calibration.png")
        plot_comparison(study, args.plots / "predictive-comparison.png")
        shown = next((c for c in study.comparisons if c.scenario == TIMELINE), None)
        if shown is not None:
            plot_timeline(shown, settings, args.plots / "predictive-blackthursday.png")
    print(f"\n({time.perf_counter() - started:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
