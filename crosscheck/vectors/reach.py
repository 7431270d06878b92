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
from crosscheck.trace import TraceReader
from crosscheck.vectors.curves import CurveCase
from crosscheck.vectors.layout import find_cases, read_file
from model.engine import step

ENGINE_FILES = (
    "model/engine.py",
    "model/oracle.py",
    "model/rules/*",
    "model/policies/*",
    "model/curves/*",
    "model/numbers/*",
)
"""What ``model.step`` executes (the invariants and parameter validation are not steps)."""


def run_all(directory: Path) -> int:
    """Run every case; returns how many."""
    count = 0
    for path in find_cases(directory):
        count += 1
        if (path / "case.json").exists():
            case = read_file(path / "case.json")
            inputs = {k: int(v) for k, v in case["inputs"].items()}
            CurveCase(case["function"], path.name, inputs).to_json()
        elif (path / "trace.jsonl").exists():
            with open(path / "trace.jsonl", "rb") as stream:
                reader = TraceReader(stream, str(path))
                replay(reader.header, reader, check_every=0)
        else:
            config = wire.decode_config(read_file(path / "config.json"))
            state = wire.decode_state(read_file(path / "pre.json"), config)
            step(state, wire.decode_action(read_file(path / "action.json")))
    return count


def main() -> None:
    count = run_all(Path(sys.argv[1]))
    print(f"ran {count} vectors")


if __name__ == "__main__":
    main()
