"""Fixed-point integers with directed rounding: the only place the model divides.

Amounts are integers in base units with 18 decimals (WAD); prices and ratios are
integers scaled by 10**27 (RAY). Every operation that divides says in its name which
way it rounds: ``_down`` towards zero, ``_up`` away from zero. Call sites pick the
direction that favours the protocol (``spec/numbers.md``, rule ROUNDING-FAVOURS-PROTOCOL):
what is owed to the protocol rounds up, what the protocol pays out rounds down.

Every result must fit in uint256; a result that does not is an :class:`EngineFault`
(``OVERFLOW`` / ``UNDERFLOW`` / ``DIVISION_BY_ZERO``), never a silent wrap. Intermediate
products are exact (as with a 512-bit ``mulDiv``); only results are range-checked.

The functions use nothing but ``+ - * //`` and comparisons, so they run unchanged on
Python ``int`` and on the symbolic integers of ``proofs/``: that is what lets the
proofs evaluate the engine itself rather than a copy of it.
"""

from __future__ import annotations

from typing import TypeAlias

from model.errors import EngineFault, Refusal, RefusalCode

Wad: TypeAlias = int
"""An amount of an asset, in base units of 10**-18."""
Ray: TypeAlias = int
"""A price (quote per collateral) or a ratio, scaled by 10**27."""
Seconds: TypeAlias = int

WAD: int = 10**18
RAY: int = 10**27
UINT256_MAX: int = 2**256 - 1


def overflow(what: str = "") -> EngineFault:
    return EngineFault(Refusal(RefusalCode.OVERFLOW, what))


def underflow(what: str = "") -> EngineFault:
    return EngineFault(Refusal(RefusalCode.UNDERFLOW, what))


def division_by_zero(what: str = "") -> EngineFault:
    return EngineFault(Refusal(RefusalCode.DIVISION_BY_ZERO, what))


def in_uint256(x: int) -> bool:
    """Whether ``x`` is a valid uint256 (``0 <= x <= 2**256 - 1``)."""
    return 0 <= x <= UINT256_MAX


def add(x: int, y: int, what: str = "") -> int:
    """``x + y``; OVERFLOW if the sum leaves uint256."""
    z = x + y
    if z > UINT256_MAX:
        raise overflow(what)
    return z


def sub(x: int, y: int, what: str = "") -> int:
    """``x - y``; UNDERFLOW if ``y > x``. Guards check first; this is the backstop."""
    if y > x:
        raise underflow(what)
    return x - y


def mul(x: int, y: int, what: str = "") -> int:
    """``x * y``; OVERFLOW if the product leaves uint256."""
    z = x * y
    if z > UINT256_MAX:
        raise overflow(what)
    return z


def mul_div_down(x: int, y: int, d: int, what: str = "") -> int:
    """``floor(x * y / d)`` with an exact intermediate product. Rounds towards zero."""
    if d == 0:
        raise division_by_zero(what)
    q = x * y // d
    if q > UINT256_MAX:
        raise overflow(what)
    return q


def mul_div_up(x: int, y: int, d: int, what: str = "") -> int:
    """``ceil(x * y / d)`` with an exact intermediate product. Rounds away from zero."""
    if d == 0:
        raise division_by_zero(what)
    q = (x * y + d - 1) // d
    if q > UINT256_MAX:
        raise overflow(what)
    return q


def wmul_down(x: int, y: int, what: str = "") -> int:
    """``x * y / WAD``, rounded down."""
    return mul_div_down(x, y, WAD, what)


def wmul_up(x: int, y: int, what: str = "") -> int:
    """``x * y / WAD``, rounded up."""
    return mul_div_up(x, y, WAD, what)


def rmul_down(x: int, y: int, what: str = "") -> int:
    """``x * y / RAY``, rounded down: e.g. the value of ``x`` collateral at price ``y``."""
    return mul_div_down(x, y, RAY, what)


def rmul_up(x: int, y: int, what: str = "") -> int:
    """``x * y / RAY``, rounded up: e.g. a debt scaled by a penalty ratio."""
    return mul_div_up(x, y, RAY, what)


def rdiv_down(x: int, y: int, what: str = "") -> int:
    """``x * RAY / y``, rounded down: e.g. collateral bought with ``x`` quote at price ``y``."""
    return mul_div_down(x, RAY, y, what)


def rdiv_up(x: int, y: int, what: str = "") -> int:
    """``x * RAY / y``, rounded up."""
    return mul_div_up(x, RAY, y, what)


def is_odd(x: int) -> bool:
    """Whether ``x`` is odd (the only use of ``%`` in the model: dss ``rpow``'s bit test)."""
    return x % 2 == 1


def distance(x: int, y: int) -> int:
    """``|x - y|`` without a sign test on the result type."""
    return x - y if x >= y else y - x
