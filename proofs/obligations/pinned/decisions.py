"""The effects' decisions pinned at their boundary: whether a keeper's incentive is paid,
whether a reset stage is backed, when a breaker trips (issue 12: "every comparison's
strictness").

An effect that pays an incentive of 0 emits an ``IncentivePaid`` event of 0: every
invariant holds, and only the events tell. The spec says when there is an incentive at
all, and these obligations hold the engine to it:

- GEN2-REDO-INCENTIVE: dss pays ``tip + chip * tab`` only ``if (tip > 0 || chip > 0)``;
  with both 0, neither a kick nor a reset emits ``IncentivePaid``;
- INCENTIVE-CAP: gen 3 pays ``min(tip + floor(tab * chip), cap - paid_so_far)`` when it is
  positive, and emits nothing when it is 0 (a kick's slice whose tab is under ``1 / chip``,
  a reset of an auction whose incentives reached the cap);
- AUCTION-BACKED: a reset stage is backed iff ``floor(lot * floor) >= debt``, at equality too;
- GEN3-BREAKERS: the deviation breaker trips iff ``|spot - reference| > max_deviation *
  reference`` (not at equality); the oracle is stale iff ``time - last_update > stale_after``.

The reference is concrete (an odd price), so the floor is too and every product is linear.
"""

from __future__ import annotations

from typing import Any

import attrs

from model.actions import Kick, Redo, Settle
from model.errors import EngineFault, Refusal
from model.events import Buffer, CollateralReturned, IncentivePaid
from model.numbers import RAY, WAD
from model.params.presets import GEN2_MAKER_ETH_A, GEN3_ZERO_LOSS, config
from model.policies import gen2_dutch, gen3_zero_loss
from model.policies.gen3_zero_loss import auction as gen3_auction
from model.policies.gen3_zero_loss import breakers
from model.policies.gen3_zero_loss import kick as gen3_kick
from model.rules.auctions import settle_rule
from model.rules.waterfall import cover_shortfall
from proofs.obligation import Obligation, Task
from proofs.obligations.pinned.arith import both, either, fdiv, ite, lesser, same
from proofs.obligations.pinned.declare import pinned
from proofs.world import Ranges, Shape, Source, build_state

REFERENCE = 1_500 * RAY + 7
FLOOR = REFERENCE * GEN3_ZERO_LOSS.floor_ratio // RAY
COLLATERAL = 10 * WAD + 3
AMOUNT = Ranges().amount


@attrs.frozen
class Values:
    inputs: dict[str, Any]
    result: Any


def _paid(events: tuple[Any, ...]) -> bool:
    return any(isinstance(e, IncentivePaid) for e in events)


# --- gen 2: no incentive without tip or chip -----------------------------------------------

UNPAID = attrs.evolve(GEN2_MAKER_ETH_A, tip=0, chip=0)


def _gen2_kick_task() -> Task:
    shape = Shape(owners=("ann",), auctions=(), lps=(), fixed=(("pos0.debt", 40_000 * WAD + 13),))

    def build(source: Source) -> Values:
        state = build_state(source, config(UNPAID), shape)
        if gen2_dutch._kick_guard(state, Kick("keeper", 0)) is not None:
            return Values({}, None)
        _, events = gen2_dutch._kick_effect(state, Kick("keeper", 0))
        return Values({}, _paid(events))

    return Task(key="formula/gen2/kick-unpaid", build=build)


def _gen2_redo_task() -> Task:
    shape = Shape(owners=("ann",), auctions=(0,), lps=(), fixed=(("oracle.spot", REFERENCE),))

    def build(source: Source) -> Values:
        state = build_state(source, config(UNPAID), shape)
        _, events = gen2_dutch._redo_effect(state, Redo("keeper", 0))
        return Values({}, _paid(events))

    return Task(key="formula/gen2/redo-unpaid", build=build)


def _unpaid(v: Values) -> object:
    return v.result is None or v.result is False


# --- gen 3: the incentive when positive, and backed at equality -----------------------------


def _gen3_redo_task() -> Task:
    shape = Shape(owners=("ann",), auctions=(0,), lps=(), fixed=(("oracle.reference", REFERENCE),))

    def build(source: Source) -> Values:
        state = build_state(source, config(GEN3_ZERO_LOSS), shape)
        auction = state.auctions[0]
        after, events = gen3_auction._redo_effect(state, Redo("keeper", 0))
        inputs = {
            "lot": auction.lot,
            "debt": auction.debt,
            "tab": auction.debt + auction.fee,
            "so_far": auction.incentives_paid,
            "paid": _paid(events),
        }
        return Values(inputs, after.auctions[0].backed)

    return Task(key="formula/gen3/redo-effect", build=build)


def _owed(tab: Any, so_far: Any) -> Any:
    p = GEN3_ZERO_LOSS
    room = ite(so_far < p.incentive_cap, p.incentive_cap - so_far, 0)
    return lesser(p.keeper_tip + fdiv(tab * p.keeper_chip, RAY), room)


def _gen3_redo_exact(v: Values) -> object:
    backed = fdiv(v.inputs["lot"] * FLOOR, RAY) >= v.inputs["debt"]
    owed = _owed(v.inputs["tab"], v.inputs["so_far"])
    return both(same(v.result, backed), same(v.inputs["paid"], owed > 0))


def _gen3_kick_task() -> Task:
    fixed = (
        ("oracle.reference", REFERENCE),
        ("pos0.collateral", COLLATERAL),
        ("exposure", 0),
        ("time", 0),
        ("market.period_start", 0),
        ("market.kicked_in_period", 0),
        ("market.depth", 10**9 * WAD),
    )
    shape = Shape(owners=("ann",), auctions=(), lps=(), fixed=fixed)

    def build(source: Source) -> Values:
        state = build_state(source, config(GEN3_ZERO_LOSS), shape)
        cut = gen3_zero_loss.plan_kick(state, state.positions[0])
        if isinstance(cut, Refusal):
            return Values({}, None)
        _, events = gen3_kick._kick_effect(state, Kick("keeper", 0))
        return Values({"tab": cut.tab}, _paid(events))

    return Task(key="formula/gen3/kick-incentive", build=build)


def _gen3_kick_exact(v: Values) -> object:
    if v.result is None:
        return True
    return same(v.result, _owed(v.inputs["tab"], 0) > 0)


# --- gen 3: the breakers --------------------------------------------------------------------

QUARTERED = 1_500 * RAY + 8
"""A reference whose quarter (``max_deviation`` is 25 %) is a whole number of units, so
that a spot exactly at the bound exists."""


def _breakers_task() -> Task:
    shape = Shape(owners=(), auctions=(), lps=(), fixed=(("oracle.reference", QUARTERED),))

    def build(source: Source) -> Values:
        state = build_state(source, config(GEN3_ZERO_LOSS), shape)
        oracle = state.oracle
        inputs = {
            "spot": oracle.spot,
            "age": state.time - oracle.last_update,
            "stale": breakers.oracle_stale(state),
        }
        return Values(inputs, breakers.deviation_tripped(state))

    return Task(key="formula/gen3/breakers", build=build)


def _breakers_exact(v: Values) -> object:
    p = GEN3_ZERO_LOSS
    spot = v.inputs["spot"]
    gap = ite(spot > QUARTERED, spot - QUARTERED, QUARTERED - spot)
    tripped = gap * RAY > p.max_deviation * QUARTERED
    return both(same(v.result, tripped), same(v.inputs["stale"], v.inputs["age"] > p.stale_after))


# --- gen 2: dusty auctions get no incentive ---------------------------------------------------


def _dusty_task() -> Task:
    def build(source: Source) -> Values:
        dust = source.integer("config.dust", 0, AMOUNT)
        tab = source.integer("auction.tab", 0, AMOUNT)
        lot = source.integer("auction.lot", 0, AMOUNT)
        inputs = {"dust": dust, "tab": tab, "lot": lot}
        return Values(inputs, gen2_dutch._dusty(GEN2_MAKER_ETH_A, dust, tab, lot, REFERENCE))

    return Task(key="formula/gen2/dusty", build=build)


def _dusty_exact(v: Values) -> object:
    """dss ``redo``: no incentive when ``tab < chost`` or ``lot * spot < chost`` (in RAD,
    ``chost = dust * chop``), strict both."""
    chost = v.inputs["dust"] * GEN2_MAKER_ETH_A.chop
    small = either(v.inputs["tab"] * WAD < chost, v.inputs["lot"] * REFERENCE * WAD < chost * RAY)
    return same(v.result, small)


# --- settling: the collateral returned, the shortfall down the waterfall --------------------

ORDER = (Buffer.INSURANCE, Buffer.POL, Buffer.LPS)


def _settle_task() -> Task:
    """An auction whose debt is raised (no shortfall), under an exposure that covers it."""
    fixed = (("auc0.debt", 0), ("exposure", 2**130))
    shape = Shape(owners=("ann",), auctions=(0,), lps=(), fixed=fixed)

    def build(source: Source) -> Values:
        state = build_state(source, config(GEN3_ZERO_LOSS), shape)
        auction = state.auctions[0]
        _, events = settle_rule(ORDER).effect(state, Settle(0))
        returned = any(isinstance(e, CollateralReturned) for e in events)
        return Values({"lot": auction.lot}, returned)

    return Task(key="formula/all/settle-returned", build=build)


def _settle_exact(v: Values) -> object:
    """BORROWER-SURPLUS: collateral is returned (and said so) iff some is left."""
    return same(v.result, v.inputs["lot"] > 0)


def _waterfall_task() -> Task:
    """LPs' claims above any shortfall (the pool holds the loans the shortfall is of)."""
    shape = Shape(owners=("ann",), auctions=(), lps=(), fixed=(("pool.lp_claims", 2**130),))

    def build(source: Source) -> Values:
        state = build_state(source, config(GEN3_ZERO_LOSS), shape)
        shortfall = source.integer("formula.shortfall", 0, AMOUNT)
        try:
            after, events = cover_shortfall(state, 0, shortfall, ORDER)
        except EngineFault as fault:  # a rung that pays more than it holds
            return Values({"shortfall": shortfall}, fault.refusal)
        inputs = {"shortfall": shortfall, "before": state.buffers, "events": len(events)}
        return Values(inputs, after.buffers)

    return Task(key="formula/all/waterfall", build=build)


def _waterfall_exact(v: Values) -> object:
    """LOSS-WATERFALL: insurance pays ``min(shortfall, insurance)``, POL ``min(rest,
    pol_quote)``, LPs the rest; one event per rung that pays something."""
    if isinstance(v.result, Refusal):
        return False
    before, after = v.inputs["before"], v.result
    shortfall = v.inputs["shortfall"]
    by_insurance = lesser(shortfall, before.insurance)
    by_pol = lesser(shortfall - by_insurance, before.pol_quote)
    by_lps = shortfall - by_insurance - by_pol
    paying = ite(by_insurance > 0, 1, 0) + ite(by_pol > 0, 1, 0) + ite(by_lps > 0, 1, 0)
    return both(
        same(after.insurance, before.insurance - by_insurance),
        same(after.pol_quote, before.pol_quote - by_pol),
        same(v.inputs["events"], paying),
    )


def obligations() -> list[Obligation]:
    return [
        pinned(
            "GEN2-REDO-INCENTIVE/gen2/kick-unpaid",
            ("GEN2-REDO-INCENTIVE",),
            "gen2",
            _gen2_kick_task(),
            _unpaid,
            "with tip = chip = 0 a kick pays no incentive (dss: if tip > 0 || chip > 0)",
        ),
        pinned(
            "GEN2-REDO-INCENTIVE/gen2/redo-unpaid",
            ("GEN2-REDO-INCENTIVE",),
            "gen2",
            _gen2_redo_task(),
            _unpaid,
            "with tip = chip = 0 a reset pays no incentive (dss: if tip > 0 || chip > 0)",
        ),
        pinned(
            "AUCTION-BACKED/gen3/redo-exact",
            ("AUCTION-BACKED", "INCENTIVE-CAP"),
            "gen3",
            _gen3_redo_task(),
            _gen3_redo_exact,
            "a reset stage is backed iff floor(lot * floor) >= debt; an incentive is paid "
            "iff min(tip + floor(tab * chip), cap - paid_so_far) > 0",
        ),
        pinned(
            "INCENTIVE-CAP/gen3/kick-incentive-exact",
            ("INCENTIVE-CAP",),
            "gen3",
            _gen3_kick_task(),
            _gen3_kick_exact,
            "a kick pays an incentive iff min(tip + floor(tab * chip), cap) > 0",
        ),
        pinned(
            "GEN3-BREAKERS/gen3/breakers-exact",
            ("GEN3-BREAKERS",),
            "gen3",
            _breakers_task(),
            _breakers_exact,
            "deviation trips iff |spot - reference| > max_deviation * reference; stale iff "
            "time - last_update > stale_after",
        ),
        pinned(
            "GEN2-REDO-INCENTIVE/gen2/dusty-exact",
            ("GEN2-REDO-INCENTIVE",),
            "gen2",
            _dusty_task(),
            _dusty_exact,
            "dusty iff tab < dust * chop or lot * spot < dust * chop (RAD), strict",
        ),
        pinned(
            "BORROWER-SURPLUS/all/settle-returned",
            ("BORROWER-SURPLUS",),
            "all",
            _settle_task(),
            _settle_exact,
            "settling returns collateral (CollateralReturned) iff the lot is not empty",
        ),
        pinned(
            "LOSS-WATERFALL/all/waterfall-exact",
            ("LOSS-WATERFALL",),
            "all",
            _waterfall_task(),
            _waterfall_exact,
            "insurance pays min(shortfall, insurance), POL min(rest, pol_quote), LPs the "
            "rest; one ShortfallCovered per rung that pays",
        ),
    ]
