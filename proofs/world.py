"""Symbolic engine states and actions, and their concrete twins from a solver model.

A proof quantifies over states of a fixed *shape* (how many positions and auctions,
which LP accounts) whose every number is a free variable. :func:`build_state` builds
that state from a :class:`Source` of numbers: an :class:`Explorer` gives fresh symbolic
integers, a :class:`ModelSource` gives the values a solver model assigned to them. The
same function builds both, so a counterexample is exactly the state the proof meant.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, Protocol

import attrs
from immutables import Map

from model.numbers.fixed_point import RAY, UINT256_MAX
from model.numbers.units import Unit, field_units
from model.params.records import Config
from model.state import Auction, Buffers, Ledger, Market, Oracle, Pool, Position, State

Number = Any
"""An ``int`` or a ``SymInt``."""


class Source(Protocol):
    def integer(self, name: str, low: int | None = 0, high: int | None = UINT256_MAX) -> Number:
        """The number called ``name``, in ``[low, high]``."""

    def boolean(self, name: str) -> Any:
        """The truth value called ``name``."""


@attrs.frozen
class ModelSource:
    """The numbers a solver's witness assigned to an explorer's variables."""

    values: dict[str, int]

    def integer(self, name: str, low: int | None = 0, high: int | None = UINT256_MAX) -> int:
        found = self.values.get(name)
        if found is None:  # never constrained: any value in range is a witness
            return low if low is not None else 0
        return found

    def boolean(self, name: str) -> bool:
        return self.values.get(name, 0) != 0


@attrs.frozen
class Shape:
    """Which records a symbolic state has; every number in them is free.

    ``auctions`` gives, for each auction, the index of the position it liquidates.
    """

    owners: tuple[str, ...] = ("ann", "bob")
    auctions: tuple[int, ...] = (0, 1)
    lps: tuple[str, ...] = ("lp", "lp2")
    fixed: tuple[tuple[str, int], ...] = ()
    """Fields given a concrete value instead of a free one (``("oracle.reference", p)``):
    how an obligation too nonlinear for the solver is split into cases."""


@attrs.frozen
class Ranges:
    """Upper bounds on a symbolic state's numbers (ASM-RANGES in ``spec/theorems.md``).

    The engine's own range is uint256; the obligations quantify over amounts, prices and
    times up to these bounds, far beyond any real market (2**128 base units is 3.4e20
    tokens; a price of 2**128 in RAY is 3.4e11 quote per unit), and prove separately that
    within them no arithmetic leaves uint256 (the OVERFLOW obligations).
    """

    amount: int = 2**128
    price: int = 2**128
    time: int = 2**64
    count: int = 2**32


def build_state(
    source: Source, config: Config, shape: Shape = Shape(), ranges: Ranges = Ranges()
) -> State:
    """A state of ``shape`` under ``config`` whose numbers come from ``source``.

    Only ranges are imposed here (``ranges``, volatility <= RAY, prices > 0); the
    obligations assume the invariants they need explicitly.
    """
    fixed = dict(shape.fixed)
    highest = {
        Unit.WAD: ranges.amount,
        Unit.SHARES: ranges.amount,
        Unit.RAY: ranges.price,
        Unit.SECONDS: ranges.time,
        Unit.COUNT: ranges.count,
    }

    def n(name: str, unit: Unit, low: int = 0) -> Number:
        """The number called ``name``: fixed by the shape, or free within its unit's range."""
        if name in fixed:
            return fixed[name]
        return source.integer(name, low, highest[unit])

    def record(cls: type[Any], prefix: str, **special: Callable[[], Any]) -> Any:
        """A record whose numbers are free within their units' ranges; ``special`` gives
        the fields that are not (in declaration order, so the variables are made in it)."""
        units = field_units(cls)
        values = {
            f.name: special[f.name]()
            if f.name in special
            else n(f"{prefix}.{f.name}", units[f.name])
            for f in attrs.fields(cls)
        }
        return cls(**values)

    def given(value: Any) -> Callable[[], Any]:
        return lambda: value

    state_units = field_units(State)
    positions: Map[int, Position] = Map()
    for i, owner in enumerate(shape.owners):
        positions = positions.set(i, record(Position, f"pos{i}", owner=given(owner)))
    auctions: Map[int, Auction] = Map()
    for j, position in enumerate(shape.auctions):
        auctions = auctions.set(
            j,
            record(
                Auction,
                f"auc{j}",
                position=given(position),
                backed=partial(source.boolean, f"auc{j}.backed"),
            ),
        )
    lp_shares: Map[str, Any] = Map()
    for lp in shape.lps:
        lp_shares = lp_shares.set(lp, n(f"shares.{lp}", Unit.SHARES, 1))
    return State(
        config=config,
        time=n("time", state_units["time"]),
        oracle=record(
            Oracle,
            "oracle",
            spot=lambda: n("oracle.spot", Unit.RAY, 1),
            reference=lambda: n("oracle.reference", Unit.RAY, 1),
            volatility=lambda: source.integer("oracle.volatility", 0, RAY),
        ),
        market=record(Market, "market"),
        positions=positions,
        next_position=len(shape.owners),
        auctions=auctions,
        next_auction=len(shape.auctions),
        lp_shares=lp_shares,
        pool=record(Pool, "pool"),
        buffers=record(Buffers, "buffers"),
        ledger=record(Ledger, "ledger"),
        exposure=n("exposure", state_units["exposure"]),
        unbacked=n("unbacked", state_units["unbacked"]),
    )
