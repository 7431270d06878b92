"""The numeric kernels on the full uint256 range: rounding direction, range, the oracle.

These are the functions every step is built from, so they are proved on their own
with every input free in ``[0, 2**256)``, not only within the step tasks' ranges:

- NUM-ROUNDING: ``mul_div_down`` is the floor and ``mul_div_up`` the ceiling of the
  exact quotient (so every ``_down`` call site pays out no more, and every ``_up``
  call site collects no less, than the exact value);
- NUM-UINT256: each kernel returns a uint256 or faults with the typed refusal its name
  promises, never a wrapped or negative value;
- ORACLE-REFERENCE / ORACLE-BOUNDED-STEP: the reference is spot clamped to the step band;
- ORACLE-VOLATILITY: the estimate stays within ``[0, RAY]``;
- the purchase kernel: a buyer never pays less than ``collateral * price``, never more
  than the tab, never gets more than the lot.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from model.errors import EngineFault, Refusal, RefusalCode
from model.numbers import RAY, UINT256_MAX
from model.numbers import fixed_point as fp
from model.oracle import next_reference, next_volatility, step_allowance
from model.rules.auctions import purchase
from proofs.obligation import Obligation, Task
from proofs.world import Source


@attrs.frozen
class Call:
    """A kernel called on free arguments: its result, or the refusal code it raised."""

    args: tuple[Any, ...]
    result: Any = None
    fault: RefusalCode | None = None


def _call(kernel: Callable[..., Any], source: Source, names: tuple[str, ...]) -> Call:
    args = tuple(source.integer(f"arg.{n}", 0, UINT256_MAX) for n in names)
    try:
        return Call(args, kernel(*args))
    except EngineFault as fault:
        return Call(args, None, fault.refusal.code)


def _kernel_task(name: str, kernel: Callable[..., Any], arity: int) -> Task:
    names = ("x", "y", "d")[:arity]
    return Task(key=f"kernel/{name}", build=lambda s: _call(kernel, s, names))


def _returned(call: Call) -> bool:
    return call.fault is None


def _in_range_or_typed_fault(expected: tuple[RefusalCode, ...]) -> Callable[[Call], object]:
    def claim(call: Call) -> object:
        if call.fault is not None:
            return call.fault in expected
        return 0 <= call.result <= UINT256_MAX

    return claim


def _floor_of_quotient(call: Call) -> object:
    x, y, d = call.args
    q = call.result
    return q * d <= x * y < (q + 1) * d


def _ceiling_of_quotient(call: Call) -> object:
    x, y, d = call.args
    q = call.result
    return (q - 1) * d < x * y <= q * d


def _exact(op: Callable[[Any, Any], Any]) -> Callable[[Call], object]:
    return lambda call: call.result == op(*call.args)


OVER, UNDER, ZERO = RefusalCode.OVERFLOW, RefusalCode.UNDERFLOW, RefusalCode.DIVISION_BY_ZERO


# --- the oracle -------------------------------------------------------------------------


@attrs.frozen
class OracleCall:
    reference: Any
    spot: Any
    max_step: Any
    elapsed: Any
    period: Any
    result: Any


def _oracle_task() -> Task:
    """The report's reference update on the whole uint256 range: the allowance for the
    time elapsed since the last report, then the clamp."""

    def build(source: Source) -> OracleCall:
        reference = source.integer("arg.reference", 1, UINT256_MAX)
        spot = source.integer("arg.spot", 1, UINT256_MAX)
        max_step = source.integer("arg.max_step", 1, RAY - 1)
        elapsed = source.integer("arg.elapsed", 0, 2**64)
        period = source.integer("arg.period", 1, 2**64 - 1)
        allowance = step_allowance(reference, max_step, elapsed, period)
        result = next_reference(reference, spot, allowance)
        return OracleCall(reference, spot, max_step, elapsed, period, result)

    return Task(key="kernel/next_reference", build=build)


def _reference_clamped(call: OracleCall) -> object:
    """ORACLE-REFERENCE, in plain integers: ``a = floor(floor(r * s / RAY) * w / P)``,
    ``w = min(elapsed, P)``, and spot clamped to ``[r - a, r + a]``."""
    window = call.elapsed if call.elapsed <= call.period else call.period
    allowance = call.reference * call.max_step // RAY * window // call.period
    low, high = call.reference - allowance, call.reference + allowance
    expected = low if call.spot < low else high if call.spot > high else call.spot
    return call.result == expected


def _reference_bounded(call: OracleCall) -> object:
    move = call.result - call.reference
    move = move if move >= 0 else -move
    window = call.elapsed if call.elapsed <= call.period else call.period
    return (
        move * RAY * call.period <= call.max_step * call.reference * window
        and 0 < call.result <= UINT256_MAX
    )


def _volatility_task() -> Task:
    def build(source: Source) -> Call:
        volatility = source.integer("arg.volatility", 0, RAY)
        previous = source.integer("arg.previous", 1, UINT256_MAX)
        spot = source.integer("arg.spot", 1, UINT256_MAX)
        alpha = source.integer("arg.alpha", 0, RAY)
        args = (volatility, previous, spot, alpha)
        try:
            return Call(args, next_volatility(*args))
        except EngineFault as fault:
            return Call(args, None, fault.refusal.code)

    return Task(key="kernel/next_volatility", build=build)


def _volatility_in_unit_range(call: Call) -> object:
    return call.fault is None and 0 <= call.result <= RAY


# --- the purchase kernel ----------------------------------------------------------------


@attrs.frozen
class Purchase:
    lot: Any
    tab: Any
    price: Any
    amount: Any
    chost: Any
    result: Any


def _purchase_task() -> Task:
    def build(source: Source) -> Purchase:
        n = source.integer
        lot, tab = n("arg.lot", 0, 2**128), n("arg.tab", 0, 2**128)
        price, amount, chost = (
            n("arg.price", 0, 2**128),
            n("arg.amount", 0, 2**128),
            n("arg.chost", 0, 2**128),
        )
        try:
            result: Any = purchase(lot, tab, price, amount, chost)
        except EngineFault as fault:
            result = fault.refusal
        return Purchase(lot, tab, price, amount, chost, result)

    return Task(key="kernel/purchase", build=build)


def _purchase_favours_protocol(p: Purchase) -> object:
    if isinstance(p.result, Refusal):
        return True
    collateral, paid = p.result
    return (
        collateral * p.price <= paid * RAY
        and 0 <= paid <= p.tab
        and 0 <= collateral <= p.lot
        and collateral <= p.amount
    )


def _purchase_leaves_chost(p: Purchase) -> object:
    """A partial purchase leaves at least ``chost`` of tab (or takes the tab or the lot)."""
    if isinstance(p.result, Refusal):
        return True
    collateral, paid = p.result
    return paid == p.tab or collateral == p.lot or p.tab - paid >= p.chost


def obligations() -> list[Obligation]:
    found: list[Obligation] = []
    for name, kernel, arity, ops in (
        ("add", fp.add, 2, (OVER,)),
        ("sub", fp.sub, 2, (UNDER,)),
        ("mul", fp.mul, 2, (OVER,)),
        ("mul_div_down", fp.mul_div_down, 3, (OVER, ZERO)),
        ("mul_div_up", fp.mul_div_up, 3, (OVER, ZERO)),
    ):
        task = _kernel_task(name, kernel, arity)
        found.append(
            Obligation(
                name=f"NUM-UINT256/all/{name}",
                requirement_ids=("NUM-UINT256",),
                policy="all",
                task=task,
                claim=_in_range_or_typed_fault(ops),
                summary=f"{name}: a uint256, or {'/'.join(c.value for c in ops)}",
            )
        )
        if name in ("add", "sub", "mul"):
            exact = {
                "add": lambda a, b: a + b,
                "sub": lambda a, b: a - b,
                "mul": lambda a, b: a * b,
            }
            found.append(
                Obligation(
                    name=f"NUM-ROUNDING/all/{name}",
                    requirement_ids=("NUM-ROUNDING",),
                    policy="all",
                    task=task,
                    claim=_exact(exact[name]),
                    relevant=_returned,
                    summary=f"{name} is exact when it returns",
                )
            )
    for name, claim, what in (
        ("mul_div_down", _floor_of_quotient, "the floor of x * y / d"),
        ("mul_div_up", _ceiling_of_quotient, "the ceiling of x * y / d"),
    ):
        found.append(
            Obligation(
                name=f"NUM-ROUNDING/all/{name}",
                requirement_ids=("NUM-ROUNDING", "ROUNDING-FAVOURS-PROTOCOL"),
                policy="all",
                task=_kernel_task(name, getattr(fp, name), 3),
                claim=claim,
                relevant=_returned,
                summary=f"{name} returns {what}",
            )
        )
    oracle = _oracle_task()
    found += [
        Obligation(
            name="ORACLE-REFERENCE/all/next_reference",
            requirement_ids=("ORACLE-REFERENCE",),
            policy="all",
            task=oracle,
            claim=_reference_clamped,
            summary="the reference is spot clamped to its allowance for the elapsed time",
        ),
        Obligation(
            name="ORACLE-BOUNDED-STEP/all/next_reference",
            requirement_ids=("ORACLE-BOUNDED-STEP",),
            policy="all",
            task=oracle,
            claim=_reference_bounded,
            summary="|reference' - reference| * P <= max_step * reference * min(elapsed, P)",
        ),
        Obligation(
            name="ORACLE-VOLATILITY/all/next_volatility",
            requirement_ids=("ORACLE-VOLATILITY",),
            policy="all",
            task=_volatility_task(),
            claim=_volatility_in_unit_range,
            summary="the volatility estimate stays in [0, RAY] and never faults",
        ),
    ]
    purchases = _purchase_task()
    found += [
        Obligation(
            name="ROUNDING-FAVOURS-PROTOCOL/all/purchase",
            requirement_ids=("ROUNDING-FAVOURS-PROTOCOL", "ACT-TAKE"),
            policy="all",
            task=purchases,
            claim=_purchase_favours_protocol,
            summary="collateral * price <= paid * RAY, paid <= tab, collateral <= lot",
        ),
        Obligation(
            name="ACT-TAKE/all/purchase-chost",
            requirement_ids=("ACT-TAKE",),
            policy="all",
            task=purchases,
            claim=_purchase_leaves_chost,
            summary="a partial purchase leaves at least chost of tab",
        ),
    ]
    return found
