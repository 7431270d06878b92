"""Run the model over every vector of a directory: what the vectors reach.

    python -m coverage run --branch --include='model/*' -m crosscheck.vectors.reach DIR

measures which branches of the model the conformance vectors exercise
(``make vectors-coverage``; ``tests/crosscheck/test_vectors.py`` asserts a floor).
"""

from __future__ import annotations

import sys
from pathlib import Path

from crosscheck import wire
from crosscheck.replay import replay
from crosscheck.vectors.checking import load_vectors
from crosscheck.vectors.curves import CurveCase
from model.engine import step

ENGINE_FILES = (
    "model/engine.py",
    "model/oracle.py",
    "model/rules/*",
    "model/policies/*",
    "model/curves/*",
    "model/numbers/fixed_point.py",
)
"""What ``model.step`` executes (the invariants, parameter validation and the units'
declarations and formatter are not steps)."""


def run_all(directory: Path) -> int:
    """Run every case; returns how many."""
    count = 0
    for case in load_vectors(directory):
        count += 1
        files = case.files
        if case.runner == "curves":
            curve = files["case.json"]
            inputs = {k: int(v) for k, v in curve["inputs"].items()}
            CurveCase(curve["function"], case.name, inputs).to_json()
        elif case.header is not None:
            replay(case.header, case.records, check_every=0)
        else:
            config = wire.decode_config(files["config.json"])
            state = wire.decode_state(files["pre.json"], config)
            step(state, wire.decode_action(files["action.json"]))
    return count


def main() -> None:
    count = run_all(Path(sys.argv[1]))
    print(f"ran {count} vectors")


if __name__ == "__main__":
    main()
