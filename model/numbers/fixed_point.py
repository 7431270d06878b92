"""Fixed-point integers with directed rounding: the only place the model divides.

Requirements: NUM-UINT256, NUM-ROUNDING, ENGINE-SYMBOLIC-SUBSET.

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

Each function's docstring ends with its contract in PEP 316 form (``pre:`` / ``post:``
lines): the rounding direction as an inequality on exact products, e.g.
``__return__ * d <= x * y < (__return__ + 1) * d`` for ``mul_div_down``. CrossHair checks
them (``make crosshair``).
"""

from __future__ import annotations

from model.errors import EngineFault, Refusal, RefusalCode
from model.numbers.units import Ray as Ray  # re-exported: the kernels are typed in units
from model.numbers.units import Seconds as Seconds
from model.numbers.units import Wad as Wad

WAD: int = 10**18
RAY: int = 10**27
UINT256_MAX: int = 2**256 - 1


class SymbolicInteger:
    """Base of the integers the engine accepts besides ``int``: the proofs' symbolic
    integers (``proofs.symbolic.values.SymInt``). Nothing else that is not exactly an
    ``int`` is an amount: not ``bool``, ``float``, ``Decimal`` or ``Fraction``.

    A symbolic integer answers :func:`minimum` and :func:`maximum` itself, so that the
    proofs get one term where a comparison would split the path in two."""

    __slots__ = ()

    def least(self, values: tuple[int, ...]) -> int:
        """The least of ``values`` (one of which is ``self``), the first of equal ones."""
        raise NotImplementedError

    def greatest(self, values: tuple[int, ...]) -> int:
        """The greatest of ``values`` (one of which is ``self``), the first of equal ones."""
        raise NotImplementedError


def minimum(*values: int) -> int:
    """``min`` of the engine's integers: the builtin on ``int``; on symbolic integers a
    single term (gen 3's kick sizing alone takes seven of these). Equal values are the
    same value, so which of them is returned does not matter."""
    for value in values:
        if isinstance(value, SymbolicInteger):
            return value.least(values)
    return min(values)


def maximum(*values: int) -> int:
    """``max`` of the engine's integers, as :func:`minimum` is ``min``."""
    for value in values:
        if isinstance(value, SymbolicInteger):
            return value.greatest(values)
    return max(values)


def is_integer(value: object) -> bool:
    """An ``int`` (not a ``bool``, nor another subclass) or a symbolic integer."""
    return type(value) is int or isinstance(value, SymbolicInteger)


def overflow(what: str = "") -> EngineFault:
    return EngineFault(Refusal(RefusalCode.OVERFLOW, what))


def underflow(what: str = "") -> EngineFault:
    return EngineFault(Refusal(RefusalCode.UNDERFLOW, what))


def division_by_zero(what: str = "") -> EngineFault:
    return EngineFault(Refusal(RefusalCode.DIVISION_BY_ZERO, what))


def in_uint256(x: int) -> bool:
    """Whether ``x`` is a valid uint256 (``0 <= x <= 2**256 - 1``).

    post: __return__ == (x >= 0 and x < 2**256)
    """
    return 0 <= x <= UINT256_MAX


def add(x: int, y: int, what: str = "") -> int:
    """``x + y``; OVERFLOW if the sum leaves uint256.

    pre: 0 <= x <= UINT256_MAX and 0 <= y <= UINT256_MAX
    pre: x + y <= UINT256_MAX
    post: __return__ == x + y
    """
    z = x + y
    if z > UINT256_MAX:
        raise overflow(what)
    return z


def sub(x: int, y: int, what: str = "") -> int:
    """``x - y``; UNDERFLOW if ``y > x``. Guards check first; this is the backstop.

    pre: 0 <= y <= x <= UINT256_MAX
    post: __return__ == x - y
    post: 0 <= __return__ <= x
    """
    if y > x:
        raise underflow(what)
    return x - y


def mul(x: int, y: int, what: str = "") -> int:
    """``x * y``; OVERFLOW if the product leaves uint256.

    pre: 0 <= x and 0 <= y
    pre: x * y <= UINT256_MAX
    post: __return__ == x * y
    """
    z = x * y
    if z > UINT256_MAX:
        raise overflow(what)
    return z


def mul_div_down(x: int, y: int, d: int, what: str = "") -> int:
    """``floor(x * y / d)`` with an exact intermediate product. Rounds towards zero.

    pre: 0 <= x and 0 <= y and 0 < d
    pre: x * y <= UINT256_MAX * d
    post: __return__ * d <= x * y < (__return__ + 1) * d
    post: 0 <= __return__ <= UINT256_MAX
    """
    if d == 0:
        raise division_by_zero(what)
    q = x * y // d
    if q > UINT256_MAX:
        raise overflow(what)
    return q


def mul_div_up(x: int, y: int, d: int, what: str = "") -> int:
    """``ceil(x * y / d)`` with an exact intermediate product. Rounds away from zero.

    pre: 0 <= x and 0 <= y and 0 < d
    pre: x * y <= UINT256_MAX * d
    post: (__return__ - 1) * d < x * y <= __return__ * d
    post: 0 <= __return__ <= UINT256_MAX
    """
    if d == 0:
        raise division_by_zero(what)
    q = (x * y + d - 1) // d
    if q > UINT256_MAX:
        raise overflow(what)
    return q


def wmul_down(x: int, y: int, what: str = "") -> int:
    """``x * y / WAD``, rounded down.

    pre: 0 <= x and 0 <= y and x * y <= UINT256_MAX * WAD
    post: __return__ * WAD <= x * y < (__return__ + 1) * WAD
    """
    return mul_div_down(x, y, WAD, what)


def wmul_up(x: int, y: int, what: str = "") -> int:
    """``x * y / WAD``, rounded up.

    pre: 0 <= x and 0 <= y and x * y <= UINT256_MAX * WAD
    post: (__return__ - 1) * WAD < x * y <= __return__ * WAD
    """
    return mul_div_up(x, y, WAD, what)


def rmul_down(x: int, y: int, what: str = "") -> int:
    """``x * y / RAY``, rounded down: e.g. the value of ``x`` collateral at price ``y``.

    pre: 0 <= x and 0 <= y and x * y <= UINT256_MAX * RAY
    post: __return__ * RAY <= x * y < (__return__ + 1) * RAY
    """
    return mul_div_down(x, y, RAY, what)


def rmul_up(x: int, y: int, what: str = "") -> int:
    """``x * y / RAY``, rounded up: e.g. a debt scaled by a penalty ratio.

    pre: 0 <= x and 0 <= y and x * y <= UINT256_MAX * RAY
    post: (__return__ - 1) * RAY < x * y <= __return__ * RAY
    """
    return mul_div_up(x, y, RAY, what)


def rmul_dss(x: int, y: int, what: str = "") -> int:
    """dss ``rmul``: ``x * y / RAY``, rounded down, where the product ``x * y`` must itself
    be a uint256 (Solidity's checked ``mul``), not only the result: OVERFLOW otherwise.

    Used where gen 2 follows dss bit for bit (the abaci curves, the Clipper's ``top``).

    pre: 0 <= x and 0 <= y and x * y <= UINT256_MAX
    post: __return__ * RAY <= x * y < (__return__ + 1) * RAY
    """
    return mul_div_down(mul(x, y, what), 1, RAY, what)


def rdiv_down(x: int, y: int, what: str = "") -> int:
    """``x * RAY / y``, rounded down: e.g. collateral bought with ``x`` quote at price ``y``.

    pre: 0 <= x and 0 < y and x * RAY <= UINT256_MAX * y
    post: __return__ * y <= x * RAY < (__return__ + 1) * y
    """
    return mul_div_down(x, RAY, y, what)


def rdiv_up(x: int, y: int, what: str = "") -> int:
    """``x * RAY / y``, rounded up.

    pre: 0 <= x and 0 < y and x * RAY <= UINT256_MAX * y
    post: (__return__ - 1) * y < x * RAY <= __return__ * y
    """
    return mul_div_up(x, RAY, y, what)


def is_odd(x: int) -> bool:
    """Whether ``x`` is odd (the only use of ``%`` in the model: dss ``rpow``'s bit test).

    pre: x >= 0
    post: __return__ == (2 * (x // 2) != x)
    """
    return x % 2 == 1


def distance(x: int, y: int) -> int:
    """``|x - y|`` without a sign test on the result type.

    post: __return__ >= 0
    post: __return__ == x - y or __return__ == y - x
    """
    return x - y if x >= y else y - x
