"""The SHARED topology's pool: LPs hold system shares; the pool lends to markets as their
one LP, the system account (SYS-TOPOLOGY, SYS-SHARED-OWNERSHIP).

Its value is its idle cash plus every market's LP claims. A market's written-off debt
lowers that market's claims, hence the value of every system share: in SHARED, the loss
that reaches LPs from a market is that market's written-off debt not yet repaid by the
backstop (CONTAGION-SHARED-BOUND). Minting rounds down and burning rounds up, as in a
market's own pool.
"""

from __future__ import annotations

import attrs

from model.actions import SupplyLiquidity, WithdrawLiquidity
from model.engine import step
from model.errors import Refusal, RefusalCode, refuse
from model.numbers.fixed_point import add, sub
from model.outcome import Refused
from model.rules.lending import shares_for_supply, shares_for_withdrawal
from model.state import Pool
from model.system.actions import Allocate, Recall, SupplyShared, WithdrawShared
from model.system.events import Allocated, OnMarketEvent, Recalled, SharedSupplied, SharedWithdrawn
from model.system.outcome import SystemTransition
from model.system.routing import market_refusal, system_with
from model.system.state import SYSTEM_ACCOUNT, SharedPool, System, Topology, shared_value


def _as_market_pool(system: System) -> Pool:
    """The shared pool seen as a market's pool (its value as the LPs' claims), so that its
    shares are minted and burned by the very functions a market's pool uses."""
    shared = system.shared
    return Pool(cash=shared.cash, lp_claims=shared_value(system), total_shares=shared.total_shares)


def _isolated(system: System) -> Refusal | None:
    if system.config.topology is not Topology.SHARED:
        return refuse(RefusalCode.LIQUIDITY_IS_ISOLATED, "system.topology")
    return None


def supply(system: System, action: SupplyShared) -> Refusal | SystemTransition:
    """ACT-SUPPLY-SHARED: a positive amount into a solvent shared pool, at least one share
    minted (``amount * total_shares / value``, rounded down; 1:1 into an empty pool), by a
    market pool's own ``shares_for_supply``."""
    refusal = _isolated(system)
    if refusal is not None:
        return refusal
    if action.amount == 0:
        return refuse(RefusalCode.ZERO_AMOUNT, "action.amount")
    pool = system.shared
    value = shared_value(system)
    if pool.total_shares > 0 and value == 0:
        return refuse(RefusalCode.POOL_INSOLVENT, "system.shared.value")
    shares = shares_for_supply(_as_market_pool(system), action.amount)
    if shares == 0:
        return refuse(RefusalCode.ZERO_SHARES, "action.amount")
    shared = SharedPool(
        cash=add(pool.cash, action.amount, "system.shared.cash"),
        total_shares=add(pool.total_shares, shares, "system.shared.total_shares"),
        lp_shares=pool.lp_shares.set(action.lp, pool.lp_shares.get(action.lp, 0) + shares),
    )
    ledger = attrs.evolve(
        system.ledger,
        quote_in=add(system.ledger.quote_in, action.amount, "system.ledger.quote_in"),
    )
    new = attrs.evolve(system, shared=shared, ledger=ledger)
    return new, (SharedSupplied(action.lp, action.amount, shares),)


def withdraw(system: System, action: WithdrawShared) -> Refusal | SystemTransition:
    """ACT-WITHDRAW-SHARED: idle cash out, ``amount * total_shares / value`` shares burned
    (rounded up, by ``shares_for_withdrawal``), at most the LP's shares and the idle cash."""
    refusal = _isolated(system)
    if refusal is not None:
        return refusal
    if action.amount == 0:
        return refuse(RefusalCode.ZERO_AMOUNT, "action.amount")
    pool = system.shared
    value = shared_value(system)
    if pool.total_shares == 0 or action.amount > value:
        return refuse(RefusalCode.INSUFFICIENT_SHARES, "action.amount")
    shares = shares_for_withdrawal(_as_market_pool(system), action.amount)
    held = pool.lp_shares.get(action.lp, 0)
    if shares > held:
        return refuse(RefusalCode.INSUFFICIENT_SHARES, "action.amount")
    if action.amount > pool.cash:
        return refuse(RefusalCode.INSUFFICIENT_LIQUIDITY, "system.shared.cash")
    left = held - shares
    shared = SharedPool(
        cash=sub(pool.cash, action.amount, "system.shared.cash"),
        total_shares=sub(pool.total_shares, shares, "system.shared.total_shares"),
        lp_shares=pool.lp_shares.delete(action.lp)
        if left == 0
        else pool.lp_shares.set(action.lp, left),
    )
    ledger = attrs.evolve(
        system.ledger,
        quote_out=add(system.ledger.quote_out, action.amount, "system.ledger.quote_out"),
    )
    new = attrs.evolve(system, shared=shared, ledger=ledger)
    return new, (SharedWithdrawn(action.lp, action.amount, shares),)


def allocate(system: System, action: Allocate) -> Refusal | SystemTransition:
    """ACT-ALLOCATE: idle cash becomes the market's liquidity, as the engine's own
    ``SupplyLiquidity`` by the system account (whose refusals pass on unchanged)."""
    refusal = _isolated(system) or market_refusal(system, action.market)
    if refusal is not None:
        return refusal
    if action.amount > system.shared.cash:
        return refuse(RefusalCode.INSUFFICIENT_LIQUIDITY, "system.shared.cash")
    outcome = step(system.markets[action.market], SupplyLiquidity(SYSTEM_ACCOUNT, action.amount))
    if isinstance(outcome, Refused):
        return outcome.refusal
    cash = sub(system.shared.cash, action.amount, "system.shared.cash")
    new = system_with(system, action.market, outcome.state)
    new = attrs.evolve(
        new,
        shared=attrs.evolve(new.shared, cash=cash),
        ledger=attrs.evolve(
            new.ledger,
            to_markets=add(new.ledger.to_markets, action.amount, "system.ledger.to_markets"),
        ),
    )
    tagged = tuple(OnMarketEvent(action.market, e) for e in outcome.events)
    return new, (*tagged, Allocated(action.market, action.amount))


def recall(system: System, action: Recall) -> Refusal | SystemTransition:
    """ACT-RECALL: the market's cash back into the idle pool, as the engine's own
    ``WithdrawLiquidity`` by the system account (its freeze and cash checks apply)."""
    refusal = _isolated(system) or market_refusal(system, action.market)
    if refusal is not None:
        return refusal
    outcome = step(system.markets[action.market], WithdrawLiquidity(SYSTEM_ACCOUNT, action.amount))
    if isinstance(outcome, Refused):
        return outcome.refusal
    new = system_with(system, action.market, outcome.state)
    new = attrs.evolve(
        new,
        shared=attrs.evolve(
            new.shared, cash=add(new.shared.cash, action.amount, "system.shared.cash")
        ),
        ledger=attrs.evolve(
            new.ledger,
            from_markets=add(new.ledger.from_markets, action.amount, "system.ledger.from_markets"),
        ),
    )
    tagged = tuple(OnMarketEvent(action.market, e) for e in outcome.events)
    return new, (*tagged, Recalled(action.market, action.amount))
