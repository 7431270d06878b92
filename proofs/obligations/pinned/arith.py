"""Plain integer arithmetic for restating the spec, on ints and symbolic values alike.

The pinning obligations restate each formula of ``spec/`` without the model's helpers.
Written with Python ``if`` and ``//``, a restatement branches wherever the spec says
"if", and :meth:`proofs.symbolic.Explorer.formula` enumerates every branch of it on
every path of the task: the formula grows with the product of the branches. These
helpers build one term instead: :func:`ite` is ``a if cond else b`` as a Z3 ``If``,
:func:`fdiv` and :func:`cdiv` are the floor and the ceiling of a quotient by a positive
divisor without the branch on its sign that ``SymInt.__floordiv__`` takes. On concrete
values they are the plain Python operations, so a witness replays through the same
code.
"""

from __future__ import annotations

from typing import Any

import z3

from proofs.symbolic import SymBool, SymInt, is_symbolic, term_of


def _explorer(*values: object) -> Any:
    for value in values:
        if isinstance(value, SymInt | SymBool):
            return value.explorer
    return None


def _boolean(value: object) -> bool:
    return isinstance(value, bool | SymBool)


def _bool_term(value: object) -> Any:
    if isinstance(value, SymInt):
        return value.term != 0
    return term_of(value)


def ite(cond: object, then: Any, otherwise: Any) -> Any:
    """``then if cond else otherwise``, one term when anything is symbolic."""
    owner = _explorer(cond, then, otherwise)
    if owner is None:
        return then if cond else otherwise
    if _boolean(then) and _boolean(otherwise):
        term = z3.If(_bool_term(cond), term_of(then), term_of(otherwise))
        return SymBool(owner, term)
    return SymInt(owner, z3.If(_bool_term(cond), term_of(then), term_of(otherwise)))


def fdiv(x: Any, d: Any) -> Any:
    """``floor(x / d)`` for ``d > 0`` (Z3's ``div`` is the floor for positive divisors)."""
    owner = _explorer(x, d)
    if owner is None:
        return x // d
    return SymInt(owner, term_of(x) / term_of(d))


def cdiv(x: Any, d: Any) -> Any:
    """``ceil(x / d)`` for ``x >= 0`` and ``d > 0``."""
    return fdiv(x + d - 1, d)


def lesser(a: Any, b: Any) -> Any:
    """``min(a, b)`` as one term."""
    return ite(b < a, b, a)


def greater(a: Any, b: Any) -> Any:
    """``max(a, b)`` as one term."""
    return ite(b > a, b, a)


def both(*conditions: object) -> Any:
    """Every condition holds (no short-circuit branch)."""
    owner = _explorer(*conditions)
    if owner is None:
        return all(bool(c) for c in conditions)
    return SymBool(owner, z3.And(*(_bool_term(c) for c in conditions)))


def either(*conditions: object) -> Any:
    """Some condition holds (no short-circuit branch)."""
    owner = _explorer(*conditions)
    if owner is None:
        return any(bool(c) for c in conditions)
    return SymBool(owner, z3.Or(*(_bool_term(c) for c in conditions)))


def negation(condition: object) -> Any:
    if is_symbolic(condition):
        return SymBool(_explorer(condition), z3.Not(_bool_term(condition)))
    return not condition


def same(a: object, b: object) -> Any:
    """``a == b`` for integers and truth values alike (``SymBool`` has no ``==``)."""
    owner = _explorer(a, b)
    if owner is None:
        return bool(a == b) if not (_boolean(a) or _boolean(b)) else bool(a) is bool(b)
    if _boolean(a) or _boolean(b):
        return SymBool(owner, _bool_term(a) == _bool_term(b))
    return SymBool(owner, term_of(a) == term_of(b))


def implies(condition: object, consequence: object) -> Any:
    return either(negation(condition), consequence)
