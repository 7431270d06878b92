"""The market model: depth, price impact, arbitrage, the oracle feed and the paths."""

from __future__ import annotations

import math

import pytest

from simulation.market import ConstantProduct, LinearDepth, Market
from simulation.oracle_feed import OracleFeed, OracleSettings
from simulation.paths import PricePath, gbm_with_jumps, single_gap, slow_bleed, spike_and_revert
from simulation.population import PopulationSettings, draw_book
from simulation.series import StepSeries

FLAT = PricePath((0, 86_400), (2_000.0, 2_000.0))


def pool(reserve: float = 10_000.0, fee: float = 0.003) -> ConstantProduct:
    return ConstantProduct(StepSeries.constant(reserve * math.sqrt(2_000.0)), fee)


@pytest.mark.covers("SIM-MARKET-MODEL")
def test_constant_product_sale_follows_x_times_y() -> None:
    model = pool()
    x, y = model.reserves(0, 2_000.0)
    assert x == pytest.approx(10_000.0) and y == pytest.approx(20_000_000.0)
    proceeds, factor = model.proceeds(0, 2_000.0, 1_000.0)
    x_after = x + 1_000.0 * 0.997
    assert proceeds == pytest.approx(y - x * y / x_after)
    assert factor == pytest.approx((x / x_after) ** 2)


@pytest.mark.covers("SIM-MARKET-MODEL")
@pytest.mark.parametrize(
    "model", [pool(), LinearDepth(StepSeries.constant(500.0), 0.02)], ids=["cpmm", "linear"]
)
def test_depth_and_max_sale_invert_the_sale(model: ConstantProduct | LinearDepth) -> None:
    market = Market(FLAT, model, half_life=1_800)
    q = market.depth(0.02)
    assert model.proceeds(0, 2_000.0, q)[1] == pytest.approx(0.98)
    target = 1_950.0
    largest = market.max_sale_at_average(target)
    assert market.quote(largest) / largest == pytest.approx(target)
    assert market.quote(largest * 1.01) / (largest * 1.01) < target


@pytest.mark.covers("SIM-MARKET-MODEL")
def test_every_sale_lowers_the_price_and_arbitrage_halves_the_gap() -> None:
    market = Market(FLAT, pool(), half_life=1_800)
    first = market.sell(500.0)
    second = market.sell(500.0)
    assert first.price_after < first.price_before and second.impact > 0
    assert second.price_before == pytest.approx(first.price_after)
    gap = math.log(market.displacement)
    market.advance(1_800)
    assert math.log(market.displacement) == pytest.approx(gap / 2)
    market.advance(1_800 * 40)
    assert market.price == pytest.approx(2_000.0, rel=1e-9)


@pytest.mark.covers("SIM-MARKET-MODEL")
def test_a_larger_sale_fetches_a_worse_average_price() -> None:
    market = Market(FLAT, pool(), half_life=1_800)
    averages = [market.quote(q) / q for q in (10.0, 100.0, 1_000.0, 5_000.0)]
    assert averages == sorted(averages, reverse=True)
    assert averages[0] < 2_000.0 * 0.997 + 1e-9


@pytest.mark.covers("SIM-MARKET-MODEL")
def test_the_oracle_feed_publishes_the_price_of_one_delay_earlier() -> None:
    feed = OracleFeed(OracleSettings(interval=3_600, delay=3_600))
    for t, price in ((0, 100.0), (1_800, 90.0), (3_600, 80.0), (5_400, 70.0), (7_200, 60.0)):
        feed.observe(t, price)
    assert feed.due(3_600) and not feed.due(1_800)
    assert feed.report(0) == 100.0
    assert feed.report(3_600) == 100.0
    assert feed.report(7_200) == 80.0


@pytest.mark.covers("SIM-SCENARIOS")
def test_paths_are_geometric_between_points_and_have_the_stated_shapes() -> None:
    path = PricePath((0, 100), (100.0, 400.0))
    assert path.price_at(50) == pytest.approx(200.0)
    gap = single_gap(start_price=100.0, gap=0.3, at=600, duration=1_200)
    assert gap.price_at(599) == 100.0 and gap.price_at(600) == pytest.approx(70.0)
    bleed = slow_bleed(start_price=100.0, decline=0.5, duration=3_600, dt=600)
    assert bleed.prices[-1] == pytest.approx(50.0)
    spike = spike_and_revert(start_price=100.0, spike=-0.3, at=600, length=60, duration=1_200)
    assert spike.price_at(630) == pytest.approx(70.0) and spike.price_at(1_000) == 100.0


@pytest.mark.covers("SIM-SCENARIOS")
def test_synthetic_paths_and_books_depend_only_on_the_seed() -> None:
    def draw(seed: int) -> PricePath:
        return gbm_with_jumps(
            seed=seed,
            start_price=2_000.0,
            duration=86_400,
            dt=600,
            drift=0.0,
            volatility=0.8,
            jump_intensity=2.0,
            jump_mean=-0.05,
            jump_stdev=0.02,
        )

    assert draw(1) == draw(1) and draw(1) != draw(2)
    settings = PopulationSettings(50, 1_000.0, 1.5, 2.0, 0.5, 1.0, 2_000.0)
    book = draw_book(settings, 2_000.0, seed=3)
    assert book == draw_book(settings, 2_000.0, seed=3)
    assert all(b.ratio(2_000.0) >= 1.5 - 1e-6 and b.debt >= 2_000.0 for b in book)
