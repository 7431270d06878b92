"""Paying for losses and incentives out of the buffers, in the policy's order.

The loss waterfall (spec rule LOSS-WATERFALL) covers a shortfall rung by rung: each
rung pays what it can before the next is touched, and LPs come last, by writing the
unpaid debt off their claims. Keeper incentives are paid from the insurance fund
(gen 2: the protocol surplus) and never from LP cash; what the fund cannot pay is
reported as unpaid, not borrowed from anyone.
"""

from __future__ import annotations

import attrs

from model.events import Buffer, Event, IncentivePaid, ShortfallCovered
from model.numbers.fixed_point import Wad, add, minimum, sub
from model.rules.rule import Transition
from model.state import State


def cover_shortfall(
    state: State, position: int, shortfall: Wad, order: tuple[Buffer, ...]
) -> Transition:
    """Cover ``shortfall`` of debt that the caller has already removed from receivables.

    INSURANCE and POL pay quote into the pool's cash; LPS writes the rest off their
    claims and records it as bad debt. ``order`` always ends with ``LPS``, so the whole
    shortfall is covered, by someone, exactly once.

    Quote is conserved, what LPs lose is recorded as bad debt, and LPs lose only what the
    buffers above them could not pay:

    pre: order in ((Buffer.LPS,), (Buffer.INSURANCE, Buffer.LPS), (Buffer.INSURANCE, Buffer.POL, Buffer.LPS))
    pre: 0 <= state.buffers.insurance < 2**128 and 0 <= state.buffers.pol_quote < 2**128
    pre: 0 <= state.pool.cash < 2**128 and 0 <= state.ledger.bad_debt < 2**128
    pre: 0 <= shortfall <= state.pool.lp_claims < 2**128
    post: sum(e.amount for e in __return__[1]) == shortfall
    post: __return__[0].pool.cash + __return__[0].buffers.insurance + __return__[0].buffers.pol_quote == state.pool.cash + state.buffers.insurance + state.buffers.pol_quote
    post: state.pool.lp_claims - __return__[0].pool.lp_claims == __return__[0].ledger.bad_debt - state.ledger.bad_debt
    post: __return__[0].ledger.bad_debt == state.ledger.bad_debt or Buffer.INSURANCE not in order or __return__[0].buffers.insurance == 0
    post: __return__[0].ledger.bad_debt == state.ledger.bad_debt or Buffer.POL not in order or __return__[0].buffers.pol_quote == 0
    post: Buffer.INSURANCE in order or __return__[0].buffers.insurance == state.buffers.insurance
    post: Buffer.POL in order or __return__[0].buffers.pol_quote == state.buffers.pol_quote
    """  # noqa: E501
    pool, buffers, ledger = state.pool, state.buffers, state.ledger
    remaining = shortfall
    events: list[Event] = []
    for source in order:
        if source is Buffer.INSURANCE:
            paid = minimum(remaining, buffers.insurance)
            buffers = attrs.evolve(buffers, insurance=sub(buffers.insurance, paid))
            pool = attrs.evolve(pool, cash=add(pool.cash, paid, "state.pool.cash"))
        elif source is Buffer.POL:
            paid = minimum(remaining, buffers.pol_quote)
            buffers = attrs.evolve(buffers, pol_quote=sub(buffers.pol_quote, paid))
            pool = attrs.evolve(pool, cash=add(pool.cash, paid, "state.pool.cash"))
        else:
            paid = remaining
            pool = attrs.evolve(pool, lp_claims=sub(pool.lp_claims, paid, "state.pool.lp_claims"))
            ledger = attrs.evolve(
                ledger, bad_debt=add(ledger.bad_debt, paid, "state.ledger.bad_debt")
            )
        if paid > 0:
            events.append(ShortfallCovered(position=position, source=source, amount=paid))
        remaining = remaining - paid
    return attrs.evolve(state, pool=pool, buffers=buffers, ledger=ledger), tuple(events)


def pay_incentive(state: State, auction: int, keeper: str, owed: Wad) -> tuple[State, Wad, Event]:
    """Pay the keeper ``owed`` from the insurance fund, or as much of it as the fund holds.

    Returns the new state, the amount actually paid, and the IncentivePaid event.
    """
    paid = minimum(owed, state.buffers.insurance)
    buffers = attrs.evolve(state.buffers, insurance=state.buffers.insurance - paid)
    ledger = attrs.evolve(
        state.ledger, quote_out=add(state.ledger.quote_out, paid, "state.ledger.quote_out")
    )
    event = IncentivePaid(auction=auction, keeper=keeper, amount=paid, unpaid=owed - paid)
    return attrs.evolve(state, buffers=buffers, ledger=ledger), paid, event
