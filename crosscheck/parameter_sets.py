"""Valid parameter sets drawn for fuzzing: every policy option and the edges of every range.

``zle fuzz`` ran the reference presets only, so whole branches (a flat tip, the linear
and exponential curves, a tight ``hole`` or exposure cap, ``dust`` 0 or 1) were never
fuzzed. :func:`draw_config` draws each field from its edges (``spec/parameters.md``),
the preset value and a value in between, the first choice being the simplest (the
preset, so failures shrink towards it), then repairs what breaks a cross-parameter rule
by putting the offending fields back to their preset values until
``model.params.validate`` accepts the set: every set drawn is valid.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from crosscheck.strategies import Chooser
from model.curves import ExponentialDecrease, LinearDecrease, StairstepExponentialDecrease
from model.numbers import RAY, UINT256_MAX, WAD
from model.params.presets import PRESETS
from model.params.records import (
    Config,
    Gen1SpotParams,
    Gen2DutchParams,
    Gen3ZeroLossParams,
    OracleParams,
)
from model.params.validation import validate

Options = Callable[[int], tuple[int, ...]]
"""Candidate values of a field, given its preset value (the preset comes first)."""


def _around(*others: int) -> Options:
    return lambda preset: (preset, *others)


def _scaled(*percents: int) -> Options:
    return lambda preset: (preset, *(preset * p // 100 for p in percents))


ORACLE: dict[str, Options] = {
    "max_step": _around(1, RAY // 100, RAY // 2, RAY - 1),
    "volatility_alpha": _around(0, RAY // 2, RAY),
}
DUST: Options = _around(0, 1, 10 * WAD, 100_000 * WAD)

GEN1: dict[str, Options] = {
    "liquidation_ratio": _scaled(90, 110, 150),
    "borrow_ratio": _scaled(95, 110, 200),
    "close_factor": _around(1, RAY // 10, RAY),
    "full_close_ratio": _scaled(0, 50, 105),
    "bonus": _around(0, 1, RAY // 100, RAY // 5),
}
GEN2: dict[str, Options] = {
    "mat": _around(RAY, RAY * 11 // 10, 2 * RAY),
    "chop": _around(WAD, WAD * 101 // 100, WAD * 3 // 2),
    "buf": _around(1, RAY, 2 * RAY),
    "tail": _around(1, 90, 100_000),
    "cusp": _around(1, RAY // 2, RAY - 1),
    "chip": _around(0, 1, WAD // 100, 2**64 - 1),
    "tip": _around(1, 100 * WAD, (2**192 - 1) // RAY),
    "hole": _around(1, 1_000 * WAD, 20_000 * WAD, UINT256_MAX // 2),
}
GEN3: dict[str, Options] = {
    "liquidation_ratio": _scaled(110, 150),
    "target_ratio": _scaled(105, 150),
    "volatility_slope": _around(0, RAY // 2, 10 * RAY),
    "volatility_cap": _around(0, RAY // 100, RAY),
    "warning_margin": _around(0, RAY // 100, RAY // 2),
    "penalty": _around(0, 1, RAY // 5),
    "penalty_to_insurance": _around(0, RAY),
    "start_premium": _around(RAY, 2 * RAY),
    "floor_ratio": _around(RAY // 2, RAY * 99 // 100),
    "decay_duration": _around(1, 60, 86_400),
    "auction_duration": _scaled(100, 1_000),
    "reset_band": _around(1, RAY // 100, RAY - 1),
    "keeper_tip": _around(0, WAD),
    "keeper_chip": _around(0, RAY // 1_000),
    "incentive_cap": _around(0, 1, 10**6 * WAD),
    "depth_fraction": _around(1, RAY // 100, RAY),
    "unwind_period": _around(1, 60, 86_400),
    "exposure_cap": _around(1, 1_000 * WAD, 20_000 * WAD),
    "stale_after": _around(1, 600, 10**9),
    "max_deviation": _around(1, RAY // 10, 10 * RAY),
}
FIELDS: dict[type[Any], dict[str, Options]] = {
    Gen1SpotParams: GEN1,
    Gen2DutchParams: GEN2,
    Gen3ZeroLossParams: GEN3,
}


def _curve(c: Chooser, preset: Any) -> Any:
    kind = c.choice(("preset", "stairstep", "linear", "exponential"))
    if kind == "stairstep":
        return StairstepExponentialDecrease(
            step=c.choice((90, 1, 600)), cut=c.choice((RAY * 99 // 100, RAY, 1))
        )
    if kind == "linear":
        return LinearDecrease(tau=c.choice((3_600, 1, UINT256_MAX // RAY)))
    if kind == "exponential":
        return ExponentialDecrease(cut=c.choice((RAY * 9_999 // 10_000, RAY, 1)))
    return preset


def _draw_record(c: Chooser, record: Any, options: dict[str, Options]) -> Any:
    changes: dict[str, Any] = {}
    for name, candidates in options.items():
        changes[name] = c.choice(candidates(getattr(record, name)))
    if isinstance(record, Gen2DutchParams):
        changes["curve"] = _curve(c, record.curve)
    return attrs.evolve(record, **changes)


def _repaired(config: Config, preset: Config) -> Config:
    """``config`` with every field a rule names put back to its preset value, until valid."""
    for _ in range(8):
        errors = validate(config)
        if not errors:
            return config
        oracle, dust, policy = config.oracle, config.dust, config.policy
        for error in errors:
            head, _, name = error.field.partition(".")
            if head == "dust":
                dust = preset.dust
            elif head == "oracle":
                oracle = attrs.evolve(oracle, **{name: getattr(preset.oracle, name)})
            elif head == "policy":
                field = name.split(".")[0]
                policy = attrs.evolve(policy, **{field: getattr(preset.policy, field)})
        config = Config(oracle=oracle, dust=dust, policy=policy)
    return preset


def draw_config(c: Chooser, policy: str) -> Config:
    """A valid configuration of ``policy``: each field its preset, an edge of its range or
    a value between; the preset set is the simplest draw."""
    preset = PRESETS[policy]
    if c.choice((True, False)):
        return preset
    oracle: OracleParams = _draw_record(c, preset.oracle, ORACLE)
    dust = c.choice(DUST(preset.dust))
    params = _draw_record(c, preset.policy, FIELDS[type(preset.policy)])
    return _repaired(Config(oracle=oracle, dust=dust, policy=params), preset)


def changed_fields(config: Config, policy: str) -> dict[str, int | str]:
    """The fields of ``config`` that differ from ``policy``'s preset, by dotted name."""
    preset = PRESETS[policy]
    found: dict[str, int | str] = {}
    if config.dust != preset.dust:
        found["dust"] = config.dust
    for prefix, record, base in (
        ("oracle", config.oracle, preset.oracle),
        ("policy", config.policy, preset.policy),
    ):
        for field in attrs.fields(type(record)):
            value = getattr(record, field.name)
            if value != getattr(base, field.name):
                found[f"{prefix}.{field.name}"] = value if isinstance(value, int) else repr(value)
    return found
