"""Effect claims: what an action computes, restated from ``spec/`` in plain arithmetic.

The invariants and the succeeds-iff obligations call the model's own helpers
(``gen2_dutch.status``, ``gen3_tab``, ...) to say *when* something may happen; a fault
inside such a helper then moves the claim along with the code and survives. These
obligations pin the helpers' results to the spec's formulas, written here without the
model's helpers (the mutation run found each of them missing: see
``proofs/mutants/catalogue.py``):

- ORACLE-VOLATILITY: the volatility update is exactly the formula of ``spec/oracle.md``;
- GEN3-SLICE: a gen 3 tab is ``ceil(debt * (RAY + penalty) / RAY)``, the protocol's side;
- GEN2-STATUS: a gen 2 auction needs a reset iff ``dur > tail`` or
  ``price * RAY < cusp * top`` (the integer form of ``rdiv_down(price, top) < cusp``),
  on both actions that read it (``Redo`` may, ``Take`` may not);
- GEN2-REDO-INCENTIVE: a gen 2 redo pays ``tip + floor(tab * chip / WAD)`` (as far as
  the insurance fund goes) iff an incentive is configured and neither the tab nor the
  lot's value is below ``chost = ceil(dust * chop / WAD)``;
- ACT-POL-SELL: a POL sale's whole effect, the depth budget it uses included.
"""

from __future__ import annotations

from typing import Any

import attrs

from model.actions import PolSell, Redo, Take
from model.errors import EngineFault, RefusalCode
from model.events import IncentivePaid
from model.numbers import RAY, UINT256_MAX, WAD
from model.oracle import next_volatility
from model.outcome import Accepted, Refused
from model.params.derived import gen3_tab
from model.params.presets import PRESETS
from model.params.records import Gen2DutchParams, Gen3ZeroLossParams
from proofs.obligation import Obligation, Task
from proofs.obligations.steps import RANGES, TASKS, StepSubject, invariants_hold
from proofs.world import Source

# --- ORACLE-VOLATILITY: the update formula ---------------------------------------------


@attrs.frozen
class VolatilityUpdate:
    volatility: Any
    previous: Any
    spot: Any
    alpha: Any
    result: Any
    fault: RefusalCode | None


def _volatility_task() -> Task:
    def build(source: Source) -> VolatilityUpdate:
        volatility = source.integer("arg.volatility", 0, RAY)
        previous = source.integer("arg.previous", 1, RANGES.price)
        spot = source.integer("arg.spot", 1, RANGES.price)
        alpha = source.integer("arg.alpha", 0, RAY)
        try:
            result = next_volatility(volatility, previous, spot, alpha)
        except EngineFault as fault:
            return VolatilityUpdate(volatility, previous, spot, alpha, None, fault.refusal.code)
        return VolatilityUpdate(volatility, previous, spot, alpha, result, None)

    return Task(key="effect/next_volatility", build=build)


def _ceil_div(x: Any, d: Any) -> Any:
    return (x + d - 1) // d


def _volatility_formula(u: VolatilityUpdate) -> object:
    """``spec/oracle.md``: ``min(RAY, ceil(v * (RAY - alpha) / RAY) + ceil(m * alpha / RAY))``
    with the relative move ``m = min(RAY, ceil(|spot - previous| * RAY / previous))``."""
    if u.fault is not None:
        return False
    gap = u.spot - u.previous if u.spot >= u.previous else u.previous - u.spot
    move = _ceil_div(gap * RAY, u.previous)
    move = RAY if move >= RAY else move
    total = _ceil_div(u.volatility * (RAY - u.alpha), RAY) + _ceil_div(move * u.alpha, RAY)
    return u.result == (RAY if total >= RAY else total)


# --- GEN3-SLICE: the tab ---------------------------------------------------------------


@attrs.frozen
class TabCall:
    debt: Any
    penalty: int
    result: Any


def _tab_task() -> Task:
    params = PRESETS["gen3"].policy
    assert isinstance(params, Gen3ZeroLossParams)

    def build(source: Source) -> TabCall:
        debt = source.integer("arg.debt", 0, RANGES.amount)
        return TabCall(debt, params.penalty, gen3_tab(params, debt))

    return Task(key="effect/gen3_tab", build=build)


def _tab_rounds_up(call: TabCall) -> object:
    """``tab = ceil(debt * (RAY + penalty) / RAY)``: the borrower owes the rounding."""
    owed = call.debt * (RAY + call.penalty)
    return (call.result - 1) * RAY < owed <= call.result * RAY and call.result <= UINT256_MAX


# --- GEN2-STATUS and GEN2-REDO-INCENTIVE on the steps ------------------------------------


def _gen2(subject: StepSubject) -> Gen2DutchParams:
    policy = subject.pre.config.policy
    assert isinstance(policy, Gen2DutchParams)
    return policy


def _needs_reset(subject: StepSubject, auction_id: int) -> object:
    """GEN2-STATUS restated: ``dur > tail`` or ``price * RAY < cusp * top``."""
    p = _gen2(subject)
    auction = subject.pre.auctions[auction_id]
    dur = subject.pre.time - auction.tic
    price = p.curve.price(auction.top, dur)
    return dur > p.tail or price * RAY < p.cusp * auction.top


def _redo_only_when_done(subject: StepSubject) -> object:
    """An accepted redo needed a reset; a redo refused as not resettable did not."""
    action = subject.action
    assert isinstance(action, Redo)
    outcome = subject.outcome
    if isinstance(outcome, Accepted):
        return _needs_reset(subject, action.auction)
    if isinstance(outcome, Refused) and outcome.refusal.code is RefusalCode.AUCTION_CANNOT_RESET:
        return not _needs_reset(subject, action.auction)
    return True


def _take_only_when_live(subject: StepSubject) -> object:
    """An accepted take bought from an auction that did not need a reset."""
    action = subject.action
    assert isinstance(action, Take)
    if isinstance(subject.outcome, Accepted):
        return not _needs_reset(subject, action.auction)
    return True


def _redo_incentive(subject: StepSubject) -> object:
    """GEN2-REDO-INCENTIVE restated: paid iff configured and not dusty, the amount
    ``min(tip + floor(tab * chip / WAD), insurance)``."""
    action = subject.action
    outcome = subject.outcome
    assert isinstance(action, Redo)
    if not isinstance(outcome, Accepted):
        return True
    p = _gen2(subject)
    pre = subject.pre
    auction = pre.auctions[action.auction]
    chost_wad = pre.config.dust * p.chop  # dss chost = dust * chop / WAD, exact (RAD)
    configured = p.tip > 0 or p.chip > 0
    due = auction.tab * WAD >= chost_wad and auction.lot * pre.oracle.spot * WAD >= chost_wad * RAY
    payments = [e for e in outcome.events if isinstance(e, IncentivePaid)]
    if not configured:
        return not payments
    if not payments:
        return not due
    owed = p.tip + auction.tab * p.chip // WAD
    insurance = pre.buffers.insurance
    expected = owed if owed <= insurance else insurance
    (paid,) = payments
    return due and paid.amount == expected and paid.amount + paid.unpaid == owed


# --- ACT-POL-SELL: the whole effect ------------------------------------------------------


def _pol_sell_effect(subject: StepSubject) -> object:
    """ACT-POL-SELL's effect restated: POL's collateral down by ``amount``, its reserves up
    by ``proceeds``, both through the ledger, the period rolled over as in GEN3-SLICE 5 and
    ``amount`` added to what was put up for sale in it; nothing else changes."""
    outcome = subject.outcome
    if not isinstance(outcome, Accepted):
        return True
    pre, post, action = subject.pre, outcome.state, subject.action
    p = pre.config.policy
    assert isinstance(p, Gen3ZeroLossParams) and isinstance(action, PolSell)
    rolled = pre.time >= pre.market.period_start + p.unwind_period
    kicked = 0 if rolled else pre.market.kicked_in_period
    start = pre.time if rolled else pre.market.period_start
    market, buffers, ledger = post.market, post.buffers, post.ledger
    return (
        market.kicked_in_period == kicked + action.amount
        and market.period_start == start
        and market.depth == pre.market.depth
        and buffers.pol_collateral == pre.buffers.pol_collateral - action.amount
        and buffers.pol_quote == pre.buffers.pol_quote + action.proceeds
        and buffers.insurance == pre.buffers.insurance
        and ledger.collateral_out == pre.ledger.collateral_out + action.amount
        and ledger.quote_in == pre.ledger.quote_in + action.proceeds
        and post.pool == pre.pool
        and post.positions is pre.positions
        and post.auctions is pre.auctions
    )


def obligations() -> list[Obligation]:
    redo, take = TASKS[("gen2", "Redo")], TASKS[("gen2", "Take")]
    return [
        Obligation(
            name="ORACLE-VOLATILITY/all/next_volatility-formula",
            requirement_ids=("ORACLE-VOLATILITY",),
            policy="all",
            task=_volatility_task(),
            claim=_volatility_formula,
            summary="the volatility update is spec/oracle.md's formula, move capped at 100 %",
        ),
        Obligation(
            name="GEN3-SLICE/gen3/tab",
            requirement_ids=("GEN3-SLICE", "NUM-ROUNDING"),
            policy="gen3",
            task=_tab_task(),
            claim=_tab_rounds_up,
            summary="tab = ceil(debt * (1 + penalty)), rounded for the protocol",
        ),
        Obligation(
            name="GEN2-STATUS/gen2/Redo",
            requirement_ids=("GEN2-STATUS", "RESET-GUARDED"),
            policy="gen2",
            task=redo,
            claim=_redo_only_when_done,
            assume=invariants_hold,
            summary="redo accepted iff dur > tail or price * RAY < cusp * top",
        ),
        Obligation(
            name="GEN2-STATUS/gen2/Take",
            requirement_ids=("GEN2-STATUS",),
            policy="gen2",
            task=take,
            claim=_take_only_when_live,
            assume=invariants_hold,
            summary="no take from an auction past tail or below cusp",
        ),
        Obligation(
            name="GEN2-REDO-INCENTIVE/gen2/Redo",
            requirement_ids=("GEN2-REDO-INCENTIVE",),
            policy="gen2",
            task=redo,
            claim=_redo_incentive,
            assume=invariants_hold,
            relevant=lambda s: isinstance(s.outcome, Accepted),
            summary="redo pays min(tip + chip * tab, insurance) iff not dusty",
        ),
        Obligation(
            name="ACT-POL-SELL/gen3/PolSell/effect",
            requirement_ids=("ACT-POL-SELL", "GEN3-SLICE"),
            policy="gen3",
            task=TASKS[("gen3", "PolSell")],
            claim=_pol_sell_effect,
            assume=invariants_hold,
            relevant=lambda s: isinstance(s.outcome, Accepted),
            summary="a POL sale moves collateral and proceeds and uses the period's depth",
        ),
    ]
