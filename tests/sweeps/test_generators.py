"""The Monte Carlo path models: the same path for the same seed, each its own shape."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

from simulation.files import load_scenario
from simulation.generators import Bootstrap, GbmJumps, Regime, RegimeSwitching, log_returns
from simulation.paths import gbm_with_jumps
from tests.simulation.conftest import SMALL
from tests.sweeps.conftest import SERIES

CALM = Regime("calm", 0.0, 0.5, 0.0, 0.0, 0.0, mean_duration=86_400)
CRASH = Regime("crash", -20.0, 3.0, 24.0, -0.05, 0.02, mean_duration=3_600)


def test_gbm_recipe_draws_the_scenario_files_path() -> None:
    model = GbmJumps(2_000, 86_400, 600, 0.0, 0.8, 0.5, -0.08, 0.04)
    direct = gbm_with_jumps(
        seed=3,
        start_price=2_000,
        duration=86_400,
        dt=600,
        drift=0.0,
        volatility=0.8,
        jump_intensity=0.5,
        jump_mean=-0.08,
        jump_stdev=0.04,
    )
    assert model.path(3) == direct and model.path(4) != direct


def test_regime_switching_crashes_in_its_crash_regime() -> None:
    model = RegimeSwitching(2_000, 7 * 86_400, 600, (CALM, CRASH))
    paths = [model.path(seed) for seed in range(40)]
    assert model.path(5) == paths[5]
    falls = [1 - min(p.prices) / p.prices[0] for p in paths]
    calm_only = RegimeSwitching(2_000, 7 * 86_400, 600, (CALM,))
    calm_falls = [1 - min(p.prices) / p.prices[0] for p in map(calm_only.path, range(40))]
    # a day in seven in the crash regime on average: far deeper falls than calm alone
    assert max(falls) > 0.4 > max(calm_falls)
    assert sum(falls) > 2 * sum(calm_falls)


def test_bootstrap_resamples_the_series_returns_in_blocks(tmp_path: Path) -> None:
    prices = [100.0 * (1.01 if i % 2 else 0.99) ** i for i in range(30)]
    returns = log_returns(prices)
    model = Bootstrap(100.0, 600 * 60, 600, returns, block=4)
    path = model.path(9)
    assert path == model.path(9) != model.path(10)
    drawn = log_returns(list(path.prices))
    assert len(drawn) == 60 and path.times[1] == 600
    assert all(any(math.isclose(r, s) for s in returns) for r in drawn)
    # within a block, consecutive returns are consecutive in the series (wrapping round)
    index = [next(i for i, s in enumerate(returns) if math.isclose(r, s)) for r in drawn[:4]]
    assert all((b - a) % len(returns) == 1 for a, b in itertools.pairwise(index))


def test_scenario_files_accept_the_new_sources(tmp_path: Path) -> None:
    regime = (
        '[path]\nsource = "regime"\nstart_price = 2000\nduration = 14400\ndt = 600\n'
        '[[path.regime]]\nname = "calm"\ndrift = 0\nvolatility = 0.5\nmean_duration = 3600\n'
        '[[path.regime]]\nname = "crash"\ndrift = -30\nvolatility = 2\nmean_duration = 1800\n\n'
    )
    bootstrap = f'[path]\nsource = "bootstrap"\nfile = "{SERIES}"\nblock = 3\n\n'
    for table in (regime, bootstrap):
        start = SMALL.index("[path]")
        end = SMALL.index("[oracle]")
        path = tmp_path / "s.toml"
        path.write_text(SMALL[:start] + table + SMALL[end:])
        scenario = load_scenario(path)
        assert scenario.path.times[1] == 600 and len(scenario.path.times) > 20
