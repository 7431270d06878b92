"""Parameter validation: each field's range and the cross-parameter constraints.

Requirements: PARAM-RANGES, PARAM-CROSS.

:func:`validate` returns every violation at once, each naming the field, its value and
the rule it breaks, so a user can fix a parameter file in one pass. The rules are
those of ``spec/parameters.md``; the engine assumes a valid configuration.
"""

from __future__ import annotations

import attrs

from model.curves import ExponentialDecrease, LinearDecrease, StairstepExponentialDecrease
from model.numbers.fixed_point import RAY, UINT256_MAX, WAD, rmul_down, rmul_up
from model.params.derived import gen3_backstop_ratio, gen3_chost
from model.params.records import (
    Config,
    Gen1SpotParams,
    Gen2DutchParams,
    Gen3ZeroLossParams,
    StewardBounds,
)


@attrs.frozen
class ParamError:
    """One violated rule: ``field`` is a dotted path such as ``policy.floor_ratio``."""

    field: str
    value: int
    rule: str

    def __str__(self) -> str:
        return f"{self.field} = {self.value}: {self.rule}"


class _Checker:
    def __init__(self) -> None:
        self.errors: list[ParamError] = []

    def require(self, field: str, value: int, ok: bool, rule: str) -> None:
        if not ok:
            self.errors.append(ParamError(field, value, rule))

    def uint(self, field: str, value: int) -> bool:
        ok = 0 <= value <= UINT256_MAX
        self.require(field, value, ok, "must be a uint256 (0 <= x < 2**256)")
        return ok


def _uint_fields(checker: _Checker, prefix: str, record: attrs.AttrsInstance) -> bool:
    ok = True
    for field in attrs.fields(type(record)):
        value = getattr(record, field.name)
        if isinstance(value, int) and not isinstance(value, bool):
            ok = checker.uint(f"{prefix}{field.name}", value) and ok
    return ok


def _gen1(c: _Checker, p: Gen1SpotParams) -> None:
    c.require("policy.bonus", p.bonus, p.bonus < RAY, "must be < RAY (a bonus below 100 %)")
    c.require(
        "policy.liquidation_ratio",
        p.liquidation_ratio,
        p.liquidation_ratio > RAY + p.bonus,
        "must exceed RAY + bonus, or a liquidation lowers the collateral ratio it should raise",
    )
    c.require(
        "policy.borrow_ratio",
        p.borrow_ratio,
        p.borrow_ratio >= p.liquidation_ratio,
        "must be >= liquidation_ratio",
    )
    c.require(
        "policy.close_factor",
        p.close_factor,
        0 < p.close_factor <= RAY,
        "must be in (0, RAY]",
    )
    c.require(
        "policy.full_close_ratio",
        p.full_close_ratio,
        p.full_close_ratio <= p.liquidation_ratio,
        "must be <= liquidation_ratio",
    )


def _gen2(c: _Checker, p: Gen2DutchParams, dust: int) -> None:
    c.require("policy.mat", p.mat, p.mat >= RAY, "must be >= RAY")
    c.require("policy.chop", p.chop, p.chop >= WAD, "must be >= WAD (dss Dog/file-chop-lt-WAD)")
    c.require("policy.buf", p.buf, p.buf > 0, "must be > 0 (dss Clipper/zero-top-price)")
    c.require("policy.tail", p.tail, p.tail > 0, "must be > 0")
    c.require("policy.cusp", p.cusp, 0 < p.cusp < RAY, "must be in (0, RAY)")
    c.require("policy.chip", p.chip, p.chip < 2**64, "must fit uint64 (dss Clipper chip)")
    c.require(
        "policy.tip",
        p.tip,
        p.tip * RAY < 2**192,
        "must fit dss Clipper's uint192 tip, which is in RAD: tip * 10**27 < 2**192 "
        f"(at most {(2**192 - 1) // RAY} base units)",
    )
    c.require(
        "dust",
        dust,
        dust * p.chop <= UINT256_MAX * WAD,
        "dust * chop / WAD (chost) must be a uint256",
    )
    c.require("policy.hole", p.hole, p.hole > 0, "must be > 0")
    curve = p.curve
    if isinstance(curve, LinearDecrease):
        c.uint("policy.curve.tau", curve.tau)
        c.require(
            "policy.curve.tau",
            curve.tau,
            curve.tau > 0 and curve.tau * RAY <= UINT256_MAX,
            "must be > 0 and tau * 10**27 a uint256 (dss LinearDecrease computes it)",
        )
    elif isinstance(curve, StairstepExponentialDecrease):
        c.uint("policy.curve.step", curve.step)
        c.uint("policy.curve.cut", curve.cut)
        c.require("policy.curve.step", curve.step, curve.step > 0, "must be > 0")
        c.require(
            "policy.curve.cut",
            curve.cut,
            0 < curve.cut <= RAY,
            "must be in (0, RAY] (dss cut-gt-RAY)",
        )
    elif isinstance(curve, ExponentialDecrease):
        c.uint("policy.curve.cut", curve.cut)
        c.require(
            "policy.curve.cut",
            curve.cut,
            0 < curve.cut <= RAY,
            "must be in (0, RAY] (dss cut-gt-RAY)",
        )


def _gen3(c: _Checker, p: Gen3ZeroLossParams, dust: int) -> None:
    c.require("policy.floor_ratio", p.floor_ratio, 0 < p.floor_ratio < RAY, "must be in (0, RAY)")
    c.require("policy.start_premium", p.start_premium, p.start_premium >= RAY, "must be >= RAY")
    c.require("policy.penalty", p.penalty, p.penalty < RAY, "must be < RAY")
    c.require(
        "policy.penalty_to_insurance",
        p.penalty_to_insurance,
        p.penalty_to_insurance <= RAY,
        "must be <= RAY",
    )
    c.require("policy.decay_duration", p.decay_duration, p.decay_duration > 0, "must be > 0")
    c.require(
        "policy.auction_duration",
        p.auction_duration,
        p.auction_duration >= p.decay_duration,
        "must be >= decay_duration",
    )
    c.require("policy.reset_band", p.reset_band, 0 < p.reset_band < RAY, "must be in (0, RAY)")
    c.require(
        "policy.depth_fraction",
        p.depth_fraction,
        0 < p.depth_fraction <= RAY,
        "must be in (0, RAY]",
    )
    c.require("policy.unwind_period", p.unwind_period, p.unwind_period > 0, "must be > 0")
    c.require("policy.exposure_cap", p.exposure_cap, p.exposure_cap > 0, "must be > 0")
    c.require("policy.stale_after", p.stale_after, p.stale_after > 0, "must be > 0")
    c.require("policy.max_deviation", p.max_deviation, p.max_deviation > 0, "must be > 0")
    if 0 < p.floor_ratio < RAY and p.penalty < RAY:
        backstop = gen3_backstop_ratio(p)
        c.require(
            "policy.liquidation_ratio",
            p.liquidation_ratio,
            p.liquidation_ratio > backstop,
            f"must exceed the backstop ratio (1 + penalty) / floor_ratio = {backstop}",
        )
    c.require(
        "policy.target_ratio",
        p.target_ratio,
        p.target_ratio > p.liquidation_ratio,
        "must exceed liquidation_ratio",
    )
    if p.penalty < RAY:
        # Anti-farming (MIP45, spells-mainnet #443): the incentive for the smallest
        # liquidation must not exceed the penalty that liquidation collects.
        incentive = p.keeper_tip + rmul_up(gen3_chost(p, dust), p.keeper_chip)
        penalty = rmul_down(dust, p.penalty)
        c.require(
            "policy.keeper_tip",
            p.keeper_tip,
            incentive <= penalty,
            f"keeper_tip + keeper_chip * tab(dust) = {incentive} must not exceed the penalty "
            f"on a dust-sized liquidation, dust * penalty = {penalty}",
        )


def _steward(c: _Checker, bounds: StewardBounds, policy: object) -> None:
    c.require(
        "steward.steward",
        0,
        isinstance(policy, Gen3ZeroLossParams),
        "only gen 3 has a risk steward (spec/steward.md)",
    )
    c.require(
        "steward.max_change",
        bounds.max_change,
        0 < bounds.max_change < RAY,
        "must be in (0, RAY)",
    )
    c.require(
        "steward.phase_in",
        bounds.phase_in,
        0 < bounds.phase_in < 2**64,
        "must be in (0, 2**64) seconds: a higher liquidation_ratio must phase in",
    )
    c.require("steward.min_delay", bounds.min_delay, bounds.min_delay < 2**64, "must be < 2**64")


def validate(config: Config) -> tuple[ParamError, ...]:
    """Every rule ``config`` breaks; empty when it is valid."""
    c = _Checker()
    ranges_ok = _uint_fields(c, "oracle.", config.oracle)
    ranges_ok = c.uint("dust", config.dust) and ranges_ok
    ranges_ok = _uint_fields(c, "policy.", config.policy) and ranges_ok
    if config.steward is not None:
        ranges_ok = _uint_fields(c, "steward.", config.steward) and ranges_ok
    if not ranges_ok:
        return tuple(c.errors)
    c.require(
        "oracle.max_step",
        config.oracle.max_step,
        0 < config.oracle.max_step < RAY,
        "must be in (0, RAY)",
    )
    c.require(
        "oracle.step_period",
        config.oracle.step_period,
        0 < config.oracle.step_period < 2**64,
        "must be in (0, 2**64) seconds",
    )
    c.require(
        "oracle.volatility_alpha",
        config.oracle.volatility_alpha,
        config.oracle.volatility_alpha <= RAY,
        "must be <= RAY",
    )
    policy = config.policy
    if isinstance(policy, Gen1SpotParams):
        _gen1(c, policy)
    elif isinstance(policy, Gen2DutchParams):
        _gen2(c, policy, config.dust)
    else:
        _gen3(c, policy, config.dust)
    if config.steward is not None:
        _steward(c, config.steward, policy)
    return tuple(c.errors)
