"""Small pure views of model functions whose signatures carry a whole ``State``, with
contracts CrossHair can search.

``zone`` and ``cover_shortfall`` take a ``State``; CrossHair can build symbolic states,
but then spends its time on fields the function never reads and confirms nothing.
These wrappers fix everything but the few numbers the function depends on (the gen 3
reference parameters, an otherwise empty state) and call the model's own function, so
the contracts below are contracts on the engine's code, not on a copy of it.
"""

from __future__ import annotations

import attrs

from model.events import Buffer, ShortfallCovered
from model.numbers.fixed_point import RAY
from model.params.presets import PRESETS
from model.params.records import Gen3ZeroLossParams
from model.policies import gen3_zero_loss
from model.policies.gen3_zero_loss import Zone
from model.rules import waterfall
from model.state import Oracle, Position, State, genesis

GEN3 = PRESETS["gen3"]
P: Gen3ZeroLossParams = GEN3.policy  # type: ignore[assignment]
EMPTY: State = genesis(GEN3, spot=2_000 * RAY)
L = P.liquidation_ratio
TAB_RATIO = RAY + P.penalty
WATERFALLS = (
    (Buffer.LPS,),
    (Buffer.INSURANCE, Buffer.LPS),
    (Buffer.INSURANCE, Buffer.POL, Buffer.LPS),
)


def zone_of(collateral: int, debt: int, reference: int, volatility: int) -> Zone:
    """The gen 3 zone of ``(collateral, debt)`` at ``reference`` and ``volatility``.

    SAFE exactly at or above the warning ratio; liquidatable (UNWINDING, INSOLVENT)
    exactly below the liquidation ratio; INSOLVENT only when the whole position at the
    floor does not raise the exact tab, and never while it raises it with a unit to spare:

    pre: 0 <= collateral < 2**128 and 0 <= debt < 2**128
    pre: 0 < reference < 2**128 and 0 <= volatility <= RAY
    post: (__return__ is Zone.SAFE) == (debt == 0 or collateral * reference >= debt * gen3_zero_loss.warning_ratio(P, volatility))
    post: (__return__ in (Zone.UNWINDING, Zone.INSOLVENT)) == (debt > 0 and collateral * reference < debt * L)
    post: __return__ is not Zone.INSOLVENT or collateral * gen3_zero_loss.floor_price(P, reference) < debt * TAB_RATIO + RAY
    post: __return__ is not Zone.UNWINDING or collateral * gen3_zero_loss.floor_price(P, reference) >= debt * TAB_RATIO
    """  # noqa: E501
    oracle = Oracle(spot=reference, reference=reference, volatility=volatility, last_update=0)
    state = attrs.evolve(EMPTY, oracle=oracle)
    return gen3_zero_loss.zone(state, Position("owner", collateral, debt))


def waterfall_split(
    insurance: int, pol: int, lp_claims: int, shortfall: int, policy: int
) -> tuple[int, int, int]:
    """``(from insurance, from POL, from LPs)`` when ``cover_shortfall`` covers
    ``shortfall`` down policy ``policy``'s waterfall (0: gen 1, 1: gen 2, 2: gen 3).

    Each rung pays what it holds before the next is touched; the three parts add up to
    the shortfall; LPs' loss is recorded as bad debt:

    pre: 0 <= insurance < 2**128 and 0 <= pol < 2**128
    pre: 0 <= shortfall <= lp_claims < 2**128 and 0 <= policy <= 2
    post: sum(__return__) == shortfall
    post: __return__[0] == (0 if policy == 0 else min(insurance, shortfall))
    post: __return__[1] == (min(pol, shortfall - __return__[0]) if policy == 2 else 0)
    post: __return__[2] == 0 or policy == 0 or __return__[0] == insurance
    post: __return__[2] == 0 or policy != 2 or __return__[1] == pol
    """
    state = attrs.evolve(
        EMPTY,
        pool=attrs.evolve(EMPTY.pool, cash=0, lp_claims=lp_claims),
        buffers=attrs.evolve(EMPTY.buffers, insurance=insurance, pol_quote=pol),
    )
    after, events = waterfall.cover_shortfall(state, 0, shortfall, WATERFALLS[policy])
    paid = {source: 0 for source in Buffer}
    for event in events:
        assert isinstance(event, ShortfallCovered)
        paid[event.source] += event.amount
    assert after.ledger.bad_debt == paid[Buffer.LPS]
    assert lp_claims - after.pool.lp_claims == paid[Buffer.LPS]
    return paid[Buffer.INSURANCE], paid[Buffer.POL], paid[Buffer.LPS]
