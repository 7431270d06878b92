"""The whole engine state: one immutable value, replaced, never mutated, by each step."""

from __future__ import annotations

import attrs
from immutables import Map

from model.numbers.fixed_point import Ray, Seconds, Wad
from model.numbers.units import Count, Shares
from model.params.records import Config
from model.state.accounts import Buffers, Ledger, Pool
from model.state.auction import Auction
from model.state.market import Market
from model.state.oracle import Oracle
from model.state.position import Position
from model.state.pre_liquidation import PreLiquidationTerms
from model.state.steward import Steward


@attrs.frozen
class State:
    """Field by field in ``spec/state.md``.

    Positions, auctions and LP shares live in persistent maps: replacing one entry
    shares the rest, so a step costs O(log n) in their number, never a copy.
    ``exposure`` and ``unbacked`` are running totals the guards need in O(1); the
    invariants EXPOSURE-ACCOUNTING and UNBACKED-ACCOUNTING tie them to the auctions.
    """

    config: Config
    time: Seconds
    oracle: Oracle
    market: Market
    positions: Map[int, Position]
    next_position: int
    auctions: Map[int, Auction]
    next_auction: int
    lp_shares: Map[str, Shares]
    pool: Pool
    buffers: Buffers
    ledger: Ledger
    exposure: Wad
    """Sum of the tabs of live auctions: the debt under liquidation."""
    unbacked: Count
    """Number of live gen 3 auctions whose lot at the floor did not cover their debt."""
    pre_liquidation: Map[int, PreLiquidationTerms] = attrs.field(factory=Map)
    """Gen 3: the pre-liquidation terms each consenting position's owner set, by position."""
    steward: Steward | None = None
    """Gen 3: the parameters the risk steward set; ``None`` until its first update, when
    the configuration's are in force."""


def genesis(config: Config, spot: Ray, time: Seconds = 0, depth: Wad = 0) -> State:
    """An empty engine: no LPs, no positions, the oracle initialised at ``spot``.

    ``config`` is assumed valid (``model.params.validate``); ``spot`` must be > 0.
    """
    return State(
        config=config,
        time=time,
        oracle=Oracle(spot=spot, reference=spot, volatility=0, last_update=time),
        market=Market(depth=depth, period_start=time, kicked_in_period=0),
        positions=Map(),
        next_position=0,
        auctions=Map(),
        next_auction=0,
        lp_shares=Map(),
        pool=Pool(cash=0, lp_claims=0, total_shares=0),
        buffers=Buffers(insurance=0, pol_quote=0, pol_collateral=0),
        ledger=Ledger(collateral_in=0, collateral_out=0, quote_in=0, quote_out=0, bad_debt=0),
        exposure=0,
        unbacked=0,
    )
