"""The comparisons of ``spec/`` pinned at their boundary: each decision the engine takes
by comparing two numbers, claimed equal to the spec's comparison, strict where the spec
is strict and lax where it is lax (issue 12: "every comparison's strictness").

The invariants and the succeeds-iff obligations seldom reach the equality case of a
comparison (an auction priced exactly at its tab, a position exactly at a ratio), so a
``<`` made ``<=`` keeps them all. Here each helper is called on free inputs whose
equality case is reachable, and the claim restates the spec in plain integer arithmetic:

- ACT-TAKE: the purchase rule of ``spec/actions.md`` (the cut to the tab, the partial
  purchase that leaves ``chost``, NO_PARTIAL_PURCHASE at ``tab <= chost``);
- GEN1-LIQUIDATION: the seizure ``floor(repay * (1 + bonus) / spot)``, capped at the
  collateral, which then repays ``ceil(collateral * spot / (1 + bonus))``;
- GEN2-STATUS: a stage needs a reset when ``dur > tail`` or ``price / top < cusp``;
- GEN3-ZONES: the zone of a position, and "below the liquidation ratio";
- GEN3-POL-BACKSTOP: POL may buy once ``time >= tic + auction_duration``;
- ENGINE-STEP: an amount is in range iff ``0 <= amount <= 2**256 - 1``;
- PARAM-FILES: a fixed-point number's plain decimal (the sign of zero).

One factor of each product is concrete (an odd price, a preset's parameter), so that the
claims are linear for the solver.
"""

from __future__ import annotations

from typing import Any

import attrs

from model.actions import FundInsurance, SupplyLiquidity, WithdrawLiquidity
from model.curves import LinearDecrease
from model.engine import range_refusal
from model.errors import Refusal, RefusalCode
from model.numbers import RAY, UINT256_MAX, WAD, plain
from model.numbers.units import Unit
from model.params.presets import GEN1_AAVE_V3, GEN2_MAKER_ETH_A, GEN3_ZERO_LOSS, config
from model.policies import gen1_spot, gen2_dutch, gen3_zero_loss
from model.policies.gen3_zero_loss import kick as gen3_kick
from model.rules import lending
from model.rules.auctions import purchase
from proofs.obligation import Obligation, Task
from proofs.obligations.pinned.arith import (
    both,
    cdiv,
    either,
    fdiv,
    ite,
    lesser,
    negation,
    same,
)
from proofs.obligations.pinned.declare import pinned
from proofs.world import Ranges, Shape, Source, build_state

AMOUNT = Ranges().amount
ODD_PRICE = 1_234 * RAY + 567
"""A price whose products with an amount are seldom multiples of ``RAY``."""


@attrs.frozen
class Values:
    inputs: dict[str, Any]
    result: Any


# --- ACT-TAKE: the purchase rule -----------------------------------------------------------


def _purchase_task() -> Task:
    def build(source: Source) -> Values:
        lot = source.integer("auction.lot", 0, AMOUNT)
        tab = source.integer("auction.tab", 0, AMOUNT)
        amount = source.integer("action.amount", 0, AMOUNT)
        chost = source.integer("formula.chost", 0, AMOUNT)
        inputs = {"lot": lot, "tab": tab, "amount": amount, "chost": chost}
        return Values(inputs, purchase(lot, tab, ODD_PRICE, amount, chost))

    return Task(key="formula/all/purchase", build=build)


def _purchase_exact(v: Values) -> object:
    """``spec/actions.md``, the purchase: ``collateral = min(lot, amount)`` at
    ``paid = ceil(collateral * price)``; cut to the tab when above it; a partial purchase
    that would leave less than ``chost`` of tab leaves exactly ``chost`` (refused when the
    tab is not above ``chost``)."""
    lot, tab, amount, chost = (v.inputs[k] for k in ("lot", "tab", "amount", "chost"))
    collateral = lesser(lot, amount)
    paid = cdiv(collateral * ODD_PRICE, RAY)
    over = paid > tab
    short = both(negation(over), collateral * ODD_PRICE < tab * RAY, collateral < lot)
    cut = both(short, tab - paid < chost)
    refused = both(cut, tab <= chost)
    if isinstance(v.result, Refusal):
        return both(refused, v.result.code is RefusalCode.NO_PARTIAL_PURCHASE)
    got_collateral, got_paid = v.result
    want_paid = ite(over, tab, ite(cut, tab - chost, paid))
    want_collateral = ite(
        over, fdiv(tab * RAY, ODD_PRICE), ite(cut, fdiv((tab - chost) * RAY, ODD_PRICE), collateral)
    )
    return both(negation(refused), same(got_paid, want_paid), same(got_collateral, want_collateral))


# --- GEN1-LIQUIDATION: the seizure ---------------------------------------------------------


def _seizure_task() -> Task:
    shape = Shape(owners=("ann",), auctions=(), lps=(), fixed=(("oracle.spot", ODD_PRICE),))

    def build(source: Source) -> Values:
        state = build_state(source, config(GEN1_AAVE_V3), shape)
        position = state.positions[0]
        repay = source.integer("action.repay", 0, AMOUNT)
        inputs = {"repay": repay, "collateral": position.collateral}
        return Values(inputs, gen1_spot.seizure(state, position, repay))

    return Task(key="formula/gen1/seizure", build=build)


def _seizure_exact(v: Values) -> object:
    repay, collateral = v.inputs["repay"], v.inputs["collateral"]
    bonus = RAY + GEN1_AAVE_V3.bonus
    seized = fdiv(repay * bonus, ODD_PRICE)
    capped = collateral < seized
    repaid = ite(capped, cdiv(collateral * ODD_PRICE, bonus), repay)
    got_repaid, got_seized = v.result
    return both(same(got_seized, ite(capped, collateral, seized)), same(got_repaid, repaid))


# --- GEN2-STATUS: when a stage needs a reset -----------------------------------------------

TOP = 2_000 * RAY
"""A round start price: at ``dur = (1 - cusp) tau`` the linear price is exactly ``cusp * top``
(the equality case of the cusp)."""
TAUS = {"tail": 20_000, "cusp": 10_000}
"""Linear curves (their exact price is CURVE-LINEAR's): one still above the cusp at ``tail``
(the equality case of the tail), one that reaches the cusp before it."""


def _status_task(case: str) -> Task:
    p = attrs.evolve(GEN2_MAKER_ETH_A, curve=LinearDecrease(TAUS[case]))
    shape = Shape(owners=("ann",), auctions=(0,), lps=(), fixed=(("auc0.top", TOP),))

    def build(source: Source) -> Values:
        state = build_state(source, config(p), shape)
        auction = state.auctions[0]
        inputs = {"dur": state.time - auction.tic}
        return Values(inputs, gen2_dutch.status(state, auction))

    return Task(key=f"formula/gen2/status-{case}", build=build)


def _status_started(v: Values) -> object:
    return v.inputs["dur"] >= 0


def _status_exact(v: Values) -> object:
    """``done = dur > tail or floor(price * RAY / top) < cusp``, at the price returned."""
    p = GEN2_MAKER_ETH_A
    done, price = v.result
    return same(done, either(v.inputs["dur"] > p.tail, fdiv(price * RAY, TOP) < p.cusp))


# --- GEN3-ZONES: the zone of a position ----------------------------------------------------

REFERENCE = 1_500 * RAY + 3
VOLATILITY = RAY // 20 + 1


def _zone_task() -> Task:
    shape = Shape(owners=("ann",), auctions=(), lps=(), fixed=(("oracle.reference", REFERENCE),))

    def build(source: Source) -> Values:
        state = build_state(source, config(GEN3_ZERO_LOSS), shape)
        state = attrs.evolve(state, oracle=attrs.evolve(state.oracle, volatility=VOLATILITY))
        position = state.positions[0]
        below = gen3_zero_loss.below_liquidation_ratio(state, position)
        inputs = {"collateral": position.collateral, "debt": position.debt, "below": below}
        return Values(inputs, gen3_zero_loss.zone(state, position))

    return Task(key="formula/gen3/zone", build=build)


def _zone_exact(v: Values) -> object:
    """``spec/policies/gen3.md``: SAFE at or above the warning ratio (or without debt),
    GUARDED at or above ``L``, then UNWINDING when the whole position covers its tab at
    the floor, else INSOLVENT; below ``L`` exactly when ``value < debt * L``."""
    p = GEN3_ZERO_LOSS
    collateral, debt = v.inputs["collateral"], v.inputs["debt"]
    value = collateral * REFERENCE
    warning = _warning()
    floor = REFERENCE * p.floor_ratio // RAY
    covers = fdiv(collateral * floor, RAY) >= cdiv(debt * (RAY + p.penalty), RAY)
    safe = either(debt == 0, value >= debt * warning)
    guarded = both(negation(safe), value >= debt * p.liquidation_ratio)
    zone = gen3_zero_loss.Zone
    below_guard = both(negation(safe), negation(guarded))
    return both(
        same(v.inputs["below"], value < debt * p.liquidation_ratio),
        same(v.result is zone.SAFE, safe),
        same(v.result is zone.GUARDED, guarded),
        same(v.result is zone.UNWINDING, both(below_guard, covers)),
        same(v.result is zone.INSOLVENT, both(below_guard, negation(covers))),
    )


# --- GEN3-POL-BACKSTOP: when POL may buy ---------------------------------------------------


def _backstop_due_task() -> Task:
    shape = Shape(owners=("ann",), auctions=(0,), lps=())

    def build(source: Source) -> Values:
        state = build_state(source, config(GEN3_ZERO_LOSS), shape)
        auction = state.auctions[0]
        inputs = {"time": state.time, "tic": auction.tic}
        return Values(inputs, gen3_zero_loss.backstop_due(state, auction))

    return Task(key="formula/gen3/backstop_due", build=build)


def _backstop_due_exact(v: Values) -> object:
    duration = GEN3_ZERO_LOSS.auction_duration
    return same(v.result, v.inputs["time"] >= v.inputs["tic"] + duration)


# --- ENGINE-STEP: the range of an amount ---------------------------------------------------


def _range_task() -> Task:
    def build(source: Source) -> Values:
        amount = source.integer("action.amount", -(2**257), 2**257)
        refusal = range_refusal(FundInsurance(funder="ann", amount=amount))
        return Values({"amount": amount}, refusal)

    return Task(key="formula/all/range", build=build)


def _range_exact(v: Values) -> object:
    amount = v.inputs["amount"]
    out = either(amount < 0, amount > UINT256_MAX)
    if v.result is None:
        return negation(out)
    return both(out, v.result.code is RefusalCode.AMOUNT_OUT_OF_RANGE)


# --- PARAM-FILES: plain decimals -----------------------------------------------------------


def _plain_task() -> Task:
    def build(source: Source) -> Values:
        cases = (-WAD - 1, -1, 0, 1, WAD, 5 * WAD // 4)
        return Values({"cases": cases}, tuple(plain(c, Unit.WAD) for c in cases))

    return Task(key="formula/all/plain", build=build)


def _plain_exact(v: Values) -> object:
    """A plain decimal: a ``-`` only below zero, no trailing zeros of the fraction."""
    wanted = ("-1.000000000000000001", "-0.000000000000000001", "0", "0.000000000000000001")
    return v.result == (*wanted, "1", "1.25")


# --- ACT-SUPPLY-LIQUIDITY, ACT-WITHDRAW-LIQUIDITY: the pool's guards -------------------------

TOTAL_SHARES = 7 * WAD + 1
CLAIMS = 9 * WAD + 5


def _supply_task() -> Task:
    """An empty pool (no shares yet): the first supply, whatever the pool's claims."""
    shape = Shape(owners=(), auctions=(), lps=(), fixed=(("pool.total_shares", 0),))

    def build(source: Source) -> Values:
        state = build_state(source, config(GEN1_AAVE_V3), shape)
        amount = source.integer("action.amount", 0, AMOUNT)
        refusal = lending._supply_guard(state, SupplyLiquidity("lp", amount))
        return Values({"amount": amount}, refusal)

    return Task(key="formula/all/supply-empty", build=build)


def _supply_exact(v: Values) -> object:
    """Into a pool without shares any positive amount is accepted (it mints its amount)."""
    return same(v.result is None, v.inputs["amount"] > 0)


def _withdraw_task() -> Task:
    fixed = (("pool.total_shares", TOTAL_SHARES), ("pool.lp_claims", CLAIMS))
    shape = Shape(owners=(), auctions=(), lps=("lp",), fixed=fixed)

    def build(source: Source) -> Values:
        state = build_state(source, config(GEN1_AAVE_V3), shape)
        amount = source.integer("action.amount", 0, AMOUNT)
        refusal = lending._withdraw_guard(state, WithdrawLiquidity("lp", amount))
        inputs = {"amount": amount, "shares": state.lp_shares["lp"], "cash": state.pool.cash}
        return Values(inputs, refusal)

    return Task(key="formula/all/withdraw", build=build)


def _withdraw_exact(v: Values) -> object:
    """Accepted iff ``0 < amount <= claims``, ``ceil(amount * total_shares / claims)`` shares
    held, and ``amount <= cash``."""
    amount = v.inputs["amount"]
    burned = cdiv(amount * TOTAL_SHARES, CLAIMS)
    accepted = both(
        amount > 0, amount <= CLAIMS, burned <= v.inputs["shares"], amount <= v.inputs["cash"]
    )
    return same(v.result is None, accepted)


# --- ACT-BORROW, gen 3: SAFE after the borrow ------------------------------------------------


def _leverage_task() -> Task:
    fixed = (("oracle.reference", REFERENCE), ("time", 0), ("oracle.last_update", 0))
    shape = Shape(owners=(), auctions=(), lps=(), fixed=fixed)

    def build(source: Source) -> Values:
        state = build_state(source, config(GEN3_ZERO_LOSS), shape)
        state = attrs.evolve(state, oracle=attrs.evolve(state.oracle, volatility=VOLATILITY))
        collateral = source.integer("pos0.collateral", 0, AMOUNT)
        debt = source.integer("pos0.debt", 0, AMOUNT)
        refusal = gen3_kick._leverage_refusal(state, collateral, debt)
        return Values({"collateral": collateral, "debt": debt}, refusal)

    return Task(key="formula/gen3/leverage", build=build)


def _leverage_exact(v: Values) -> object:
    """A fresh oracle: accepted iff no debt or ``collateral * reference >= debt * warning``."""
    collateral, debt = v.inputs["collateral"], v.inputs["debt"]
    return same(v.result is None, either(debt == 0, collateral * REFERENCE >= debt * _warning()))


def _warning() -> int:
    p = GEN3_ZERO_LOSS
    buffer = min(-(-VOLATILITY * p.volatility_slope // RAY), p.volatility_cap)
    return p.liquidation_ratio + p.warning_margin + buffer


def obligations() -> list[Obligation]:
    return [
        pinned(
            "ACT-TAKE/all/purchase-exact",
            ("ACT-TAKE", "ROUNDING-FAVOURS-PROTOCOL"),
            "all",
            _purchase_task(),
            _purchase_exact,
            "purchase: min(lot, amount) at ceil(collateral * price), cut to the tab, a "
            "partial purchase leaves chost (refused at tab <= chost)",
        ),
        pinned(
            "GEN1-LIQUIDATION/gen1/seizure-exact",
            ("GEN1-LIQUIDATION",),
            "gen1",
            _seizure_task(),
            _seizure_exact,
            "seized = floor(repay * (1 + bonus) / spot), capped at the collateral, which "
            "then repays ceil(collateral * spot / (1 + bonus))",
        ),
        *(
            pinned(
                f"GEN2-STATUS/gen2/status-exact/{case}",
                ("GEN2-STATUS",),
                "gen2",
                _status_task(case),
                _status_exact,
                "a stage needs a reset iff dur > tail or floor(price / top) < cusp",
                assume=_status_started,
            )
            for case in TAUS
        ),
        pinned(
            "GEN3-ZONES/gen3/zone-exact",
            ("GEN3-ZONES",),
            "gen3",
            _zone_task(),
            _zone_exact,
            "SAFE iff value >= debt * warning (or no debt), GUARDED iff >= debt * L, "
            "UNWINDING iff the tab is covered at the floor; below L iff value < debt * L",
        ),
        pinned(
            "GEN3-POL-BACKSTOP/gen3/backstop-due-exact",
            ("GEN3-POL-BACKSTOP",),
            "gen3",
            _backstop_due_task(),
            _backstop_due_exact,
            "POL may buy iff time >= tic + auction_duration",
        ),
        pinned(
            "ENGINE-STEP/all/range-exact",
            ("ENGINE-STEP",),
            "all",
            _range_task(),
            _range_exact,
            "an amount is refused AMOUNT_OUT_OF_RANGE iff amount < 0 or amount > 2**256 - 1",
        ),
        pinned(
            "PARAM-FILES/all/plain-exact",
            ("PARAM-FILES",),
            "all",
            _plain_task(),
            _plain_exact,
            "plain decimals: a sign only below zero, no trailing zeros",
        ),
        pinned(
            "ACT-SUPPLY-LIQUIDITY/all/first-supply-exact",
            ("ACT-SUPPLY-LIQUIDITY",),
            "all",
            _supply_task(),
            _supply_exact,
            "into a pool without shares, any positive amount is accepted",
        ),
        pinned(
            "ACT-WITHDRAW-LIQUIDITY/all/withdraw-exact",
            ("ACT-WITHDRAW-LIQUIDITY",),
            "all",
            _withdraw_task(),
            _withdraw_exact,
            "a withdrawal is accepted iff 0 < amount <= claims, its ceil(amount * shares / "
            "claims) shares are held and the cash covers it",
        ),
        pinned(
            "ACT-BORROW/gen3/leverage-exact",
            ("ACT-BORROW", "GEN3-ZONES"),
            "gen3",
            _leverage_task(),
            _leverage_exact,
            "with a fresh oracle, borrowing leaves the position SAFE: collateral * reference "
            ">= debt * warning_ratio, at equality too",
        ),
    ]
