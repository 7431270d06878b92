"""The tail figures, on values whose answer is known."""

from __future__ import annotations

from simulation.sweeps.summary import expected_shortfall, nearest_rank, tail


def test_percentiles_are_nearest_rank_and_es_the_mean_of_the_worst() -> None:
    values = [float(v) for v in range(1, 1001)]  # 1 .. 1000
    ordered = sorted(values)
    assert nearest_rank(ordered, 0.95) == 950 and nearest_rank(ordered, 0.99) == 990
    assert expected_shortfall(ordered, 0.99) == sum(range(991, 1001)) / 10
    figures = tail(list(reversed(values)))
    assert figures == {
        "mean": 500.5,
        "median": 500.5,
        "p95": 950.0,
        "p99": 990.0,
        "max": 1000.0,
        "es99": 995.5,
    }


def test_small_samples_and_no_samples() -> None:
    assert tail([3.0]) == dict.fromkeys(("mean", "median", "p95", "p99", "max", "es99"), 3.0)
    assert tail([0.0, 0.0, 7.0])["es99"] == 7.0
    assert set(tail([]).values()) == {None}
