"""Interval bounds of integer terms, to settle comparisons without the solver.

Every variable has a declared range, so every term built from them by ``+ - *``,
division and modulo by positive amounts has a range too. A comparison whose two sides'
ranges do not overlap is decided by the ranges alone: ``x + y <= 2**256 - 1`` for
``x, y < 2**128`` is true on every input, so it is no branch at all. Most of the
engine's uint256 checks fall this way, which removes their paths and their queries.
The bounds are sound (never narrower than the truth), so a decision made here is a
decision every input agrees with.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import z3

Bound = tuple[int | None, int | None]
"""``(low, high)``; ``None`` is unbounded on that side."""


def _add(a: Bound, b: Bound) -> Bound:
    low = None if a[0] is None or b[0] is None else a[0] + b[0]
    high = None if a[1] is None or b[1] is None else a[1] + b[1]
    return low, high


def _neg(a: Bound) -> Bound:
    return (None if a[1] is None else -a[1], None if a[0] is None else -a[0])


def _mul(a: Bound, b: Bound) -> Bound:
    if None in a or None in b:
        # the only unbounded products we can still bound: both sides non-negative
        if a[0] is not None and b[0] is not None and a[0] >= 0 and b[0] >= 0:
            return a[0] * b[0], None
        return None, None
    corners = [x * y for x in a for y in b]  # type: ignore[operator]
    return min(corners), max(corners)


def _div(a: Bound, b: Bound) -> Bound:
    """Euclidean division with a positive divisor (Z3's ``div``; Python's ``//`` then)."""
    if b[0] is None or b[0] <= 0 or a[0] is None or a[0] < 0:
        return None, None
    high = None if a[1] is None else a[1] // b[0]
    low = 0 if b[1] is None else a[0] // b[1]
    return low, high


class Intervals:
    def __init__(self, bounds_of: Callable[[str], Bound]) -> None:
        self._bounds_of = bounds_of
        self._memo: dict[int, tuple[Any, Bound]] = {}
        self._decided: dict[int, tuple[Any, bool | None]] = {}
        """``condition id -> (condition, verdict)``: a comparison's verdict depends on the
        declared ranges alone, so it is worked out once per exploration."""

    def of(self, term: Any) -> Bound:
        key = term.get_id()
        found = self._memo.get(key)
        if found is not None:
            return found[1]
        bound = self._compute(term)
        self._memo[key] = (term, bound)  # keep the term alive: Z3 reuses freed ids
        return bound

    def _compute(self, term: Any) -> Bound:
        if z3.is_int_value(term):
            value = term.as_long()
            return value, value
        if z3.is_const(term) and term.decl().kind() == z3.Z3_OP_UNINTERPRETED:
            return self._bounds_of(str(term))
        kind = term.decl().kind() if z3.is_app(term) else None
        children = term.children()
        if kind == z3.Z3_OP_ADD:
            total: Bound = (0, 0)
            for child in children:
                total = _add(total, self.of(child))
            return total
        if kind == z3.Z3_OP_SUB:
            total = self.of(children[0])
            for child in children[1:]:
                total = _add(total, _neg(self.of(child)))
            return total
        if kind == z3.Z3_OP_UMINUS:
            return _neg(self.of(children[0]))
        if kind == z3.Z3_OP_MUL:
            product: Bound = (1, 1)
            for child in children:
                product = _mul(product, self.of(child))
            return product
        if kind in (z3.Z3_OP_IDIV, z3.Z3_OP_DIV):
            return _div(self.of(children[0]), self.of(children[1]))
        if kind == z3.Z3_OP_MOD:
            divisor = self.of(children[1])
            if divisor[0] is not None and divisor[0] > 0 and divisor[1] is not None:
                return 0, divisor[1] - 1
        if kind == z3.Z3_OP_ITE:
            a, b = self.of(children[1]), self.of(children[2])
            low = None if a[0] is None or b[0] is None else min(a[0], b[0])
            high = None if a[1] is None or b[1] is None else max(a[1], b[1])
            return low, high
        return None, None

    def decide(self, condition: Any) -> bool | None:
        """``True``/``False`` when the ranges settle ``condition``; ``None`` otherwise."""
        key = condition.get_id()
        found = self._decided.get(key)
        if found is not None:
            return found[1]
        verdict = self._decide(condition)
        self._decided[key] = (condition, verdict)
        return verdict

    def _decide(self, condition: Any) -> bool | None:
        if z3.is_not(condition):
            inner = self.decide(condition.arg(0))
            return None if inner is None else not inner
        if not z3.is_app(condition) or condition.num_args() != 2:
            return None
        kind = condition.decl().kind()
        if kind not in (z3.Z3_OP_LE, z3.Z3_OP_GE, z3.Z3_OP_LT, z3.Z3_OP_GT, z3.Z3_OP_EQ):
            return None
        left, right = condition.arg(0), condition.arg(1)
        if not z3.is_int(left):
            return None
        a, b = self.of(left), self.of(right)
        if kind == z3.Z3_OP_GE:
            a, b, kind = b, a, z3.Z3_OP_LE
        elif kind == z3.Z3_OP_GT:
            a, b, kind = b, a, z3.Z3_OP_LT
        # now: a <= b, a < b or a == b
        if kind == z3.Z3_OP_EQ:
            if _disjoint(a, b):
                return False
            if a[0] is not None and a[0] == a[1] == b[0] == b[1]:
                return True
            return None
        strict = kind == z3.Z3_OP_LT
        if a[1] is not None and b[0] is not None and (a[1] < b[0] or (not strict and a[1] <= b[0])):
            return True
        if a[0] is not None and b[1] is not None and (a[0] > b[1] or (strict and a[0] >= b[1])):
            return False
        return None


def _disjoint(a: Bound, b: Bound) -> bool:
    return (a[1] is not None and b[0] is not None and a[1] < b[0]) or (
        a[0] is not None and b[1] is not None and a[0] > b[1]
    )
