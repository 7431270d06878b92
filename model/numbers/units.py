"""Units of the engine's integers, carried by the types of the records' fields.

Every integer field of the state, the actions, the events and the parameters is declared
with its unit: ``Wad`` (an amount of an asset, 10**-18 units), ``Ray`` (a price or a ratio,
10**-27), ``Seconds``, ``Shares`` (LP shares) or ``Count`` (resets, auctions). The
aliases are ``Annotated[int, Unit.X]``: to Python and to mypy they are ``int`` (the same
kernels run on ``int`` and on Z3 terms, so a distinct runtime type would not survive the
proofs), and the unit is read from the declaration, one place, by whoever needs it: the
wire format (:mod:`crosscheck.wire`), the proofs' ranges (:mod:`proofs.world`), the
parameter files (:mod:`simulation.param_files`) and the one formatter below. An id
(``position``, ``auction``) is a plain ``int``: it is a name, not a quantity.
"""

from __future__ import annotations

import enum
import typing
from typing import Annotated, Any, TypeAlias


class Unit(enum.Enum):
    """A unit and its fixed-point scale (one whole unit in base integers)."""

    WAD = "Wad"
    RAY = "Ray"
    SECONDS = "Seconds"
    SHARES = "Shares"
    COUNT = "Count"

    @property
    def scale(self) -> int:
        """One whole unit, in the integer's base units."""
        return _SCALES[self]


_SCALES = {Unit.WAD: 10**18, Unit.RAY: 10**27, Unit.SECONDS: 1, Unit.SHARES: 1, Unit.COUNT: 1}

Wad: TypeAlias = Annotated[int, Unit.WAD]
"""An amount of an asset, in base units of 10**-18."""
Ray: TypeAlias = Annotated[int, Unit.RAY]
"""A price (quote per collateral) or a ratio, scaled by 10**27."""
Seconds: TypeAlias = Annotated[int, Unit.SECONDS]
"""A time or a duration, in whole seconds."""
Shares: TypeAlias = Annotated[int, Unit.SHARES]
"""LP shares of the pool, in whole shares (their price is the pool's, not a scale)."""
Count: TypeAlias = Annotated[int, Unit.COUNT]
"""How many of something (resets, unbacked auctions)."""


def field_units(record: type[Any]) -> dict[str, Unit]:
    """The unit of each integer field of a record type that declares one, by field name.

    Read from the resolved annotations (``Annotated[int, Unit.X]``), never from how an
    annotation is spelled.
    """
    hints = typing.get_type_hints(record, include_extras=True)
    units: dict[str, Unit] = {}
    for name, hint in hints.items():
        if typing.get_origin(hint) is Annotated:
            marks = [mark for mark in typing.get_args(hint)[1:] if isinstance(mark, Unit)]
            if marks:
                units[name] = marks[0]
    return units


def plain(value: int, unit: Unit) -> str:
    """A fixed-point integer as a plain decimal of whole units, exactly: ``1.25``,
    ``2000`` (no exponent, no trailing zeros of the fraction)."""
    if unit.scale == 1:
        return str(value)
    sign = "-" if value < 0 else ""
    whole, fraction = divmod(abs(value), unit.scale)
    digits = len(str(unit.scale)) - 1
    return sign + f"{whole}.{fraction:0{digits}d}".rstrip("0").rstrip(".")
