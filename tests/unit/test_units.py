"""Every number of the state, the actions, the events and the parameters declares its unit.

The unit is part of the field's type (``Wad``, ``Ray``, ``Seconds``, ``Shares``, ``Count``:
``model/numbers/units.py``); the wire format, the proofs' ranges and the parameter files
read it from there. An id (``position``, ``auction``, the state's ``next_*``) is the only
integer without one.
"""

from __future__ import annotations

import typing
from typing import Any

import attrs
import pytest

from model import events
from model.actions import ACTION_KINDS
from model.curves import ExponentialDecrease, LinearDecrease, StairstepExponentialDecrease
from model.numbers import RAY, WAD, Unit, field_units, plain
from model.params.records import (
    Config,
    Gen1SpotParams,
    Gen2DutchParams,
    Gen3ZeroLossParams,
    OracleParams,
)
from model.state import Auction, Buffers, Ledger, Market, Oracle, Pool, Position, State

IDS = {"position", "auction", "next_position", "next_auction"}
RECORDS: tuple[type[Any], ...] = (
    *ACTION_KINDS,
    *(
        value
        for value in vars(events).values()
        if isinstance(value, type) and attrs.has(value) and value.__module__ == events.__name__
    ),
    State,
    Auction,
    Buffers,
    Ledger,
    Market,
    Oracle,
    Pool,
    Position,
    Config,
    OracleParams,
    Gen1SpotParams,
    Gen2DutchParams,
    Gen3ZeroLossParams,
    LinearDecrease,
    StairstepExponentialDecrease,
    ExponentialDecrease,
)


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r.__name__)
def test_every_integer_field_declares_a_unit(record: type[Any]) -> None:
    hints = typing.get_type_hints(record, include_extras=True)
    units = field_units(record)
    bare = [name for name, hint in hints.items() if hint is int and name not in IDS]
    assert not bare, f"{record.__name__}: integer fields without a unit: {bare}"
    assert all(name not in units for name in IDS)


def test_units_name_the_engine_scales() -> None:
    assert Unit.WAD.scale == WAD and Unit.RAY.scale == RAY and Unit.SECONDS.scale == 1
    assert field_units(Position) == {"collateral": Unit.WAD, "debt": Unit.WAD}
    assert field_units(Oracle)["spot"] is Unit.RAY
    assert (
        field_units(Auction)["tic"] is Unit.SECONDS and field_units(Auction)["resets"] is Unit.COUNT
    )


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (3 * WAD // 2, Unit.WAD, "1.5"),
        (2_000 * RAY, Unit.RAY, "2000"),
        (1, Unit.RAY, "0.000000000000000000000000001"),
        (
            2**256 - 1,
            Unit.WAD,
            "115792089237316195423570985008687907853269984665640564039457.584007913129639935",
        ),
        (-WAD // 4, Unit.WAD, "-0.25"),
        (90, Unit.SECONDS, "90"),
    ],
)
def test_plain_is_exact_on_the_whole_range(value: int, unit: Unit, text: str) -> None:
    assert plain(value, unit) == text
