"""Replay throughput and peak memory on a large synthetic trace (reported, never asserted).

    python -m benchmarks.replay_throughput [--positions 10000] [--steps 1000000]

Generates (once, cached under .bench/) a model trace over ``--positions`` positions and
``--steps`` steps, replays it with ``zle replay`` in a child process under several
settings, and reports steps per second and the child's peak resident memory. Then it
times each phase of a replay on the first ``--phase-steps`` steps, in process, to show
where the time goes: reading and JSON parsing, schema validation, decoding, the engine
step, comparison, the step properties, and the state invariants.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import time
from itertools import islice
from pathlib import Path

from crosscheck import schema, wire
from crosscheck.replay import compare_step
from crosscheck.strict_json import strict_loads
from crosscheck.synthetic import write_synthetic_trace
from crosscheck.trace import Header, open_trace
from model.engine import step as model_step
from model.invariants import violated_invariants, violated_step_properties

SETTINGS: tuple[tuple[str, list[str]], ...] = (
    ("1 core, invariants every 10,000 steps", ["--check-every", "10000"]),
    ("1 core, no invariants", ["--check-every", "0"]),
    ("2 cores, invariants every 10,000 steps", ["--check-every", "10000", "--jobs", "2"]),
    ("2 cores, no invariants", ["--check-every", "0", "--jobs", "2"]),
    ("1 core, schema validator on every step too", ["--check-every", "0", "--validate", "schema"]),
)
"""Every setting validates every line (``crosscheck.trace``); ``--validate schema`` also
runs the JSON Schema validator on every step, the reference the default path is held to."""

CHECKPOINT_EVERY = 100_000
"""The benchmark trace carries a checkpoint every 100,000 steps, as a producer is asked to
(``spec/trace-format.md``), so that replay can split it across cores."""


def run_child(trace: Path, extra: list[str]) -> tuple[dict[str, object], float, float, int]:
    """Replay in a child process: its JSON report, wall seconds, peak RSS in KiB."""
    zle = Path(sys.executable).parent / "zle"
    command = [str(zle), "replay", str(trace), "--json", "--no-progress", *extra]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE)
    assert child.stdout is not None
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return json.loads(out), time.perf_counter() - started, cpu, usage.ru_maxrss


def phases(trace: Path, count: int) -> list[tuple[str, float]]:
    """Cumulative per-step cost, in microseconds, of each replay phase on ``count`` steps."""
    with open(trace, "rb") as stream:
        stream.readline()
        lines = [line for line in islice(stream, count) if line.startswith(b'{"step"')]
    reader, handle = open_trace(trace)
    header = reader.header
    assert isinstance(header, Header), "the benchmark replays a single-market trace"
    handle.close()
    n = len(lines)
    results: list[tuple[str, float]] = []

    def timed(label: str, body: object) -> None:
        gc.collect()
        started = time.process_time()
        body()  # type: ignore[operator]
        results.append((label, (time.process_time() - started) / n * 1e6))

    gc.disable()  # keeping every parsed line alive would make the collector dominate
    parsed = [strict_loads(line) for line in lines]
    timed("json.loads (standard library, for reference)", lambda: [json.loads(x) for x in lines])
    timed("strict parse (msgspec, canonical check)", lambda: [strict_loads(x) for x in lines])
    validator = schema.compiled("step")
    timed(
        "schema validation (fastjsonschema; only --validate schema)",
        lambda: [validator(obj) for obj in parsed],
    )
    actions = [wire.decode_action_strict(obj["action"]) for obj in parsed]
    timed(
        "strict action decode (the schema's action rules)",
        lambda: [wire.decode_action_strict(obj["action"]) for obj in parsed],
    )

    def engine() -> None:
        state = header.state
        for action in actions:
            state = model_step(state, action).state

    timed("engine step (model.step)", engine)

    def compare() -> None:
        state = header.state
        pairs = []
        for action in actions:
            outcome = model_step(state, action)
            pairs.append((state, outcome, action))
            state = outcome.state
        started = time.process_time()
        for (pre, outcome, action), obj in zip(pairs, parsed, strict=True):
            compare_step(pre, outcome, action, obj)
        elapsed = time.process_time() - started
        results.append(("compare events and changes", elapsed / n * 1e6))

    compare()

    def properties() -> None:
        state = header.state
        triples = []
        for action in actions:
            outcome = model_step(state, action)
            triples.append((state, action, outcome))
            state = outcome.state
        started = time.process_time()
        for pre, action, outcome in triples:
            violated_step_properties(pre, action, outcome)
        results.append(("step properties (every step)", (time.process_time() - started) / n * 1e6))
        started = time.process_time()
        violated_invariants(state)
        one_check = time.process_time() - started
        results.append(("state invariants, one check, in us", one_check * 1e6))

    properties()
    gc.enable()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--positions", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=1_000_000)
    parser.add_argument("--phase-steps", type=int, default=100_000)
    parser.add_argument("--trace", type=Path, default=None)
    parser.add_argument("--skip-runs", action="store_true", help="only the phase breakdown")
    parser.add_argument("--skip-phases", action="store_true", help="only the replay runs")
    args = parser.parse_args()
    name = f"replay-{args.positions}p-{args.steps}s-c{CHECKPOINT_EVERY}.jsonl"
    trace = args.trace or Path(".bench") / name
    if not trace.exists():
        started = time.perf_counter()
        accepted = write_synthetic_trace(
            trace, args.positions, args.steps, checkpoint_every=CHECKPOINT_EVERY
        )
        print(
            f"generated {trace}: {args.steps:,} steps ({accepted:,} accepted), "
            f"{trace.stat().st_size / 2**20:,.0f} MiB in {time.perf_counter() - started:,.0f} s"
        )
    print(f"trace: {trace} ({trace.stat().st_size / 2**20:,.0f} MiB), {args.positions:,} positions")
    if not args.skip_runs:
        for label, extra in SETTINGS:
            report, seconds, cpu, peak = run_child(trace, extra)
            steps = int(report["steps"])  # type: ignore[call-overload]
            print(
                f"{label:42s} {steps / seconds:>7,.0f} steps/s wall, "
                f"{steps / cpu:>7,.0f} per CPU-second ({steps:,} steps, {seconds:,.0f} s wall, "
                f"{cpu:,.0f} s CPU, incl. start-up)  peak RSS {peak / 1024:,.0f} MiB  "
                f"conforms={report['conforms']}"
            )
    if args.skip_phases:
        return
    print(f"per-step cost by phase, first {args.phase_steps:,} lines (process time, us/step):")
    for label, micros in phases(trace, args.phase_steps):
        print(f"  {label:40s} {micros:8.1f}")


if __name__ == "__main__":
    main()
