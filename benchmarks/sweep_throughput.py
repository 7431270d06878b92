"""Sweep throughput on this machine with 1 and 2 Dask workers, and what 1 M runs cost.

Runs the shipped ``blackthursday-bootstrap`` sweep (a day of 10-minute ticks, a book
of 50 positions, the three policies) cut to ``--seeds`` seeds, once per worker count,
each into a fresh folder on a fresh LocalCluster, and reports per setting: the wall
time of the runs (the cluster already up), runs per second, the speedup over one
worker, the mean time of one run on its worker, how busy the workers were (the time
they spent in runs over the wall time: near 100 %, Dask kept them fed, and a speedup
short of the worker count means the cores were not free), and the client's own CPU time
per run (the client process also hosts the LocalCluster's scheduler: that is the cost a
central scheduler and client pay per run). From these it estimates the wall time and
the core-hours of 1,000,000 runs of this size on N machines, the wall time never below
what one scheduler can hand out. Reported, never asserted; the load average is
printed, since other jobs on a 2-core machine move every figure.

    python -m benchmarks.sweep_throughput [--seeds 300] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import attrs

from simulation.sweeps.execute import SweepRun, run_sweep
from simulation.sweeps.results import JOURNAL
from simulation.sweeps.spec import Sweep, load_sweep, resolve_sweep

MILLION = 1_000_000


@attrs.frozen
class Measured:
    workers: int
    runs: int
    seconds: float
    startup: float
    run_seconds: float
    """Mean wall time of one run on its worker."""
    busy: float
    """Time the workers spent in runs over the wall time of the runs times the workers."""
    client_cpu: float
    """CPU seconds of the client process (client and scheduler) per run, the cluster up."""
    worker_cpu: float
    """CPU seconds of the worker processes per run, their start and imports included."""
    journal_bytes: float
    """Bytes of journal per run."""
    load: tuple[float, float, float]

    @property
    def throughput(self) -> float:
        return self.runs / self.seconds


def the_sweep(seeds: int, stack: ExitStack) -> Sweep:
    path = resolve_sweep("blackthursday-bootstrap", stack)
    assert path is not None
    return attrs.evolve(load_sweep(path, stack), seeds=range(seeds))


def measure(sweep: Sweep, workers: int) -> Measured:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "sweep"
        up: list[float] = []
        last: list[float] = [0.0]

        def advanced() -> None:
            last[0] = time.process_time()

        before = os.times()
        run: SweepRun = run_sweep(
            sweep,
            out,
            workers=workers,
            started=lambda *_: up.append(time.process_time()),
            advance=advanced,
        )
        cpu = last[0] - up[0]
        after = os.times()  # the workers have exited and been reaped: their CPU is in here
        children = after.children_user + after.children_system
        children -= before.children_user + before.children_system
        journal = (out / JOURNAL).stat().st_size
    in_runs = sum(float(r["seconds"]) for r in run.rows)
    per_run = in_runs / len(run.rows)
    return Measured(
        workers=workers,
        runs=run.ran,
        seconds=run.seconds,
        startup=run.startup,
        run_seconds=per_run,
        busy=in_runs / (run.seconds * run.workers),
        client_cpu=cpu / run.ran,
        worker_cpu=children / run.ran,
        journal_bytes=journal / run.ran,
        load=os.getloadavg(),
    )


def _duration(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:,.1f} h"
    if seconds >= 60:
        return f"{seconds / 60:,.0f} min"
    return f"{seconds:,.0f} s"


def estimate(one: Measured, best: Measured) -> list[str]:
    """Wall time and core-hours of 1 M runs: each core runs at the measured one-worker
    rate times the measured parallel efficiency, and no faster than one scheduler (and
    its client, which writes the journal) hands runs out."""
    efficiency = best.throughput / (one.throughput * best.workers)
    core_hours = MILLION / (one.throughput * efficiency) / 3600
    cap = 1 / one.client_cpu
    floor = MILLION / cap
    lines = [
        f"1,000,000 runs of this size: {core_hours:,.1f} core-hours at the measured rate "
        f"({one.throughput:,.1f} runs/s per worker, parallel efficiency {efficiency:.0%}):",
        "| machines x cores | workers | wall time |",
        "|---|---:|---:|",
    ]
    for machines, cores in ((1, 2), (10, 2), (10, 32), (100, 32)):
        workers = machines * cores
        wall = core_hours * 3600 / workers
        bound = " (scheduler-bound)" if wall < floor else ""
        lines.append(
            f"| {machines} x {cores} | {workers:,} | {_duration(max(wall, floor))}{bound} |"
        )
    lines += [
        f"One scheduler spends about {one.client_cpu * 1000:.1f} ms of CPU per run here "
        f"(client included): about {cap:,.0f} runs/s, so beyond about "
        f"{cap * one.run_seconds:,.0f} workers runs of this size wait on the scheduler "
        f"(1 M runs then take at least {_duration(floor)}; longer paths or bigger books "
        "raise that worker count in proportion).",
        f"The journal takes {one.journal_bytes:,.0f} bytes per run: "
        f"{one.journal_bytes * MILLION / 2**30:,.1f} GiB for 1 M runs.",
    ]
    return lines


def free_cores(found: list[Measured]) -> str:
    """What the CPU the runs took predicts on free cores: the wall-clock speedup needs idle
    cores, the CPU per run does not (it grows only with overhead the workers add)."""
    one, best = found[0], max(found, key=lambda m: m.workers)
    rate = min(best.workers / best.worker_cpu, 1 / best.client_cpu)
    return (
        f"CPU per run: {one.worker_cpu * 1000:.1f} ms on 1 worker, "
        f"{best.worker_cpu * 1000:.1f} ms each on {best.workers}: on {best.workers} free "
        f"cores that is {rate:,.1f} runs/s, {rate * one.worker_cpu:.2f}x one free core "
        "(a prediction from CPU time, not a wall-clock measurement)."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=300)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    with ExitStack() as stack:
        sweep = the_sweep(args.seeds, stack)
        print(f"load average before: {os.getloadavg()[0]:.2f}; {sweep.runs:,} runs per setting")
        found = [measure(sweep, w) for w in args.workers]
    base = found[0]
    print(
        "| workers | runs | wall (runs) | runs/s | speedup | one run | workers busy "
        "| worker CPU per run | client CPU per run | cluster start | load average after |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for m in found:
        print(
            f"| {m.workers} | {m.runs:,} | {m.seconds:.1f} s | {m.throughput:,.1f} | "
            f"{m.throughput / base.throughput:.2f}x | {m.run_seconds * 1000:.1f} ms | "
            f"{m.busy:.0%} | {m.worker_cpu * 1000:.1f} ms | {m.client_cpu * 1000:.2f} ms | "
            f"{m.startup:.1f} s | {m.load[0]:.2f} |"
        )
    for line in estimate(base, max(found, key=lambda m: m.workers)):
        print(line)
    print(free_cores(found))


if __name__ == "__main__":
    main()
