"""Every fixed-point helper pinned to its definition on the whole uint256 range.

``proofs.obligations.kernels`` proves ``mul_div_down`` and ``mul_div_up`` round the right
way and that every kernel returns a uint256 or a typed fault. Here each remaining helper
of the table of NUM-ROUNDING (``rmul``, ``rdiv``, ``wmul`` both ways, dss ``rmul_dss``) is
pinned to its exact value, and every kernel to *when* it faults (NUM-UINT256: exactly when
the exact result leaves uint256, or the divisor is zero), in plain integer arithmetic:
the floor ``q`` of ``n / d`` is the one integer with ``q * d <= n < (q + 1) * d``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from model.errors import RefusalCode
from model.numbers import RAY, UINT256_MAX, WAD
from model.numbers import fixed_point as fp
from proofs.obligation import Obligation, Task
from proofs.obligations.kernels import Call, _call, _kernel_task
from proofs.obligations.pinned.arith import both, either, negation, same
from proofs.world import Source

OVER, UNDER, ZERO = RefusalCode.OVERFLOW, RefusalCode.UNDERFLOW, RefusalCode.DIVISION_BY_ZERO

ScaledHelper = tuple[str, Callable[..., Any], Callable[[Any, Any], tuple[Any, Any]], bool]
"""A two-argument helper: its name, the function, ``(x, y) -> (numerator, divisor)`` and
whether it rounds up."""

SCALED: tuple[ScaledHelper, ...] = (
    ("rmul_down", fp.rmul_down, lambda x, y: (x * y, RAY), False),
    ("rmul_up", fp.rmul_up, lambda x, y: (x * y, RAY), True),
    ("wmul_down", fp.wmul_down, lambda x, y: (x * y, WAD), False),
    ("wmul_up", fp.wmul_up, lambda x, y: (x * y, WAD), True),
    ("rdiv_down", fp.rdiv_down, lambda x, y: (x * RAY, y), False),
    ("rdiv_up", fp.rdiv_up, lambda x, y: (x * RAY, y), True),
)


def _quotient(rounds_up: bool) -> Callable[[Any, Any, Any], object]:
    """``q`` is the floor (or the ceiling) of ``n / d``, for ``d > 0``."""
    if rounds_up:
        return lambda q, n, d: both((q - 1) * d < n, n <= q * d)
    return lambda q, n, d: both(q * d <= n, n < (q + 1) * d)


def _scaled_exact(
    split: Callable[[Any, Any], tuple[Any, Any]], rounds_up: bool
) -> Callable[[Call], object]:
    """Returns the rounded quotient exactly when it is a uint256 (and the divisor is not
    zero); faults OVERFLOW exactly when it is not, DIVISION_BY_ZERO exactly on zero."""
    is_quotient = _quotient(rounds_up)

    def claim(call: Call) -> object:
        x, y = call.args
        n, d = split(x, y)
        # the quotient leaves uint256 iff n > MAX * d (up) or n >= (MAX + 1) * d (down)
        too_big = n > UINT256_MAX * d if rounds_up else n >= (UINT256_MAX + 1) * d
        if call.fault is ZERO:
            return same(d, 0)
        if call.fault is OVER:
            return both(d > 0, too_big)
        if call.fault is not None:
            return False
        return both(d > 0, is_quotient(call.result, n, d), either(d == 0, negation(too_big)))

    return claim


def _rmul_dss_exact(call: Call) -> object:
    """dss ``rmul``: the product itself must be a uint256; then its floor over RAY."""
    x, y = call.args
    if call.fault is OVER:
        return x * y > UINT256_MAX
    if call.fault is not None:
        return False
    q = call.result
    return both(x * y <= UINT256_MAX, q * RAY <= x * y, x * y < (q + 1) * RAY)


def _faults_exactly(kind: str) -> Callable[[Call], object]:
    """``add``, ``sub``, ``mul``, ``mul_div_*`` fault exactly when the spec says."""

    def claim(call: Call) -> object:
        if kind == "add":
            x, y = call.args
            return same(call.fault is OVER, x + y > UINT256_MAX)
        if kind == "sub":
            x, y = call.args
            return same(call.fault is UNDER, y > x)
        if kind == "mul":
            x, y = call.args
            return same(call.fault is OVER, x * y > UINT256_MAX)
        x, y, d = call.args
        if call.fault is ZERO:
            return same(d, 0)
        too_big = (
            x * y > UINT256_MAX * d if kind == "mul_div_up" else (x * y >= (UINT256_MAX + 1) * d)
        )
        if call.fault is OVER:
            return both(d > 0, too_big)
        return both(d > 0, negation(too_big))

    return claim


def _distance_task() -> Task:
    return Task(key="kernel/distance", build=lambda s: _call(fp.distance, s, ("x", "y")))


def _distance_exact(call: Call) -> object:
    x, y = call.args
    return either(both(x >= y, same(call.result, x - y)), both(x < y, same(call.result, y - x)))


def _in_uint256_task() -> Task:
    def build(source: Source) -> Call:
        x = source.integer("arg.x", -(2**257), 2**257)
        return Call((x,), fp.in_uint256(x))

    return Task(key="kernel/in_uint256", build=build)


def _in_uint256_exact(call: Call) -> object:
    (x,) = call.args
    return same(call.result, both(x >= 0, x < 2**256))


def obligations() -> list[Obligation]:
    found: list[Obligation] = []
    for name, kernel, split, rounds_up in SCALED:
        found.append(
            Obligation(
                name=f"NUM-ROUNDING/all/{name}/exact",
                requirement_ids=("NUM-ROUNDING", "NUM-UINT256"),
                policy="all",
                task=_kernel_task(name, kernel, 2),
                claim=_scaled_exact(split, rounds_up),
                summary=f"{name} is the {'ceiling' if rounds_up else 'floor'} of its quotient, "
                "faulting exactly outside uint256",
            )
        )
    found.append(
        Obligation(
            name="NUM-ROUNDING/all/rmul_dss/exact",
            requirement_ids=("NUM-ROUNDING", "NUM-UINT256", "GEN2-DSS"),
            policy="all",
            task=_kernel_task("rmul_dss", fp.rmul_dss, 2),
            claim=_rmul_dss_exact,
            summary="rmul_dss is floor(x * y / RAY), OVERFLOW exactly when x * y leaves uint256",
        )
    )
    for name, kernel, arity in (
        ("add", fp.add, 2),
        ("sub", fp.sub, 2),
        ("mul", fp.mul, 2),
        ("mul_div_down", fp.mul_div_down, 3),
        ("mul_div_up", fp.mul_div_up, 3),
    ):
        found.append(
            Obligation(
                name=f"NUM-UINT256/all/{name}/faults-exactly",
                requirement_ids=("NUM-UINT256",),
                policy="all",
                task=_kernel_task(name, kernel, arity),
                claim=_faults_exactly(name),
                summary=f"{name} faults exactly when its exact result leaves uint256",
            )
        )
    found += [
        Obligation(
            name="NUM-UINT256/all/distance/exact",
            requirement_ids=("NUM-UINT256",),
            policy="all",
            task=_distance_task(),
            claim=_distance_exact,
            summary="distance(x, y) = |x - y|",
        ),
        Obligation(
            name="NUM-UINT256/all/in_uint256/exact",
            requirement_ids=("NUM-UINT256",),
            policy="all",
            task=_in_uint256_task(),
            claim=_in_uint256_exact,
            summary="in_uint256(x) iff 0 <= x < 2**256",
        ),
    ]
    return found
