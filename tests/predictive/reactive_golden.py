"""The reactive gen 3 figures of every shipped scenario, as recorded before issue 17's hook.

``simulation.runner`` gained an optional controller (issue 17); without one a run must be
what it was. ``reactive_gen3.json`` holds every metric of gen 3 on every shipped
scenario, measured on the commit before the hook (``517cd06``) with

    python -m tests.predictive.reactive_golden > tests/predictive/reactive_gen3.json

and ``test_reactive_unchanged.py`` compares today's runs with it. Regenerate it only for
a change that is meant to move the reactive figures, and say so in the commit.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from simulation.files import load_scenario
from simulation.runner import run_policy

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def figures(name: str) -> dict[str, Any]:
    """Gen 3's metrics on the shipped scenario ``name``, through JSON (as stored)."""
    metrics = run_policy(load_scenario(SCENARIOS / f"{name}.toml"), "gen3").metrics
    loaded: dict[str, Any] = json.loads(json.dumps(metrics.as_dict()))
    return loaded


def main() -> None:
    names = sorted(p.stem for p in SCENARIOS.glob("*.toml"))
    print(json.dumps({name: figures(name) for name in names}, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
