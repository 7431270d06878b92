"""The policies' and the loss measure's formulas pinned, one helper at a time.

Each task calls one helper of the engine (the function ``step`` calls, with the
engine's own types) and each claim restates the row of ``spec/numbers.md``'s rounding
table, or the formula of ``spec/policies/``, in plain integer arithmetic:

- GEN3-VOLATILITY-BUFFER: ``warning = L + margin + min(ceil(volatility * slope), cap)``;
- INCENTIVE-CAP: gen 3's incentive ``min(tip + floor(tab * chip), cap - paid_so_far)``;
- GEN2-BARK: dss ``bark``'s debt under ``hole`` and the tab ``ceil(debt * chop / WAD)``;
  GEN2-DSS's ``chost = ceil(dust * chop / WAD)``;
- LOSS-WATERFALL: a purchase's fee split, ``floor(fee_paid * penalty_to_insurance)`` to
  insurance and the rest to LPs, with a ``PenaltyCollected`` event iff some fee was paid;
- LOSS-TOTAL: POL's premium ``ceil(collateral * (price - mark))``, the open shortfall
  ``sum max(0, debt - floor(collateral * price))`` and POL's market loss.

One factor of each product is concrete (a parameter of the preset, an odd amount or
price), so that every claim is linear for the solver; the other is free over the
proofs' ranges. The odd constants make every rounding matter: a flip changes a value.
"""

from __future__ import annotations

from typing import Any

import attrs

from model.errors import EngineFault, RefusalCode
from model.events import PolPurchased
from model.loss import RealisedLoss, economic_loss, open_shortfall, step_loss
from model.numbers import RAY, WAD
from model.params.derived import gen2_chost
from model.params.presets import GEN2_MAKER_ETH_A, GEN3_ZERO_LOSS, PRESETS, config, percent
from model.policies import gen2_dutch, gen3_zero_loss
from model.policies.gen3_zero_loss import kick as gen3_kick
from model.rules.auctions import collect
from proofs.obligation import Obligation, Task
from proofs.obligations.pinned.arith import both, cdiv, fdiv, greater, ite, lesser, negation, same
from proofs.obligations.pinned.declare import pinned
from proofs.world import Ranges, Shape, Source, build_state

SLOPE = percent("150")
"""A volatility slope that is no multiple of RAY (the preset's 2 is), so the buffer rounds."""
ODD_PRICE = 1_234 * RAY + 567
ODD_COLLATERAL = 3 * WAD + 1
AMOUNT = Ranges().amount


@attrs.frozen
class Values:
    """Free inputs and what the helper returned, by name."""

    inputs: dict[str, Any]
    result: Any


# --- gen 3 ---------------------------------------------------------------------------------


def _warning_task() -> Task:
    p = attrs.evolve(GEN3_ZERO_LOSS, volatility_slope=SLOPE)

    def build(source: Source) -> Values:
        volatility = source.integer("oracle.volatility", 0, RAY)
        return Values({"volatility": volatility}, gen3_zero_loss.warning_ratio(p, volatility))

    return Task(key="formula/gen3/warning_ratio", build=build)


def _warning_exact(v: Values) -> object:
    p = GEN3_ZERO_LOSS
    buffer = lesser(cdiv(v.inputs["volatility"] * SLOPE, RAY), p.volatility_cap)
    return same(v.result, p.liquidation_ratio + p.warning_margin + buffer)


def _incentive_task() -> Task:
    def build(source: Source) -> Values:
        tab = source.integer("auction.tab", 0, AMOUNT)
        paid = source.integer("auction.incentives_paid", 0, AMOUNT)
        result = gen3_kick._incentive(GEN3_ZERO_LOSS, tab, paid)
        return Values({"tab": tab, "paid": paid}, result)

    return Task(key="formula/gen3/incentive", build=build)


def _incentive_exact(v: Values) -> object:
    p = GEN3_ZERO_LOSS
    paid = v.inputs["paid"]
    room = ite(paid < p.incentive_cap, p.incentive_cap - paid, 0)
    return same(v.result, lesser(p.keeper_tip + fdiv(v.inputs["tab"] * p.keeper_chip, RAY), room))


FLOOR = 1_350 * RAY + 7
"""A floor price whose product with an odd collateral is no multiple of RAY."""


def _covers_task() -> Task:
    def build(source: Source) -> Values:
        debt = source.integer("pos0.debt", 0, AMOUNT)
        covers = gen3_zero_loss.covers_tab_at_floor(GEN3_ZERO_LOSS, ODD_COLLATERAL, debt, FLOOR)
        return Values({"debt": debt}, covers)

    return Task(key="formula/gen3/covers_tab_at_floor", build=build)


def _covers_exact(v: Values) -> object:
    """Solvent: ``floor(collateral * floor) >= ceil(debt * (1 + penalty))``."""
    tab = cdiv(v.inputs["debt"] * (RAY + GEN3_ZERO_LOSS.penalty), RAY)
    return same(v.result, fdiv(ODD_COLLATERAL * FLOOR, RAY) >= tab)


# --- gen 2 ---------------------------------------------------------------------------------


def _bark_task() -> Task:
    """``_bark_size`` for one position whose debt is a concrete odd amount, under a free
    exposure: the room, the dust rules and the tab."""
    debt = 40_000 * WAD + 13
    shape = Shape(owners=("ann",), auctions=(), lps=(), fixed=(("pos0.debt", debt),))

    def build(source: Source) -> Values:
        state = build_state(source, PRESETS["gen2"], shape)
        result = gen2_dutch._bark_size(state, state.positions[0])
        inputs = {
            "exposure": state.exposure,
            "debt": debt,
            "collateral": state.positions[0].collateral,
            "dust": state.config.dust,
        }
        return Values(inputs, result)

    return Task(key="formula/gen2/bark", build=build)


def _bark_exact(v: Values) -> object:
    """dss: ``debt = min(art, room / chop)``; all of it when the rest would be dust; refused
    when the slice is dust; ``lot = floor(ink * debt / art)``; ``tab = ceil(debt * chop)``."""
    p = GEN2_MAKER_ETH_A
    whole, dust = v.inputs["debt"], v.inputs["dust"]
    room = p.hole - v.inputs["exposure"]
    debt = lesser(whole, fdiv(room * WAD, p.chop))
    debt = ite(both(debt < whole, whole - debt < dust), whole, debt)
    dusty = both(debt < whole, debt < dust)
    if not isinstance(v.result, tuple):
        return dusty if v.result.code.name == "DUSTY_AUCTION" else True
    got_debt, lot, tab = v.result
    return both(
        negation(dusty),
        same(got_debt, debt),
        same(lot, fdiv(v.inputs["collateral"] * debt, whole)),
        same(tab, cdiv(debt * p.chop, WAD)),
    )


def _chost_task() -> Task:
    def build(source: Source) -> Values:
        dust = source.integer("config.dust", 0, AMOUNT)
        return Values({"dust": dust}, gen2_chost(GEN2_MAKER_ETH_A, dust))

    return Task(key="formula/gen2/chost", build=build)


def _chost_exact(v: Values) -> object:
    return same(v.result, cdiv(v.inputs["dust"] * GEN2_MAKER_ETH_A.chop, WAD))


# --- the fee split -------------------------------------------------------------------------

SHARE = percent("50")


def _collect_task() -> Task:
    """``collect`` of a payment within the auction's debt and fee, under an exposure that
    covers it (EXPOSURE-ACCOUNTING; outside it, ``collect`` faults)."""
    shape = Shape(owners=("ann",), auctions=(0,), lps=(), fixed=(("exposure", 2**130),))

    def build(source: Source) -> Values:
        state = build_state(source, PRESETS["gen3"], shape)
        auction = state.auctions[0]
        paid = source.integer("arg.paid", 0, AMOUNT)
        inputs = {
            "paid": paid,
            "debt": auction.debt,
            "fee": auction.fee,
            "insurance": state.buffers.insurance,
            "claims": state.pool.lp_claims,
        }
        try:
            after, events = collect(state, 0, auction, 0, paid, SHARE)
        except EngineFault as fault:
            return Values(inputs, fault.refusal.code)
        return Values(inputs, (after.buffers.insurance, after.pool.lp_claims, len(events)))

    return Task(key="formula/all/collect", build=build)


def _collect_exact(v: Values) -> object:
    paid = v.inputs["paid"]
    if not isinstance(v.result, tuple):
        return both(v.result is RefusalCode.UNDERFLOW, paid > v.inputs["debt"] + v.inputs["fee"])
    fee_paid = paid - lesser(paid, v.inputs["debt"])
    to_insurance = fdiv(fee_paid * SHARE, RAY)
    insurance, claims, events = v.result
    return both(
        same(insurance, v.inputs["insurance"] + to_insurance),
        same(claims, v.inputs["claims"] + fee_paid - to_insurance),
        same(events, ite(fee_paid > 0, 1, 0)),
    )


# --- the loss measure ----------------------------------------------------------------------


def _premium_task() -> Task:
    shape = Shape(owners=(), auctions=(), lps=())

    def build(source: Source) -> Values:
        pre = build_state(source, PRESETS["gen3"], shape)
        price = source.integer("event.price", 0, Ranges().price)
        event = PolPurchased(auction=0, collateral=ODD_COLLATERAL, price=price, paid=0)
        mark = lesser(pre.oracle.spot, pre.oracle.reference)
        return Values({"price": price, "mark": mark}, step_loss(pre, (event,)).pol_premium)

    return Task(key="formula/loss/premium", build=build)


def _premium_exact(v: Values) -> object:
    price, mark = v.inputs["price"], v.inputs["mark"]
    premium = cdiv(ODD_COLLATERAL * (price - mark), RAY)
    return same(v.result, ite(price > mark, premium, 0))


def _shortfall_task() -> Task:
    shape = Shape(owners=("ann",), auctions=(0,), lps=())

    def build(source: Source) -> Values:
        state = build_state(source, config(GEN3_ZERO_LOSS), shape)
        realised = RealisedLoss(
            pol_paid=source.integer("realised.pol_paid", 0, AMOUNT),
            pol_bought=source.integer("realised.pol_bought", 0, AMOUNT),
            pol_sold=source.integer("realised.pol_sold", 0, AMOUNT),
            pol_proceeds=source.integer("realised.pol_proceeds", 0, AMOUNT),
        )
        loss = economic_loss(realised, state, ODD_PRICE)
        inputs = {
            "state": state,
            "realised": realised,
            "open": open_shortfall(state, ODD_PRICE),
        }
        return Values(inputs, loss)

    return Task(key="formula/loss/economic", build=build)


def _uncovered(debt: Any, collateral: Any) -> Any:
    value = fdiv(collateral * ODD_PRICE, RAY)
    return ite(debt > value, debt - value, 0)


def _economic_exact(v: Values) -> object:
    state, r = v.inputs["state"], v.inputs["realised"]
    position, auction = state.positions[0], state.auctions[0]
    open_ = _uncovered(position.debt, position.collateral) + _uncovered(auction.debt, auction.lot)
    held = greater(r.pol_bought - r.pol_sold, 0)
    recovered = r.pol_proceeds + fdiv(held * ODD_PRICE, RAY)
    market = ite(r.pol_paid > recovered, r.pol_paid - recovered, 0)
    return both(
        same(v.inputs["open"], open_),
        same(v.result.open_shortfall, open_),
        same(v.result.pol_market, market),
    )


def obligations() -> list[Obligation]:
    return [
        pinned(
            "GEN3-VOLATILITY-BUFFER/gen3/warning-exact",
            ("GEN3-VOLATILITY-BUFFER", "GEN3-ZONES"),
            "gen3",
            _warning_task(),
            _warning_exact,
            "warning_ratio = L + margin + min(ceil(volatility * slope), cap)",
        ),
        pinned(
            "INCENTIVE-CAP/gen3/incentive-exact",
            ("INCENTIVE-CAP",),
            "gen3",
            _incentive_task(),
            _incentive_exact,
            "incentive = min(tip + floor(tab * chip), cap - paid_so_far)",
        ),
        pinned(
            "GEN3-SLICE/gen3/covers-tab-at-floor-exact",
            ("GEN3-SLICE", "GEN3-ZONES"),
            "gen3",
            _covers_task(),
            _covers_exact,
            "solvent iff floor(collateral * floor) >= ceil(debt * (1 + penalty))",
        ),
        pinned(
            "GEN2-BARK/gen2/bark-exact",
            ("GEN2-BARK",),
            "gen2",
            _bark_task(),
            _bark_exact,
            "bark's debt min(art, room / chop) with the dust rules, its pro-rata lot, "
            "tab = ceil(debt * chop)",
        ),
        pinned(
            "GEN2-DSS/gen2/chost-exact",
            ("GEN2-DSS",),
            "gen2",
            _chost_task(),
            _chost_exact,
            "chost = ceil(dust * chop / WAD)",
        ),
        pinned(
            "LOSS-WATERFALL/all/fee-split-exact",
            ("LOSS-WATERFALL",),
            "all",
            _collect_task(),
            _collect_exact,
            "a purchase's fee: floor(fee * penalty_to_insurance) to insurance, the rest to LPs",
        ),
        pinned(
            "LOSS-TOTAL/gen3/premium-exact",
            ("LOSS-TOTAL",),
            "gen3",
            _premium_task(),
            _premium_exact,
            "POL's premium = ceil(collateral * (price - mark)) above the mark, else 0",
        ),
        pinned(
            "LOSS-TOTAL/gen3/economic-exact",
            ("LOSS-TOTAL",),
            "gen3",
            _shortfall_task(),
            _economic_exact,
            "open shortfall = sum max(0, debt - floor(collateral * price)); POL's market loss",
        ),
    ]
