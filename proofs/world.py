"""Symbolic engine states and actions, and their concrete twins from a solver model.

A proof quantifies over states of a fixed *shape* (how many positions and auctions,
which LP accounts) whose every number is a free variable. :func:`build_state` builds
that state from a :class:`Source` of numbers: an :class:`Explorer` gives fresh symbolic
integers, a :class:`ModelSource` gives the values a solver model assigned to them. The
same function builds both, so a counterexample is exactly the state the proof meant.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

import attrs
from immutables import Map

from model.numbers.fixed_point import RAY, UINT256_MAX
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
    amount, price, time, count = ranges.amount, ranges.price, ranges.time, ranges.count
    fixed = dict(shape.fixed)

    def n(name: str, low: int = 0) -> Number:
        if name in fixed:
            return fixed[name]
        high = amount
        if name.endswith(("spot", "reference", "top", "floor", "anchor")):
            high = price
        elif name.endswith(("time", "last_update", "tic", "period_start")):
            high = time
        elif name.endswith(("resets", "unbacked")):
            high = count
        return source.integer(name, low, high)

    positions: Map[int, Position] = Map()
    for i, owner in enumerate(shape.owners):
        positions = positions.set(i, Position(owner, n(f"pos{i}.collateral"), n(f"pos{i}.debt")))
    auctions: Map[int, Auction] = Map()
    for j, position in enumerate(shape.auctions):
        auctions = auctions.set(
            j,
            Auction(
                position=position,
                lot=n(f"auc{j}.lot"),
                debt=n(f"auc{j}.debt"),
                fee=n(f"auc{j}.fee"),
                top=n(f"auc{j}.top"),
                floor=n(f"auc{j}.floor"),
                tic=n(f"auc{j}.tic"),
                anchor=n(f"auc{j}.anchor"),
                incentives_paid=n(f"auc{j}.incentives_paid"),
                resets=n(f"auc{j}.resets"),
                backed=source.boolean(f"auc{j}.backed"),
            ),
        )
    lp_shares: Map[str, Any] = Map()
    for lp in shape.lps:
        lp_shares = lp_shares.set(lp, n(f"shares.{lp}", 1))
    return State(
        config=config,
        time=n("time"),
        oracle=Oracle(
            spot=n("oracle.spot", 1),
            reference=n("oracle.reference", 1),
            volatility=source.integer("oracle.volatility", 0, RAY),
            last_update=n("oracle.last_update"),
        ),
        market=Market(
            depth=n("market.depth"),
            period_start=n("market.period_start"),
            kicked_in_period=n("market.kicked_in_period"),
        ),
        positions=positions,
        next_position=len(shape.owners),
        auctions=auctions,
        next_auction=len(shape.auctions),
        lp_shares=lp_shares,
        pool=Pool(
            cash=n("pool.cash"), lp_claims=n("pool.lp_claims"), total_shares=n("pool.total_shares")
        ),
        buffers=Buffers(
            insurance=n("buffers.insurance"),
            pol_quote=n("buffers.pol_quote"),
            pol_collateral=n("buffers.pol_collateral"),
        ),
        ledger=Ledger(
            collateral_in=n("ledger.collateral_in"),
            collateral_out=n("ledger.collateral_out"),
            quote_in=n("ledger.quote_in"),
            quote_out=n("ledger.quote_out"),
            bad_debt=n("ledger.bad_debt"),
        ),
        exposure=n("exposure"),
        unbacked=n("unbacked"),
    )


ActionBuilder = Callable[[Source], object]
"""Builds one action from a source of numbers (its amounts free, its ids fixed)."""


def amounts(source: Source, prefix: str, names: Sequence[str]) -> list[Number]:
    return [source.integer(f"{prefix}.{name}") for name in names]
