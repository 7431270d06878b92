"""The price curves pinned to ``spec/curves.md``'s formulas, value for value.

``proofs.obligations.curves`` proves the curves monotone and within ``[0, top]``; here
each one's exact value, restated in plain integer arithmetic:

- CURVE-RPOW: dss ``rpow``'s half-up square-and-multiply, written out from the spec's
  pseudocode, on a symbolic ``x`` for every exponent ``n <= 8`` and two bases (RAY, and an
  odd one, where ``base / 2`` rounds); and on the ETH-A ``cut`` for every exponent below
  32 (256 in the deeper tier), against the table the same pseudocode gives on integers;
- CURVE-LINEAR, CURVE-STAIRSTEP, CURVE-EXPONENTIAL: ``rmul(top, factor)`` with the factor
  restated (the linear ratio; ``rpow(cut, dur / step)`` from the table), on a symbolic
  ``top`` and elapsed time;
- CURVE-GEN3: ``floor + ceil((top - floor) * (decay - dur) / decay)``, flat from ``decay``.

Where the curve divides by a parameter (``tau``, ``decay``), that parameter is concrete
here (``proofs.obligations.curves`` keeps it symbolic for the range claims): a quotient
by a constant is linear for the solver, so a rounding turned the other way is refuted
in milliseconds instead of timing out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from model.curves import (
    ExponentialDecrease,
    StairstepExponentialDecrease,
    exponential_decrease,
    floored_linear_price,
    linear_decrease,
    rpow,
    stairstep_exponential_decrease,
)
from model.errors import EngineFault, RefusalCode
from model.numbers import RAY, UINT256_MAX
from model.params.presets import percent
from proofs.obligation import Obligation, Task
from proofs.obligations.curves import DSS_CURVES, WELL_FORMED_TOP
from proofs.obligations.pinned.arith import both, cdiv, either, fdiv, ite, negation, same
from proofs.world import Ranges, Source

ODD_BASE = 999
"""A base whose half rounds (dss ``half = base / 2``), so that a ``half`` rounded up differs."""
EXPONENTS = tuple(range(9))
ETH_A_CUT = percent("99")


# --- rpow, the spec's pseudocode --------------------------------------------------------


def spec_rpow(x: Any, n: int, base: int) -> tuple[Any, Any]:
    """``(value, failed)`` of ``spec/curves.md``'s ``rpow`` for a concrete exponent, in plain
    integer arithmetic (``fdiv`` by the constant base)."""
    if n == 0:
        return base, False
    half = base // 2
    z = x if n % 2 == 1 else base
    failed: Any = False
    n //= 2
    while n > 0:
        failed = either(failed, x >= 2**128)
        squared = x * x + half
        failed = either(failed, squared > UINT256_MAX)
        x = fdiv(squared, base)
        if n % 2 == 1:
            product = z * x
            failed = either(failed, product + half > UINT256_MAX)
            z = fdiv(product + half, base)
        n //= 2
    return z, failed


def _rpow_value(x: Any, n: int, base: int) -> tuple[Any, Any]:
    """The spec's ``rpow`` with its ``x = 0`` case: 0 for ``n > 0``, never a failure."""
    value, failed = spec_rpow(x, n, base)
    if n == 0:
        return value, failed
    return ite(x == 0, 0, value), both(x != 0, failed)


def rpow_table(x: int, count: int, base: int = RAY) -> list[int]:
    """``rpow(x, n)`` for ``n < count`` by the spec's pseudocode on integers."""
    table = []
    for n in range(count):
        value, failed = spec_rpow(x, n, base)
        assert failed is False or failed == 0, "the table's values never fail"
        table.append(0 if x == 0 and n > 0 else int(value))
    return table


@attrs.frozen
class Powers:
    x: Any
    base: int
    results: tuple[tuple[int, Any, RefusalCode | None], ...]
    """``(n, value or None, fault)`` for each exponent."""


def _rpow_task(base: int) -> Task:
    def build(source: Source) -> Powers:
        x = source.integer("arg.x", 0, 2**128 - 1)
        results: list[tuple[int, Any, RefusalCode | None]] = []
        for n in EXPONENTS:
            try:
                results.append((n, rpow(x, n, base), None))
            except EngineFault as fault:
                results.append((n, None, fault.refusal.code))
        return Powers(x, base, tuple(results))

    return Task(key=f"formula/rpow/base-{base}", build=build)


def _rpow_exact(powers: Powers) -> object:
    """Every exponent: the spec's value, or OVERFLOW exactly when the spec fails."""
    claims = []
    for n, value, fault in powers.results:
        expected, failed = _rpow_value(powers.x, n, powers.base)
        if fault is not None:
            claims.append(both(fault is RefusalCode.OVERFLOW, failed))
        else:
            claims.append(both(negation(failed), same(value, expected)))
    return both(*claims)


@attrs.frozen
class Power:
    n: Any
    result: Any


def _rpow_exponent_task(count: int) -> Task:
    def build(source: Source) -> Power:
        n = source.integer("arg.n", 0, count - 1)
        return Power(n, rpow(ETH_A_CUT, n, RAY))

    return Task(key=f"formula/rpow/eth-a-cut-n{count}", build=build)


def _matches_table(count: int) -> Callable[[Power], object]:
    table = rpow_table(ETH_A_CUT, count)
    return lambda power: same(power.result, table_entry(power.n, table))


CASES: tuple[tuple[int, int, int], ...] = (
    (152, 3, ODD_BASE),  # x * x + half crosses a multiple of the base: half = 499, not 500
    (390, 6, ODD_BASE),
    *((ETH_A_CUT, n, RAY) for n in (2, 3, 5, 7, 13, 40, 255)),
    (RAY // 2 + 1, 9, RAY),
    (3 * RAY // 7, 11, RAY),
    (RAY, 200, RAY),
    (0, 0, RAY),
    (0, 3, RAY),
)
"""Concrete ``(x, n, base)``: each changes value when any one rounding or halving of the
loop goes the other way (found by search), so a mutant that loops on ``n = 1`` fails here at
once instead of on the symbolic tasks' 256 squarings of a symbolic ``x``."""


@attrs.frozen
class Cases:
    results: tuple[tuple[int, int, int, int], ...]
    """``(x, n, base, rpow(x, n, base))``."""


def _cases_task() -> Task:
    def build(source: Source) -> Cases:
        return Cases(tuple((x, n, base, rpow(x, n, base)) for x, n, base in CASES))

    return Task(key="formula/rpow/cases", build=build)


def _cases_exact(cases: Cases) -> object:
    return all(
        result == _rpow_value(x, n, base)[0] and not _rpow_value(x, n, base)[1]
        for x, n, base, result in cases.results
    )


# --- the dss curves ---------------------------------------------------------------------


@attrs.frozen
class Price:
    top: Any
    dur: Any
    result: Any
    fault: RefusalCode | None


LINEAR_TAU = 3_600
"""A ``tau`` that does not divide ``RAY``'s multiples evenly (3 divides it)."""


def _price_task(key: str, price: Callable[[Any, Any], Any], horizon: int) -> Task:
    def build(source: Source) -> Price:
        top = source.integer("curve.top", 0, WELL_FORMED_TOP)
        dur = source.integer("curve.dur", 0, horizon)
        try:
            return Price(top, dur, price(top, dur), None)
        except EngineFault as fault:
            return Price(top, dur, None, fault.refusal.code)

    return Task(key=key, build=build)


def _linear_exact(p: Price) -> object:
    """CURVE-LINEAR: 0 from ``tau`` on, else ``rmul(top, mul(tau - dur, RAY) / tau)``."""
    if p.fault is not None:
        return False
    ratio = fdiv((LINEAR_TAU - p.dur) * RAY, LINEAR_TAU)
    return same(p.result, ite(p.dur >= LINEAR_TAU, 0, fdiv(p.top * ratio, RAY)))


def table_entry(k: Any, table: list[int]) -> Any:
    """``table[k]`` as one term (a chain of ``If``), ``-1`` beyond the table."""
    entry: Any = -1
    for n in reversed(range(len(table))):
        entry = ite(same(k, n), table[n], entry)
    return entry


def _factor_exact(table: list[int], steps: Callable[[Any], Any]) -> Callable[[Price], object]:
    """``rmul(top, table[k])`` with ``k = steps(dur)``, for every ``k`` of the table."""

    def claim(p: Price) -> object:
        if p.fault is not None:
            return False
        factor = table_entry(steps(p.dur), table)
        return both(factor >= 0, same(p.result, fdiv(p.top * factor, RAY)))

    return claim


# --- the gen 3 curve ---------------------------------------------------------------------

DECAY = 1_200


@attrs.frozen
class Gen3Price:
    top: Any
    floor: Any
    dur: Any
    result: Any


def _gen3_task() -> Task:
    def build(source: Source) -> Gen3Price:
        floor = source.integer("curve.floor", 0, Ranges().price)
        top = source.integer("curve.top", 0, Ranges().price)
        dur = source.integer("curve.dur", 0, Ranges().time)
        return Gen3Price(top, floor, dur, floored_linear_price(top, floor, dur, DECAY))

    return Task(key="formula/curve/gen3", build=build)


def _gen3_exact(p: Gen3Price) -> object:
    """CURVE-GEN3: ``floor`` from ``decay`` on, else ``floor + ceil((top - floor) * (decay -
    dur) / decay)``."""
    line = p.floor + cdiv((p.top - p.floor) * (DECAY - p.dur), DECAY)
    return same(p.result, ite(p.dur >= DECAY, p.floor, line))


def _linear(top: Any, dur: Any) -> Any:
    return linear_decrease(top, dur, LINEAR_TAU)


Factor = tuple[list[int], Callable[[Any], Any], Callable[[Any, Any], Any]]
"""A dss curve's ``rpow`` table, its exponent as a function of ``dur``, and the curve."""


def _dss_factor(curve: object, horizon: int) -> Factor:
    if isinstance(curve, StairstepExponentialDecrease):
        stair = curve

        def stairs(dur: Any) -> Any:
            return fdiv(dur, stair.step)

        def stair_price(top: Any, dur: Any) -> Any:
            return stairstep_exponential_decrease(top, dur, stair.step, stair.cut)

        return rpow_table(stair.cut, horizon // stair.step + 1), stairs, stair_price
    assert isinstance(curve, ExponentialDecrease)
    exponential = curve

    def seconds(dur: Any) -> Any:
        return dur

    def exponential_price(top: Any, dur: Any) -> Any:
        return exponential_decrease(top, dur, exponential.cut)

    return rpow_table(exponential.cut, horizon), seconds, exponential_price


def obligations() -> list[Obligation]:
    found = [
        Obligation(
            name=f"CURVE-RPOW/gen2/rpow/base-{base}",
            requirement_ids=("CURVE-RPOW",),
            policy="gen2",
            task=_rpow_task(base),
            claim=_rpow_exact,
            summary=f"rpow(x, n, {base}) for n <= {EXPONENTS[-1]}: the spec's half-up value, "
            "OVERFLOW exactly where it fails",
        )
        for base in (RAY, ODD_BASE)
    ]
    found.append(
        Obligation(
            name="CURVE-RPOW/gen2/rpow/cases",
            requirement_ids=("CURVE-RPOW",),
            policy="gen2",
            task=_cases_task(),
            claim=_cases_exact,
            summary=f"rpow on {len(CASES)} inputs where each rounding of the loop shows",
        )
    )
    for count, deep in ((32, False), (256, True)):
        found.append(
            Obligation(
                name=f"CURVE-RPOW/gen2/rpow/eth-a-cut-n{count}",
                requirement_ids=("CURVE-RPOW",),
                policy="gen2",
                task=_rpow_exponent_task(count),
                claim=_matches_table(count),
                summary=f"rpow(0.99, n) for every n < {count}: the spec's table",
                deep=deep,
            )
        )
    found.append(
        Obligation(
            name="CURVE-LINEAR/gen2/curve/linear-exact",
            requirement_ids=("CURVE-LINEAR",),
            policy="gen2",
            task=_price_task("formula/curve/linear", _linear, 2**32),
            claim=_linear_exact,
            summary=f"linear_decrease(top, dur, {LINEAR_TAU}) is dss's "
            "rmul(top, (tau - dur) / tau)",
        )
    )
    for name, (curve_id, curve, horizon, deep) in DSS_CURVES.items():
        assert horizon is not None
        if name == "exponential":
            continue  # 128 s of exponential: 20 s of solver time; rpow's table covers n < 256
        table, steps, price = _dss_factor(curve, horizon)
        found.append(
            Obligation(
                name=f"{curve_id}/gen2/curve/{name}-exact",
                requirement_ids=(curve_id, "CURVE-RPOW"),
                policy="gen2",
                task=_price_task(f"formula/curve/{name}", price, horizon - 1),
                claim=_factor_exact(table, steps),
                summary=f"{curve}: rmul(top, rpow(cut, steps)) from the spec's table "
                f"(dur < {horizon})",
                deep=deep,
            )
        )
    found.append(
        Obligation(
            name="CURVE-GEN3/gen3/curve/exact",
            requirement_ids=("CURVE-GEN3",),
            policy="gen3",
            task=_gen3_task(),
            claim=_gen3_exact,
            assume=lambda p: p.floor <= p.top,
            summary=f"floored_linear_price(top, floor, dur, {DECAY}): floor + ceil of the line",
        )
    )
    return found
