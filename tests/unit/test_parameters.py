"""Parameter validation (spec/parameters.md, PARAM-RANGES and PARAM-CROSS).

Each rule is tested at its boundary: the first invalid value yields a ``ParamError``
naming the field, and the last valid value yields none for that field.
"""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from model.curves import ExponentialDecrease, LinearDecrease, StairstepExponentialDecrease
from model.numbers import RAY, UINT256_MAX, WAD, rdiv_up, rmul_down, rmul_up
from model.params import Config, validate
from model.params.presets import GEN3_ZERO_LOSS, PRESETS
from tests.builders import config


def fields_in_error(cfg: Config) -> set[str]:
    return {error.field for error in validate(cfg)}


def with_oracle(policy: str, **fields: int) -> Config:
    cfg = PRESETS[policy]
    return attrs.evolve(cfg, oracle=attrs.evolve(cfg.oracle, **fields))


@pytest.mark.covers("PARAM-RANGES", "PARAM-CROSS")
@pytest.mark.parametrize("policy", ["gen1", "gen2", "gen3"])
def test_reference_sets_are_valid(policy: str) -> None:
    assert validate(PRESETS[policy]) == ()


@pytest.mark.covers("PARAM-RANGES")
def test_reference_sets_carry_the_documented_values() -> None:
    gen1, gen2, gen3 = (PRESETS[name].policy for name in ("gen1", "gen2", "gen3"))
    assert all(PRESETS[n].dust == 1_000 * WAD for n in PRESETS)
    assert all(PRESETS[n].oracle.max_step == RAY * 2 // 100 for n in PRESETS)
    assert all(PRESETS[n].oracle.volatility_alpha == RAY // 10 for n in PRESETS)
    assert gen1.bonus == RAY * 5 // 100 and gen1.close_factor == RAY // 2  # type: ignore[union-attr]
    assert gen2.cusp == RAY * 4 // 10 and gen2.tail == 8_400  # type: ignore[union-attr]
    assert gen2.curve == StairstepExponentialDecrease(step=90, cut=RAY * 99 // 100)  # type: ignore[union-attr]
    assert gen3 == GEN3_ZERO_LOSS
    assert gen3.floor_ratio == RAY * 9 // 10 and gen3.target_ratio == RAY * 145 // 100


# --- common ---------------------------------------------------------------------------


@pytest.mark.covers("PARAM-RANGES")
@pytest.mark.parametrize(
    ("field", "bad", "good"),
    [
        ("max_step", 0, 1),
        ("max_step", RAY, RAY - 1),
        ("volatility_alpha", RAY + 1, RAY),
        ("volatility_alpha", -1, 0),
    ],
)
def test_oracle_ranges(field: str, bad: int, good: int) -> None:
    assert f"oracle.{field}" in fields_in_error(with_oracle("gen3", **{field: bad}))
    assert f"oracle.{field}" not in fields_in_error(with_oracle("gen3", **{field: good}))


@pytest.mark.covers("PARAM-RANGES")
@pytest.mark.parametrize("policy", ["gen1", "gen2", "gen3"])
def test_dust_must_be_a_uint256(policy: str) -> None:
    assert "dust" in fields_in_error(attrs.evolve(PRESETS[policy], dust=-1))
    assert "dust" in fields_in_error(attrs.evolve(PRESETS[policy], dust=2**256))
    assert "dust" not in fields_in_error(attrs.evolve(PRESETS[policy], dust=0))


def int_fields(record: Any) -> list[str]:
    return [
        f.name
        for f in attrs.fields(type(record))
        if isinstance(getattr(record, f.name), int)
        and not isinstance(getattr(record, f.name), bool)
    ]


@pytest.mark.covers("PARAM-RANGES", "NUM-UINT256")
@pytest.mark.parametrize(
    ("policy", "field"),
    [(p, f) for p in ("gen1", "gen2", "gen3") for f in int_fields(PRESETS[p].policy)],
)
@pytest.mark.parametrize("value", [-1, 2**256])
def test_every_policy_field_must_be_a_uint256(policy: str, field: str, value: int) -> None:
    assert f"policy.{field}" in fields_in_error(config(policy, **{field: value}))


# --- gen 1 ----------------------------------------------------------------------------

GEN1 = PRESETS["gen1"].policy
L1 = GEN1.liquidation_ratio  # type: ignore[union-attr]
BONUS = GEN1.bonus  # type: ignore[union-attr]


@pytest.mark.covers("PARAM-RANGES", "PARAM-CROSS")
@pytest.mark.parametrize(
    ("field", "bad", "good"),
    [
        ("liquidation_ratio", RAY + BONUS, RAY + BONUS + 1),
        ("close_factor", 0, 1),
        ("close_factor", RAY + 1, RAY),
        ("full_close_ratio", L1 + 1, L1),
        ("borrow_ratio", L1 - 1, L1),
    ],
)
def test_gen1_rules(field: str, bad: int, good: int) -> None:
    extra: dict[str, int] = {}
    if field == "liquidation_ratio":
        extra = {"full_close_ratio": RAY, "borrow_ratio": 2 * RAY}
    assert f"policy.{field}" in fields_in_error(config("gen1", **{field: bad}, **extra))
    assert fields_in_error(config("gen1", **{field: good}, **extra)) == set()


@pytest.mark.covers("PARAM-RANGES")
def test_gen1_bonus_below_one_hundred_percent() -> None:
    big = {"liquidation_ratio": 3 * RAY, "borrow_ratio": 3 * RAY}
    assert "policy.bonus" in fields_in_error(config("gen1", bonus=RAY, **big))
    assert fields_in_error(config("gen1", bonus=RAY - 1, **big)) == set()


# --- gen 2 ----------------------------------------------------------------------------


@pytest.mark.covers("PARAM-RANGES")
@pytest.mark.parametrize(
    ("field", "bad", "good"),
    [
        ("mat", RAY - 1, RAY),
        ("chop", WAD - 1, WAD),
        ("buf", 0, 1),
        ("tail", 0, 1),
        ("cusp", 0, 1),
        ("cusp", RAY, RAY - 1),
        ("chip", 2**64, 2**64 - 1),
        # dss stores tip in RAD in a uint192: the WAD tip times 10**27 must fit (issue 13)
        ("tip", (2**192 - 1) // RAY + 1, (2**192 - 1) // RAY),
        ("hole", 0, 1),
    ],
)
def test_gen2_rules(field: str, bad: int, good: int) -> None:
    assert f"policy.{field}" in fields_in_error(config("gen2", **{field: bad}))
    assert fields_in_error(config("gen2", **{field: good})) == set()


@pytest.mark.covers("PARAM-RANGES")
@pytest.mark.parametrize(
    ("bad", "good", "field"),
    [
        (LinearDecrease(tau=0), LinearDecrease(tau=1), "tau"),
        (
            StairstepExponentialDecrease(step=0, cut=RAY),
            StairstepExponentialDecrease(step=1, cut=RAY),
            "step",
        ),
        (
            StairstepExponentialDecrease(step=90, cut=0),
            StairstepExponentialDecrease(step=90, cut=1),
            "cut",
        ),
        (
            StairstepExponentialDecrease(step=90, cut=RAY + 1),
            StairstepExponentialDecrease(step=90, cut=RAY),
            "cut",
        ),
        (ExponentialDecrease(cut=0), ExponentialDecrease(cut=1), "cut"),
        (ExponentialDecrease(cut=RAY + 1), ExponentialDecrease(cut=RAY), "cut"),
        (LinearDecrease(tau=UINT256_MAX // RAY + 1), LinearDecrease(tau=UINT256_MAX // RAY), "tau"),
    ],
)
def test_gen2_curve_rules(bad: Any, good: Any, field: str) -> None:
    assert f"policy.curve.{field}" in fields_in_error(config("gen2", curve=bad))
    assert fields_in_error(config("gen2", curve=good)) == set()


# --- gen 3 ----------------------------------------------------------------------------

G3 = GEN3_ZERO_LOSS
BACKSTOP = rdiv_up(RAY + G3.penalty, G3.floor_ratio)


@pytest.mark.covers("PARAM-RANGES")
@pytest.mark.parametrize(
    ("field", "bad", "good"),
    [
        ("penalty", RAY, None),
        ("penalty_to_insurance", RAY + 1, RAY),
        ("start_premium", RAY - 1, RAY),
        ("floor_ratio", 0, None),
        ("floor_ratio", RAY, None),
        ("decay_duration", 0, None),
        ("auction_duration", G3.decay_duration - 1, G3.decay_duration),
        ("reset_band", 0, 1),
        ("reset_band", RAY, RAY - 1),
        ("depth_fraction", 0, 1),
        ("depth_fraction", RAY + 1, RAY),
        ("unwind_period", 0, 1),
        ("exposure_cap", 0, 1),
        ("stale_after", 0, 1),
        ("max_deviation", 0, 1),
        ("warning_margin", -1, 0),
        ("volatility_slope", -1, 0),
        ("volatility_cap", -1, 0),
        ("incentive_cap", -1, 0),
    ],
)
def test_gen3_ranges(field: str, bad: int, good: int | None) -> None:
    assert f"policy.{field}" in fields_in_error(config("gen3", **{field: bad}))
    if good is not None:
        assert fields_in_error(config("gen3", **{field: good})) == set()


@pytest.mark.covers("PARAM-CROSS")
def test_gen3_liquidation_ratio_must_exceed_the_backstop_ratio() -> None:
    assert rdiv_up(RAY * 105 // 100, RAY * 9 // 10) == BACKSTOP
    assert "policy.liquidation_ratio" in fields_in_error(config("gen3", liquidation_ratio=BACKSTOP))
    assert fields_in_error(config("gen3", liquidation_ratio=BACKSTOP + 1)) == set()


@pytest.mark.covers("PARAM-CROSS")
def test_gen3_backstop_follows_penalty_and_floor() -> None:
    # a 20 % penalty lifts B to 1.2 / 0.9 = 1.333 > L; a floor of 0.8 lifts it to 1.3125 > L
    assert "policy.liquidation_ratio" in fields_in_error(
        config("gen3", penalty=RAY * 20 // 100, keeper_chip=0)
    )
    assert "policy.liquidation_ratio" in fields_in_error(config("gen3", floor_ratio=RAY * 8 // 10))


@pytest.mark.covers("PARAM-CROSS")
def test_gen3_target_ratio_must_exceed_liquidation_ratio() -> None:
    assert "policy.target_ratio" in fields_in_error(
        config("gen3", target_ratio=G3.liquidation_ratio)
    )
    assert fields_in_error(config("gen3", target_ratio=G3.liquidation_ratio + 1)) == set()


def anti_farming_room(dust: int, penalty: int, chip: int) -> int:
    chost = rmul_up(dust, RAY + penalty)
    return rmul_down(dust, penalty) - rmul_up(chost, chip)


@pytest.mark.covers("PARAM-CROSS")
def test_gen3_anti_farming_bounds_the_tip() -> None:
    room = anti_farming_room(1_000 * WAD, G3.penalty, G3.keeper_chip)
    assert room == 50 * WAD - 1_050 * WAD // 1_000  # 50 of penalty, 1.05 of chip on chost
    assert fields_in_error(config("gen3", keeper_tip=room)) == set()
    bad = fields_in_error(config("gen3", keeper_tip=room + 1))
    assert bad & {"policy.keeper_tip", "policy.keeper_chip"}


@pytest.mark.covers("PARAM-CROSS")
def test_gen3_anti_farming_bounds_the_chip() -> None:
    # chip on chost 1,050 must stay within the 50 of penalty: chip <= 50/1050 (rounded up)
    assert fields_in_error(config("gen3", keeper_chip=RAY * 50 // 1_050)) == set()
    bad = fields_in_error(config("gen3", keeper_chip=RAY * 50 // 1_050 + RAY // 10**6))
    assert bad & {"policy.keeper_tip", "policy.keeper_chip"}


@pytest.mark.covers("PARAM-CROSS")
def test_gen3_anti_farming_uses_the_configured_dust() -> None:
    # without dust a liquidation can be as small as one wei: no flat tip is safe
    assert fields_in_error(config("gen3", dust=0)) == set()
    bad = fields_in_error(config("gen3", dust=0, keeper_tip=1))
    assert bad & {"policy.keeper_tip", "policy.keeper_chip"}
    # with dust 10, the penalty on a dust-sized liquidation is 0.5: a tip of 1 farms
    bad = fields_in_error(config("gen3", dust=10, keeper_tip=WAD))
    assert bad & {"policy.keeper_tip", "policy.keeper_chip"}
    assert fields_in_error(config("gen3", keeper_tip=WAD)) == set()


@pytest.mark.covers("PARAM-RANGES", "PARAM-CROSS")
def test_validate_returns_every_violation_with_field_value_and_rule() -> None:
    errors = validate(config("gen3", floor_ratio=0, decay_duration=0, stale_after=0))
    fields = {e.field for e in errors}
    assert {"policy.floor_ratio", "policy.decay_duration", "policy.stale_after"} <= fields
    for error in errors:
        assert error.rule
        assert str(error).startswith(f"{error.field} = {error.value}")


@pytest.mark.covers("PARAM-RANGES")
def test_range_errors_come_first_and_alone() -> None:
    """spec/parameters.md: range errors are reported first; the other rules run only once
    every field is a uint256 (they compute with the fields)."""
    assert fields_in_error(config("gen3", dust=-1, floor_ratio=0)) == {"dust"}
    assert "policy.floor_ratio" in fields_in_error(config("gen3", floor_ratio=0))
