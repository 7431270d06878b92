"""Symbolic integers and booleans that the engine's code accepts as if they were concrete.

A :class:`SymInt` implements the ``int`` operations the model uses (``+ - * // %``,
unary minus, comparisons) with Python's semantics, including floor division and
modulo for every sign and division by zero as a real branch that raises
``ZeroDivisionError``. Comparisons return a :class:`SymBool`; ``bool(SymBool)`` asks the
explorer that owns the values which branch this run takes.

What a ``SymInt`` refuses, loudly: hashing (no symbolic dictionary keys), ``int()`` and
``__index__`` (no symbolic list indices or ``range`` bounds). The model's lint keeps its
code inside that subset (ENGINE-SYMBOLIC-SUBSET); these refusals are the run-time check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import z3

from model.numbers import SymbolicInteger

if TYPE_CHECKING:
    from proofs.symbolic.explorer import Explorer


class SymbolicMisuse(TypeError):
    """The code under proof used a symbolic value where only a concrete one can go."""


def term_of(value: object) -> Any:
    """The Z3 term of an ``int``, ``bool``, :class:`SymInt` or :class:`SymBool`."""
    if isinstance(value, SymInt | SymBool):
        return value.term
    if isinstance(value, bool):
        return z3.BoolVal(value)
    if isinstance(value, int):
        return z3.IntVal(value)
    raise SymbolicMisuse(f"not an integer or boolean: {type(value).__name__}")


def is_symbolic(value: object) -> bool:
    return isinstance(value, SymInt | SymBool)


def _int_term(value: object) -> Any:
    if isinstance(value, SymInt):
        return value.term
    if isinstance(value, int) and not isinstance(value, bool):
        return z3.IntVal(value)
    if isinstance(value, bool):
        return z3.IntVal(int(value))
    raise SymbolicMisuse(f"cannot combine a symbolic integer with {type(value).__name__}")


def _floor_div(x: Any, d: Any) -> Any:
    """Python's ``x // d`` for a constant ``d != 0``: Z3's ``div`` is Euclidean, which agrees
    with the floor for positive divisors; for negative ones ``x // d == (-x) // (-d)``."""
    return x / d if d.as_long() > 0 else (-x) / (-d)


class SymInt(SymbolicInteger):
    """An integer whose value is a Z3 term, owned by an :class:`Explorer`. The engine
    accepts it as an amount (``model.numbers.SymbolicInteger``)."""

    __slots__ = ("explorer", "term")

    def __init__(self, explorer: Explorer, term: Any) -> None:
        self.explorer = explorer
        self.term = term

    # --- construction helpers --------------------------------------------------------

    def least(self, values: tuple[int, ...]) -> int:
        return _extremum(values, lambda new, best: new < best)  # type: ignore[return-value]

    def greatest(self, values: tuple[int, ...]) -> int:
        return _extremum(values, lambda new, best: new > best)  # type: ignore[return-value]

    def _wrap(self, term: Any) -> SymInt:
        return SymInt(self.explorer, term)

    def _bool(self, term: Any) -> SymBool:
        return SymBool(self.explorer, term)

    # --- arithmetic --------------------------------------------------------------------

    def __add__(self, other: object) -> SymInt:
        return self._wrap(self.term + _int_term(other))

    def __radd__(self, other: object) -> SymInt:
        return self._wrap(_int_term(other) + self.term)

    def __sub__(self, other: object) -> SymInt:
        return self._wrap(self.term - _int_term(other))

    def __rsub__(self, other: object) -> SymInt:
        return self._wrap(_int_term(other) - self.term)

    def __mul__(self, other: object) -> SymInt:
        return self._wrap(self.term * _int_term(other))

    def __rmul__(self, other: object) -> SymInt:
        return self._wrap(_int_term(other) * self.term)

    def __neg__(self) -> SymInt:
        return self._wrap(-self.term)

    def __pos__(self) -> SymInt:
        return self

    def _divide(self, x: Any, d: Any) -> Any:
        """``x // d``. A constant divisor needs no branch; a symbolic one branches on zero
        (Python raises) and on its sign, so that each path divides by a divisor of known
        sign and the term stays free of ``If``."""
        if z3.is_int_value(d):
            if d.as_long() == 0:
                raise ZeroDivisionError("integer division or modulo by zero")
            return _floor_div(x, d)
        if self.explorer.decide(d == 0):
            raise ZeroDivisionError("integer division or modulo by zero (symbolic)")
        if self.explorer.decide(d > 0):
            return x / d
        return (-x) / (-d)

    def __floordiv__(self, other: object) -> SymInt:
        return self._wrap(self._divide(self.term, _int_term(other)))

    def __rfloordiv__(self, other: object) -> SymInt:
        return self._wrap(self._divide(_int_term(other), self.term))

    def __mod__(self, other: object) -> SymInt:
        d = _int_term(other)
        return self._wrap(self.term - d * self._divide(self.term, d))

    def __rmod__(self, other: object) -> SymInt:
        x = _int_term(other)
        return self._wrap(x - self.term * self._divide(x, self.term))

    # --- comparisons -------------------------------------------------------------------

    def __lt__(self, other: object) -> SymBool:
        return self._bool(self.term < _int_term(other))

    def __le__(self, other: object) -> SymBool:
        return self._bool(self.term <= _int_term(other))

    def __gt__(self, other: object) -> SymBool:
        return self._bool(self.term > _int_term(other))

    def __ge__(self, other: object) -> SymBool:
        return self._bool(self.term >= _int_term(other))

    def __eq__(self, other: object) -> Any:
        if not isinstance(other, int | SymInt):
            return NotImplemented
        return self._bool(self.term == _int_term(other))

    def __ne__(self, other: object) -> Any:
        if not isinstance(other, int | SymInt):
            return NotImplemented
        return self._bool(self.term != _int_term(other))

    def __bool__(self) -> bool:
        return self.explorer.decide(self.term != 0)

    # --- what a symbolic integer cannot do -----------------------------------------------

    def __hash__(self) -> int:
        raise SymbolicMisuse("a symbolic integer cannot be hashed (used as a dict key?)")

    def __index__(self) -> int:
        raise SymbolicMisuse("a symbolic integer cannot be used as an index or range bound")

    def __int__(self) -> int:
        raise SymbolicMisuse("a symbolic integer has no concrete value")

    def __repr__(self) -> str:
        return f"SymInt({self.term})"

    def __format__(self, spec: str) -> str:
        return f"<{self.term}>"


class SymBool:
    """A truth value whose value is a Z3 formula; ``bool()`` of it is a branch."""

    __slots__ = ("explorer", "term")

    def __init__(self, explorer: Explorer, term: Any) -> None:
        self.explorer = explorer
        self.term = term

    def __bool__(self) -> bool:
        return self.explorer.decide(self.term)

    def __and__(self, other: object) -> SymBool:
        return SymBool(self.explorer, z3.And(self.term, term_of(other)))

    __rand__ = __and__

    def __or__(self, other: object) -> SymBool:
        return SymBool(self.explorer, z3.Or(self.term, term_of(other)))

    __ror__ = __or__

    def __invert__(self) -> SymBool:
        return SymBool(self.explorer, z3.Not(self.term))

    def __hash__(self) -> int:
        raise SymbolicMisuse("a symbolic boolean cannot be hashed")

    def __repr__(self) -> str:
        return f"SymBool({self.term})"


def _extremum(values: tuple[Any, ...], pick_second: Callable[[Any, Any], Any]) -> SymInt:
    """``min``/``max`` as an ``If`` term instead of a branch. Python's ``min(a, b)`` is
    ``b if b < a else a`` (the first of equal values); for integers equal values are the
    same value, so the ``If`` has exactly the semantics of the builtin, with one path
    where the builtin makes two."""
    owner = next(v.explorer for v in values if isinstance(v, SymInt))
    best = _int_term(values[0])
    for value in values[1:]:
        term = _int_term(value)
        best = z3.If(pick_second(term, best), term, best)
    return SymInt(owner, best)
