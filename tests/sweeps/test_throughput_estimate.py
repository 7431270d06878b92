"""The benchmark's 1 M-run estimate: cores at the measured rate, never faster than one
scheduler hands runs out."""

from __future__ import annotations

from benchmarks.sweep_throughput import Measured, estimate


def _measured(workers: int, seconds: float, client_cpu: float) -> Measured:
    return Measured(
        workers=workers,
        runs=1_000,
        seconds=seconds,
        startup=2.0,
        run_seconds=0.04,
        busy=1.0,
        worker_cpu=0.04,
        client_cpu=client_cpu,
        journal_bytes=1_000.0,
        load=(0.5, 0.5, 0.5),
    )


def test_small_clusters_scale_and_large_ones_wait_on_the_scheduler() -> None:
    # 25 runs/s per worker, a perfect speedup, 1 ms of scheduler CPU per run (1,000 runs/s)
    lines = estimate(_measured(1, 40.0, 0.001), _measured(2, 20.0, 0.001))
    assert lines[0].startswith("1,000,000 runs of this size: 11.1 core-hours")
    assert "| 1 x 2 | 2 | 5.6 h |" in lines
    assert "| 10 x 2 | 20 | 33 min |" in lines
    # 320 workers would need 2 min; the scheduler needs 1,000 s for 1 M runs
    assert "| 10 x 32 | 320 | 17 min (scheduler-bound) |" in lines
    assert "| 100 x 32 | 3,200 | 17 min (scheduler-bound) |" in lines
    assert any("beyond about 40 workers" in line for line in lines)


def test_a_half_speedup_doubles_the_core_hours() -> None:
    lines = estimate(_measured(1, 40.0, 0.0001), _measured(2, 40.0, 0.0001))
    assert "22.2 core-hours" in lines[0] and "parallel efficiency 50%" in lines[0]
