"""The training paths: synthetic only, drawn by the sweep generators from fixed seeds.

Half of the paths are Merton jump-diffusions (:class:`simulation.generators.GbmJumps`)
with a volatility and a jump rate drawn per path; half switch between a calm, a crash and
a rebound regime (:class:`simulation.generators.RegimeSwitching`), since markets crash in
clusters. The block bootstrap is left out on purpose: the only shipped series it could
resample are the historical crashes the evaluation tests on.

Each path runs on the shipped synthetic scenario (``synthetic-gbm-jumps``: its market,
oracle, gas, keepers and bidders) with a smaller, tighter book, so that kicks happen.
"""

from __future__ import annotations

import random

import attrs

from simulation.files import load_scenario
from simulation.generators import GbmJumps, PathModel, Regime, RegimeSwitching
from simulation.scenario import Scenario
from simulation.shipped import shipped_scenario

TEMPLATE = "synthetic-gbm-jumps"
DAY = 86_400

CRASHES = (
    Regime("calm", 0.0, 0.5, 0.2, -0.03, 0.02, 12 * 3_600),
    Regime("crash", -6.0, 1.6, 6.0, -0.05, 0.03, 6 * 3_600),
    Regime("rebound", 3.0, 1.0, 0.5, 0.02, 0.03, 12 * 3_600),
)


def path_model(seed: int, duration: int) -> PathModel:
    """The recipe of training path ``seed``: even seeds jump-diffusion, odd ones regimes."""
    rng = random.Random(seed * 7_919 + 1)
    if seed % 2 == 0:
        return GbmJumps(
            start_price=2_000.0,
            duration=duration,
            dt=600,
            drift=0.0,
            volatility=rng.uniform(0.3, 1.6),
            jump_intensity=rng.uniform(0.0, 4.0),
            jump_mean=-0.08,
            jump_stdev=0.04,
        )
    return RegimeSwitching(start_price=2_000.0, duration=duration, dt=600, regimes=CRASHES)


def template() -> Scenario:
    found = shipped_scenario(TEMPLATE)
    assert found is not None, f"the shipped scenario {TEMPLATE} is missing"
    from importlib.resources import as_file

    with as_file(found) as path:
        return load_scenario(path)


def training_scenario(base: Scenario, seed: int, duration: int, positions: int) -> Scenario:
    """``base`` on training path ``seed``, with a book of ``positions`` drawn from ``seed``."""
    population = attrs.evolve(
        base.population,
        count=positions,
        total_collateral=positions * 100.0,
        min_ratio=1.37,
        median_ratio=1.6,
    )
    return attrs.evolve(
        base,
        name=f"training path {seed}",
        seed=seed,
        path=path_model(seed, duration).path(seed),
        population=population,
    )
