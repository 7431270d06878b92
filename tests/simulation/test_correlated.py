"""Correlated multi-asset paths: the sample correlation follows the matrix, jumps are
common or idiosyncratic, the draw is seeded, and bad matrices are refused by entry."""

from __future__ import annotations

import math

import pytest

from simulation.correlated import (
    Asset,
    CorrelationError,
    Jumps,
    cholesky,
    correlated_paths,
    log_return_correlation,
)

MATRIX = ((1.0, 0.8, -0.3), (0.8, 1.0, 0.1), (-0.3, 0.1, 1.0))
ASSETS = (Asset(2_000.0, 0.8), Asset(80.0, 1.2), Asset(1.0, 0.05))


@pytest.mark.covers("SIM-MARKET-MODEL")
def test_the_sample_correlation_of_log_returns_is_near_the_matrix() -> None:
    paths = correlated_paths(
        seed=1, assets=ASSETS, correlation=MATRIX, duration=20_000 * 3_600, dt=3_600
    )
    for i in range(3):
        for j in range(i):
            assert abs(log_return_correlation(paths[i], paths[j]) - MATRIX[i][j]) < 0.03


@pytest.mark.covers("SIM-MARKET-MODEL")
def test_the_factor_reproduces_the_matrix() -> None:
    lower = cholesky(MATRIX)
    for i in range(3):
        for j in range(3):
            product = sum(lower[i][k] * lower[j][k] for k in range(3))
            assert math.isclose(product, MATRIX[i][j], abs_tol=1e-12)


@pytest.mark.covers("SIM-MARKET-MODEL")
def test_the_same_seed_gives_the_same_paths_and_another_seed_others() -> None:
    def draw(seed: int) -> tuple[object, ...]:
        return correlated_paths(
            seed=seed, assets=ASSETS, correlation=MATRIX, duration=86_400, dt=600
        )

    assert draw(5) == draw(5)
    assert draw(5) != draw(6)


@pytest.mark.covers("SIM-MARKET-MODEL")
def test_a_common_jump_moves_every_asset_at_the_same_step() -> None:
    calm = (Asset(100.0, 1e-9), Asset(100.0, 1e-9, beta=0.5))
    crash = Jumps(intensity=2.0, mean=-0.2, stdev=0.0)
    a, b = correlated_paths(
        seed=3,
        assets=calm,
        correlation=((1.0, 0.0), (0.0, 1.0)),
        duration=86_400 * 5,
        dt=3_600,
        common=crash,
    )
    moves = [
        (math.log(a.prices[k + 1] / a.prices[k]), math.log(b.prices[k + 1] / b.prices[k]))
        for k in range(len(a.prices) - 1)
    ]
    jumps = [(x, y) for x, y in moves if x < -0.1]
    assert jumps and all(math.isclose(y, x / 2, abs_tol=1e-6) for x, y in jumps)
    alone = (Asset(100.0, 1e-9, jumps=crash), Asset(100.0, 1e-9))
    a, b = correlated_paths(
        seed=3,
        assets=alone,
        correlation=((1.0, 0.0), (0.0, 1.0)),
        duration=86_400 * 5,
        dt=3_600,
    )
    assert min(a.prices) < 90.0 and min(b.prices) > 99.0


@pytest.mark.covers("SIM-MARKET-MODEL")
@pytest.mark.parametrize(
    ("matrix", "named"),
    [
        (((1.0, 0.5), (0.4, 1.0)), "correlation[1][0] = 0.4 but correlation[0][1] = 0.5"),
        (((1.0, 0.5), (0.5, 0.9)), "correlation[1][1] = 0.9: must be 1"),
        (((1.0, 1.5), (1.5, 1.0)), "correlation[0][1] = 1.5: must be in [-1, 1]"),
        (((1.0, 0.5),), "correlation[0]: 2 entries; must be 1"),
        (
            ((1.0, 0.9, 0.9), (0.9, 1.0, -0.9), (0.9, -0.9, 1.0)),
            "correlation[2][2]: the matrix is not positive definite",
        ),
    ],
)
def test_a_bad_matrix_is_refused_naming_the_entry(
    matrix: tuple[tuple[float, ...], ...], named: str
) -> None:
    with pytest.raises(CorrelationError, match=named.replace("[", r"\[").replace("]", r"\]")):
        cholesky(matrix)
