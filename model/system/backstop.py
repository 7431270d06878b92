"""The shared backstop fund: it pays a market's written-off debt back to that market's
LPs, never more for one market than its cap (BACKSTOP-CAP, BACKSTOP-RESERVED).

The cap is what keeps the fund shared without making it a channel of contagion: however
much market A loses, it takes at most ``caps[A]`` from the fund, so a fund that covers
every market's remaining cap still covers B's after anything A does.
"""

from __future__ import annotations

import attrs

from model.errors import Refusal, RefusalCode, refuse
from model.numbers.fixed_point import add, sub
from model.state import Pool
from model.system.actions import DrawBackstop, FundBackstop
from model.system.events import BackstopDrawn, BackstopFunded
from model.system.outcome import SystemTransition
from model.system.routing import market_refusal, system_with
from model.system.state import System, market_detail


def _fund_guard(system: System, action: FundBackstop) -> Refusal | None:
    """ACT-FUND-BACKSTOP guard: a backstop exists; a positive amount."""
    if system.backstop is None:
        return refuse(RefusalCode.NO_BACKSTOP, "system.backstop")
    if action.amount == 0:
        return refuse(RefusalCode.ZERO_AMOUNT, "action.amount")
    return None


def fund(system: System, action: FundBackstop) -> Refusal | SystemTransition:
    """ACT-FUND-BACKSTOP: the fund grows, through the system's ledger."""
    refusal = _fund_guard(system, action)
    if refusal is not None:
        return refusal
    if system.backstop is None:  # the guard refused it already; this narrows the type
        return refuse(RefusalCode.NO_BACKSTOP, "system.backstop")
    backstop = attrs.evolve(
        system.backstop, fund=add(system.backstop.fund, action.amount, "system.backstop.fund")
    )
    ledger = attrs.evolve(
        system.ledger,
        quote_in=add(system.ledger.quote_in, action.amount, "system.ledger.quote_in"),
    )
    new = attrs.evolve(system, backstop=backstop, ledger=ledger)
    return new, (BackstopFunded(action.funder, action.amount),)


def _draw_guard(system: System, action: DrawBackstop) -> Refusal | None:
    """ACT-DRAW-BACKSTOP guard: a known market on a live venue, a backstop, a positive
    amount within the market's remaining cap (BACKSTOP-CAP), within its written-off debt
    not yet covered, within the fund, and LPs in the market to receive it."""
    refusal = market_refusal(system, action.market)
    if refusal is not None:
        return refusal
    backstop = system.backstop
    if backstop is None:
        return refuse(RefusalCode.NO_BACKSTOP, "system.backstop")
    if action.amount == 0:
        return refuse(RefusalCode.ZERO_AMOUNT, "action.amount")
    drawn = backstop.drawn.get(action.market, 0)
    if drawn + action.amount > backstop.caps.get(action.market, 0):
        return refuse(
            RefusalCode.BACKSTOP_CAP_REACHED, market_detail(action.market, "backstop_cap")
        )
    state = system.markets[action.market]
    if drawn + action.amount > state.ledger.bad_debt:
        return refuse(RefusalCode.NOTHING_TO_COVER, market_detail(action.market, "bad_debt"))
    if action.amount > backstop.fund:
        return refuse(RefusalCode.INSUFFICIENT_LIQUIDITY, "system.backstop.fund")
    if state.pool.total_shares == 0:
        return refuse(RefusalCode.ZERO_SHARES, market_detail(action.market, "total_shares"))
    return None


def draw(system: System, action: DrawBackstop) -> Refusal | SystemTransition:
    """ACT-DRAW-BACKSTOP effect: the fund pays ``amount`` into the market's pool cash and
    its LPs' claims (their written-off debt restored), through the market's ledger."""
    refusal = _draw_guard(system, action)
    if refusal is not None:
        return refusal
    if system.backstop is None:  # the guard refused it already; this narrows the type
        return refuse(RefusalCode.NO_BACKSTOP, "system.backstop")
    backstop = system.backstop
    amount = action.amount
    state = system.markets[action.market]
    pool = Pool(
        cash=add(state.pool.cash, amount, "state.pool.cash"),
        lp_claims=add(state.pool.lp_claims, amount, "state.pool.lp_claims"),
        total_shares=state.pool.total_shares,
    )
    ledger = attrs.evolve(
        state.ledger, quote_in=add(state.ledger.quote_in, amount, "state.ledger.quote_in")
    )
    state = attrs.evolve(state, pool=pool, ledger=ledger)
    new = system_with(system, action.market, state)
    drawn = backstop.drawn.get(action.market, 0) + amount
    new = attrs.evolve(
        new,
        backstop=attrs.evolve(
            backstop,
            fund=sub(backstop.fund, amount, "system.backstop.fund"),
            drawn=backstop.drawn.set(action.market, drawn),
        ),
        ledger=attrs.evolve(
            system.ledger,
            to_markets=add(system.ledger.to_markets, amount, "system.ledger.to_markets"),
        ),
    )
    return new, (BackstopDrawn(action.market, amount),)
